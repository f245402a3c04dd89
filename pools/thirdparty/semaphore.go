package thirdparty

import (
	"context"
	"fmt"

	"golang.org/x/sync/semaphore"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// Semaphore is the x/sync semaphore idiom as a pool: Acquire a slot, then run the task in a
// new goroutine that releases it.
//
// What golang.org/x/sync/semaphore promises (v0.24.0, semaphore.go): Acquire blocks "until
// resources are available or ctx is done", returns ctx.Err() on failure and "leaves the
// semaphore unchanged"; a ctx done before the call always fails; waiters are served in FIFO
// order (notifyWaiters never lets a later waiter jump the queue); TryAcquire never blocks.
// The goroutine is the adapter's own `go`: a panicking task crashes the process, like any
// goroutine's.
//
// What the adapter adds, since a semaphore is not a pool: the goroutine per task; and with
// package adapt, Wait (the kit's Tracker, counting each task from its Acquire until it
// returns, panics or calls runtime.Goexit), a closed state with pools.ErrClosed and Close
// (the kit's: refuse, wait for the Submits inside, then for every task), pools.ErrNilTask.
// The tracker counts a task finished just before its goroutine releases the slot.
type Semaphore struct {
	pools.Pool // the kit's
}

var (
	_ pools.Pool         = (*Semaphore)(nil)
	_ pools.TrySubmitter = (*Semaphore)(nil)
)

// NewSemaphore returns a semaphore pool of limit (>= 1) slots.
func NewSemaphore(limit int) (*Semaphore, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: semaphore limit %d, want >= 1", pools.ErrLimit, limit)
	}
	s := semaphore.NewWeighted(int64(limit))
	start := func(task func()) {
		go func() {
			defer s.Release(1)
			task()
		}()
	}
	kit, err := adapt.New(adapt.Library{
		// Acquire blocks until a slot is free or ctx is done (then it returns ctx.Err()).
		Submit: func(ctx context.Context, task func()) error {
			if err := s.Acquire(ctx, 1); err != nil {
				return err
			}
			start(task)
			return nil
		},
		TrySubmit: func(task func()) bool {
			if !s.TryAcquire(1) {
				return false
			}
			start(task)
			return true
		},
	})
	if err != nil {
		return nil, err
	}
	return &Semaphore{Pool: kit}, nil
}

// TrySubmit runs task if TryAcquire gets a slot.
func (s *Semaphore) TrySubmit(task func()) bool { return s.Pool.(pools.TrySubmitter).TrySubmit(task) }
