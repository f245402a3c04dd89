package props

import (
	"slices"
	"time"
)

// task is what a trace says about one submitted task.
type task struct {
	id, actor   int
	submitBegin *Event
	submitEnd   *Event   // nil while Submit has not returned
	starts      []*Event // more than one breaks exactly-once
	end         *Event   // the first TaskEnd
	ctxDone     *Event
}

func (t *task) accepted() bool { return t.submitEnd != nil && t.submitEnd.Outcome == Accepted }

// call is a Wait, Close or Resize call.
type call struct {
	begin, end *Event
}

// view indexes a trace by task and call.
type view struct {
	tr     *Trace
	tasks  map[int]*task
	order  []*task // by first appearance
	waits  []*call
	closes []*call
}

func newView(tr *Trace) *view {
	v := &view{tr: tr, tasks: map[int]*task{}}
	calls := map[int]*call{}
	for i := range tr.Events {
		e := &tr.Events[i]
		switch e.Kind {
		case SubmitBegin, SubmitEnd, TaskStart, TaskEnd, CtxDone:
			t := v.tasks[e.Task]
			if t == nil {
				t = &task{id: e.Task, actor: e.Actor}
				v.tasks[e.Task] = t
				v.order = append(v.order, t)
			}
			switch e.Kind {
			case SubmitBegin:
				t.submitBegin = e
			case SubmitEnd:
				t.submitEnd = e
			case TaskStart:
				t.starts = append(t.starts, e)
			case TaskEnd:
				if t.end == nil {
					t.end = e
				}
			case CtxDone:
				if t.ctxDone == nil {
					t.ctxDone = e
				}
			}
		case WaitBegin, CloseBegin, ResizeBegin:
			c := &call{begin: e}
			calls[e.Call] = c
			if e.Kind == WaitBegin {
				v.waits = append(v.waits, c)
			} else if e.Kind == CloseBegin {
				v.closes = append(v.closes, c)
			}
		case WaitEnd, CloseEnd, ResizeEnd:
			if c := calls[e.Call]; c != nil {
				c.end = e
			}
		}
	}
	return v
}

// finished reports whether the run reached its end: no hang, no setup failure.
func (v *view) finished() bool { return v.tr.Hang == nil && v.tr.Failure == "" }

// limbo lists the tasks whose fate is open: Submit still pending, or accepted and not ended.
func (v *view) limbo() []*task {
	var out []*task
	for _, t := range v.order {
		if t.submitBegin == nil {
			continue
		}
		if t.submitEnd == nil && len(t.starts) == 0 {
			out = append(out, t)
		} else if (t.accepted() || len(t.starts) > 0) && t.end == nil {
			out = append(out, t)
		}
	}
	return out
}

// limits returns, after each event, the range the pool's limit may be in: hi[i] is the
// largest limit it may have after event i, lo[i] the smallest. Outside a Resize both are
// the limit. While Resizes are in progress the range spans the limit before them and every
// new limit asked for. Resizes that overlap (one begins before another returned) may take
// effect in either order, whatever order they return in, so once the last of such a group
// returns the limit is one of the new limits its accepted calls asked for: the range spans
// those (a group of one call sets the limit). max-concurrency judges by hi, work-conserving
// by lo, so a Resize never makes a correct pool look wrong.
func (v *view) limits() (hi, lo []int) {
	hi = make([]int, len(v.tr.Events))
	lo = make([]int, len(v.tr.Events))
	curHi, curLo := v.tr.Limit, v.tr.Limit
	pending := map[int]int{} // call -> new limit, for the calls of the open group
	var group []int          // the new limits of the open group's accepted calls that returned
	for i, e := range v.tr.Events {
		switch e.Kind {
		case ResizeBegin:
			pending[e.Call] = e.Limit
		case ResizeEnd:
			if n, ok := pending[e.Call]; ok {
				if e.Outcome == Accepted && n >= 1 {
					group = append(group, n)
				}
				delete(pending, e.Call)
				if len(pending) == 0 && len(group) > 0 { // the group is closed
					curHi, curLo = slices.Max(group), slices.Min(group)
					group = group[:0]
				}
			}
		}
		h, l := curHi, curLo
		for _, n := range pending {
			h, l = max(h, n), min(l, n)
		}
		for _, n := range group {
			h, l = max(h, n), min(l, n)
		}
		hi[i], lo[i] = h, l
	}
	return hi, lo
}

// prompt reports whether something that happened at b followed a at a without delay:
// at the same virtual instant, or within the trace's Grace in real time.
func (v *view) prompt(a, b time.Duration) bool { return b-a <= v.tr.Grace }
