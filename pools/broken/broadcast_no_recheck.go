package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// BroadcastNoRecheck is the seed's bug (NoQueueAioPool) in Go: submitters blocked on a full
// pool wait on a sync.Cond, a finishing task wakes all of them with Broadcast, and each
// proceeds with `if` instead of `for`, without checking the slot count again.
//
// Breaks: max-concurrency. Exposed by: every slot held by a task that blocks (a sleep or a
// gate), two or more submitters blocked, then one task ends: every woken submitter starts
// its task, so 3 slots run 5 tasks.
//
// Submit does not watch ctx while blocked (sync.Cond cannot select): the pool declares
// IgnoresCtx. It checks ctx once, before blocking.
type BroadcastNoRecheck struct {
	limit     int
	mu        sync.Mutex
	slotFree  *sync.Cond // Broadcast when a task ends or the pool closes
	running   int
	closed    bool
	tasks     inflight
	closeDone chan struct{}
}

// NewBroadcastNoRecheck returns a pool that runs at most limit tasks at once (it says).
func NewBroadcastNoRecheck(limit int) *BroadcastNoRecheck {
	mustLimit(limit)
	p := &BroadcastNoRecheck{limit: limit, closeDone: make(chan struct{})}
	p.slotFree = sync.NewCond(&p.mu)
	return p
}

// Submit starts task once a slot is free.
func (p *BroadcastNoRecheck) Submit(ctx context.Context, task func()) error {
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
	if p.running >= p.limit { // BUG: `if`, not `for`: a Broadcast wakes every waiter
		p.slotFree.Wait()
		if p.closed {
			p.mu.Unlock()
			return pools.ErrClosed
		}
	}
	p.running++
	p.tasks.add()
	p.mu.Unlock()
	go p.run(task)
	return nil
}

func (p *BroadcastNoRecheck) run(task func()) {
	defer func() {
		p.mu.Lock()
		p.running--
		p.slotFree.Broadcast()
		p.mu.Unlock()
		p.tasks.done()
	}()
	safely(task)
}

// Wait blocks until every accepted task has finished.
func (p *BroadcastNoRecheck) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *BroadcastNoRecheck) Close() {
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
