package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// CloseHoldsLock is a worker-queue pool whose Close waits for the accepted tasks while it
// holds the lock a worker needs to take the next task from the queue: a mutex deadlock as
// soon as a task is queued when Close is called. A goroutine waiting on a sync.Mutex is not
// durably blocked for testing/synctest, so virtual time stands still instead of a deadlock
// being reported; the harness must see it in real time, and fast.
//
// Breaks: liveness (a mutex deadlock). Exposed by: Close while a task waits in the queue.
type CloseHoldsLock struct {
	mu      sync.Mutex
	queue   []func() // accepted, not started
	limit   int
	workers int // worker goroutines, at most limit
	closed  bool
	tasks   inflight
}

// NewCloseHoldsLock returns a pool that runs at most limit tasks at once and queues the rest.
func NewCloseHoldsLock(limit int) *CloseHoldsLock {
	mustLimit(limit)
	return &CloseHoldsLock{limit: limit}
}

// Submit queues task, starting a worker if fewer than limit run, or returns ErrClosed. It
// never blocks.
func (p *CloseHoldsLock) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return pools.ErrClosed
	}
	p.tasks.add()
	p.queue = append(p.queue, task)
	if p.workers < p.limit {
		p.workers++
		go p.work()
	}
	return nil
}

// work runs queued tasks until the queue is empty.
func (p *CloseHoldsLock) work() {
	for {
		p.mu.Lock() // blocks for good while Close holds the lock
		if len(p.queue) == 0 {
			p.workers--
			p.mu.Unlock()
			return
		}
		task := p.queue[0]
		p.queue = p.queue[1:]
		p.mu.Unlock()
		if !p.run(task) {
			return // the task called runtime.Goexit: run has replaced this worker
		}
	}
}

// run runs task and reports whether it returned; a task that calls runtime.Goexit ends
// the worker, which then hands its place to a new one.
func (p *CloseHoldsLock) run(task func()) (returned bool) {
	defer func() {
		p.tasks.done()
		if !returned {
			go p.work()
		}
	}()
	safely(task)
	return true
}

// Wait blocks until every accepted task has finished.
func (p *CloseHoldsLock) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *CloseHoldsLock) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.tasks.wait() // BUG: waits holding the lock the workers need to take a queued task
}
