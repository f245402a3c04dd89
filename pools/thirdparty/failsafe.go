package thirdparty

import (
	"context"
	"sync"
	"time"

	"github.com/failsafe-go/failsafe-go"
	"github.com/failsafe-go/failsafe-go/bulkhead"
	"github.com/failsafe-go/failsafe-go/retrypolicy"
	"github.com/failsafe-go/failsafe-go/timeout"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// noWait is how long a Failsafe call waits for a bulkhead permit: for ever, in effect, so
// that the bulkhead is the LLM pool's semaphore rather than a load shedder.
const noWait = 24 * time.Hour

// Failsafe is failsafe-go's retry policy, bulkhead and timeout composed as the seed's LLM
// pool: failsafe.With(retry, bulkhead, timeout), the first outermost, so each attempt takes
// a bulkhead permit and has its own timeout, and the backoff is spent holding no permit.
// The retry policy is WithMaxRetries(p.Retries) and WithBackoff(p.Delay, p.MaxDelay)
// (failsafe-go doubles the delay only when a maximum is given, so no cap is a cap of a
// day); the bulkhead is New(limit) WithMaxWaitTime(a day); the timeout is New(p.Timeout),
// left out when p.Timeout is 0. Each attempt gets the execution's ctx,
// exec.Context(), which the timeout and the caller's ctx end.
//
// failsafe-go has no pool to close: Close is the adapter's (a closed flag and a count of
// calls in progress), the only thing added.
//
// failsafe-go checks for cancellation after every attempt and then returns the ctx's error
// whatever the attempt returned (retrypolicy/retryexecutor.go, "Check for cancellation
// during execution"), and it runs the first attempt even when the ctx has already ended:
// declared as RetryTraits.CtxErrWins.
type Failsafe struct {
	exec failsafe.Executor[any]

	mu     sync.Mutex
	closed bool
	calls  sync.WaitGroup
}

// NewFailsafe returns the composition for at most limit attempts at once and policy p.
func NewFailsafe(limit int, p retry.Policy) *Failsafe {
	maxDelay := p.MaxDelay
	if maxDelay == 0 {
		maxDelay = noWait
	}
	rp := retrypolicy.NewBuilder[any]().WithMaxRetries(p.Retries)
	if p.Delay > 0 {
		rp = rp.WithBackoff(p.Delay, maxDelay)
	}
	policies := []failsafe.Policy[any]{rp.Build(), bulkhead.NewBuilder[any](uint(limit)).WithMaxWaitTime(noWait).Build()}
	if p.Timeout > 0 {
		policies = append(policies, timeout.New[any](p.Timeout))
	}
	return &Failsafe{exec: failsafe.With(policies...)}
}

// Do runs attempt through the composition with ctx.
func (f *Failsafe) Do(ctx context.Context, attempt func(context.Context) error) error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return retry.ErrClosed
	}
	f.calls.Add(1)
	f.mu.Unlock()
	defer f.calls.Done()
	return f.exec.WithContext(ctx).RunWithExecution(func(exec failsafe.Execution[any]) error {
		return attempt(exec.Context())
	})
}

// Close refuses new calls and waits for those in progress.
func (f *Failsafe) Close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.calls.Wait()
}
