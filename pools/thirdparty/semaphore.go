package thirdparty

import (
	"context"
	"fmt"

	"golang.org/x/sync/semaphore"

	"github.com/poolcheck/poolcheck/pools"
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
// What the adapter adds, since a semaphore is not a pool: the goroutine per task, Wait (a
// tracker counting each task from its Acquire until it returns, panics or calls
// runtime.Goexit), a closed state with pools.ErrClosed and Close (a gate, then Wait),
// pools.ErrNilTask. A task releases its slot before the tracker counts it finished.
type Semaphore struct {
	s     *semaphore.Weighted
	tasks tracker
	gate  gate
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
	return &Semaphore{s: semaphore.NewWeighted(int64(limit))}, nil
}

// Submit acquires a slot, blocking until one is free or ctx is done (then it returns
// ctx.Err()), and runs task in a new goroutine.
func (s *Semaphore) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if !s.gate.enter() {
		return pools.ErrClosed
	}
	defer s.gate.leave()
	if err := s.s.Acquire(ctx, 1); err != nil {
		return err
	}
	s.start(task)
	return nil
}

// TrySubmit runs task if TryAcquire gets a slot.
func (s *Semaphore) TrySubmit(task func()) bool {
	if task == nil || !s.gate.enter() {
		return false
	}
	defer s.gate.leave()
	if !s.s.TryAcquire(1) {
		return false
	}
	s.start(task)
	return true
}

// start runs task, which holds an acquired slot, in a new goroutine.
func (s *Semaphore) start(task func()) {
	j := s.tasks.job(task)
	s.tasks.settle(j, true)
	go func() {
		defer s.tasks.finish(j)
		defer s.s.Release(1)
		task()
	}()
}

// Wait blocks until every accepted task has finished (the adapter's tracker).
func (s *Semaphore) Wait() { s.tasks.wait() }

// Close refuses new tasks, waits for the Submits inside (a blocked one gets its slot as tasks
// finish), then for every task. Every call waits for the first.
func (s *Semaphore) Close() { s.gate.close(s.tasks.wait) }
