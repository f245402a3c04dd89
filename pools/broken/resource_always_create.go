package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// AlwaysCreate is a connection pool that fills up to its maximum before it reuses.
//
// Bug: Acquire asks "may I make one?" before "is one idle?", so it makes a new resource
// (a new connection, a new login) while idle ones wait. Breaks reuse-before-create: with
// max 2, a holder that releases its resource and acquires again gets a second one.
type AlwaysCreate[R comparable] struct {
	f      resource.Factory[R]
	max    int
	mu     sync.Mutex
	open   int // resources made and not destroyed
	idle   []R
	held   map[R]bool
	closed bool
	bell   bell
}

// NewAlwaysCreate returns the pool.
func NewAlwaysCreate[R comparable](max int, f resource.Factory[R]) *AlwaysCreate[R] {
	mustFactory(max, f)
	return &AlwaysCreate[R]{f: f, max: max, held: map[R]bool{}, bell: newBell()}
}

// Acquire takes an idle resource, makes one while fewer than max exist, or waits.
func (p *AlwaysCreate[R]) Acquire(ctx context.Context) (R, error) {
	var zero R
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		switch {
		case p.closed:
			return zero, resource.ErrClosed
		case p.open < p.max: // before looking at the idle ones
			p.open++
			p.mu.Unlock()
			r, err := p.f.Create(ctx)
			p.mu.Lock()
			if err != nil {
				p.open--
				p.bell.ring()
				return zero, err
			}
			p.held[r] = true
			return r, nil
		case len(p.idle) > 0:
			r := p.idle[len(p.idle)-1]
			p.idle = p.idle[:len(p.idle)-1]
			p.held[r] = true
			return r, nil
		}
		if err := p.bell.wait(&p.mu, ctx); err != nil {
			return zero, err
		}
	}
}

// Release puts r back among the idle.
func (p *AlwaysCreate[R]) Release(r R) {
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
func (p *AlwaysCreate[R]) Close() {
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
