package props

import "fmt"

// Close: Close returns only after every accepted task has finished; once Close has
// returned, no Submit is accepted (it returns ErrClosed) and no task starts; Close twice is
// safe.
var Close = Property{
	ID:      "close",
	Rule:    "Close returns only after every accepted task has finished; once Close has returned, no Submit is accepted (it returns ErrClosed) and no task starts; Close twice is safe",
	Excused: never,
	check: func(v *view) []Violation {
		var out []Violation
		var first *call // the Close that returned first: from then on the pool is closed
		for _, c := range v.closes {
			switch {
			case c.end == nil:
				if v.tr.Hang != nil && len(v.limbo()) == 0 {
					out = append(out, Violation{c.begin.Seq, fmt.Sprintf(
						"Close (call %d) never returned, though every accepted task had ended", c.begin.Call)})
				}
			case c.end.Outcome == Panicked && v.tr.Traits.Panics != Repanics:
				out = append(out, Violation{c.end.Seq, fmt.Sprintf("Close (call %d) panicked: %s", c.begin.Call, c.end.Err)})
			case first == nil || c.end.Seq < first.end.Seq:
				first = c
			}
		}
		if first == nil {
			return out
		}
		closed := first.end.Seq
		for _, t := range v.order {
			for _, s := range t.starts {
				if s.Seq > closed {
					out = append(out, Violation{s.Seq, fmt.Sprintf("task %d started after Close had returned", t.id)})
				}
			}
			if len(t.starts) > 0 && t.starts[0].Seq < closed && (t.end == nil || t.end.Seq > closed) {
				out = append(out, Violation{closed, fmt.Sprintf("Close returned while task %d was still running", t.id)})
			}
			if t.accepted() && len(t.starts) == 0 && t.submitEnd.Seq < closed {
				out = append(out, Violation{closed, fmt.Sprintf("Close returned before accepted task %d had run", t.id)})
			}
			if t.submitBegin != nil && t.submitBegin.Seq > closed && t.submitEnd != nil {
				o := t.submitEnd.Outcome
				// A ctx that ended at any point excuses a ctx error: in real time it may end
				// while Submit runs, and its end may be recorded after Submit returned.
				ctxErr := o.IsCtx() && t.ctxDone != nil
				if o != Closed && o != Refused && !ctxErr {
					out = append(out, Violation{t.submitEnd.Seq, fmt.Sprintf(
						"Submit of task %d after Close returned %v, want ErrClosed", t.id, o)})
				}
			}
		}
		return out
	},
}
