package broken

import (
	"context"
	"sync"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// RoundRobin is the seed's browser pool: max browsers, each with a semaphore of slots
// pages, and each Acquire assigned the next browser in turn, launched on first use.
//
// Bug: the turn decides, not the load: an Acquire waits on its busy browser while another
// has a free page. Breaks resource-work-conserving: with 2 browsers of 1 page, holder 1
// takes browser 1 and holds it, holder 2 takes browser 2 and lets go at once, holder 3's
// turn is browser 1 again, and it waits there while browser 2 sits idle.
type RoundRobin[R comparable] struct {
	f        resource.Factory[R]
	slots    int
	mu       sync.Mutex
	next     int
	browsers []*browser[R]
	closed   bool
	bell     bell
}

type browser[R any] struct {
	r       R
	made    bool
	pages   chan struct{} // one token per page in use
	launch  chan struct{} // held while the browser is being launched
	holders int
}

// NewRoundRobin returns the seed's browser pool of max browsers with slots pages each.
func NewRoundRobin[R comparable](max, slots int, f resource.Factory[R]) *RoundRobin[R] {
	mustFactory(max, f)
	mustLimit(slots)
	p := &RoundRobin[R]{f: f, slots: slots, bell: newBell()}
	for range max {
		p.browsers = append(p.browsers, &browser[R]{pages: make(chan struct{}, slots), launch: make(chan struct{}, 1)})
	}
	return p
}

// Acquire takes a page of the next browser in turn, waiting for it.
func (p *RoundRobin[R]) Acquire(ctx context.Context) (R, error) {
	var zero R
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return zero, resource.ErrClosed
	}
	b := p.browsers[p.next%len(p.browsers)]
	p.next++
	p.mu.Unlock()
	select {
	case b.pages <- struct{}{}:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	b.launch <- struct{}{} // one launch per browser; never held long by anyone else
	defer func() { <-b.launch }()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		<-b.pages
		p.bell.ring()
		return zero, resource.ErrClosed
	}
	if !b.made {
		p.mu.Unlock()
		r, err := p.f.Create(ctx)
		p.mu.Lock()
		if err != nil {
			<-b.pages
			p.bell.ring()
			return zero, err
		}
		b.r, b.made = r, true
	}
	b.holders++
	return b.r, nil
}

// Release gives a page back to its browser.
func (p *RoundRobin[R]) Release(r R) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, b := range p.browsers {
		if b.made && b.r == r && b.holders > 0 {
			b.holders--
			<-b.pages
			p.bell.ring()
			return
		}
	}
}

// Close waits for every page to be given back, then closes every browser.
func (p *RoundRobin[R]) Close() {
	p.mu.Lock()
	p.closed = true
	for {
		busy := false
		for _, b := range p.browsers {
			busy = busy || len(b.pages) > 0
		}
		if !busy {
			break
		}
		_ = p.bell.wait(&p.mu, context.Background())
	}
	var rs []R
	for _, b := range p.browsers {
		if b.made {
			rs = append(rs, b.r)
			b.made = false
		}
	}
	p.mu.Unlock()
	destroyAll(p.f, rs)
}
