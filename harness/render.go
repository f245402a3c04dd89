package harness

import (
	"fmt"
	"strings"
	"time"

	"github.com/poolcheck/poolcheck/props"
)

const (
	maxStackLines = 60  // enough of a stuck goroutine's stack to see where it is
	maxEvents     = 160 // a longer trace is shown around the events where the rule broke
	eventContext  = 25  // events shown either side of each marked one when clipping
	maxSwitches   = 40  // the interleaving switches shown, the last ones
)

// Timeline renders the counterexample: the schedule, then the trace, one event a line, with
// the events where the rule broke marked, then what hung or leaked. It is the one rendering
// of a failing run: Check, package stress and the poolcheck command all print it.
func (c *Counterexample) Timeline() string {
	if c == nil {
		return ""
	}
	var b strings.Builder
	if c.Shrunk {
		b.WriteString("schedule (shrunk):\n")
	} else {
		fmt.Fprintf(&b, "schedule (not shrunk: %s):\n", c.Note)
	}
	for _, line := range strings.Split(c.Schedule, "\n") {
		b.WriteString("  " + line + "\n")
	}
	if c.Trace == nil {
		return strings.TrimRight(b.String(), "\n")
	}
	marks := map[int][]string{}
	var whole []string
	for _, v := range c.Violations {
		if v.Seq < 0 {
			whole = append(whole, v.Msg)
			continue
		}
		marks[v.Seq] = append(marks[v.Seq], v.Msg)
	}
	tr := c.Trace
	show := func(int) bool { return true }
	if len(tr.Events) > maxEvents && len(marks) > 0 {
		show = func(i int) bool {
			for seq := range marks {
				if i >= seq-eventContext && i <= seq+eventContext {
					return true
				}
			}
			return false
		}
	}
	// Events count time in schedule units; a real-time run shows it as wall time.
	wall := func(d time.Duration) time.Duration { return d }
	if c.Unit > 0 {
		wall = func(d time.Duration) time.Duration { return d * c.Unit / time.Millisecond }
		fmt.Fprintf(&b, "trace (%d events, wall time since the pool was made; a schedule ms lasted %v):\n", len(tr.Events), c.Unit)
	} else {
		fmt.Fprintf(&b, "trace (%d events, times since the pool was made):\n", len(tr.Events))
	}
	skipped := 0
	for i, e := range tr.Events {
		if !show(i) {
			skipped++
			continue
		}
		if skipped > 0 {
			fmt.Fprintf(&b, "  ... (%d events)\n", skipped)
			skipped = 0
		}
		e.At = wall(e.At)
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
	if n := len(tr.Switches); n > 0 {
		sw := tr.Switches
		if n > maxSwitches {
			sw = sw[n-maxSwitches:]
			fmt.Fprintf(&b, "interleaving (%d switches; the last %d):\n", n, maxSwitches)
		} else {
			fmt.Fprintf(&b, "interleaving (%d switches of the goroutines the policy ran one at a time):\n", n)
		}
		for _, l := range sw {
			b.WriteString("  " + l + "\n")
		}
	}
	if h := tr.Hang; h != nil {
		fmt.Fprintf(&b, "the run hung at %v (%s); stuck goroutines:\n%s\n", wall(h.At), h.Describe(), indent(clip(h.Stacks)))
	}
	if len(tr.Leaked) > 0 {
		fmt.Fprintf(&b, "goroutines left after Close:\n%s\n", indent(clip(strings.Join(tr.Leaked, "\n\n"))))
	}
	return strings.TrimRight(b.String(), "\n")
}

// Timeline is the counterexample's Timeline, or "" when the result has none.
func (r Result) Timeline() string { return r.Counterexample.Timeline() }

// Message is the failure report Check prints: the property, the subject, the rule, the
// reason, the counterexample and the replay command.
func (r Result) Message(subject string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: pool %q breaks the rule: %s\nreason: %s", r.Property, subject, ruleOf(r.Property), r.Reason)
	if tl := r.Timeline(); tl != "" {
		b.WriteString("\n" + tl)
	}
	if r.Replay != "" {
		b.WriteString("\nreplay: " + r.Replay)
	}
	return b.String()
}

func ruleOf(id string) string {
	if p, ok := props.LookupAny(id); ok {
		return p.Rule
	}
	return id
}

func clip(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= maxStackLines {
		return s
	}
	return strings.Join(lines[:maxStackLines], "\n") + fmt.Sprintf("\n... (%d more lines)", len(lines)-maxStackLines)
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }
