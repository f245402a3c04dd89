package broken

import (
	"context"
	"sync"
	"time"

	"github.com/poolcheck/poolcheck/pools"
)

// PollSleep is the seed's "fix" of its broadcast bug: no event at all, a blocked submitter
// checks for a free slot under the lock, and if there is none sleeps a poll interval and
// looks again. It never overruns the limit, but a freed slot stays idle until the next poll.
// (It sleeps in a select, so ctx and Close still end the wait at once.)
//
// Breaks: work-conserving. Exposed by: every slot busy, a Submit blocked, then a task ends
// between two polls: the slot is idle and the task waits for up to pollEvery.
type PollSleep struct {
	limit     int
	mu        sync.Mutex
	running   int
	closed    bool
	quit      chan struct{}
	tasks     inflight
	closeDone chan struct{}
}

const pollEvery = 10 * time.Millisecond

// NewPollSleep returns a pool that runs at most limit tasks at once.
func NewPollSleep(limit int) *PollSleep {
	mustLimit(limit)
	return &PollSleep{limit: limit, quit: make(chan struct{}), closeDone: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *PollSleep) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for {
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
		t := time.NewTimer(pollEvery) // BUG: nobody tells us when a slot frees: poll
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-p.quit:
			t.Stop()
			return pools.ErrClosed
		}
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
func (p *PollSleep) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *PollSleep) Close() {
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
