package broken

import (
	"context"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// LostSlot is a retrying pool that returns as soon as its caller gives up.
//
// Bug: when the caller's ctx has ended by the time an attempt returns, Do returns at once,
// skipping the release of the attempt's slot: each such call takes a slot for good, and
// once limit are gone every later call blocks for ever. Breaks retry-liveness: limit 1, a
// call cancelled during its attempt, then another call.
type LostSlot struct{ retryBase }

// NewLostSlot returns the pool.
func NewLostSlot(limit int, p retry.Policy) *LostSlot {
	return &LostSlot{newRetryBase(limit, p)}
}

// Do runs attempt with retries.
func (p *LostSlot) Do(ctx context.Context, attempt func(context.Context) error) error {
	if !p.enter() {
		return retry.ErrClosed
	}
	defer p.calls.done()
	for n := 1; ; n++ {
		if err := p.acquire(ctx); err != nil {
			return err
		}
		actx, cancel := p.attemptCtx(ctx)
		err := attempt(actx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err() // the slot is never given back
		}
		<-p.sem
		switch {
		case err == nil:
			return nil
		case n > p.policy.Retries:
			return err
		}
		if err := pause(ctx, p.policy.Backoff(n)); err != nil {
			return err
		}
	}
}
