package props

import "time"

// holder is what a resource pool's trace says about one Acquire and the hold it began.
type holder struct {
	id                int
	begin, end        *Event // the Acquire call
	ctxDone           *Event
	release, released *Event // ReleaseBegin or DiscardBegin, and its end
}

func (h *holder) got() bool { return h.end != nil && h.end.Outcome == Accepted }

// resrc is what the trace says about one resource.
type resrc struct {
	id                int
	created           *Event // its CreateEnd
	destroy, destroyd *Event // DestroyBegin, DestroyEnd
	handedOut         bool   // some Acquire returned it
}

// rview indexes a resource pool's trace by holder and resource.
type rview struct {
	tr      *Trace
	slots   int
	holders map[int]*holder
	order   []*holder
	res     map[int]*resrc
	rorder  []*resrc
	closes  []*call
}

func newRView(tr *Trace) *rview {
	v := &rview{tr: tr, slots: tr.Resource.slots(), holders: map[int]*holder{}, res: map[int]*resrc{}}
	calls := map[int]*call{}
	hold := func(id int) *holder {
		h := v.holders[id]
		if h == nil {
			h = &holder{id: id}
			v.holders[id] = h
			v.order = append(v.order, h)
		}
		return h
	}
	res := func(id int) *resrc {
		r := v.res[id]
		if r == nil {
			r = &resrc{id: id}
			v.res[id] = r
			v.rorder = append(v.rorder, r)
		}
		return r
	}
	for i := range tr.Events {
		e := &tr.Events[i]
		switch e.Kind {
		case AcquireBegin:
			hold(e.Task).begin = e
		case AcquireEnd:
			h := hold(e.Task)
			h.end = e
			if e.Outcome == Accepted && e.Res > 0 {
				res(e.Res).handedOut = true
			}
		case AcquireCtxDone:
			if h := hold(e.Task); h.ctxDone == nil {
				h.ctxDone = e
			}
		case ReleaseBegin, DiscardBegin:
			hold(e.Task).release = e
		case ReleaseEnd, DiscardEnd:
			hold(e.Task).released = e
		case CreateEnd:
			if e.Outcome == Accepted && e.Res > 0 {
				res(e.Res).created = e
			}
		case DestroyBegin:
			if r := res(e.Res); r.destroy == nil {
				r.destroy = e
			}
		case DestroyEnd:
			res(e.Res).destroyd = e
		case CloseBegin:
			c := &call{begin: e}
			calls[e.Call] = c
			v.closes = append(v.closes, c)
		case CloseEnd:
			if c := calls[e.Call]; c != nil {
				c.end = e
			}
		}
	}
	return v
}

// finished reports whether the run reached its end: no hang, no setup failure.
func (v *rview) finished() bool { return v.tr.Hang == nil && v.tr.Failure == "" }

// rstate is the state of a resource pool after an event, as the trace shows it.
type rstate struct {
	alive    map[int]bool // created and not being destroyed
	broken   map[int]bool // discarded: takes no new holders
	creating int          // Create calls in progress
	holders  map[int]map[int]bool
	occupied map[int]int  // slots taken: from the Acquire's return to the Release's return
	pending  map[int]bool // Acquires in progress whose ctx is live
	closing  bool         // a Close has begun
	now      time.Duration
	// aliveThen is alive when the instant now began; occPeak bounds the most slots each
	// resource may really have had taken at any point of the instant so far: those taken
	// when it began, plus every Acquire of it that returned since.
	aliveThen map[int]bool
	occPeak   map[int]int
}

// sweep replays the trace, calling f after each event with the state it left.
func (v *rview) sweep(f func(i int, e *Event, s *rstate)) {
	s := &rstate{alive: map[int]bool{}, broken: map[int]bool{}, holders: map[int]map[int]bool{}, occupied: map[int]int{},
		pending: map[int]bool{}, aliveThen: map[int]bool{}, occPeak: map[int]int{}}
	for i := range v.tr.Events {
		e := &v.tr.Events[i]
		if i == 0 || e.At != s.now {
			s.now = e.At
			clear(s.aliveThen)
			clear(s.occPeak)
			for r := range s.alive {
				s.aliveThen[r], s.occPeak[r] = true, s.occupied[r]
			}
		}
		switch e.Kind {
		case AcquireBegin:
			s.pending[e.Task] = true
		case AcquireEnd:
			delete(s.pending, e.Task)
			if e.Outcome == Accepted {
				if s.holders[e.Res] == nil {
					s.holders[e.Res] = map[int]bool{}
				}
				s.holders[e.Res][e.Task] = true
				s.occupied[e.Res]++
				// Every holder that got the resource during the instant counts, whatever was
				// released meanwhile: an Acquire returns after the real hand-off and a Release
				// begins before the real one, so two holders recorded one after the other may
				// really have held it together.
				s.occPeak[e.Res]++
			}
		case AcquireCtxDone:
			delete(s.pending, e.Task)
		case ReleaseBegin, DiscardBegin:
			delete(s.holders[e.Res], e.Task)
			if e.Kind == DiscardBegin {
				s.broken[e.Res] = true
			}
		case ReleaseEnd, DiscardEnd:
			if s.occupied[e.Res] > 0 {
				s.occupied[e.Res]--
			}
		case CreateBegin:
			s.creating++
		case CreateEnd:
			s.creating--
			if e.Outcome == Accepted {
				s.alive[e.Res] = true
			}
		case DestroyBegin:
			delete(s.alive, e.Res)
		case CloseBegin:
			s.closing = true
		}
		f(i, e, s)
	}
}

// free counts the slots of live, unbroken resources that nobody holds. early counts only
// slots that stayed free all through the current instant so far: a slot freed at this very
// instant may be promised to a waiter whose Acquire has not yet returned, and the pool may
// have decided to create while it was taken.
func (s *rstate) free(slots int, early bool) int {
	n := 0
	for r := range s.alive {
		if s.broken[r] {
			continue
		}
		occ := s.occupied[r]
		if early {
			if !s.aliveThen[r] {
				continue
			}
			occ = max(occ, s.occPeak[r])
		}
		n += max(slots-occ, 0)
	}
	return n
}
