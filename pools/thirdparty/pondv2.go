package thirdparty

import (
	"context"
	"errors"
	"fmt"

	pondv2 "github.com/alitto/pond/v2"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// PondV2 adapts github.com/alitto/pond/v2's Pool.
//
// What pond promises (v2.7.1, pool.go and README): Go "submits a task to the pool without
// waiting for it to complete" and returns ErrPoolStopped once the pool is stopped; the queue
// is unbounded by default, WithQueueSize(n) bounds it (0 disables it: "only running workers
// can accept work"), and a full queue blocks Go or, with WithNonBlocking(true), fails it
// with ErrQueueFull; panics "are captured and returned as errors" (recovered); Resize changes
// the maximum concurrency; workers are "immediately removed when idle (scale to zero)".
// Go takes no ctx.
//
// What the adapter adds with package adapt:
//   - Wait: pond has no pool-level Wait short of stopping the pool. The kit's Tracker counts
//     each task from the moment Go accepts it until it returns, panics or calls
//     runtime.Goexit.
//   - Close, and its closed state (Submit then returns pools.ErrClosed): Close does NOT call
//     pond's Stop or StopAndWait. Stop submits its waiting task to pond's package-level
//     default pool, whose context and sync.WaitGroup are shared by every pool in the process:
//     once one testing/synctest bubble has stopped a pond pool, stopping one in any other
//     bubble is a fatal error ("receive on synctest channel from outside bubble", then
//     "sync: WaitGroup.Add called from multiple synctest bubbles"), which kills the test
//     binary. Close is instead the kit's (no Library.Stop): it refuses new Submits, waits
//     for the Submits already inside (a blocked one gets in as the queue drains), then for
//     every accepted task; pond's workers exit by themselves once the queue is empty, as
//     documented. Every Close call waits for the first.
//   - pools.ErrNilTask for a nil task.
//
// Finding (undocumented): with WithQueueSize(0), growing the pool with Resize does not admit
// a submitter already blocked in Go; it waits for a running task to end
// (TestFindingPondV2ResizeQueue0).
//
// Errors: ErrQueueFull becomes pools.ErrFull; ErrPoolStopped (not expected: the adapter never
// stops the pond pool) becomes pools.ErrClosed.
type PondV2 struct {
	pools.Pool // the kit's
}

var (
	_ pools.Pool         = (*PondV2)(nil)
	_ pools.Resizer      = (*PondV2)(nil)
	_ pools.TrySubmitter = (*PondV2)(nil)
)

// NewPondV2 returns a pond pool of maximum concurrency limit (at least 1) with opts, for
// example pondv2.WithQueueSize(8) and pondv2.WithNonBlocking(true).
func NewPondV2(limit int, opts ...pondv2.Option) (*PondV2, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: pond limit %d, want >= 1", pools.ErrLimit, limit)
	}
	p := pondv2.NewPool(limit, opts...)
	kit, err := adapt.New(adapt.Library{
		// Go blocks only while a bounded queue is full (blocking pools) and does not watch ctx.
		Submit: func(_ context.Context, task func()) error { return pondV2Err(p.Go(task)) },
		TrySubmit: func(task func()) bool {
			_, ok := p.TrySubmit(task)
			return ok
		},
		Resize: func(n int) error { p.Resize(n); return nil },
	})
	if err != nil {
		return nil, err
	}
	return &PondV2{Pool: kit}, nil
}

// pondV2Err maps pond's errors to the contract's.
func pondV2Err(err error) error {
	switch {
	case errors.Is(err, pondv2.ErrQueueFull):
		return pools.ErrFull
	case errors.Is(err, pondv2.ErrPoolStopped):
		return pools.ErrClosed
	}
	return err
}

// TrySubmit hands task to pond's TrySubmit, which never blocks.
func (p *PondV2) TrySubmit(task func()) bool { return p.Pool.(pools.TrySubmitter).TrySubmit(task) }

// Resize sets the maximum concurrency (n >= 1) with pond's Resize.
func (p *PondV2) Resize(n int) error { return p.Pool.(pools.Resizer).Resize(n) }
