package harness

import (
	"fmt"
	"strings"
)

// maxStackLines bounds the stacks a report shows: enough to see where a goroutine is stuck.
const maxStackLines = 60

// timeline renders a failing run: the schedule, then the trace, one event a line, with the
// events where the rule broke marked, then what hung or leaked.
func timeline(f *failure) string {
	var b strings.Builder
	b.WriteString("schedule (shrunk):\n")
	for _, line := range strings.Split(f.sc.String(), "\n") {
		b.WriteString("  " + line + "\n")
	}
	marks := map[int][]string{}
	var whole []string
	for _, v := range f.vs {
		if v.Seq < 0 {
			whole = append(whole, v.Msg)
			continue
		}
		marks[v.Seq] = append(marks[v.Seq], v.Msg)
	}
	fmt.Fprintf(&b, "trace (%d events, times since the pool was made):\n", len(f.tr.Events))
	for _, e := range f.tr.Events {
		b.WriteString("  " + e.String())
		for _, m := range marks[e.Seq] {
			b.WriteString("   <-- " + m)
		}
		b.WriteString("\n")
	}
	for _, m := range whole {
		b.WriteString("  <-- " + m + "\n")
	}
	if h := f.tr.Hang; h != nil {
		fmt.Fprintf(&b, "the run hung (%s) at %v; stuck goroutines:\n%s\n", h.Why, h.At, indent(clip(h.Stacks)))
	}
	if len(f.tr.Leaked) > 0 {
		fmt.Fprintf(&b, "goroutines left after Close:\n%s\n", indent(clip(strings.Join(f.tr.Leaked, "\n\n"))))
	}
	return strings.TrimRight(b.String(), "\n")
}

func clip(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= maxStackLines {
		return s
	}
	return strings.Join(lines[:maxStackLines], "\n") + fmt.Sprintf("\n... (%d more lines)", len(lines)-maxStackLines)
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }
