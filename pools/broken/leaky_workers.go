package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// LeakyWorkers is a fixed set of workers reading an unbuffered work channel. Close stops
// accepting tasks and waits for the accepted ones, but never closes the work channel (its
// author feared a send on a closed channel from a racing Submit), so every worker stays
// blocked receiving from it forever.
//
// Breaks: no-leak. Exposed by: any schedule: after the final Close, limit worker goroutines
// remain.
type LeakyWorkers struct {
	work      chan func()
	mu        sync.Mutex
	closed    bool
	quit      chan struct{} // closed by Close: wakes blocked submitters (workers ignore it)
	tasks     inflight
	closeDone chan struct{}
}

// NewLeakyWorkers returns a pool of limit workers.
func NewLeakyWorkers(limit int) *LeakyWorkers {
	mustLimit(limit)
	p := &LeakyWorkers{work: make(chan func()), quit: make(chan struct{}),
		closeDone: make(chan struct{})}
	for range limit {
		go p.worker()
	}
	return p
}

// Submit hands task to a free worker, or returns ctx.Err() or ErrClosed.
func (p *LeakyWorkers) Submit(ctx context.Context, task func()) error {
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
	p.tasks.add()
	p.mu.Unlock()
	select {
	case p.work <- task:
		return nil
	case <-ctx.Done():
		p.tasks.done()
		return ctx.Err()
	case <-p.quit:
		p.tasks.done()
		return pools.ErrClosed
	}
}

func (p *LeakyWorkers) worker() {
	returned := false
	defer func() {
		if !returned { // a task called runtime.Goexit: replace this worker
			go p.worker()
		}
	}()
	for task := range p.work { // ends only if p.work is closed: it never is
		func() {
			defer p.tasks.done()
			safely(task)
		}()
	}
	returned = true
}

// Wait blocks until every accepted task has finished.
func (p *LeakyWorkers) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *LeakyWorkers) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.mu.Unlock()
	if first {
		close(p.quit)
		p.tasks.wait()
		// BUG: close(p.work) is missing: the workers block in range p.work forever
		close(p.closeDone)
	}
	<-p.closeDone
}
