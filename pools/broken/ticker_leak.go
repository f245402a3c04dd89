package broken

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poolcheck/poolcheck/pools"
)

// TickerLeak samples how many of its slots are busy on a time.Ticker, for Peak. Close stops
// accepting tasks and waits for the accepted ones but forgets to stop the sampler, whose
// goroutine keeps ticking after the pool is gone.
//
// Breaks: no-leak. Exposed by: any schedule: after the final Close the sampler goroutine
// remains.
type TickerLeak struct {
	sem       chan struct{}
	mu        sync.Mutex
	closed    bool
	quit      chan struct{}
	tasks     inflight
	peak      atomic.Int64
	stop      chan struct{} // stops the sampler; BUG: Close never closes it
	closeDone chan struct{}
}

const sampleEvery = 10 * time.Millisecond

// NewTickerLeak returns a pool that runs at most limit tasks at once.
func NewTickerLeak(limit int) *TickerLeak {
	mustLimit(limit)
	p := &TickerLeak{sem: make(chan struct{}, limit), quit: make(chan struct{}),
		stop: make(chan struct{}), closeDone: make(chan struct{})}
	go p.sample()
	return p
}

func (p *TickerLeak) sample() {
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if n := int64(len(p.sem)); n > p.peak.Load() {
				p.peak.Store(n)
			}
		case <-p.stop:
			return
		}
	}
}

// Peak returns the most busy slots a sample has seen.
func (p *TickerLeak) Peak() int { return int(p.peak.Load()) }

// Submit starts task once a slot is free, or returns ctx.Err() or ErrClosed.
func (p *TickerLeak) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-p.quit:
		return pools.ErrClosed
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.sem
		return pools.ErrClosed
	}
	p.tasks.add()
	p.mu.Unlock()
	go func() {
		defer func() {
			<-p.sem
			p.tasks.done()
		}()
		safely(task)
	}()
	return nil
}

// Wait blocks until every accepted task has finished.
func (p *TickerLeak) Wait() { p.tasks.wait() }

// Close stops accepting tasks and waits for the accepted ones.
func (p *TickerLeak) Close() {
	p.mu.Lock()
	first := !p.closed
	p.closed = true
	p.mu.Unlock()
	if first {
		close(p.quit)
		p.tasks.wait()
		close(p.closeDone) // BUG: close(p.stop) is missing
	}
	<-p.closeDone
}
