package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// OverMax is a connection pool that counts a resource once it exists.
//
// Bug: the count goes up after Create returns, not before it is called, so Acquires that
// arrive while a Create runs all see room and all create. Breaks bounded: with max 1 and
// a Create that takes 1ms, two holders at once make two resources.
type OverMax[R comparable] struct {
	f      resource.Factory[R]
	max    int
	mu     sync.Mutex
	open   int // resources made and not destroyed
	idle   []R
	held   map[R]bool
	closed bool
	bell   bell
}

// NewOverMax returns the pool.
func NewOverMax[R comparable](max int, f resource.Factory[R]) *OverMax[R] {
	mustFactory(max, f)
	return &OverMax[R]{f: f, max: max, held: map[R]bool{}, bell: newBell()}
}

// Acquire takes an idle resource, makes one while fewer than max exist, or waits.
func (p *OverMax[R]) Acquire(ctx context.Context) (R, error) {
	var zero R
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		switch {
		case p.closed:
			return zero, resource.ErrClosed
		case len(p.idle) > 0:
			r := p.idle[len(p.idle)-1]
			p.idle = p.idle[:len(p.idle)-1]
			p.held[r] = true
			return r, nil
		case p.open < p.max:
			p.mu.Unlock()
			r, err := p.f.Create(ctx)
			p.mu.Lock()
			if err != nil {
				return zero, err
			}
			p.open++ // counted only now
			p.held[r] = true
			return r, nil
		}
		if err := p.bell.wait(&p.mu, ctx); err != nil {
			return zero, err
		}
	}
}

// Release puts r back among the idle.
func (p *OverMax[R]) Release(r R) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.held[r] {
		return
	}
	delete(p.held, r)
	p.idle = append(p.idle, r)
	p.bell.ring()
}

// Close waits for every held resource, then destroys them all.
func (p *OverMax[R]) Close() {
	p.mu.Lock()
	p.closed = true
	p.bell.ring()
	for len(p.held) > 0 {
		_ = p.bell.wait(&p.mu, context.Background())
	}
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	destroyAll(p.f, idle)
}
