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
// virtual-time schedules hit it only by chance: the catalog marks it StressOnly (a controlled
// interleaving opens it at will: see package interleave). NewCheckAndAct is the same pool
// with the check and the act one CompareAndSwap: its correct twin. Measured
// here (GOMAXPROCS 2, 16 submitters x 5000 tasks, limit 1 or 2) it overran in about half
// of the runs without -race and more often with it.
type CheckThenAct struct {
	limit     int64
	fixed     bool // check and act with one CompareAndSwap: the correct twin
	running   atomic.Int64
	freed     chan struct{} // capacity 1: a doorbell rung when a slot frees
	mu        sync.Mutex
	closed    bool
	quit      chan struct{}
	tasks     inflight
	closeDone chan struct{}
}

// NewCheckThenAct returns a pool that runs at most limit tasks at once (it says).
func NewCheckThenAct(limit int) *CheckThenAct { return newCheckThenAct(limit, false) }

// NewCheckAndAct returns its correct twin.
func NewCheckAndAct(limit int) *CheckThenAct { return newCheckThenAct(limit, true) }

func newCheckThenAct(limit int, fixed bool) *CheckThenAct {
	mustLimit(limit)
	return &CheckThenAct{limit: int64(limit), fixed: fixed, freed: make(chan struct{}, 1),
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
		n := p.running.Load()
		if n < p.limit && !p.fixed { // BUG: check, then act: not atomic together
			break
		}
		if n < p.limit {
			if p.running.CompareAndSwap(n, n+1) {
				break
			}
			continue // another submitter took it: look again
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
		if p.fixed {
			p.release()
		}
		return pools.ErrClosed
	}
	p.tasks.add()
	p.mu.Unlock()
	if !p.fixed {
		p.running.Add(1) // the act, some way below its check
	}
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
