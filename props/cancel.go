package props

import "fmt"

// Cancel: a Submit blocked when its ctx ends returns ctx.Err() promptly, and that task
// never runs.
//
// "Promptly" is at the same virtual instant (or within Trace.Grace in real time). A Submit
// may still return nil at that instant: the slot and the cancellation raced, and the task
// then runs as an accepted one.
var Cancel = Property{
	ID:   "cancel",
	Rule: "a Submit blocked when its ctx ends returns ctx.Err() promptly, and that task never runs",
	Excused: func(tr Traits) string {
		if tr.IgnoresCtx {
			return "IgnoresCtx"
		}
		if tr.Rejects {
			return "Rejects (Submit never blocks)"
		}
		return ""
	},
	check: func(v *view) []Violation {
		var out []Violation
		for _, t := range v.order {
			if t.ctxDone == nil || t.submitBegin == nil {
				continue
			}
			done := t.ctxDone.At
			if t.submitEnd != nil && t.submitEnd.Seq < t.ctxDone.Seq && !t.submitEnd.Outcome.IsCtx() {
				continue // Submit had returned before the ctx ended
			}
			if t.submitEnd == nil {
				if v.tr.Hang != nil {
					out = append(out, Violation{t.ctxDone.Seq, fmt.Sprintf(
						"Submit of task %d never returned after its ctx ended", t.id)})
				}
				continue
			}
			end := t.submitEnd
			if end.Outcome.IsCtx() && len(t.starts) > 0 {
				out = append(out, Violation{t.starts[0].Seq, fmt.Sprintf(
					"task %d ran although its Submit returned %v", t.id, end.Outcome)})
			}
			if end.At > done && !v.prompt(done, end.At) && (end.Outcome == Accepted || end.Outcome.IsCtx()) {
				out = append(out, Violation{end.Seq, fmt.Sprintf(
					"Submit of task %d returned %v %v after its ctx ended", t.id, end.Outcome, end.At-done)})
			}
		}
		return out
	},
}
