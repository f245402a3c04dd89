package broken

import (
	"context"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// OneTooMany is a retrying pool that counts its retries.
//
// Bug: it gives up when the count exceeds the policy's retries, checked before the count
// goes up, so it retries once more than allowed. Breaks attempts-bounded: 0 retries and a
// failing attempt make two attempts.
type OneTooMany struct{ retryBase }

// NewOneTooMany returns the pool.
func NewOneTooMany(limit int, p retry.Policy) *OneTooMany {
	return &OneTooMany{newRetryBase(limit, p)}
}

// Do runs attempt with retries.
func (p *OneTooMany) Do(ctx context.Context, attempt func(context.Context) error) error {
	if !p.enter() {
		return retry.ErrClosed
	}
	defer p.calls.done()
	for retries := 0; ; retries++ {
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
		case retries > p.policy.Retries: // should be >=
			return err
		}
		if err := pause(ctx, p.policy.Backoff(retries+1)); err != nil {
			return err
		}
	}
}
