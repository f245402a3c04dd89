package props

import "fmt"

// ExactlyOnce: every accepted task runs exactly once and its result reaches its submitter;
// a task whose Submit returned an error never runs.
//
// "Never ran" is judged only on a run that finished (its final Close returned): a hung run
// is liveness's to report. A Submit that panics breaks this rule too: the submitter cannot
// know whether its task will run.
var ExactlyOnce = Property{
	ID:      "exactly-once",
	Rule:    "every accepted task runs exactly once and its result reaches its submitter; a task whose Submit returned an error never runs",
	Excused: never,
	check: func(v *view) []Violation {
		var out []Violation
		for _, t := range v.order {
			if len(t.starts) > 1 {
				out = append(out, Violation{t.starts[1].Seq, fmt.Sprintf("task %d started a second time", t.id)})
			}
			if t.submitEnd == nil {
				continue
			}
			switch {
			case t.submitEnd.Outcome == Panicked:
				out = append(out, Violation{t.submitEnd.Seq, fmt.Sprintf(
					"Submit of task %d panicked (%s) instead of returning an error", t.id, t.submitEnd.Err)})
			case t.submitEnd.Outcome != Accepted && len(t.starts) > 0:
				out = append(out, Violation{t.starts[0].Seq, fmt.Sprintf(
					"task %d ran although its Submit returned %v", t.id, t.submitEnd.Outcome)})
			case t.accepted() && len(t.starts) == 0 && v.finished():
				out = append(out, Violation{t.submitEnd.Seq, fmt.Sprintf(
					"task %d was accepted but never ran, although the pool was closed", t.id)})
			}
		}
		return out
	},
}
