package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// FullOnClose blocks a Submit while every slot is busy, and wakes it when Close begins,
// as it should; but the woken Submit reports that it found no slot (ErrFull) instead of
// that the pool closed: ants v2.8.1's Submit, whose retrieveWorker returns no worker
// after Release wakes it, so that Submit returns ErrPoolOverload (fixed in v2.8.2, ants
// PR #297).
//
// Breaks: submit-errors. Exposed by: every slot busy, a submitter blocked, and another
// actor's Close: the blocked Submit returns ErrFull from a pool that blocks when full.
type FullOnClose struct {
	sem     chan struct{}
	mu      sync.Mutex
	closed  bool
	closing chan struct{} // closed when Close begins
	tasks   inflight
}

// NewFullOnClose returns a pool that runs at most limit tasks at once.
func NewFullOnClose(limit int) *FullOnClose {
	mustLimit(limit)
	return &FullOnClose{sem: make(chan struct{}, limit), closing: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed (or, wrongly,
// ErrFull when Close begins while it waits).
func (p *FullOnClose) Submit(ctx context.Context, task func()) error {
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
	case <-p.closing:
		return pools.ErrFull // BUG: the pool closed; the caller is told it was full
	}
	p.mu.Lock()
	if p.closed { // Close began while this Submit waited: it is not waiting for the task
		p.mu.Unlock()
		<-p.sem
		return pools.ErrClosed
	}
	p.tasks.add() // under mu: Close, once it has set closed, waits for every task added
	p.mu.Unlock()
	go p.run(task)
	return nil
}

func (p *FullOnClose) run(task func()) {
	defer func() { <-p.sem }()
	defer p.tasks.done()
	safely(task)
}

// Wait blocks until every accepted task has finished.
func (p *FullOnClose) Wait() { p.tasks.wait() }

// Close stops accepting tasks, wakes the blocked submitters and waits for the accepted
// tasks. A second Close waits for the first.
func (p *FullOnClose) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.mu.Unlock()
	if first {
		close(p.closing)
	}
	p.tasks.wait()
}
