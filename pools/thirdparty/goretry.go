package thirdparty

import (
	"context"
	"sync"
	"time"

	goretry "github.com/sethvargo/go-retry"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// GoRetry is sethvargo/go-retry's Do with its exponential backoff: per call,
// WithMaxRetries(p.Retries, WithCappedDuration(p.MaxDelay, NewExponential(p.Delay))) (the
// cap left out when p.MaxDelay is 0; a zero Delay is a backoff of 0). Every attempt's
// error is marked RetryableError, so go-retry retries until its backoff stops and then
// returns the last error unwrapped.
//
// go-retry has no concurrency limit, no per-attempt timeout and no pool: the adapter adds,
// inside the function go-retry retries, a semaphore of limit slots (an attempt waits for
// one, and a ctx that ends meanwhile is returned as a final, not retryable, error) and
// context.WithTimeout(p.Timeout) around the attempt, and Close (a closed flag and a count
// of calls). What the harness checks of go-retry itself: the number of attempts, the
// backoff, and what a ctx that ends does.
type GoRetry struct {
	sem    chan struct{}
	policy retry.Policy

	mu     sync.Mutex
	closed bool
	calls  sync.WaitGroup
}

// NewGoRetry returns go-retry for at most limit attempts at once and policy p.
func NewGoRetry(limit int, p retry.Policy) *GoRetry {
	return &GoRetry{sem: make(chan struct{}, limit), policy: p}
}

func (g *GoRetry) backoff() goretry.Backoff {
	var b goretry.Backoff = goretry.BackoffFunc(func() (time.Duration, bool) { return 0, false })
	if g.policy.Delay > 0 {
		b = goretry.NewExponential(g.policy.Delay)
	}
	if g.policy.MaxDelay > 0 {
		b = goretry.WithCappedDuration(g.policy.MaxDelay, b)
	}
	return goretry.WithMaxRetries(uint64(g.policy.Retries), b)
}

// Do runs attempt through goretry.Do.
func (g *GoRetry) Do(ctx context.Context, attempt func(context.Context) error) error {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return retry.ErrClosed
	}
	g.calls.Add(1)
	g.mu.Unlock()
	defer g.calls.Done()
	return goretry.Do(ctx, g.backoff(), func(ctx context.Context) error {
		select {
		case g.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-g.sem }()
		actx, cancel := ctx, context.CancelFunc(func() {})
		if g.policy.Timeout > 0 {
			actx, cancel = context.WithTimeout(ctx, g.policy.Timeout)
		}
		defer cancel()
		return goretry.RetryableError(attempt(actx))
	})
}

// Close refuses new calls and waits for those in progress.
func (g *GoRetry) Close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.calls.Wait()
}
