package broken

import (
	"context"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// TimeoutFreesSlot is a retrying pool that abandons a timed-out attempt.
//
// Bug: at the attempt's deadline the call frees its slot and moves on, but an attempt that
// does not watch its ctx is still running: the limit no longer counts it, and the next
// attempt runs beside it. Breaks attempt-concurrency: limit 1, a 2ms timeout, an attempt
// that ignores its ctx for 5ms, a 1ms backoff.
type TimeoutFreesSlot struct{ retryBase }

// NewTimeoutFreesSlot returns the pool.
func NewTimeoutFreesSlot(limit int, p retry.Policy) *TimeoutFreesSlot {
	return &TimeoutFreesSlot{newRetryBase(limit, p)}
}

// Do runs attempt with retries, giving up on each at its deadline.
func (p *TimeoutFreesSlot) Do(ctx context.Context, attempt func(context.Context) error) error {
	if !p.enter() {
		return retry.ErrClosed
	}
	defer p.calls.done()
	for n := 1; ; n++ {
		if err := p.acquire(ctx); err != nil {
			return err
		}
		actx, cancel := p.attemptCtx(ctx)
		res := make(chan error, 1)
		go func() { res <- attempt(actx) }()
		var err error
		select {
		case err = <-res:
		case <-actx.Done():
			err = actx.Err()
		}
		cancel()
		<-p.sem // freed at the deadline, though the attempt may still run
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
