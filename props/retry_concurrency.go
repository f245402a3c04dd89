package props

import "fmt"

// AttemptConcurrency: never more than limit attempts run at once, across all calls: the
// limit counts attempts in flight, a timed-out attempt until it returns.
var AttemptConcurrency = Property{
	ID:           "attempt-concurrency",
	Rule:         "never more than limit attempts run at once, a timed-out attempt counting until it returns",
	Excused:      never,
	retryExcused: neverRetry,
	judge: func(tr *Trace) []Violation {
		running := newRetryView(tr).running()
		for i, e := range tr.Events {
			if e.Kind == AttemptStart && running[i] > tr.Limit {
				return []Violation{{e.Seq, fmt.Sprintf(
					"attempt %d of call %d began while %d others ran: %d running, limit %d",
					e.Attempt, e.Task, running[i]-1, running[i], tr.Limit)}}
			}
		}
		return nil
	},
}
