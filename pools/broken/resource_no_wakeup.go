package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// NoWakeup is a connection pool whose waiting Acquires sleep until something changes.
//
// Bug: Release puts the resource back among the idle but forgets to ring the bell; only a
// failed Create or Close does. A waiter sleeps on while an idle resource is there, until the
// run is over. Breaks resource-liveness: with max 1, holder 2 waits while holder 1 holds,
// and is never woken by holder 1's Release.
type NoWakeup[R comparable] struct {
	f      resource.Factory[R]
	max    int
	mu     sync.Mutex
	open   int
	idle   []R
	held   map[R]bool
	closed bool
	bell   bell
}

// NewNoWakeup returns the pool.
func NewNoWakeup[R comparable](max int, f resource.Factory[R]) *NoWakeup[R] {
	mustFactory(max, f)
	return &NoWakeup[R]{f: f, max: max, held: map[R]bool{}, bell: newBell()}
}

// Acquire takes an idle resource, makes one while fewer than max exist, or waits.
func (p *NoWakeup[R]) Acquire(ctx context.Context) (R, error) {
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
func (p *NoWakeup[R]) Release(r R) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.held[r] {
		return
	}
	delete(p.held, r)
	p.idle = append(p.idle, r)
	if p.closed {
		p.bell.ring() // Close is waiting; the Acquires are not woken
	}
}

// Close waits for every held resource, then destroys them all.
func (p *NoWakeup[R]) Close() {
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
