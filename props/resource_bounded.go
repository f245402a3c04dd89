package props

import "fmt"

// Bounded: never more than the maximum resources exist at once.
//
// A resource exists from the call of Create that makes it (a Create in progress counts:
// the pool has committed to it) until the call of Destroy, or until a failed Create returns.
var Bounded = Property{
	ID:              "bounded",
	Rule:            "never more than the maximum resources exist at once, Creates in progress included",
	Excused:         never,
	resourceExcused: neverResource,
	judge: func(tr *Trace) []Violation {
		v := newRView(tr)
		var out []Violation
		v.sweep(func(_ int, e *Event, s *rstate) {
			if len(out) > 0 || e.Kind != CreateBegin {
				return
			}
			if n := len(s.alive) + s.creating; n > tr.Limit {
				out = append(out, Violation{e.Seq, fmt.Sprintf(
					"Create (call %d) began while %d resources existed and %d were being made: %d exist, the maximum is %d",
					e.Call, len(s.alive), s.creating-1, n, tr.Limit)})
			}
		})
		return out
	},
}
