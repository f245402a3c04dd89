package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// CloseNoRecheck checks for Close once, when Submit begins, and then waits for a slot
// without watching for Close: a submitter that was already blocked when Close began takes
// the slot the last running task frees and starts its task after Close has returned (or
// while Close returns).
//
// Breaks: close. Exposed by: every slot busy, a submitter blocked, and another actor's
// Close: Close waits for the running tasks and returns; the blocked Submit is then
// accepted and its task runs after Close returned.
type CloseNoRecheck struct {
	sem       chan struct{}
	mu        sync.Mutex
	closed    bool
	tasks     inflight
	closeDone chan struct{}
}

// NewCloseNoRecheck returns a pool that runs at most limit tasks at once.
func NewCloseNoRecheck(limit int) *CloseNoRecheck {
	mustLimit(limit)
	return &CloseNoRecheck{sem: make(chan struct{}, limit), closeDone: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *CloseNoRecheck) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return pools.ErrClosed
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	// BUG: Close may have begun, and even returned, while this Submit waited for the slot.
	p.tasks.add()
	go p.run(task)
	return nil
}

func (p *CloseNoRecheck) run(task func()) {
	defer func() { <-p.sem }()
	defer p.tasks.done()
	safely(task)
}

// Wait blocks until every accepted task has finished.
func (p *CloseNoRecheck) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *CloseNoRecheck) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.mu.Unlock()
	if first {
		p.tasks.wait()
		close(p.closeDone)
	}
	<-p.closeDone
}
