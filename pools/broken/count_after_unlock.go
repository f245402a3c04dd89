package broken

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/poolcheck/poolcheck/pools"
)

// CountAfterUnlock admits a submitter under its lock when fewer than limit tasks run, but
// counts the new task as running only after it has released the lock (ants #374: a worker
// counted after the unlock). Another submitter that takes the lock in between sees the old
// count and is admitted too.
//
// Breaks: max-concurrency. Exposed by: two submitters admitted back to back while one slot
// is free. The window, between the Unlock and the Add, holds no blocking operation: only a
// controlled interleaving (or luck on two cores) opens it. NewCountUnderLock is the same
// pool with the count raised under the lock: its correct twin.
type CountAfterUnlock struct {
	limit   int64
	fixed   bool // count under the lock: the correct twin
	mu      sync.Mutex
	freed   *sync.Cond // L is &mu: a task ended or the pool closed
	running atomic.Int64
	closed  bool
	tasks   inflight
}

// NewCountAfterUnlock returns the broken pool.
func NewCountAfterUnlock(limit int) *CountAfterUnlock { return newCountAfterUnlock(limit, false) }

// NewCountUnderLock returns its correct twin.
func NewCountUnderLock(limit int) *CountAfterUnlock { return newCountAfterUnlock(limit, true) }

func newCountAfterUnlock(limit int, fixed bool) *CountAfterUnlock {
	mustLimit(limit)
	p := &CountAfterUnlock{limit: int64(limit), fixed: fixed}
	p.freed = sync.NewCond(&p.mu)
	return p
}

// Submit starts task once fewer than limit run, or returns ctx.Err() or ErrClosed. A ctx
// that ends while Submit waits is noticed when a task ends or the pool closes.
func (p *CountAfterUnlock) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	stop := context.AfterFunc(ctx, func() {
		p.mu.Lock()
		p.freed.Broadcast()
		p.mu.Unlock()
	})
	defer stop()
	p.mu.Lock()
	for !p.closed && ctx.Err() == nil && p.running.Load() >= p.limit {
		p.freed.Wait()
	}
	switch {
	case p.closed:
		p.mu.Unlock()
		return pools.ErrClosed
	case ctx.Err() != nil:
		p.mu.Unlock()
		return ctx.Err()
	}
	p.tasks.add()
	if p.fixed {
		p.running.Add(1)
	}
	p.mu.Unlock()
	if !p.fixed {
		p.running.Add(1) // BUG: counted after the unlock
	}
	go func() {
		defer func() {
			p.running.Add(-1)
			p.mu.Lock()
			p.freed.Broadcast()
			p.mu.Unlock()
			p.tasks.done()
		}()
		safely(task)
	}()
	return nil
}

// Wait blocks until every accepted task has finished.
func (p *CountAfterUnlock) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *CountAfterUnlock) Close() {
	p.mu.Lock()
	p.closed = true
	p.freed.Broadcast()
	p.mu.Unlock()
	p.tasks.wait()
}
