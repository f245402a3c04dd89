package props

import "fmt"

// SubmitErrors: Submit returns only the errors the contract names, each only when its
// cause holds: ErrFull only from a pool that declares Rejects, ErrClosed only once a Close
// has begun, ctx.Err() only for a ctx that ended, and no other error.
//
// The rule judges what a Submit said, not what it did with the task (exactly-once, close
// and cancel judge that): a submitter that gets ErrFull from a blocking pool, or ErrClosed
// from an open one, gives up a task the pool should have taken or kept waiting for.
// A ctx that ended at any point excuses a ctx error: in real time its end may be recorded
// after Submit returned. TrySubmit's false is a refusal, not an error, and is not judged.
var SubmitErrors = Property{
	ID:      "submit-errors",
	Rule:    "Submit returns only the errors the contract names, each only when its cause holds: ErrFull only from a pool that rejects, ErrClosed only once Close has begun, ctx.Err() only once its ctx has ended",
	Excused: never,
	check: func(v *view) []Violation {
		closing := -1 // Seq of the first CloseBegin
		if len(v.closes) > 0 {
			closing = v.closes[0].begin.Seq
		}
		var out []Violation
		for _, t := range v.order {
			end := t.submitEnd
			if end == nil {
				continue
			}
			var why string
			switch o := end.Outcome; {
			case o == Full && !v.tr.Traits.Rejects:
				why = "from a pool that does not declare Rejects (it blocks when full)"
			case o == Closed && (closing < 0 || end.Seq < closing):
				why = "before any Close had begun"
			case o.IsCtx() && t.ctxDone == nil:
				why = "although its ctx never ended"
			case o == OtherErr:
				why = "an error the contract does not name"
				if end.Err != "" {
					why += " (" + end.Err + ")"
				}
			default:
				continue
			}
			out = append(out, Violation{end.Seq, fmt.Sprintf("Submit of task %d returned %v %s", t.id, end.Outcome, why)})
		}
		return out
	},
}
