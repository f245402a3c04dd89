package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// RetryOnPanic treats a panicking task as a transient failure and runs it again, up to
// maxAttempts times in all, in the same slot: the "3 retries" of the LLM pool in seed 003
// moved into the pool, which cannot know whether a task is safe to repeat.
//
// Breaks: exactly-once. Exposed by: any task that panics: it starts a second time.
// The slot is held across the retries and every other promise is kept.
type RetryOnPanic struct {
	sem       chan struct{} // a token per running task
	mu        sync.Mutex
	closed    bool
	quit      chan struct{}
	tasks     inflight
	closeDone chan struct{}
}

const maxAttempts = 2

// NewRetryOnPanic returns a pool that runs at most limit tasks at once.
func NewRetryOnPanic(limit int) *RetryOnPanic {
	mustLimit(limit)
	return &RetryOnPanic{sem: make(chan struct{}, limit), quit: make(chan struct{}),
		closeDone: make(chan struct{})}
}

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *RetryOnPanic) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-p.quit:
		return pools.ErrClosed
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.sem
		return pools.ErrClosed
	}
	p.tasks.add()
	p.mu.Unlock()
	go p.run(task)
	return nil
}

func (p *RetryOnPanic) run(task func()) {
	defer func() {
		<-p.sem
		p.tasks.done()
	}()
	for range maxAttempts { // BUG: a task the pool accepted once may run twice
		if attempt(task) {
			return
		}
	}
}

// attempt runs task and reports whether it returned without panicking.
func attempt(task func()) (ok bool) {
	defer func() { _ = recover() }()
	task()
	return true
}

// Wait blocks until every accepted task has finished.
func (p *RetryOnPanic) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *RetryOnPanic) Close() {
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
