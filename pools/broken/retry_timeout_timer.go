package broken

import (
	"context"
	"errors"
	"time"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// errAttemptTimeout is what the broken pools' timers report.
var errAttemptTimeout = errors.New("broken: attempt timed out")

// TimeoutTimer is a retrying pool that times attempts out with a timer.
//
// Bug: the timer only stops the waiting; the attempt gets the caller's ctx, which has no
// deadline, so it runs on past its timeout, holding its slot, while the call moves on. An
// attempt that honours its ctx is never told. Breaks attempt-timeout: a 2ms timeout and an
// attempt of 5ms.
type TimeoutTimer struct{ retryBase }

// NewTimeoutTimer returns the pool.
func NewTimeoutTimer(limit int, p retry.Policy) *TimeoutTimer {
	return &TimeoutTimer{newRetryBase(limit, p)}
}

// Do runs attempt with retries, each raced against a timer.
func (p *TimeoutTimer) Do(ctx context.Context, attempt func(context.Context) error) error {
	if !p.enter() {
		return retry.ErrClosed
	}
	defer p.calls.done()
	for n := 1; ; n++ {
		if err := p.acquire(ctx); err != nil {
			return err
		}
		res := make(chan error, 1)
		go func() {
			defer func() { <-p.sem }() // the slot is freed when the attempt returns
			res <- attempt(ctx)
		}()
		var err error
		if p.policy.Timeout > 0 {
			t := time.NewTimer(p.policy.Timeout)
			select {
			case err = <-res:
			case <-t.C:
				err = errAttemptTimeout
			}
			t.Stop()
		} else {
			err = <-res
		}
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case n > p.policy.Retries:
			return err
		}
		if err := pause(ctx, p.policy.Backoff(n)); err != nil {
			return err
		}
	}
}
