package broken

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/poolcheck/poolcheck/pools"
)

// SlotLoadStore hands out numbered slots lock-free, and claims one by loading its busy
// flag and then storing true, where a CompareAndSwap belongs: two submitters that load the
// same free flag both take that slot, and one more task runs than there are slots.
//
// Breaks: max-concurrency. Exposed by: two submitters looking for a slot at once. The
// window, between the Load and the Store, holds no blocking operation. NewSlotCAS is the
// same pool claiming with CompareAndSwap: its correct twin.
type SlotLoadStore struct {
	fixed  bool // claim with CompareAndSwap: the correct twin
	slots  []atomic.Bool
	mu     sync.Mutex
	freed  *sync.Cond // L is &mu: a slot freed or the pool closed
	closed bool
	tasks  inflight
}

// NewSlotLoadStore returns the broken pool.
func NewSlotLoadStore(limit int) *SlotLoadStore { return newSlotLoadStore(limit, false) }

// NewSlotCAS returns its correct twin.
func NewSlotCAS(limit int) *SlotLoadStore { return newSlotLoadStore(limit, true) }

func newSlotLoadStore(limit int, fixed bool) *SlotLoadStore {
	mustLimit(limit)
	p := &SlotLoadStore{fixed: fixed, slots: make([]atomic.Bool, limit)}
	p.freed = sync.NewCond(&p.mu)
	return p
}

// claim takes a free slot and returns its index, or -1 when every slot is busy.
func (p *SlotLoadStore) claim() int {
	for i := range p.slots {
		if p.fixed {
			if p.slots[i].CompareAndSwap(false, true) {
				return i
			}
			continue
		}
		if !p.slots[i].Load() { // BUG: load, then store: not one atomic step
			p.slots[i].Store(true)
			return i
		}
	}
	return -1
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed. A fresh
// submitter claims a slot without the lock; one that must wait claims under it.
func (p *SlotLoadStore) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	slot := p.claim()
	if slot < 0 {
		stop := context.AfterFunc(ctx, func() {
			p.mu.Lock()
			p.freed.Broadcast()
			p.mu.Unlock()
		})
		defer stop()
		p.mu.Lock()
		for slot = p.claim(); slot < 0 && !p.closed && ctx.Err() == nil; slot = p.claim() {
			p.freed.Wait()
		}
		p.mu.Unlock()
		if slot < 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		if slot >= 0 {
			p.release(slot)
		}
		return pools.ErrClosed
	}
	p.tasks.add()
	p.mu.Unlock()
	go func() {
		defer p.tasks.done()
		defer p.release(slot)
		safely(task)
	}()
	return nil
}

// release frees slot and wakes the waiting submitters.
func (p *SlotLoadStore) release(slot int) {
	p.slots[slot].Store(false)
	p.mu.Lock()
	p.freed.Broadcast()
	p.mu.Unlock()
}

// Wait blocks until every accepted task has finished.
func (p *SlotLoadStore) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *SlotLoadStore) Close() {
	p.mu.Lock()
	p.closed = true
	p.freed.Broadcast()
	p.mu.Unlock()
	p.tasks.wait()
}
