package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// RejectEarly is a rejecting pool with a queue: limit workers, and up to queue tasks waiting
// for them; Submit returns pools.ErrFull at once when both are taken. Its fullness test is
// off by one (>= queue-1 where >= queue belongs), so it refuses a task while the last queue
// place is free.
//
// Breaks: queue-bound. Exposed by: every slot busy and one queue place left: the next
// Submit is refused.
type RejectEarly struct {
	mu      sync.Mutex
	cond    *sync.Cond
	queue   []func()
	max     int
	closed  bool
	tasks   inflight
	workers sync.WaitGroup
}

// NewRejectEarly returns a pool of limit workers with a queue of queue tasks.
func NewRejectEarly(limit, queue int) *RejectEarly {
	mustLimit(limit)
	p := &RejectEarly{max: queue}
	p.cond = sync.NewCond(&p.mu)
	p.workers.Add(limit)
	for range limit {
		go p.work()
	}
	return p
}

// Submit queues task, or returns ErrFull at once when the pool is full (it says).
func (p *RejectEarly) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.closed:
		return pools.ErrClosed
	case len(p.queue) >= p.max-1: // BUG: off by one: the last queue place is never used
		return pools.ErrFull
	}
	p.queue = append(p.queue, task)
	p.tasks.add()
	p.cond.Signal()
	return nil
}

// work runs queued tasks until the pool is closed and drained. A task that calls
// runtime.Goexit ends its worker: a new one takes its place.
func (p *RejectEarly) work() {
	var task func()
	defer func() {
		if task != nil { // runtime.Goexit
			p.tasks.done()
			go p.work()
			return
		}
		p.workers.Done()
	}()
	p.mu.Lock()
	for {
		for len(p.queue) == 0 && !p.closed {
			p.cond.Wait()
		}
		if len(p.queue) == 0 {
			p.mu.Unlock()
			return
		}
		task = p.queue[0]
		p.queue = p.queue[1:]
		p.mu.Unlock()
		safely(task)
		task = nil
		p.tasks.done()
		p.mu.Lock()
	}
}

// Wait blocks until every accepted task has finished.
func (p *RejectEarly) Wait() { p.tasks.wait() }

// Close stops accepting tasks, runs the queued ones and waits for the workers to exit.
func (p *RejectEarly) Close() {
	p.mu.Lock()
	p.closed = true
	p.cond.Broadcast()
	p.mu.Unlock()
	p.workers.Wait()
}
