package props

import "fmt"

// AcquireCancel: an Acquire blocked when its ctx ends returns ctx.Err() promptly, and no
// resource is lost: every resource the factory made is handed out, kept idle or destroyed,
// so none made for an Acquire that gave up is left alive and unreachable after Close.
//
// "Promptly" is at the same virtual instant (or within Trace.Grace in real time); the
// Acquire may still return a resource at that instant. ResourceTraits.IgnoresCtx excuses
// promptness, never a lost resource.
var AcquireCancel = Property{
	ID:              "acquire-cancel",
	Rule:            "an Acquire blocked when its ctx ends returns ctx.Err() promptly, and no resource is lost",
	Excused:         never,
	resourceExcused: neverResource,
	judge: func(tr *Trace) []Violation {
		v := newRView(tr)
		var out []Violation
		prompt := func(a, b Event) bool { return b.At-a.At <= tr.Grace }
		for _, h := range v.order {
			if h.ctxDone == nil || h.begin == nil || tr.Resource.IgnoresCtx {
				continue
			}
			switch {
			case h.end == nil:
				if tr.Hang != nil {
					out = append(out, Violation{h.ctxDone.Seq, fmt.Sprintf(
						"Acquire of holder %d never returned after its ctx ended", h.id)})
				}
			case h.end.Seq < h.ctxDone.Seq:
				// it had returned before the ctx ended
			case !prompt(*h.ctxDone, *h.end):
				out = append(out, Violation{h.end.Seq, fmt.Sprintf(
					"Acquire of holder %d returned %v %v after its ctx ended", h.id, h.end.Outcome, h.end.At-h.ctxDone.At)})
			}
		}
		if !v.finished() || len(v.closes) == 0 {
			return out
		}
		for _, r := range v.rorder {
			if r.created != nil && !r.handedOut && r.destroy == nil {
				out = append(out, Violation{r.created.Seq, fmt.Sprintf(
					"resource %d was never handed out and never destroyed, not even by Close: the pool lost it", r.id)})
			}
		}
		return out
	},
}
