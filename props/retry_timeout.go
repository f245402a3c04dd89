package props

import "fmt"

// AttemptTimeout: each attempt's ctx ends at most Timeout after the attempt began, so an
// attempt that honours its ctx never outlives its timeout.
//
// Exact in virtual time: an attempt still running past its deadline while its ctx is live
// breaks the rule (a pool that times out with a timer but passes a ctx without the
// deadline leaves the attempt running).
var AttemptTimeout = Property{
	ID:           "attempt-timeout",
	Rule:         "each attempt's ctx ends at most Timeout after the attempt began",
	Excused:      never,
	retryExcused: neverRetry,
	judge: func(tr *Trace) []Violation {
		if tr.Retry.Timeout <= 0 {
			return nil
		}
		v := newRetryView(tr)
		var out []Violation
		for _, c := range v.order {
			for _, a := range c.attempts {
				dl := a.deadline(tr.Retry) + tr.Grace
				ranPast := a.end != nil && a.end.At > dl || a.end == nil && v.lastAt() > dl
				ctxLive := a.ctxDone == nil || a.ctxDone.At > dl
				if ranPast && ctxLive {
					out = append(out, Violation{a.start.Seq, fmt.Sprintf(
						"attempt %d of call %d was still running %v after it began, its ctx live, though the timeout is %v",
						a.n, c.id, dl-a.start.At, tr.Retry.Timeout)})
				}
			}
		}
		return out
	},
}
