package props

import "time"

// RetryPolicy is how a retrying pool (pools/retry) retries: the harness draws one for each
// run and makes the pool with it.
type RetryPolicy struct {
	Retries int           // attempts after the first, at most
	Timeout time.Duration // each attempt's limit, from its start; 0 means none
	// Delay is the backoff after the first failed attempt; it doubles after each further
	// one, up to MaxDelay (0: no cap).
	Delay    time.Duration
	MaxDelay time.Duration
}

// Attempts is the most attempts one call may make.
func (p RetryPolicy) Attempts() int { return 1 + p.Retries }

// Backoff is the pause after failed attempt n (from 1) before attempt n+1 begins.
func (p RetryPolicy) Backoff(n int) time.Duration {
	d := p.Delay
	for i := 1; i < n; i++ {
		d *= 2
		if p.MaxDelay > 0 && d >= p.MaxDelay {
			break
		}
	}
	if p.MaxDelay > 0 {
		d = min(d, p.MaxDelay)
	}
	return d
}

// RetryTraits is what a retrying pool promises beyond its policy; the zero value is the
// strictest promise: the pool waits for every attempt to return, a timed-out one included,
// and counts it against the limit until then.
type RetryTraits struct {
	// Abandons means a timed-out attempt is left running: the pool stops waiting for it at
	// its deadline and moves on (its backoff may begin there), but still counts it against
	// the limit until it returns.
	Abandons bool
	// CtxErrWins means that once the caller's ctx has ended, Do returns ctx.Err(), even
	// over an attempt that succeeded meanwhile (failsafe-go): one-outcome then accepts a
	// ctx error from a call whose ctx ended before Do returned.
	CtxErrWins bool
}

// RetryProperties returns the properties of retrying pools, in order.
func RetryProperties() []Property {
	return []Property{AttemptsBounded, AttemptTimeout, Backoff, AttemptConcurrency, OneOutcome,
		RetryCancel, RetryNoLeak, RetryLiveness}
}

// LookupRetry returns the retrying pool property with id.
func LookupRetry(id string) (Property, bool) { return lookupIn(RetryProperties(), id) }

func neverRetry(RetryTraits) string { return "" }

// LookupAny returns the property with id, whether of task, resource or retrying pools
// (their ids are distinct).
func LookupAny(id string) (Property, bool) {
	for _, ps := range [][]Property{All(), ResourceProperties(), RetryProperties()} {
		if p, ok := lookupIn(ps, id); ok {
			return p, true
		}
	}
	return Property{}, false
}
