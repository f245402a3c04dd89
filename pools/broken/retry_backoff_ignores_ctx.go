package broken

import (
	"context"
	"time"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// BackoffIgnoresCtx is a retrying pool that sleeps between attempts.
//
// Bug: the backoff is a time.Sleep, which no ctx can cut short: a caller that gives up
// during a backoff waits it out before Do returns. Breaks retry-cancel: the first attempt
// fails, the ctx ends 1ms into a 3ms backoff, and Do returns 2ms later.
type BackoffIgnoresCtx struct{ retryBase }

// NewBackoffIgnoresCtx returns the pool.
func NewBackoffIgnoresCtx(limit int, p retry.Policy) *BackoffIgnoresCtx {
	return &BackoffIgnoresCtx{newRetryBase(limit, p)}
}

// Do runs attempt with retries, sleeping between them.
func (p *BackoffIgnoresCtx) Do(ctx context.Context, attempt func(context.Context) error) error {
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
		<-p.sem
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case n > p.policy.Retries:
			return err
		}
		time.Sleep(p.policy.Backoff(n))
	}
}
