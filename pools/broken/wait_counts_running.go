package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// WaitCountsRunning is "wg.Add in the wrong goroutine": Submit never blocks (it starts a
// goroutine that waits for a slot), and the count that Wait waits on is bumped by that
// goroutine once it has its slot, not by Submit. Tasks accepted but still waiting for a
// slot are invisible to Wait. (Close counts goroutines correctly, so it is not affected.)
//
// Breaks: wait. Exposed by: every slot busy, a task queued behind them, then Wait: Wait
// returns as soon as the running tasks end (the count drops to zero before the queued task
// takes the slot), before the queued task has run.
type WaitCountsRunning struct {
	sem       chan struct{}
	mu        sync.Mutex
	closed    bool
	spawned   sync.WaitGroup // every goroutine Submit started: what Close waits for
	running   inflight       // tasks holding a slot: what Wait waits for
	closeDone chan struct{}
}

// NewWaitCountsRunning returns a pool that runs at most limit tasks at once and queues the
// rest without bound.
func NewWaitCountsRunning(limit int) *WaitCountsRunning {
	mustLimit(limit)
	return &WaitCountsRunning{sem: make(chan struct{}, limit), closeDone: make(chan struct{})}
}

// Submit accepts task at once; it runs when a slot frees.
func (p *WaitCountsRunning) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return pools.ErrClosed
	}
	p.spawned.Add(1)
	go func() {
		defer p.spawned.Done()
		p.sem <- struct{}{}
		p.running.add() // BUG: counted when it starts, not when Submit accepted it
		defer func() {
			p.running.done()
			<-p.sem
		}()
		safely(task)
	}()
	return nil
}

// Wait blocks until every accepted task has finished (it says: it waits for the running
// ones only).
func (p *WaitCountsRunning) Wait() { p.running.wait() }

// Close stops accepting tasks and waits for every accepted one.
func (p *WaitCountsRunning) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.mu.Unlock()
	if first {
		p.spawned.Wait()
		close(p.closeDone)
	}
	<-p.closeDone
}
