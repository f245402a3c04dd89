package props

import "fmt"

// AttemptsBounded: a call makes at most 1+Retries attempts.
var AttemptsBounded = Property{
	ID:           "attempts-bounded",
	Rule:         "a call makes at most 1+Retries attempts",
	Excused:      never,
	retryExcused: neverRetry,
	judge: func(tr *Trace) []Violation {
		v := newRetryView(tr)
		var out []Violation
		for _, c := range v.order {
			if n := len(c.attempts); n > tr.Retry.Attempts() {
				extra := c.attempts[tr.Retry.Attempts()]
				out = append(out, Violation{extra.start.Seq, fmt.Sprintf(
					"call %d made attempt %d, but %d retries allow %d attempts", c.id, n, tr.Retry.Retries, tr.Retry.Attempts())})
			}
		}
		return out
	},
}
