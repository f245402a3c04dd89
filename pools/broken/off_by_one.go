package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// OffByOne waits for a slot with a correct `for` loop, but its condition is off by one:
// it waits while running > limit instead of running >= limit.
//
// Breaks: max-concurrency. Exposed by: limit+1 submitters whose tasks hold their slot (a
// burst onto a fresh pool): all of them start, limit+1 tasks run at once.
type OffByOne struct {
	limit     int
	mu        sync.Mutex
	running   int
	slotFreed chan struct{} // closed and replaced each time a task ends
	closed    bool
	quit      chan struct{}
	tasks     inflight
	closeDone chan struct{}
}

// NewOffByOne returns a pool that runs at most limit tasks at once (it says).
func NewOffByOne(limit int) *OffByOne {
	mustLimit(limit)
	return &OffByOne{limit: limit, slotFreed: make(chan struct{}),
		quit: make(chan struct{}), closeDone: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *OffByOne) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	for p.running > p.limit { // BUG: should be >=
		if p.closed {
			p.mu.Unlock()
			return pools.ErrClosed
		}
		freed := p.slotFreed
		p.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		case <-p.quit:
			return pools.ErrClosed
		}
		p.mu.Lock()
	}
	if p.closed {
		p.mu.Unlock()
		return pools.ErrClosed
	}
	p.running++
	p.tasks.add()
	p.mu.Unlock()
	go p.run(task)
	return nil
}

func (p *OffByOne) run(task func()) {
	defer func() {
		p.mu.Lock()
		p.running--
		close(p.slotFreed)
		p.slotFreed = make(chan struct{})
		p.mu.Unlock()
		p.tasks.done()
	}()
	safely(task)
}

// Wait blocks until every accepted task has finished.
func (p *OffByOne) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *OffByOne) Close() {
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
