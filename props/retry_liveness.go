package props

import (
	"fmt"
	"strings"
)

// RetryLiveness: no deadlock: a Do whose ctx is live always returns once its attempts
// allow it, and Close returns once the calls in progress have.
//
// Attempts of a schedule end (at their hold, or when their ctx ends), so a run that hangs
// with a Do or Close in progress breaks this rule; a Do stuck after its ctx ended is
// retry-cancel's to report.
var RetryLiveness = Property{
	ID:           "retry-liveness",
	Rule:         "no deadlock: a Do always returns once its attempts allow it, and Close once the calls in progress have",
	Excused:      never,
	retryExcused: neverRetry,
	judge: func(tr *Trace) []Violation {
		if tr.Hang == nil {
			return nil
		}
		v := newRetryView(tr)
		var stuck []string
		for _, c := range v.order {
			if c.begin != nil && c.end == nil && c.ctxDone == nil {
				stuck = append(stuck, fmt.Sprintf("Do of call %d blocked", c.id))
			}
		}
		for _, c := range v.closes {
			if c.end == nil {
				stuck = append(stuck, fmt.Sprintf("Close (call %d) blocked", c.begin.Call))
			}
		}
		if len(stuck) == 0 {
			return nil
		}
		return []Violation{{-1, fmt.Sprintf("the run hung at %v (%s) with calls pending: %s",
			tr.Hang.At, tr.Hang.Describe(), strings.Join(stuck, "; "))}}
	},
}
