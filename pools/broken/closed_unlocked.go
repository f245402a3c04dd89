package broken

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/poolcheck/poolcheck/pools"
)

// ClosedUnlocked checks its closed flag before it takes the lock that Close sets the flag
// and waits for the running tasks under (ants' Submit racing Release). A Submit that read
// "open" just before Close, and takes the lock only after Close has seen no task running
// and returned, starts its task after Close returned.
//
// Breaks: close. Exposed by: a Submit racing Close on an idle pool. The window, between
// the flag's load and the Lock, holds no blocking operation. NewClosedLocked is the same
// pool with the flag checked under the lock: its correct twin.
type ClosedUnlocked struct {
	fixed   bool // check the flag under the lock: the correct twin
	slots   chan struct{}
	mu      sync.Mutex
	idle    *sync.Cond // L is &mu: signalled when running drops to 0
	running int
	closed  atomic.Bool
}

// NewClosedUnlocked returns the broken pool.
func NewClosedUnlocked(limit int) *ClosedUnlocked { return newClosedUnlocked(limit, false) }

// NewClosedLocked returns its correct twin.
func NewClosedLocked(limit int) *ClosedUnlocked { return newClosedUnlocked(limit, true) }

func newClosedUnlocked(limit int, fixed bool) *ClosedUnlocked {
	mustLimit(limit)
	p := &ClosedUnlocked{fixed: fixed, slots: make(chan struct{}, limit)}
	p.idle = sync.NewCond(&p.mu)
	return p
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *ClosedUnlocked) Submit(ctx context.Context, task func()) error {
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
	if !p.fixed && p.closed.Load() { // BUG: checked before the lock Close holds
		<-p.slots
		return pools.ErrClosed
	}
	p.mu.Lock()
	if p.fixed && p.closed.Load() {
		p.mu.Unlock()
		<-p.slots
		return pools.ErrClosed
	}
	p.running++
	p.mu.Unlock()
	go func() {
		defer func() {
			p.mu.Lock()
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
func (p *ClosedUnlocked) Wait() {
	p.mu.Lock()
	for p.running > 0 {
		p.idle.Wait()
	}
	p.mu.Unlock()
}

// Close stops accepting tasks and waits for the running ones.
func (p *ClosedUnlocked) Close() {
	p.mu.Lock()
	p.closed.Store(true)
	for p.running > 0 {
		p.idle.Wait()
	}
	p.mu.Unlock()
}
