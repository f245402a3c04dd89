package props

import (
	"fmt"
	"slices"
)

// Exclusive: a resource is held by at most Slots holders at once (one, unless
// ResourceTraits.Slots says more), and only a resource the factory made and has not been
// asked to destroy is ever handed out.
//
// A hold lasts from its Acquire's return to its Release's (or Discard's) call, so a
// recorded overlap is a real one.
var Exclusive = Property{
	ID:              "exclusive",
	Rule:            "a resource is held by at most Slots holders at once (one unless the pool shares), and never after it was destroyed",
	Excused:         never,
	resourceExcused: neverResource,
	judge: func(tr *Trace) []Violation {
		v := newRView(tr)
		var out []Violation
		v.sweep(func(_ int, e *Event, s *rstate) {
			if e.Kind != AcquireEnd || e.Outcome != Accepted {
				return
			}
			r := v.res[e.Res]
			switch {
			case r == nil || r.created == nil || r.created.Seq > e.Seq:
				out = append(out, Violation{e.Seq, fmt.Sprintf(
					"Acquire of holder %d returned resource %d, which the factory never made", e.Task, e.Res)})
			case r.destroy != nil && r.destroy.Seq < e.Seq:
				out = append(out, Violation{e.Seq, fmt.Sprintf(
					"Acquire of holder %d returned resource %d after it was destroyed (#%d)", e.Task, e.Res, r.destroy.Seq)})
			case len(s.holders[e.Res]) > v.slots:
				var others []int
				for h := range s.holders[e.Res] {
					if h != e.Task {
						others = append(others, h)
					}
				}
				slices.Sort(others)
				out = append(out, Violation{e.Seq, fmt.Sprintf(
					"holder %d got resource %d while holders %v held it (%d at once, %d allowed)",
					e.Task, e.Res, others, len(s.holders[e.Res]), v.slots)})
			}
		})
		return out
	},
}
