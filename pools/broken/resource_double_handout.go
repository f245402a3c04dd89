package broken

import (
	"context"
	"slices"
	"sync"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// DoubleHandout is a connection pool that hands a released resource straight to the
// longest waiting Acquire.
//
// Bug: Release hands the resource to a waiter and then also puts it among the idle (the
// "else" is missing), so the next Acquire takes it too. Breaks exclusive: with max 1,
// holder 2 waits, holder 1 releases, holder 3 arrives: holders 2 and 3 hold resource 1.
type DoubleHandout[R comparable] struct {
	f       resource.Factory[R]
	max     int
	mu      sync.Mutex
	open    int
	idle    []R
	held    int
	waiters []chan R
	closed  bool
	bell    bell // Close waits on it
}

// NewDoubleHandout returns the pool.
func NewDoubleHandout[R comparable](max int, f resource.Factory[R]) *DoubleHandout[R] {
	mustFactory(max, f)
	return &DoubleHandout[R]{f: f, max: max, bell: newBell()}
}

// Acquire takes an idle resource, makes one while fewer than max exist, or queues for
// the next one released.
func (p *DoubleHandout[R]) Acquire(ctx context.Context) (R, error) {
	var zero R
	p.mu.Lock()
	switch {
	case p.closed:
		p.mu.Unlock()
		return zero, resource.ErrClosed
	case len(p.idle) > 0:
		r := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		p.held++
		p.mu.Unlock()
		return r, nil
	case p.open < p.max:
		p.open++
		p.mu.Unlock()
		r, err := p.f.Create(ctx)
		p.mu.Lock()
		defer p.mu.Unlock()
		if err != nil {
			p.open--
			return zero, err
		}
		p.held++
		return r, nil
	}
	w := make(chan R, 1)
	p.waiters = append(p.waiters, w)
	p.mu.Unlock()
	select {
	case r := <-w:
		return r, nil
	case <-ctx.Done():
		p.mu.Lock()
		defer p.mu.Unlock()
		if i := slices.Index(p.waiters, w); i >= 0 {
			p.waiters = slices.Delete(p.waiters, i, i+1)
			return zero, ctx.Err()
		}
		return <-w, nil // handed one meanwhile
	}
}

// Release hands r to the first waiter, or puts it among the idle.
func (p *DoubleHandout[R]) Release(r R) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.waiters) > 0 {
		w := p.waiters[0]
		p.waiters = p.waiters[1:]
		w <- r
	}
	p.held--
	p.idle = append(p.idle, r)
	p.bell.ring()
}

// Close waits for every held resource, then destroys them all.
func (p *DoubleHandout[R]) Close() {
	p.mu.Lock()
	p.closed = true
	for p.held > 0 {
		_ = p.bell.wait(&p.mu, context.Background())
	}
	idle := slices.Compact(p.idle)
	p.idle = nil
	p.mu.Unlock()
	destroyAll(p.f, idle)
}
