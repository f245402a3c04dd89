package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// CloseEarly is a connection pool whose Close destroys the idle resources and returns.
//
// Bug: Close does not wait for the held resources, and Release does not look at whether
// the pool closed: a resource released after Close goes back among the idle, where nothing
// will destroy it (a connection left open at exit). Breaks resource-close: a holder keeps
// its resource for 1ms while Close runs.
type CloseEarly[R comparable] struct {
	f      resource.Factory[R]
	max    int
	mu     sync.Mutex
	open   int
	idle   []R
	held   map[R]bool
	closed bool
	bell   bell
}

// NewCloseEarly returns the pool.
func NewCloseEarly[R comparable](max int, f resource.Factory[R]) *CloseEarly[R] {
	mustFactory(max, f)
	return &CloseEarly[R]{f: f, max: max, held: map[R]bool{}, bell: newBell()}
}

// Acquire takes an idle resource, makes one while fewer than max exist, or waits.
func (p *CloseEarly[R]) Acquire(ctx context.Context) (R, error) {
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
		}
		if err := p.bell.wait(&p.mu, ctx); err != nil {
			return zero, err
		}
	}
}

// Release puts r back among the idle.
func (p *CloseEarly[R]) Release(r R) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.held[r] {
		return
	}
	delete(p.held, r)
	p.idle = append(p.idle, r)
	p.bell.ring()
}

// Close destroys the idle resources.
func (p *CloseEarly[R]) Close() {
	p.mu.Lock()
	p.closed = true
	p.bell.ring()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	destroyAll(p.f, idle)
}
