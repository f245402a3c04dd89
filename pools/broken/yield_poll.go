package broken

import (
	"context"
	"runtime"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// YieldPoll is the seed report's "fix" translated faithfully: the Event is replaced by a
// lock and a polling loop that yields the processor between looks (asyncio's sleep(0) is
// runtime.Gosched). It never overruns the limit and, on real cores, eventually admits every
// submitter, but a blocked Submit burns a CPU while it waits, and under testing/synctest it
// never lets virtual time advance, so the task holding the slot never ends.
//
// Breaks: liveness (a busy-wait: the pool polls instead of blocking). Exposed by: every slot
// busy and one more Submit.
type YieldPoll struct {
	limit   int
	mu      sync.Mutex
	running int
	closed  bool
	tasks   inflight
}

// NewYieldPoll returns a pool that runs at most limit tasks at once.
func NewYieldPoll(limit int) *YieldPoll {
	mustLimit(limit)
	return &YieldPoll{limit: limit}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *YieldPoll) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return pools.ErrClosed
		}
		if p.running < p.limit {
			p.running++
			p.tasks.add()
			p.mu.Unlock()
			break
		}
		p.mu.Unlock()
		runtime.Gosched() // BUG: spin until a slot frees, instead of blocking on a signal
	}
	go func() {
		defer func() {
			p.mu.Lock()
			p.running--
			p.mu.Unlock()
			p.tasks.done()
		}()
		safely(task)
	}()
	return nil
}

// Wait blocks until every accepted task has finished.
func (p *YieldPoll) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *YieldPoll) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.tasks.wait()
}
