package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// CloseTwicePanics closes its quit channel without a guard: a second Close panics with
// "close of closed channel".
//
// Breaks: close. Exposed by: Close called twice (an actor's Close followed by the final
// one, or the final Close called twice).
type CloseTwicePanics struct {
	sem    chan struct{}
	mu     sync.Mutex
	closed bool
	quit   chan struct{}
	tasks  inflight
}

// NewCloseTwicePanics returns a pool that runs at most limit tasks at once.
func NewCloseTwicePanics(limit int) *CloseTwicePanics {
	mustLimit(limit)
	return &CloseTwicePanics{sem: make(chan struct{}, limit), quit: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *CloseTwicePanics) Submit(ctx context.Context, task func()) error {
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
func (p *CloseTwicePanics) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *CloseTwicePanics) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	close(p.quit) // BUG: no "already closed" guard: the second Close panics
	p.tasks.wait()
}
