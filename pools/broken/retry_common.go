package broken

import (
	"context"
	"sync"
	"time"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// retryBase is what the broken retrying pools share where their bug lies elsewhere: a
// semaphore of limit slots, the policy, and a correct Close that refuses new calls and
// waits for those in progress.
type retryBase struct {
	sem    chan struct{}
	policy retry.Policy
	mu     sync.Mutex
	closed bool
	calls  inflight
}

func newRetryBase(limit int, p retry.Policy) retryBase {
	mustLimit(limit)
	if err := p.Validate(); err != nil {
		panic(err)
	}
	return retryBase{sem: make(chan struct{}, limit), policy: p}
}

// enter registers a call, or reports false once Close has begun.
func (b *retryBase) enter() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.calls.add()
	return true
}

// acquire takes a slot, unless ctx ends first.
func (b *retryBase) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case b.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		<-b.sem
		return err
	}
	return nil
}

// attemptCtx is the ctx of one attempt: ctx with the policy's timeout.
func (b *retryBase) attemptCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if b.policy.Timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, b.policy.Timeout)
}

// Close refuses new calls and waits for those in progress.
func (b *retryBase) Close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.calls.wait()
}

// pause waits d, unless ctx ends first.
func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
