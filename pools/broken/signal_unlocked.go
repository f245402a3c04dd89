package broken

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/poolcheck/poolcheck/pools"
)

// SignalUnlocked frees a slot and signals a waiting submitter without the lock the waiter
// checks the count under: a submitter that has just seen "full" but not yet started to
// wait misses the signal and sleeps while a slot is free (a lost wake-up), until another
// task ends or Close wakes it; with no other task to end, it sleeps for good.
//
// Breaks: work-conserving (and liveness, when nothing else would wake it). Exposed by: a
// submitter finding the pool full at the instant a task ends. The window, between the waiter's check and its cond.Wait, holds no blocking
// operation. NewSignalLocked is the same pool with the slot freed and signalled under the
// lock: its correct twin.
type SignalUnlocked struct {
	limit   int64
	fixed   bool // free and signal under the lock: the correct twin
	mu      sync.Mutex
	freed   *sync.Cond // L is &mu: a slot freed or the pool closed
	running atomic.Int64
	closed  bool
	tasks   inflight
}

// NewSignalUnlocked returns the broken pool.
func NewSignalUnlocked(limit int) *SignalUnlocked { return newSignalUnlocked(limit, false) }

// NewSignalLocked returns its correct twin.
func NewSignalLocked(limit int) *SignalUnlocked { return newSignalUnlocked(limit, true) }

func newSignalUnlocked(limit int, fixed bool) *SignalUnlocked {
	mustLimit(limit)
	p := &SignalUnlocked{limit: int64(limit), fixed: fixed}
	p.freed = sync.NewCond(&p.mu)
	return p
}

// Submit starts task once fewer than limit run, or returns ctx.Err() or ErrClosed. A ctx
// that ends while Submit waits is noticed at once.
func (p *SignalUnlocked) Submit(ctx context.Context, task func()) error {
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
		if p.running.Load() < p.limit {
			p.freed.Signal() // the signal may have been meant for us: pass it on
		}
		p.mu.Unlock()
		return ctx.Err()
	}
	p.running.Add(1)
	p.tasks.add()
	p.mu.Unlock()
	go func() {
		defer p.tasks.done()
		defer p.free()
		safely(task)
	}()
	return nil
}

// free gives a task's slot back and wakes one waiting submitter.
func (p *SignalUnlocked) free() {
	if p.fixed {
		p.mu.Lock()
		defer p.mu.Unlock()
	}
	p.running.Add(-1)
	p.freed.Signal() // BUG (unless fixed): without the lock the waiter checks under
}

// Wait blocks until every accepted task has finished.
func (p *SignalUnlocked) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *SignalUnlocked) Close() {
	p.mu.Lock()
	p.closed = true
	p.freed.Broadcast()
	p.mu.Unlock()
	p.tasks.wait()
}
