package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// CloseHoldsLock waits for the running tasks in Close while it holds the lock those tasks
// need to finish: a mutex deadlock as soon as a task is running when Close is called. A
// goroutine waiting on a sync.Mutex is not durably blocked for testing/synctest, so virtual
// time stands still instead of a deadlock being reported; the harness must see it in real
// time, and fast.
//
// Breaks: liveness (a mutex deadlock). Exposed by: Close while a task runs.
type CloseHoldsLock struct {
	mu      sync.Mutex
	slots   chan struct{} // one token per running task
	running int
	closed  bool
	idle    *sync.Cond     // L is &mu: broadcast when running drops to 0
	done    sync.WaitGroup // one count per running task; Add only under mu before closed
}

// NewCloseHoldsLock returns a pool that runs at most limit tasks at once.
func NewCloseHoldsLock(limit int) *CloseHoldsLock {
	mustLimit(limit)
	p := &CloseHoldsLock{slots: make(chan struct{}, limit)}
	p.idle = sync.NewCond(&p.mu)
	return p
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *CloseHoldsLock) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.slots
		return pools.ErrClosed
	}
	p.running++
	p.done.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.done.Done()
		defer func() {
			p.mu.Lock() // blocks for good while Close holds the lock
			p.running--
			if p.running == 0 {
				p.idle.Broadcast()
			}
			p.mu.Unlock()
			<-p.slots
		}()
		safely(task)
	}()
	return nil
}

// Wait blocks until no task is running.
func (p *CloseHoldsLock) Wait() {
	p.mu.Lock()
	for p.running > 0 {
		p.idle.Wait()
	}
	p.mu.Unlock()
}

// Close stops accepting tasks and waits for the running ones.
func (p *CloseHoldsLock) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.done.Wait() // BUG: waits holding the lock the finishing tasks need
}
