package props

import "fmt"

// Wait: Wait returns, and not before every task accepted before it began has finished.
//
// A Wait still blocked when the run hung breaks this rule only if it had nothing left to
// wait for: every Submit had returned and every accepted task had ended. Otherwise the
// stuck work is liveness's to report.
var Wait = Property{
	ID:      "wait",
	Rule:    "Wait returns, and not before every task accepted before it began has finished",
	Excused: never,
	check: func(v *view) []Violation {
		var out []Violation
		for _, c := range v.waits {
			if c.end == nil {
				if v.tr.Hang != nil && len(v.limbo()) == 0 {
					out = append(out, Violation{c.begin.Seq, fmt.Sprintf(
						"Wait (call %d) never returned, though every accepted task had ended", c.begin.Call)})
				}
				continue
			}
			if c.end.Outcome == Panicked && v.tr.Traits.Panics != Repanics {
				out = append(out, Violation{c.end.Seq, fmt.Sprintf("Wait (call %d) panicked: %s", c.begin.Call, c.end.Err)})
			}
			for _, t := range v.order {
				if !t.accepted() || t.submitEnd.Seq > c.begin.Seq {
					continue
				}
				if t.end == nil || t.end.Seq > c.end.Seq {
					out = append(out, Violation{c.end.Seq, fmt.Sprintf(
						"Wait (call %d) returned before task %d, accepted before it began, had finished", c.begin.Call, t.id)})
				}
			}
		}
		return out
	},
}
