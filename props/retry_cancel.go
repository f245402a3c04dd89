package props

import "fmt"

// RetryCancel: once a call's ctx ends, no attempt of it begins, and Do returns promptly:
// at once while it waits (for a backoff or a slot), or when the attempt running then
// returns (an attempt sees the caller's ctx end through its own).
var RetryCancel = Property{
	ID:           "retry-cancel",
	Rule:         "once a call's ctx ends no attempt of it begins, and Do returns promptly (once the running attempt returns)",
	Excused:      never,
	retryExcused: neverRetry,
	judge: func(tr *Trace) []Violation {
		v := newRetryView(tr)
		var out []Violation
		for _, c := range v.order {
			done := c.ctxDone
			if done == nil || c.begin == nil || c.end != nil && c.end.Seq < done.Seq {
				continue
			}
			for _, a := range c.attempts {
				if a.start.At > done.At+tr.Grace {
					out = append(out, Violation{a.start.Seq, fmt.Sprintf(
						"call %d began attempt %d %v after its ctx ended", c.id, a.n, a.start.At-done.At)})
					break
				}
			}
			// Do may wait for an attempt that was running when the ctx ended (or began at
			// that instant: the pool may have checked the ctx just before it ended).
			by := done.At
			for _, a := range c.attempts {
				if a.start.At <= done.At+tr.Grace && a.end != nil && a.end.At > by {
					by = a.end.At
				}
			}
			switch {
			case c.end == nil:
				if tr.Hang != nil {
					out = append(out, Violation{done.Seq, fmt.Sprintf("Do of call %d never returned after its ctx ended", c.id)})
				}
			case c.end.At > by+tr.Grace:
				out = append(out, Violation{c.end.Seq, fmt.Sprintf(
					"Do of call %d returned %v %v after its ctx ended, with no attempt running", c.id, c.end.Outcome, c.end.At-by)})
			}
		}
		return out
	},
}
