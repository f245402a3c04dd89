package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// EventNoRecheck is the seed's asyncio.Event written with a channel: blocked submitters
// wait on a shared "slot freed" channel that a finishing task closes (and replaces) to wake
// them all; each woken submitter takes a slot without checking the count again.
//
// Breaks: max-concurrency. Exposed by: every slot held by a blocking task, two or more
// submitters blocked, one task ends: all of them start, limit-1+waiters tasks run at once.
//
// Unlike BroadcastNoRecheck it honours ctx while blocked.
type EventNoRecheck struct {
	limit     int
	mu        sync.Mutex
	running   int
	slotFreed chan struct{} // closed and replaced each time a task ends
	closed    bool
	quit      chan struct{} // closed by Close: wakes blocked submitters
	tasks     inflight
	closeDone chan struct{}
}

// NewEventNoRecheck returns a pool that runs at most limit tasks at once (it says).
func NewEventNoRecheck(limit int) *EventNoRecheck {
	mustLimit(limit)
	return &EventNoRecheck{limit: limit, slotFreed: make(chan struct{}),
		quit: make(chan struct{}), closeDone: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *EventNoRecheck) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return pools.ErrClosed
	}
	if p.running >= p.limit {
		freed := p.slotFreed
		p.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		case <-p.quit:
			return pools.ErrClosed
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return pools.ErrClosed
		}
		// BUG: the event says "a slot was freed", not "a slot is free for you": every
		// woken submitter lands here and takes one.
	}
	p.running++
	p.tasks.add()
	p.mu.Unlock()
	go p.run(task)
	return nil
}

func (p *EventNoRecheck) run(task func()) {
	defer func() {
		p.mu.Lock()
		p.running--
		close(p.slotFreed) // event.set(): wake everyone
		p.slotFreed = make(chan struct{})
		p.mu.Unlock()
		p.tasks.done()
	}()
	safely(task)
}

// Wait blocks until every accepted task has finished.
func (p *EventNoRecheck) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *EventNoRecheck) Close() {
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
