package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// CloseSignalsOne waits for a slot on a sync.Cond, correctly (a `for` loop, one Signal per
// freed slot), but Close wakes the blocked submitters with Signal instead of Broadcast: one
// of them wakes, sees the pool closed and returns ErrClosed without passing the wake-up on.
// Each task that ends during Close wakes one more; any submitter beyond those sleeps
// forever.
//
// Breaks: liveness. Exposed by: more blocked submitters than running tasks + 1 when another
// actor calls Close: Close returns, some Submit never does. (Cuts after Close began are not
// judged for work-conserving, so unlike the other liveness pools it breaks nothing else.)
//
// Submit does not watch ctx while blocked (sync.Cond cannot select): the pool declares
// IgnoresCtx. It checks ctx once, before blocking.
type CloseSignalsOne struct {
	limit     int
	mu        sync.Mutex
	slotFree  *sync.Cond
	running   int
	closed    bool
	tasks     inflight
	closeDone chan struct{}
}

// NewCloseSignalsOne returns a pool that runs at most limit tasks at once.
func NewCloseSignalsOne(limit int) *CloseSignalsOne {
	mustLimit(limit)
	p := &CloseSignalsOne{limit: limit, closeDone: make(chan struct{})}
	p.slotFree = sync.NewCond(&p.mu)
	return p
}

// Submit starts task once a slot is free, or returns ErrClosed.
func (p *CloseSignalsOne) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	for !p.closed && p.running >= p.limit {
		p.slotFree.Wait()
	}
	if p.closed {
		p.mu.Unlock()
		return pools.ErrClosed // consumes a Signal meant for "something changed"
	}
	p.running++
	p.tasks.add()
	p.mu.Unlock()
	go func() {
		defer func() {
			p.mu.Lock()
			p.running--
			p.slotFree.Signal() // one slot, one waiter: right
			p.mu.Unlock()
			p.tasks.done()
		}()
		safely(task)
	}()
	return nil
}

// Wait blocks until every accepted task has finished.
func (p *CloseSignalsOne) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *CloseSignalsOne) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.slotFree.Signal() // BUG: every blocked submitter must learn of Close: Broadcast
	p.mu.Unlock()
	if first {
		p.tasks.wait()
		close(p.closeDone)
	}
	<-p.closeDone
}
