package retry

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/poolcheck/poolcheck/pools"
)

// Pool runs calls with retries, at most limit attempts at once: the seed's LLM pool (a
// semaphore, a timeout per attempt, retries with exponential backoff) done right.
//
// Each attempt holds one of the limit slots from its start until it returns, a timed-out
// attempt included: the attempt's ctx ends at its timeout, and an attempt that ignores it
// keeps its slot until it does return. An attempt's result is its return value: nil is a
// success, whenever it comes. Between attempts the call holds no slot; the backoff ends
// early when the call's ctx does.
type Pool struct {
	sem    chan struct{}
	policy Policy

	mu     sync.Mutex
	closed bool
	calls  int
	idle   chan struct{} // closed when calls drops to zero; nil when none run
}

// New returns a pool that runs at most limit attempts at once, retrying as p says. It
// returns an error wrapping pools.ErrLimit for a limit below 1 and ErrPolicy for a policy
// with negative fields.
func New(limit int, p Policy) (*Pool, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: %d", pools.ErrLimit, limit)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Pool{sem: make(chan struct{}, limit), policy: p}, nil
}

// Do runs attempt with retries; see Doer. It blocks for the attempts, the backoffs
// between them and, before each attempt, until a slot is free. A nil attempt returns
// pools.ErrNilTask.
func (p *Pool) Do(ctx context.Context, attempt func(ctx context.Context) error) error {
	if attempt == nil {
		return pools.ErrNilTask
	}
	if !p.enter() {
		return ErrClosed
	}
	defer p.leave()
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case p.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := ctx.Err(); err != nil { // the slot and the ctx's end came together
			<-p.sem
			return err
		}
		err := p.try(ctx, attempt)
		<-p.sem
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case n > p.policy.Retries:
			return err
		}
		t := time.NewTimer(p.policy.Backoff(n))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// try runs one attempt with its own timeout.
func (p *Pool) try(ctx context.Context, attempt func(ctx context.Context) error) error {
	if p.policy.Timeout <= 0 {
		return attempt(ctx)
	}
	actx, cancel := context.WithTimeout(ctx, p.policy.Timeout)
	defer cancel()
	return attempt(actx)
}

func (p *Pool) enter() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	if p.calls == 0 {
		p.idle = make(chan struct{})
	}
	p.calls++
	return true
}

func (p *Pool) leave() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls--
	if p.calls == 0 {
		close(p.idle)
		p.idle = nil
	}
}

// Close stops accepting calls and blocks until the calls in progress have returned.
func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	idle := p.idle
	p.mu.Unlock()
	if idle != nil {
		<-idle
	}
}
