package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// QueueDrained declares a queue of queue places, a buffered channel, but a dispatcher
// goroutine drains that channel into a slice of its own as fast as tasks arrive, so the
// channel never fills and Submit never waits: the queue is unbounded, whatever it says.
//
// Breaks: queue-bound. Exposed by: more submitters than the limit plus the queue while every
// slot is busy: all of them are accepted at once.
type QueueDrained struct {
	in      chan func()
	sending sync.RWMutex // Submit sends under RLock; Close closes in under Lock
	closed  bool         // guarded by sending

	mu      sync.Mutex
	cond    *sync.Cond
	backlog []func() // BUG: unbounded; the declared bound is only in's capacity
	drained bool     // dispatch saw in closed: the workers exit once the backlog is empty

	tasks   inflight
	workers sync.WaitGroup
}

// NewQueueDrained returns a pool of limit workers with a queue of queue tasks (it says).
func NewQueueDrained(limit, queue int) *QueueDrained {
	mustLimit(limit)
	p := &QueueDrained{in: make(chan func(), queue)}
	p.cond = sync.NewCond(&p.mu)
	p.workers.Add(limit + 1)
	go p.dispatch()
	for range limit {
		go p.work()
	}
	return p
}

// Submit queues task; it blocks while the queue is full (it says).
func (p *QueueDrained) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.sending.RLock()
	defer p.sending.RUnlock()
	if p.closed {
		return pools.ErrClosed
	}
	p.tasks.add()
	p.in <- task // never blocks for long: dispatch keeps in empty
	return nil
}

// dispatch moves tasks from in to the backlog the workers take from.
func (p *QueueDrained) dispatch() {
	defer p.workers.Done()
	for task := range p.in {
		p.mu.Lock()
		p.backlog = append(p.backlog, task)
		p.cond.Signal()
		p.mu.Unlock()
	}
	p.mu.Lock()
	p.drained = true
	p.cond.Broadcast()
	p.mu.Unlock()
}

// work runs tasks from the backlog until it is drained for good. A task that calls
// runtime.Goexit ends its worker: a new one takes its place.
func (p *QueueDrained) work() {
	var task func()
	defer func() {
		if task != nil { // runtime.Goexit
			p.tasks.done()
			go p.work()
			return
		}
		p.workers.Done()
	}()
	p.mu.Lock()
	for {
		for len(p.backlog) == 0 && !p.drained {
			p.cond.Wait()
		}
		if len(p.backlog) == 0 {
			p.mu.Unlock()
			return
		}
		task = p.backlog[0]
		p.backlog = p.backlog[1:]
		p.mu.Unlock()
		safely(task)
		task = nil
		p.tasks.done()
		p.mu.Lock()
	}
}

// Wait blocks until every accepted task has finished.
func (p *QueueDrained) Wait() { p.tasks.wait() }

// Close stops accepting tasks, runs the queued ones and waits for the workers to exit.
func (p *QueueDrained) Close() {
	p.sending.Lock()
	if !p.closed {
		p.closed = true
		close(p.in)
	}
	p.sending.Unlock()
	p.workers.Wait()
}
