package props

import "fmt"

// MaxConcurrency: never more than limit tasks running at once.
//
// A task's recorded run lies inside its real one, so a recorded overlap is a real one. The
// limit a start is judged by is the largest the pool may have had at any moment between its
// Submit and its start (see view.limits), so a Resize never makes a correct pool look wrong.
var MaxConcurrency = Property{
	ID:      "max-concurrency",
	Rule:    "never more than limit tasks running at once",
	Excused: never,
	check: func(v *view) []Violation {
		limits, _ := v.limits()
		running := 0
		var out []Violation
		for i, e := range v.tr.Events {
			switch e.Kind {
			case TaskStart:
				running++
				allowed := limits[i]
				if t := v.tasks[e.Task]; t != nil && t.submitBegin != nil {
					for j := t.submitBegin.Seq; j <= i; j++ {
						allowed = max(allowed, limits[j])
					}
				}
				if running > allowed {
					out = append(out, Violation{e.Seq, fmt.Sprintf(
						"task %d started while %d others ran: %d running, limit %d",
						e.Task, running-1, running, allowed)})
				}
			case TaskEnd:
				running--
			}
		}
		return out
	},
}
