package stress

import (
	"fmt"
	"strings"
	"time"
)

const (
	maxStackLines = 60  // enough of a stuck goroutine's stack to see where it is
	maxEvents     = 160 // a longer trace is shown around the events where the rule broke
	eventContext  = 25  // events shown either side of each marked one when clipping
)

// timeline renders a failing lifetime: its schedule, then its trace, one event a line, with
// the events where the rule broke marked, then what hung or leaked. Times are in schedule
// units: one "ms" of the schedule lasted the lifetime's Unit.
func timeline(f *Failure) string {
	var b strings.Builder
	b.WriteString("schedule:\n")
	for _, line := range strings.Split(f.Schedule.String(), "\n") {
		b.WriteString("  " + line + "\n")
	}
	marks := map[int][]string{}
	var whole []string
	for _, v := range f.Violations {
		if v.Seq < 0 {
			whole = append(whole, v.Msg)
			continue
		}
		marks[v.Seq] = append(marks[v.Seq], v.Msg)
	}
	evs := f.Trace.Events
	show := func(int) bool { return true }
	if len(evs) > maxEvents && len(marks) > 0 {
		show = func(i int) bool {
			for seq := range marks {
				if i >= seq-eventContext && i <= seq+eventContext {
					return true
				}
			}
			return false
		}
	}
	// Events count time in schedule units; show it as wall time.
	real := func(d time.Duration) time.Duration { return d * f.Config.Unit / time.Millisecond }
	fmt.Fprintf(&b, "trace (%d events, wall time since the pool was made; a schedule ms lasted %v):\n",
		len(evs), f.Config.Unit)
	skipped := 0
	for i, e := range evs {
		if !show(i) {
			skipped++
			continue
		}
		if skipped > 0 {
			fmt.Fprintf(&b, "  ... (%d events)\n", skipped)
			skipped = 0
		}
		e.At = real(e.At)
		if first, _, more := strings.Cut(e.Err, "\n"); more {
			e.Err = first + " ..." // a panic value with a stack in it (conc's) would drown the trace
		}
		b.WriteString("  " + e.String())
		for _, m := range marks[e.Seq] {
			b.WriteString("   <-- " + m)
		}
		b.WriteString("\n")
	}
	if skipped > 0 {
		fmt.Fprintf(&b, "  ... (%d events)\n", skipped)
	}
	for _, m := range whole {
		b.WriteString("  <-- " + m + "\n")
	}
	if h := f.Trace.Hang; h != nil {
		fmt.Fprintf(&b, "the run hung (%s) at %v; stuck goroutines:\n%s\n", h.Why, real(h.At), indent(clip(h.Stacks)))
	}
	if len(f.Trace.Leaked) > 0 {
		fmt.Fprintf(&b, "goroutines left after Close:\n%s\n", indent(clip(strings.Join(f.Trace.Leaked, "\n\n"))))
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
