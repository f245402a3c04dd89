package thirdparty

import (
	"context"
	"errors"
	"fmt"

	"github.com/gammazero/workerpool"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// WorkerPool adapts github.com/gammazero/workerpool's WorkerPool.
//
// What workerpool promises (v1.3.0, workerpool.go): Do "will not block regardless of the
// number of tasks submitted" (an unbounded waiting queue), never more than maxWorkers run at
// once, Do returns ErrStopped once the pool is stopped and "is safe to call concurrently with
// Stop or StopWait"; StopWait runs every queued task and returns when the workers and the
// dispatcher have exited (every call waits); "a task that panics crashes the program".
// Do takes no ctx.
//
// What the adapter adds with package adapt:
//   - Wait: workerpool has none short of stopping. The kit's Tracker counts each task from
//     the moment Do accepts it until it returns, panics or calls runtime.Goexit.
//   - Close is workerpool's StopWait, given to the kit as Library.Close (workerpool has its
//     own closed state): it runs the queue and waits for the workers and the dispatcher;
//     every call waits for the first.
//   - pools.ErrNilTask for a nil task (Do returns nil for it and never runs it).
//
// Finding (undocumented): a task calling runtime.Goexit kills its worker, whose wg.Done is
// not deferred: the dispatcher still counts the worker, so its slot is lost for good, and
// StopWait hangs waiting for it (declare Traits.Goexit GoexitUnsupported).
//
// ErrStopped becomes pools.ErrClosed. The adapter uses Do, not Submit, which panics instead.
type WorkerPool struct {
	pools.Pool // the kit's
}

var _ pools.Pool = (*WorkerPool)(nil)

// NewWorkerPool returns a workerpool of at most limit (>= 1) workers with opts.
func NewWorkerPool(limit int, opts ...workerpool.Option) (*WorkerPool, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: workerpool limit %d, want >= 1", pools.ErrLimit, limit)
	}
	p := workerpool.New(limit, opts...)
	kit, err := adapt.New(adapt.Library{
		// Do queues the task without blocking.
		Submit: func(_ context.Context, task func()) error {
			err := p.Do(task)
			if errors.Is(err, workerpool.ErrStopped) {
				return pools.ErrClosed
			}
			return err
		},
		Close: p.StopWait,
	})
	if err != nil {
		return nil, err
	}
	return &WorkerPool{Pool: kit}, nil
}
