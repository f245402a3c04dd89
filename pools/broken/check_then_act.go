package broken

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/poolcheck/poolcheck/pools"
)

// CheckThenAct admits tasks with a lock-free fast path that checks an atomic counter and
// acts on it later: `if running.Load() < limit` passes, the task is registered under the
// pool's lock, and only then `running.Add(1)`, instead of one CompareAndSwap loop. Every
// submitter that loads the counter before the first of them adds to it takes a slot.
//
// Breaks: max-concurrency. Exposed by: two or more submitters passing the check at the same
// moment (a burst onto a pool with a free slot, or a woken submitter racing a fresh one), on
// two processors. The window is one short lock wide and nobody blocks durably inside it, so
// virtual-time schedules hit it only by chance: the catalog marks it StressOnly. Measured
// here (GOMAXPROCS 2, 16 submitters x 5000 tasks, limit 1 or 2) it overran in about half
// of the runs without -race and more often with it.
type CheckThenAct struct {
	limit     int64
	running   atomic.Int64
	freed     chan struct{} // capacity 1: a doorbell rung when a slot frees
	mu        sync.Mutex
	closed    bool
	quit      chan struct{}
	tasks     inflight
	closeDone chan struct{}
}

// NewCheckThenAct returns a pool that runs at most limit tasks at once (it says).
func NewCheckThenAct(limit int) *CheckThenAct {
	mustLimit(limit)
	return &CheckThenAct{limit: int64(limit), freed: make(chan struct{}, 1),
		quit: make(chan struct{}), closeDone: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *CheckThenAct) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for {
		if p.running.Load() < p.limit { // BUG: check, then act: not atomic together
			break
		}
		select {
		case <-p.freed:
		case <-ctx.Done():
			return ctx.Err()
		case <-p.quit:
			return pools.ErrClosed
		}
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return pools.ErrClosed
	}
	p.tasks.add()
	p.mu.Unlock()
	p.running.Add(1) // the act, some way below its check
	if p.running.Load() < p.limit {
		p.ring() // more room: pass the doorbell on to the next waiter
	}
	go p.run(task)
	return nil
}

func (p *CheckThenAct) ring() {
	select {
	case p.freed <- struct{}{}:
	default:
	}
}

func (p *CheckThenAct) release() {
	p.running.Add(-1)
	p.ring()
}

func (p *CheckThenAct) run(task func()) {
	defer func() {
		p.release()
		p.tasks.done()
	}()
	safely(task)
}

// Wait blocks until every accepted task has finished.
func (p *CheckThenAct) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *CheckThenAct) Close() {
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
