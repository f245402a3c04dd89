package props

import "fmt"

// ReuseBeforeCreate: the pool makes a resource only when no idle one can serve the
// Acquires waiting: a Create never begins while at least as many slots have been free
// since an earlier instant as there are Acquires in progress.
//
// Slots freed at the Create's own instant are not counted (the pool may have promised them
// to a waiter whose Acquire has not returned yet), nor are Acquires whose ctx ended.
var ReuseBeforeCreate = Property{
	ID:              "reuse-before-create",
	Rule:            "a resource is made only when no idle one can serve the Acquires waiting",
	Excused:         never,
	resourceExcused: neverResource,
	judge: func(tr *Trace) []Violation {
		v := newRView(tr)
		var out []Violation
		v.sweep(func(_ int, e *Event, s *rstate) {
			if len(out) > 0 || e.Kind != CreateBegin {
				return
			}
			if free := s.free(v.slots, true); free > 0 && free >= len(s.pending) {
				out = append(out, Violation{e.Seq, fmt.Sprintf(
					"Create (call %d) began while %d idle slots could serve the %d Acquires waiting",
					e.Call, free, len(s.pending))})
			}
		})
		return out
	},
}
