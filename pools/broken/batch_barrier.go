package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// BatchBarrier is seed 003's "run the URLs in batches with gather": Submit queues the task
// without blocking, and a dispatcher takes up to limit queued tasks, starts them together
// and waits for the whole batch before it starts the next one. A batch lasts as long as its
// slowest task, and the slots of its fast tasks sit idle meanwhile.
//
// Breaks: work-conserving. Exposed by: limit tasks of different lengths started together
// and one more task queued: when the shortest ends, its slot stays idle until the longest
// ends, while the queued task waits.
type BatchBarrier struct {
	limit     int
	mu        sync.Mutex
	queue     []func()
	closed    bool
	wake      chan struct{} // capacity 1: a doorbell for the dispatcher
	tasks     inflight
	stopped   chan struct{} // closed when the dispatcher exits
	closeDone chan struct{}
}

// NewBatchBarrier returns a pool that runs at most limit tasks at once and queues the rest
// without bound.
func NewBatchBarrier(limit int) *BatchBarrier {
	mustLimit(limit)
	p := &BatchBarrier{limit: limit, wake: make(chan struct{}, 1),
		stopped: make(chan struct{}), closeDone: make(chan struct{})}
	go p.dispatch()
	return p
}

// Submit queues task; it never blocks.
func (p *BatchBarrier) Submit(ctx context.Context, task func()) error {
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
	p.queue = append(p.queue, task)
	p.tasks.add()
	p.mu.Unlock()
	p.ring()
	return nil
}

func (p *BatchBarrier) ring() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *BatchBarrier) dispatch() {
	defer close(p.stopped)
	for {
		p.mu.Lock()
		n := min(len(p.queue), p.limit)
		batch := append([]func(){}, p.queue[:n]...)
		p.queue = p.queue[n:]
		closed := p.closed
		p.mu.Unlock()
		if n == 0 {
			if closed {
				return
			}
			<-p.wake
			continue
		}
		var wg sync.WaitGroup
		for _, task := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer p.tasks.done()
				safely(task)
			}()
		}
		wg.Wait() // BUG: a barrier: no task of the next batch starts before the slowest of this one ends
	}
}

// Wait blocks until every accepted task has finished.
func (p *BatchBarrier) Wait() { p.tasks.wait() }

// Close stops accepting tasks, waits for the accepted ones and stops the dispatcher.
func (p *BatchBarrier) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.mu.Unlock()
	if first {
		p.ring()
		p.tasks.wait()
		<-p.stopped
		close(p.closeDone)
	}
	<-p.closeDone
}
