package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// PanicLeaksSlot recovers a panicking task and counts it as finished (both deferred), but
// frees the task's slot with a plain statement after the call, which a panic skips: every
// panicking task (or one that calls runtime.Goexit) leaks a slot for good.
//
// Breaks: liveness. Exposed by: limit tasks that panic, then one more Submit: it blocks
// forever although nothing runs. (The idle slot it waits beside also shows as a
// work-conserving violation if the schedule goes on long enough to judge it.)
type PanicLeaksSlot struct {
	sem       chan struct{}
	mu        sync.Mutex
	closed    bool
	quit      chan struct{}
	tasks     inflight
	closeDone chan struct{}
}

// NewPanicLeaksSlot returns a pool that runs at most limit tasks at once.
func NewPanicLeaksSlot(limit int) *PanicLeaksSlot {
	mustLimit(limit)
	return &PanicLeaksSlot{sem: make(chan struct{}, limit), quit: make(chan struct{}),
		closeDone: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *PanicLeaksSlot) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-p.quit:
		return pools.ErrClosed
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.sem
		return pools.ErrClosed
	}
	p.tasks.add()
	p.mu.Unlock()
	go func() {
		defer p.tasks.done()
		defer func() { _ = recover() }()
		task()
		<-p.sem // BUG: not deferred: skipped when task panics or calls runtime.Goexit
	}()
	return nil
}

// Wait blocks until every accepted task has finished.
func (p *PanicLeaksSlot) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *PanicLeaksSlot) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.mu.Unlock()
	if first {
		close(p.quit)
		p.tasks.wait()
		close(p.closeDone)
	}
	<-p.closeDone
}
