package props

import "fmt"

// ResourceClose: Close returns only after every resource is destroyed, waiting for held
// ones to be released (unless ResourceTraits.CloseDoesNotWait: then a resource held when
// Close returns is destroyed when it is released); an Acquire that begins after Close
// returned gets ErrClosed; Close twice is safe.
//
// Resources that were never handed out are acquire-cancel's to judge (a pool that lost
// them cannot destroy them).
var ResourceClose = Property{
	ID:              "resource-close",
	Rule:            "Close returns only after every resource is destroyed (waiting for held ones); an Acquire after Close gets ErrClosed; Close twice is safe",
	Excused:         never,
	resourceExcused: neverResource,
	judge: func(tr *Trace) []Violation {
		v := newRView(tr)
		var out []Violation
		var first *call
		for _, c := range v.closes {
			switch {
			case c.end == nil:
			case c.end.Outcome == Panicked:
				out = append(out, Violation{c.end.Seq, fmt.Sprintf("Close (call %d) panicked: %s", c.begin.Call, c.end.Err)})
			case first == nil:
				first = c
			}
		}
		if first == nil {
			return out
		}
		closed := first.end.Seq
		held := map[int]bool{}
		v.sweep(func(i int, _ *Event, s *rstate) {
			if i == closed {
				for r, hs := range s.holders {
					if len(hs) > 0 {
						held[r] = true
					}
				}
			}
		})
		for _, r := range v.rorder {
			if r.created == nil || !r.handedOut || r.created.Seq > closed {
				continue
			}
			switch {
			case r.destroyd != nil && r.destroyd.Seq < closed:
			case tr.Resource.CloseDoesNotWait:
				// Held, or on its way to a waiter whose Acquire had not returned: it is
				// to be destroyed when released.
				if v.finished() && r.destroy == nil {
					out = append(out, Violation{closed, fmt.Sprintf(
						"resource %d, alive when Close returned, was never destroyed", r.id)})
				}
			case held[r.id]:
				out = append(out, Violation{closed, fmt.Sprintf("Close returned while resource %d was held", r.id)})
			default:
				out = append(out, Violation{closed, fmt.Sprintf("Close returned before resource %d was destroyed", r.id)})
			}
		}
		for _, h := range v.order {
			if h.begin == nil || h.begin.Seq < closed || h.end == nil {
				continue
			}
			if o := h.end.Outcome; o != Closed && !(o.IsCtx() && h.ctxDone != nil) {
				msg := fmt.Sprintf("Acquire of holder %d after Close returned %v, want ErrClosed", h.id, o)
				if o == Accepted {
					msg = fmt.Sprintf("Acquire of holder %d after Close returned resource %d, want ErrClosed", h.id, h.end.Res)
				}
				out = append(out, Violation{h.end.Seq, msg})
			}
		}
		return out
	},
}
