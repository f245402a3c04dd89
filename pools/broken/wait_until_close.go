package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// WaitUntilClose is seed 004's "the pool never exits": Wait waits for the workers to exit,
// and the workers exit only when the pool is closed, so a Wait called while the pool is
// open blocks forever once the work is done (unless someone else closes the pool).
//
// Breaks: wait. Exposed by: any Wait (an actor's step or a phase's Then) before Close:
// every task ends, and Wait never returns.
type WaitUntilClose struct {
	work      chan func() // unbuffered: a task waits for a free worker inside Submit
	mu        sync.Mutex
	closed    bool
	quit      chan struct{}
	tasks     inflight // what Submit and Close use; Wait does not
	workers   sync.WaitGroup
	exited    chan struct{} // closed once every worker has exited
	closeDone chan struct{}
}

// NewWaitUntilClose returns a pool of limit workers.
func NewWaitUntilClose(limit int) *WaitUntilClose {
	mustLimit(limit)
	p := &WaitUntilClose{work: make(chan func()), quit: make(chan struct{}),
		exited: make(chan struct{}), closeDone: make(chan struct{})}
	p.workers.Add(limit)
	for range limit {
		go p.worker()
	}
	go func() {
		p.workers.Wait()
		close(p.exited)
	}()
	return p
}

// Submit hands task to a free worker, or returns ctx.Err() or ErrClosed.
func (p *WaitUntilClose) Submit(ctx context.Context, task func()) error {
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

func (p *WaitUntilClose) worker() {
	returned := false
	defer func() {
		if !returned { // a task called runtime.Goexit: replace this worker
			p.workers.Add(1)
			go p.worker()
		}
		p.workers.Done()
	}()
	p.serve()
	returned = true
}

func (p *WaitUntilClose) serve() {
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

// Wait blocks until the work is done (it says).
func (p *WaitUntilClose) Wait() {
	<-p.exited // BUG: the workers exit only on Close; an open pool is never "done"
}

// Close stops accepting tasks, waits for the accepted ones and stops the workers.
func (p *WaitUntilClose) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.mu.Unlock()
	if first {
		close(p.quit)
		p.tasks.wait()
		<-p.exited
		close(p.closeDone)
	}
	<-p.closeDone
}
