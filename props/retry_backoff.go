package props

import (
	"fmt"
	"time"
)

// Backoff: after failed attempt n, attempt n+1 begins Backoff(n) later, not sooner, and not
// later while a slot is free, exactly in virtual time.
//
// An attempt ends, for the pool, when it returns, or at its deadline for a pool that
// abandons timed-out attempts (RetryTraits.Abandons). A retry may start late only while
// the limit is reached (other calls' attempts hold every slot) or after the call's ctx
// ended.
var Backoff = Property{
	ID:           "backoff",
	Rule:         "after failed attempt n, attempt n+1 begins Backoff(n) later: not sooner, and not later while a slot is free",
	Excused:      never,
	retryExcused: neverRetry,
	judge: func(tr *Trace) []Violation {
		v := newRetryView(tr)
		running := v.running()
		evs := tr.Events
		var out []Violation
		for _, c := range v.order {
			for i := 0; i+1 < len(c.attempts); i++ {
				a, next := c.attempts[i], c.attempts[i+1]
				if a.end == nil {
					continue // attempt-concurrency's or one-outcome's to report
				}
				b := tr.Retry.Backoff(i + 1)
				ended := a.end.At
				if dl := a.deadline(tr.Retry); tr.RetryTraits.Abandons && dl >= 0 && dl < ended {
					ended = dl
				}
				if gap := next.start.At - ended; gap+tr.Grace < b {
					out = append(out, Violation{next.start.Seq, fmt.Sprintf(
						"attempt %d of call %d began %v after attempt %d ended; the backoff is %v",
						next.n, c.id, gap, a.n, b)})
					continue
				}
				due := a.end.At + b + tr.Grace
				if next.start.At <= due || c.ctxDone != nil && c.ctxDone.Seq < next.start.Seq {
					continue
				}
				if at, ok := freeSlot(evs, running, tr.Limit, due, next.start.Seq); ok {
					out = append(out, Violation{next.start.Seq, fmt.Sprintf(
						"attempt %d of call %d began at %v, due at %v after a backoff of %v, though a slot was free at %v",
						next.n, c.id, next.start.At, a.end.At+b, b, at)})
				}
			}
		}
		return out
	},
}

// freeSlot reports the first instant from due on, before the instant of event upto (the
// late attempt's start), at whose end fewer than limit attempts ran: due itself, or an
// instant when an event happened.
func freeSlot(evs []Event, running []int, limit int, due time.Duration, upto int) (time.Duration, bool) {
	at := func(c time.Duration) int { // attempts running once every event at c is in
		n := 0
		for j := 0; j < upto && evs[j].At <= c; j++ {
			n = running[j]
		}
		return n
	}
	if at(due) < limit {
		return due, true
	}
	for i := 0; i < upto; i++ {
		if evs[i].At > due && evs[i].At < evs[upto].At && at(evs[i].At) < limit {
			return evs[i].At, true
		}
	}
	return 0, false
}
