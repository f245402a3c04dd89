package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// CloseReturnsEarly stops accepting tasks in Close but does not wait for the running ones
// ("they finish in the background", as ants' Release does, without the documentation).
// Wait still waits for them.
//
// Breaks: close. Exposed by: Close while a task runs: Close returns before the task ends.
type CloseReturnsEarly struct {
	sem    chan struct{}
	mu     sync.Mutex
	closed bool
	quit   chan struct{}
	tasks  inflight
}

// NewCloseReturnsEarly returns a pool that runs at most limit tasks at once.
func NewCloseReturnsEarly(limit int) *CloseReturnsEarly {
	mustLimit(limit)
	return &CloseReturnsEarly{sem: make(chan struct{}, limit), quit: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *CloseReturnsEarly) Submit(ctx context.Context, task func()) error {
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
		defer func() {
			<-p.sem
			p.tasks.done()
		}()
		safely(task)
	}()
	return nil
}

// Wait blocks until every accepted task has finished.
func (p *CloseReturnsEarly) Wait() { p.tasks.wait() }

// Close stops accepting tasks (and should wait for the accepted ones).
func (p *CloseReturnsEarly) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		close(p.quit)
	}
	// BUG: no p.tasks.wait(): running tasks outlive Close
}
