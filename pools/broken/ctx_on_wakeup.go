package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// CtxOnWakeup waits for a slot on a sync.Cond and, since a Cond cannot select on
// ctx.Done(), checks ctx.Err() each time it wakes up: a Submit whose ctx ends while it is
// blocked notices only when a task ends and Broadcasts, possibly much later. (The fix is
// context.AfterFunc to Broadcast when ctx ends.) It does return ctx.Err() then, and its task
// never runs.
//
// Breaks: cancel. Exposed by: every slot busy with a long task, a Submit blocked with a ctx
// that ends before any task does: Submit returns ctx.Err() only when the next task ends.
type CtxOnWakeup struct {
	limit     int
	mu        sync.Mutex
	slotFree  *sync.Cond
	running   int
	closed    bool
	tasks     inflight
	closeDone chan struct{}
}

// NewCtxOnWakeup returns a pool that runs at most limit tasks at once.
func NewCtxOnWakeup(limit int) *CtxOnWakeup {
	mustLimit(limit)
	p := &CtxOnWakeup{limit: limit, closeDone: make(chan struct{})}
	p.slotFree = sync.NewCond(&p.mu)
	return p
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *CtxOnWakeup) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	p.mu.Lock()
	for {
		if p.closed {
			p.mu.Unlock()
			return pools.ErrClosed
		}
		if err := ctx.Err(); err != nil { // BUG: looked at only when something else wakes us
			p.mu.Unlock()
			return err
		}
		if p.running < p.limit {
			break
		}
		p.slotFree.Wait()
	}
	p.running++
	p.tasks.add()
	p.mu.Unlock()
	go func() {
		defer func() {
			p.mu.Lock()
			p.running--
			p.slotFree.Broadcast()
			p.mu.Unlock()
			p.tasks.done()
		}()
		safely(task)
	}()
	return nil
}

// Wait blocks until every accepted task has finished.
func (p *CtxOnWakeup) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *CtxOnWakeup) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.slotFree.Broadcast()
	p.mu.Unlock()
	if first {
		p.tasks.wait()
		close(p.closeDone)
	}
	<-p.closeDone
}
