package resource

import (
	"context"
	"fmt"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// Shared lends up to max resources, each to up to slots holders at once: the seed's browser
// pool done right (max browsers, each with slots pages). An Acquire takes the least loaded
// resource that has a free slot, whichever it is; it makes a new resource only when none
// has one and fewer than max exist (or are being made or destroyed); otherwise it waits
// until any slot frees. With slots 1 it is an ordinary connection pool.
//
// A resource made for an Acquire whose ctx ended meanwhile is kept idle, never lost. A
// discarded resource takes no new holders and is destroyed once its last holder lets go.
// Release and Discard never block; Close blocks until every held resource is released and
// every resource is destroyed.
type Shared[R comparable] struct {
	f          Factory[R]
	max, slots int

	mu         sync.Mutex
	res        map[R]*entry
	order      []R // live resources, oldest first: picks are deterministic
	creating   int // Create calls in progress
	destroying int // Destroy calls in progress
	closed     bool
	closer     bool          // a Close is tearing down
	waiting    int           // callers waiting on changed
	changed    chan struct{} // closed and replaced when a slot frees or room appears, if anyone waits
	done       chan struct{} // closed once Close has destroyed every resource
}

type entry struct {
	holders int
	broken  bool
}

// NewShared returns a pool of at most max resources made by f, each lent to at most slots
// holders at once. It returns an error wrapping pools.ErrLimit for max or slots below 1,
// and ErrFactory for a Factory without Create or Destroy.
func NewShared[R comparable](max, slots int, f Factory[R]) (*Shared[R], error) {
	switch {
	case max < 1 || slots < 1:
		return nil, fmt.Errorf("%w: max %d and slots %d must be at least 1", pools.ErrLimit, max, slots)
	case f.Create == nil || f.Destroy == nil:
		return nil, ErrFactory
	}
	return &Shared[R]{f: f, max: max, slots: slots, res: map[R]*entry{},
		changed: make(chan struct{}), done: make(chan struct{})}, nil
}

// Acquire returns a resource with a free slot, makes one, or waits for a slot to free; see
// Pool. It blocks while every slot is taken and max resources exist, or while the
// factory's Create runs.
func (p *Shared[R]) Acquire(ctx context.Context) (R, error) {
	var zero R
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	p.mu.Lock()
	for {
		if p.closed {
			p.mu.Unlock()
			return zero, ErrClosed
		}
		if r, ok := p.pickLocked(); ok {
			p.res[r].holders++
			p.mu.Unlock()
			return r, nil
		}
		if len(p.res)+p.creating+p.destroying < p.max {
			return p.create(ctx) // unlocks
		}
		ch := p.changed
		p.waiting++
		p.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			p.mu.Lock()
			p.waiting--
			p.mu.Unlock()
			return zero, ctx.Err()
		}
		p.mu.Lock()
		p.waiting--
	}
}

// create makes a resource for the caller, with p.mu held on entry and released on return.
func (p *Shared[R]) create(ctx context.Context) (R, error) {
	var zero R
	p.creating++
	p.mu.Unlock()
	r, err := p.f.Create(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.creating--
	defer p.broadcastLocked() // room, or a new resource's free slots
	if err != nil {
		return zero, err
	}
	e := &entry{holders: 1}
	p.res[r] = e
	p.order = append(p.order, r)
	if p.closed || ctx.Err() != nil {
		e.holders = 0 // kept idle: Close destroys it
		if p.closed {
			return zero, ErrClosed
		}
		return zero, ctx.Err()
	}
	return r, nil
}

// pickLocked returns the least loaded live resource with a free slot.
func (p *Shared[R]) pickLocked() (R, bool) {
	var best R
	found, load := false, p.slots
	for _, r := range p.order {
		if e := p.res[r]; !e.broken && e.holders < load {
			best, found, load = r, true, e.holders
		}
	}
	return best, found
}

// Release gives r back; a resource the pool did not lend (or already got back) is ignored.
func (p *Shared[R]) Release(r R) { p.giveBack(r, false) }

// Discard gives r back as broken: it is destroyed once no holder has it.
func (p *Shared[R]) Discard(r R) { p.giveBack(r, true) }

func (p *Shared[R]) giveBack(r R, broken bool) {
	p.mu.Lock()
	e := p.res[r]
	if e == nil || e.holders == 0 {
		p.mu.Unlock()
		return
	}
	e.holders--
	e.broken = e.broken || broken
	if !e.broken || e.holders > 0 {
		p.broadcastLocked()
		p.mu.Unlock()
		return
	}
	p.removeLocked(r)
	p.destroying++
	p.mu.Unlock()
	p.f.Destroy(r)
	p.mu.Lock()
	p.destroying--
	p.broadcastLocked()
	p.mu.Unlock()
}

func (p *Shared[R]) removeLocked(r R) {
	delete(p.res, r)
	for i, q := range p.order {
		if q == r {
			p.order = append(p.order[:i], p.order[i+1:]...)
			break
		}
	}
}

// Close stops lending, waits until every resource is released and every Create and
// Destroy has returned, then destroys every resource. A second Close waits for the first.
func (p *Shared[R]) Close() {
	p.mu.Lock()
	p.closed = true
	p.broadcastLocked()
	if p.closer {
		p.mu.Unlock()
		<-p.done
		return
	}
	p.closer = true
	for p.busyLocked() {
		ch := p.changed
		p.waiting++
		p.mu.Unlock()
		<-ch
		p.mu.Lock()
		p.waiting--
	}
	rs := p.order
	p.order, p.res = nil, map[R]*entry{}
	p.mu.Unlock()
	for _, r := range rs {
		p.f.Destroy(r)
	}
	close(p.done)
}

func (p *Shared[R]) busyLocked() bool {
	if p.creating > 0 || p.destroying > 0 {
		return true
	}
	for _, e := range p.res {
		if e.holders > 0 {
			return true
		}
	}
	return false
}

// broadcastLocked wakes every waiter, each of which looks again; without waiters it costs
// nothing.
func (p *Shared[R]) broadcastLocked() {
	if p.waiting == 0 {
		return
	}
	close(p.changed)
	p.changed = make(chan struct{})
}
