package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// CloseAgainEarly makes a second Close a no-op in the common way, `if p.closed { return }`:
// a Close that overlaps the first returns at once, while the tasks the first one waits for
// still run. Its caller takes the pool for finished when it is not.
//
// Breaks: close. Exposed by: two Closes that overlap while a task runs (two racers closing
// a busy pool).
type CloseAgainEarly struct {
	sem    chan struct{}
	mu     sync.Mutex
	closed bool
	quit   chan struct{}
	tasks  inflight
}

// NewCloseAgainEarly returns a pool that runs at most limit tasks at once.
func NewCloseAgainEarly(limit int) *CloseAgainEarly {
	mustLimit(limit)
	return &CloseAgainEarly{sem: make(chan struct{}, limit), quit: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *CloseAgainEarly) Submit(ctx context.Context, task func()) error {
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
func (p *CloseAgainEarly) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones, the first time.
func (p *CloseAgainEarly) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return // BUG: returns before the tasks the first Close waits for have finished
	}
	p.closed = true
	p.mu.Unlock()
	close(p.quit)
	p.tasks.wait()
}
