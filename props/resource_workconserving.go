package props

import (
	"fmt"
	"slices"
)

// ResourceWorkConserving: while an Acquire waits, it is served promptly when a resource
// has a free slot or fewer than the maximum exist: the pool hands out the free slot or
// begins a Create. The seed's round robin, which queues a caller on a busy resource while
// another has a free slot, breaks it.
//
// The trace is cut at each moment time advances; a cut where more Acquires wait (ctx live)
// than Creates in progress can serve, while a slot is free or a resource may still be made,
// breaks the rule, in virtual time at once. Cuts after Close began are not judged.
var ResourceWorkConserving = Property{
	ID:              "resource-work-conserving",
	Rule:            "while an Acquire waits and a resource has a free slot or fewer than the maximum exist, it is served promptly",
	Excused:         never,
	resourceExcused: neverResource,
	judge: func(tr *Trace) []Violation {
		v := newRView(tr)
		evs := tr.Events
		var out []Violation
		idleSince := -1
		v.sweep(func(i int, e *Event, s *rstate) {
			if len(out) > 0 || i+1 < len(evs) && evs[i+1].At == e.At {
				return // judge the state once every event of this instant is in
			}
			free := s.free(v.slots, false)
			room := len(s.alive)+s.creating < tr.Limit
			waiting := len(s.pending) > s.creating*v.slots
			if s.closing || !waiting || free == 0 && !room {
				idleSince = -1
				return
			}
			if idleSince < 0 {
				idleSince = i
			}
			if i+1 >= len(evs) || evs[i+1].At-evs[idleSince].At <= tr.Grace {
				return
			}
			var hs []int
			for h := range s.pending {
				hs = append(hs, h)
			}
			slices.Sort(hs)
			why := fmt.Sprintf("%d free slots", free)
			if free == 0 {
				why = fmt.Sprintf("only %d of %d resources existed", len(s.alive)+s.creating, tr.Limit)
			} else if r := freeResource(s, v.slots); r > 0 {
				why = fmt.Sprintf("resource %d had %d of %d slots free", r, v.slots-s.occupied[r], v.slots)
			}
			at := idleSince // marked at the waiting holder's Acquire, where a reader looks
			if h := v.holders[hs[0]]; h != nil && h.begin != nil {
				at = h.begin.Seq
			}
			out = append(out, Violation{at, fmt.Sprintf("holder %d waited from %v to %v while %s",
				hs[0], evs[idleSince].At, evs[i+1].At, why)})
		})
		return out
	},
}

// freeResource returns the lowest-numbered live resource with a free slot, or 0.
func freeResource(s *rstate, slots int) int {
	best := 0
	for r := range s.alive {
		if !s.broken[r] && s.occupied[r] < slots && (best == 0 || r < best) {
			best = r
		}
	}
	return best
}
