package harness_test

import (
	"context"
	"sync"
	"testing"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
)

// semPool is a minimal correct pool: a channel semaphore with a counter for Wait.
type semPool struct {
	sem    chan struct{}
	mu     sync.Mutex
	n      int
	idle   *sync.Cond
	closed bool
}

func newSem(limit int) pools.Pool {
	p := &semPool{sem: make(chan struct{}, limit)}
	p.idle = sync.NewCond(&p.mu)
	return p
}

func (p *semPool) Submit(ctx context.Context, task func()) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return pools.ErrClosed
	}
	p.n++
	p.mu.Unlock()
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		p.done()
		return ctx.Err()
	}
	go func() {
		defer p.done()
		defer func() { <-p.sem }()
		defer func() { recover() }()
		task()
	}()
	return nil
}

func (p *semPool) done() {
	p.mu.Lock()
	p.n--
	if p.n == 0 {
		p.idle.Broadcast()
	}
	p.mu.Unlock()
}

func (p *semPool) Wait() {
	p.mu.Lock()
	for p.n > 0 {
		p.idle.Wait()
	}
	p.mu.Unlock()
}

func (p *semPool) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.Wait()
}

// herd is the seed's bug: waiters woken all at once with no recheck.
type herd struct {
	mu      sync.Mutex
	cond    *sync.Cond
	running int
	limit   int
	wg      sync.WaitGroup
	closed  bool
}

func newHerd(limit int) pools.Pool {
	p := &herd{limit: limit}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *herd) Submit(ctx context.Context, task func()) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return pools.ErrClosed
	}
	if p.running >= p.limit {
		p.cond.Wait() // BUG: if, not for
	}
	p.running++
	p.wg.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.wg.Done()
		defer func() {
			p.mu.Lock()
			p.running--
			p.cond.Broadcast()
			p.mu.Unlock()
		}()
		defer func() { recover() }()
		task()
	}()
	return nil
}
func (p *herd) Wait() { p.wg.Wait() }
func (p *herd) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.wg.Wait()
}

func TestScratchSem(t *testing.T) {
	harness.Check(t, harness.Subject{Name: "sem", New: newSem})
}

func TestScratchHerd(t *testing.T) {
	harness.Check(t, harness.Subject{Name: "herd", New: newHerd, Traits: harness.Traits{IgnoresCtx: true, Goexit: harness.GoexitUnsupported}})
}
