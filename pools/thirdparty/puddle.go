package thirdparty

import (
	"context"
	"errors"
	"sync"

	"github.com/jackc/puddle/v2"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// Puddle is jackc/puddle/v2's generic resource pool (the one behind pgxpool) as a
// resource.Pool: Pool.Acquire, Resource.Release, Resource.Destroy (Discard) and Pool.Close,
// with f as its Constructor and Destructor. Acquire after Close returns resource.ErrClosed
// where puddle returns puddle.ErrClosedPool; nothing else is added.
//
// puddle documents that Close "blocks until all resources are returned to pool and
// destroyed", and that cancelling an Acquire's ctx "will not cancel the resource
// creation" (the constructor's ctx ends when the pool closes): the harness checks both.
type Puddle[R comparable] struct {
	p   *puddle.Pool[R]
	mu  sync.Mutex
	res map[R]*puddle.Resource[R]
}

// NewPuddle returns a puddle pool of at most max resources made by f.
func NewPuddle[R comparable](max int, f resource.Factory[R]) (*Puddle[R], error) {
	p, err := puddle.NewPool(&puddle.Config[R]{Constructor: f.Create, Destructor: f.Destroy, MaxSize: int32(max)})
	if err != nil {
		return nil, err
	}
	return &Puddle[R]{p: p, res: map[R]*puddle.Resource[R]{}}, nil
}

// Acquire calls Pool.Acquire.
func (p *Puddle[R]) Acquire(ctx context.Context) (R, error) {
	var zero R
	res, err := p.p.Acquire(ctx)
	if err != nil {
		if errors.Is(err, puddle.ErrClosedPool) {
			err = resource.ErrClosed
		}
		return zero, err
	}
	r := res.Value()
	p.mu.Lock()
	p.res[r] = res
	p.mu.Unlock()
	return r, nil
}

func (p *Puddle[R]) take(r R) *puddle.Resource[R] {
	p.mu.Lock()
	defer p.mu.Unlock()
	res := p.res[r]
	delete(p.res, r)
	return res
}

// Release calls Resource.Release.
func (p *Puddle[R]) Release(r R) {
	if res := p.take(r); res != nil {
		res.Release()
	}
}

// Discard calls Resource.Destroy.
func (p *Puddle[R]) Discard(r R) {
	if res := p.take(r); res != nil {
		res.Destroy()
	}
}

// Close calls Pool.Close.
func (p *Puddle[R]) Close() { p.p.Close() }
