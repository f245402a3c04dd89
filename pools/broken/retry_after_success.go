package broken

import (
	"context"
	"errors"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// RetryAfterSuccess is a retrying pool with a retry condition.
//
// Bug: the condition says "retry unless the caller cancelled", and nil is not
// context.Canceled: a call that succeeded is retried, until its attempts are spent. Breaks
// one-outcome: 1 retry, the first attempt succeeds, and a second one begins.
type RetryAfterSuccess struct{ retryBase }

// NewRetryAfterSuccess returns the pool.
func NewRetryAfterSuccess(limit int, p retry.Policy) *RetryAfterSuccess {
	return &RetryAfterSuccess{newRetryBase(limit, p)}
}

func retryable(err error) bool { return !errors.Is(err, context.Canceled) }

// Do runs attempt while retryable says so.
func (p *RetryAfterSuccess) Do(ctx context.Context, attempt func(context.Context) error) error {
	if !p.enter() {
		return retry.ErrClosed
	}
	defer p.calls.done()
	var err error
	for n := 1; n <= p.policy.Retries+1; n++ {
		if n > 1 {
			if e := pause(ctx, p.policy.Backoff(n-1)); e != nil {
				return e
			}
		}
		if e := p.acquire(ctx); e != nil {
			return e
		}
		actx, cancel := p.attemptCtx(ctx)
		err = attempt(actx)
		cancel()
		<-p.sem
		if !retryable(err) || ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
