package broken

import (
	"context"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// FixedBackoff is a retrying pool with exponential backoff.
//
// Bug: the backoff is computed once, before the loop, where it was hoisted "to save work",
// so every backoff is the first one. Breaks backoff: 2 retries with a 1ms delay wait 1ms
// before the third attempt instead of 2ms.
type FixedBackoff struct{ retryBase }

// NewFixedBackoff returns the pool.
func NewFixedBackoff(limit int, p retry.Policy) *FixedBackoff {
	return &FixedBackoff{newRetryBase(limit, p)}
}

// Do runs attempt with retries, meaning to double the backoff after each failure.
func (p *FixedBackoff) Do(ctx context.Context, attempt func(context.Context) error) error {
	if !p.enter() {
		return retry.ErrClosed
	}
	defer p.calls.done()
	d := p.policy.Backoff(1)
	for n := 1; ; n++ {
		if err := p.acquire(ctx); err != nil {
			return err
		}
		actx, cancel := p.attemptCtx(ctx)
		err := attempt(actx)
		cancel()
		<-p.sem
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case n > p.policy.Retries:
			return err
		}
		if err := pause(ctx, d); err != nil {
			return err
		}
	}
}
