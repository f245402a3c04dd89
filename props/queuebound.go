package props

import (
	"fmt"
	"slices"
)

// QueueBound: the pool keeps the queue its traits declare. At most limit + Traits.Queue
// accepted tasks are unfinished at once (with no queue, Submit accepts a task only when it
// has a slot); a pool that declares Rejects returns from Submit at once, and with ErrFull
// only when it is full.
//
// A task counts from its recorded acceptance (its Submit returned nil, or it started,
// whichever is first) to its recorded end, which lie inside the real ones, so a recorded
// excess is a real one. A count is judged when a task is accepted, by the largest limit the
// pool may have had since the earliest Submit of the tasks counted (tasks accepted before a
// Resize shrank the limit may still run). An ErrFull is judged wrong only when even the
// most the pool may have held was below the smallest limit plus the queue: every task whose
// Submit had begun counts, unless it ended at an earlier instant (a correct pool frees a
// slot at the instant its task ends; in real time, within Trace.Grace) or was refused, and
// the limit is the smallest since that instant began (a Resize takes effect promptly, not
// at once).
var QueueBound = Property{
	ID:   "queue-bound",
	Rule: "never more accepted tasks unfinished than limit plus the declared queue (no queue: Submit accepts a task only with a slot); a pool that declares Rejects returns from Submit at once, with ErrFull only when full",
	Excused: func(t Traits) string {
		if t.Queue == Unbounded && !t.Rejects {
			return "Queue"
		}
		return ""
	},
	check: func(v *view) []Violation {
		out := overQueue(v)
		if v.tr.Traits.Rejects {
			out = append(out, rejects(v)...)
		}
		return out
	},
}

// overQueue judges the count of accepted, unfinished tasks at each acceptance.
func overQueue(v *view) []Violation {
	q := v.tr.Traits.Queue
	if q == Unbounded {
		return nil
	}
	hi, _ := v.limits()
	counted, ended := map[int]bool{}, map[int]bool{}
	for i, e := range v.tr.Events {
		switch {
		case e.Kind == TaskEnd:
			delete(counted, e.Task)
			ended[e.Task] = true
		case e.Kind == TaskStart || e.Kind == SubmitEnd && e.Outcome == Accepted:
			if counted[e.Task] || ended[e.Task] {
				continue
			}
			counted[e.Task] = true
			from := i
			for id := range counted {
				if t := v.tasks[id]; t.submitBegin != nil {
					from = min(from, t.submitBegin.Seq)
				}
			}
			if allowed := slices.Max(hi[from:i+1]) + q; len(counted) > allowed {
				return []Violation{{e.Seq, fmt.Sprintf(
					"task %d was accepted while %d other accepted tasks were unfinished: %d, limit %d + queue %d",
					e.Task, len(counted)-1, len(counted), allowed-q, q)}}
			}
		}
	}
	return nil
}

// rejects judges the Submits of a pool that declares Rejects: each returns at once, and
// ErrFull only from a full pool.
func rejects(v *view) []Violation {
	_, lo := v.limits()
	q := v.tr.Traits.Queue
	var out []Violation
	for _, t := range v.order {
		b, e := t.submitBegin, t.submitEnd
		if b == nil || e == nil || b.Try {
			continue
		}
		if !v.prompt(b.At, e.At) {
			out = append(out, Violation{e.Seq, fmt.Sprintf(
				"Submit of task %d blocked from %v to %v, though the pool declares Rejects", t.id, b.At, e.At)})
			continue
		}
		if e.Outcome != Full || q == Unbounded {
			continue
		}
		held := 0 // the most the pool may have held when it said it was full
		for _, o := range v.order {
			if o != t && o.submitBegin != nil && o.submitBegin.Seq < e.Seq && !freed(v, o, e) {
				held++
			}
		}
		// The pool may still be taking in a Resize made at the same instant.
		from := b.Seq
		for from > 0 && v.prompt(v.tr.Events[from-1].At, b.At) {
			from--
		}
		if limit := slices.Min(lo[from : e.Seq+1]); held < limit+q {
			out = append(out, Violation{e.Seq, fmt.Sprintf(
				"Submit of task %d returned ErrFull, though the pool held at most %d tasks: limit %d + queue %d",
				t.id, held, limit, q)})
		}
	}
	return out
}

// freed reports whether task o can no longer hold a place in the pool at event at: it
// ended at an earlier instant, or it was refused and never started.
func freed(v *view, o *task, at *Event) bool {
	if o.end != nil && o.end.Seq < at.Seq && !v.prompt(o.end.At, at.At) {
		return true
	}
	s := o.submitEnd
	return s != nil && s.Seq < at.Seq && s.Outcome != Accepted && (len(o.starts) == 0 || o.starts[0].Seq > at.Seq)
}
