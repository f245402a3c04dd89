package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// IgnoresCtx looks at ctx once, when Submit begins, and then waits for a slot without
// watching it (it watches only for Close): a Submit whose ctx ends while it is blocked keeps
// waiting, takes the slot when one frees and runs its task, long after its caller gave up.
// It does not declare the IgnoresCtx trait: its doc promises ctx.Err().
//
// Breaks: cancel. Exposed by: every slot busy, a Submit blocked with a ctx that is
// cancelled or times out before a slot frees: it returns nil later instead of ctx.Err()
// at once.
type IgnoresCtx struct {
	sem       chan struct{}
	mu        sync.Mutex
	closed    bool
	quit      chan struct{}
	tasks     inflight
	closeDone chan struct{}
}

// NewIgnoresCtx returns a pool that runs at most limit tasks at once.
func NewIgnoresCtx(limit int) *IgnoresCtx {
	mustLimit(limit)
	return &IgnoresCtx{sem: make(chan struct{}, limit), quit: make(chan struct{}),
		closeDone: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() if ctx ends first (it says),
// or ErrClosed.
func (p *IgnoresCtx) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select { // BUG: no case <-ctx.Done()
	case p.sem <- struct{}{}:
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
func (p *IgnoresCtx) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *IgnoresCtx) Close() {
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
