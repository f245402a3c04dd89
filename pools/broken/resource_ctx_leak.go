package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// CtxLeak is a connection pool that makes resources in the background, so that a slow
// Create does not hold up an Acquire whose caller gives up.
//
// Bug: when the caller's ctx ends first, Acquire returns and nobody takes the resource the
// background Create goes on to make: it is never lent, never destroyed, and its place
// under the maximum is gone for good. Breaks acquire-cancel: a holder whose ctx ends after
// 1ms while its Create takes 2ms.
type CtxLeak[R comparable] struct {
	f      resource.Factory[R]
	max    int
	mu     sync.Mutex
	open   int // resources made or being made, not destroyed
	idle   []R
	held   map[R]bool
	closed bool
	bell   bell
}

// NewCtxLeak returns the pool.
func NewCtxLeak[R comparable](max int, f resource.Factory[R]) *CtxLeak[R] {
	mustFactory(max, f)
	return &CtxLeak[R]{f: f, max: max, held: map[R]bool{}, bell: newBell()}
}

type made[R any] struct {
	r   R
	err error
}

// Acquire takes an idle resource, makes one while fewer than max exist, or waits.
func (p *CtxLeak[R]) Acquire(ctx context.Context) (R, error) {
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
			res := make(chan made[R], 1)
			go func() {
				r, err := p.f.Create(context.Background())
				res <- made[R]{r, err}
			}()
			p.mu.Unlock()
			var m made[R]
			select {
			case m = <-res:
			case <-ctx.Done():
				p.mu.Lock()
				return zero, ctx.Err() // the resource being made is dropped
			}
			p.mu.Lock()
			if m.err != nil {
				p.open--
				p.bell.ring()
				return zero, m.err
			}
			p.held[m.r] = true
			return m.r, nil
		}
		if err := p.bell.wait(&p.mu, ctx); err != nil {
			return zero, err
		}
	}
}

// Release puts r back among the idle.
func (p *CtxLeak[R]) Release(r R) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.held[r] {
		return
	}
	delete(p.held, r)
	p.idle = append(p.idle, r)
	p.bell.ring()
}

// Close waits for every held resource, then destroys the idle ones.
func (p *CtxLeak[R]) Close() {
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
