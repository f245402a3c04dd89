package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// RedeliverOnGoexit is a fixed set of workers that survives a task calling runtime.Goexit
// the way a message broker survives a crashed consumer (Celery's acks_late, seed 003): the
// worker acks a task only when it returns, and a worker that dies holding an unacked task is
// replaced by one that is handed the task again. But a Go task that called Goexit did run:
// delivering it again runs it twice.
//
// Breaks: exactly-once. Exposed by: any task that calls runtime.Goexit: it starts a second
// time on the replacement worker (it is given up after maxDeliveries).
type RedeliverOnGoexit struct {
	work      chan *delivery // unbuffered: a task waits for a free worker inside Submit
	mu        sync.Mutex
	closed    bool
	quit      chan struct{}
	tasks     inflight
	workers   sync.WaitGroup
	closeDone chan struct{}
}

type delivery struct {
	task       func()
	deliveries int
}

const maxDeliveries = 2

// NewRedeliverOnGoexit returns a pool of limit workers.
func NewRedeliverOnGoexit(limit int) *RedeliverOnGoexit {
	mustLimit(limit)
	p := &RedeliverOnGoexit{work: make(chan *delivery), quit: make(chan struct{}),
		closeDone: make(chan struct{})}
	p.workers.Add(limit)
	for range limit {
		go p.worker(nil)
	}
	return p
}

// Submit hands task to a free worker, or returns ctx.Err() or ErrClosed.
func (p *RedeliverOnGoexit) Submit(ctx context.Context, task func()) error {
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
	case p.work <- &delivery{task: task}:
		return nil
	case <-ctx.Done():
		p.tasks.done()
		return ctx.Err()
	case <-p.quit:
		p.tasks.done()
		return pools.ErrClosed
	}
}

func (p *RedeliverOnGoexit) worker(redeliver *delivery) {
	var unacked *delivery
	defer func() {
		if unacked != nil {
			// The task took this worker down with runtime.Goexit before it was acked.
			// BUG: a Go task is not a message: it ran, and must not be delivered again.
			again := unacked
			if again.deliveries >= maxDeliveries {
				p.tasks.done() // give up on it
				again = nil
			}
			p.workers.Add(1)
			go p.worker(again)
		}
		p.workers.Done()
	}()
	if redeliver != nil {
		unacked = redeliver
		p.deliver(redeliver)
		unacked = nil
	}
	for {
		select {
		case d := <-p.work:
			unacked = d
			p.deliver(d)
			unacked = nil
		case <-p.quit:
			return
		}
	}
}

// deliver runs d's task and acks it; a panic counts as handled.
func (p *RedeliverOnGoexit) deliver(d *delivery) {
	d.deliveries++
	safely(d.task)
	p.tasks.done()
}

// Wait blocks until every accepted task has finished.
func (p *RedeliverOnGoexit) Wait() { p.tasks.wait() }

// Close stops accepting tasks, waits for the accepted ones and stops the workers.
func (p *RedeliverOnGoexit) Close() {
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
