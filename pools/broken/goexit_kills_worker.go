package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// GoexitKillsWorker is a fixed set of workers that recovers panics but not
// runtime.Goexit (t.FailNow from a task, for one): Goexit unwinds the worker goroutine
// itself, and nothing replaces it. It declares Goexit as handled.
//
// Breaks: liveness. Exposed by: limit tasks that call runtime.Goexit, then one more
// Submit: no worker is left to take it and it blocks forever. (The idle slot also shows as
// a work-conserving violation if the schedule goes on long enough to judge it.)
type GoexitKillsWorker struct {
	work      chan func() // unbuffered: a task waits for a free worker inside Submit
	mu        sync.Mutex
	closed    bool
	quit      chan struct{}
	tasks     inflight
	workers   sync.WaitGroup
	closeDone chan struct{}
}

// NewGoexitKillsWorker returns a pool of limit workers.
func NewGoexitKillsWorker(limit int) *GoexitKillsWorker {
	mustLimit(limit)
	p := &GoexitKillsWorker{work: make(chan func()), quit: make(chan struct{}),
		closeDone: make(chan struct{})}
	p.workers.Add(limit)
	for range limit {
		go p.worker()
	}
	return p
}

// Submit hands task to a free worker, or returns ctx.Err() or ErrClosed.
func (p *GoexitKillsWorker) Submit(ctx context.Context, task func()) error {
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

func (p *GoexitKillsWorker) worker() {
	defer p.workers.Done() // BUG: the only thing done when a task's Goexit ends the worker
	for {
		select {
		case task := <-p.work:
			func() {
				defer p.tasks.done()
				safely(task)
			}()
		case <-p.quit:
			return
		}
	}
}

// Wait blocks until every accepted task has finished.
func (p *GoexitKillsWorker) Wait() { p.tasks.wait() }

// Close stops accepting tasks, waits for the accepted ones and stops the workers.
func (p *GoexitKillsWorker) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.mu.Unlock()
	if first {
		close(p.quit)
		p.tasks.wait()
		p.workers.Wait()
		close(p.closeDone)
	}
	<-p.closeDone
}
