package props

import "fmt"

// WorkConserving: while a task waits and fewer than limit run, a waiting task starts
// promptly (no idle slots, no batch barriers).
//
// A task waits from its Submit until it starts, unless its Submit returned an error or
// its ctx ended. The trace is cut at each moment time advances; a cut where a task waits
// and a slot is idle breaks the rule, in virtual time at once, in real time once the idle
// stretch outlasts Trace.Grace. Cuts during a Resize or after Close began are not judged.
var WorkConserving = Property{
	ID:      "work-conserving",
	Rule:    "while a task waits and fewer than limit run, a waiting task starts promptly (no idle slots, no batch barriers)",
	Excused: never,
	check: func(v *view) []Violation {
		_, limits := v.limits() // the smallest the limit may be: a slot idle under it is idle
		evs := v.tr.Events
		running := 0
		waiting := map[int]bool{}
		closing, resizing := false, 0
		idleSince := -1 // event index where the current idle stretch began
		for i, e := range evs {
			switch e.Kind {
			case SubmitBegin:
				waiting[e.Task] = true
			case SubmitEnd:
				if e.Outcome != Accepted {
					delete(waiting, e.Task)
				}
			case CtxDone:
				delete(waiting, e.Task)
			case TaskStart:
				running++
				delete(waiting, e.Task)
			case TaskEnd:
				running--
			case CloseBegin:
				closing = true
			case ResizeBegin:
				resizing++
			case ResizeEnd:
				resizing--
			}
			if i+1 < len(evs) && evs[i+1].At == e.At {
				continue // judge the state only once every event of this instant is in
			}
			idle := len(waiting) > 0 && running < limits[i] && !closing && resizing == 0
			if !idle {
				idleSince = -1
				continue
			}
			if idleSince < 0 {
				idleSince = i
			}
			if i+1 < len(evs) && !v.prompt(evs[idleSince].At, evs[i+1].At) {
				t := firstWaiting(v, waiting)
				return []Violation{{idleSince, fmt.Sprintf(
					"task %d waited from %v to %v while only %d of %d slots ran",
					t, evs[idleSince].At, evs[i+1].At, running, limits[i])}}
			}
		}
		return nil
	},
}

func firstWaiting(v *view, waiting map[int]bool) int {
	for _, t := range v.order {
		if waiting[t.id] {
			return t.id
		}
	}
	return 0
}
