package broken

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// ResourceTickerLeak is resource.Shared, one holder per resource, with a gauge for a
// metrics endpoint: a sampler goroutine records, every second, how many resources are held.
// Close closes the pool but forgets to stop the sampler, whose goroutine keeps ticking after
// the pool is gone (a pool made per test, or per tenant, piles them up).
//
// Breaks: resource-no-leak, and only it (the pool is resource.Shared's). Exposed by: any
// schedule: after the final Close the sampler goroutine remains.
type ResourceTickerLeak[R comparable] struct {
	*resource.Shared[R]
	held  atomic.Int64  // resources lent and not yet given back
	gauge atomic.Int64  // held, at the last sample
	stop  chan struct{} // stops the sampler; BUG: Close never closes it
}

// sampleResourcesEvery is the sampler's period.
const sampleResourcesEvery = time.Second

// NewResourceTickerLeak returns a pool of at most max resources made by f.
func NewResourceTickerLeak[R comparable](max int, f resource.Factory[R]) *ResourceTickerLeak[R] {
	s, err := resource.NewShared(max, 1, f)
	if err != nil {
		panic(err)
	}
	p := &ResourceTickerLeak[R]{Shared: s, stop: make(chan struct{})}
	go p.sample()
	return p
}

func (p *ResourceTickerLeak[R]) sample() {
	t := time.NewTicker(sampleResourcesEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.gauge.Store(p.held.Load())
		case <-p.stop:
			return
		}
	}
}

// Held returns how many resources were held at the last sample.
func (p *ResourceTickerLeak[R]) Held() int { return int(p.gauge.Load()) }

// Acquire is resource.Shared's, counted.
func (p *ResourceTickerLeak[R]) Acquire(ctx context.Context) (R, error) {
	r, err := p.Shared.Acquire(ctx)
	if err == nil {
		p.held.Add(1)
	}
	return r, err
}

// Release is resource.Shared's, counted.
func (p *ResourceTickerLeak[R]) Release(r R) {
	p.held.Add(-1)
	p.Shared.Release(r)
}

// Discard is resource.Shared's, counted.
func (p *ResourceTickerLeak[R]) Discard(r R) {
	p.held.Add(-1)
	p.Shared.Discard(r)
}

// Close closes the pool. BUG: close(p.stop) is missing: the sampler runs on.
func (p *ResourceTickerLeak[R]) Close() { p.Shared.Close() }
