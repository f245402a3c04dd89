package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// CloseHangs is a connection pool whose Close waits for held resources.
//
// Bug: Close waits on a channel of its own that Release was never taught to signal (it
// rings only the waiting Acquires' bell), so a Close that finds a resource held waits for
// ever. Breaks resource-liveness: a holder keeps its resource for 1ms while Close begins.
type CloseHangs[R comparable] struct {
	f        resource.Factory[R]
	max      int
	mu       sync.Mutex
	open     int
	idle     []R
	held     map[R]bool
	closed   bool
	bell     bell
	released chan struct{} // Close waits here for the last release
}

// NewCloseHangs returns the pool.
func NewCloseHangs[R comparable](max int, f resource.Factory[R]) *CloseHangs[R] {
	mustFactory(max, f)
	return &CloseHangs[R]{f: f, max: max, held: map[R]bool{}, bell: newBell(), released: make(chan struct{})}
}

// Acquire takes an idle resource, makes one while fewer than max exist, or waits.
func (p *CloseHangs[R]) Acquire(ctx context.Context) (R, error) {
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

// Release puts r back among the idle and wakes the waiting Acquires.
func (p *CloseHangs[R]) Release(r R) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.held[r] {
		return
	}
	delete(p.held, r)
	p.idle = append(p.idle, r)
	p.bell.ring()
}

// Close waits until nothing is held, then destroys every resource.
func (p *CloseHangs[R]) Close() {
	p.mu.Lock()
	p.closed = true
	p.bell.ring()
	if len(p.held) > 0 {
		p.mu.Unlock()
		<-p.released // nobody signals it
		p.mu.Lock()
	}
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	destroyAll(p.f, idle)
}
