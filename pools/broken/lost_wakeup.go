package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// LostWakeup hands a freed slot directly to the first blocked submitter (a FIFO of waiter
// channels, like x/sync/semaphore). But a submitter whose ctx ends returns ctx.Err()
// without taking itself off the list, so a slot freed later is handed to a goroutine that
// has left: the wake-up is lost, the slot stays taken by nobody, and the submitters behind
// it wait forever.
//
// Breaks: liveness. Exposed by: every slot busy, a Submit that blocks and is cancelled (or
// times out), another Submit blocked behind it, then the running tasks end: the second
// Submit never returns although nothing runs. (The idle slot also shows as a
// work-conserving violation if the schedule goes on long enough to judge it.)
type LostWakeup struct {
	limit     int
	mu        sync.Mutex
	running   int             // slots taken, including slots handed to a waiter
	waiters   []chan struct{} // blocked submitters, first come first served
	closed    bool
	quit      chan struct{}
	tasks     inflight
	closeDone chan struct{}
}

// NewLostWakeup returns a pool that runs at most limit tasks at once, in FIFO order.
func NewLostWakeup(limit int) *LostWakeup {
	mustLimit(limit)
	return &LostWakeup{limit: limit, quit: make(chan struct{}), closeDone: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *LostWakeup) Submit(ctx context.Context, task func()) error {
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
	if p.running < p.limit && len(p.waiters) == 0 {
		p.running++
		p.start(task)
		p.mu.Unlock()
		return nil
	}
	ready := make(chan struct{})
	p.waiters = append(p.waiters, ready)
	p.mu.Unlock()
	select {
	case <-ready: // the slot was handed over: running already counts it
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.closed {
			p.releaseLocked()
			return pools.ErrClosed
		}
		p.start(task)
		return nil
	case <-ctx.Done():
		return ctx.Err() // BUG: still in p.waiters; a slot handed to it is lost
	case <-p.quit:
		return pools.ErrClosed
	}
}

// start runs task in its own goroutine; p.mu is held.
func (p *LostWakeup) start(task func()) {
	p.tasks.add()
	go func() {
		defer func() {
			p.mu.Lock()
			p.releaseLocked()
			p.mu.Unlock()
			p.tasks.done()
		}()
		safely(task)
	}()
}

// releaseLocked frees a slot: it goes to the first waiter, if any.
func (p *LostWakeup) releaseLocked() {
	if len(p.waiters) > 0 {
		w := p.waiters[0]
		p.waiters = p.waiters[1:]
		close(w)
		return
	}
	p.running--
}

// Wait blocks until every accepted task has finished.
func (p *LostWakeup) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *LostWakeup) Close() {
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
