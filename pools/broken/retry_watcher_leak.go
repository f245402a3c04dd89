package broken

import (
	"context"
	"sync/atomic"

	"github.com/poolcheck/poolcheck/pools/retry"
)

// WatcherLeak is a retrying pool that counts, for a metrics counter, the calls whose caller
// gave up: each Do starts a goroutine that waits for the end of the caller's ctx and, if the
// call had not returned by then, bumps the count.
//
// Bug: the goroutine waits for the ctx alone (no case for the call's return, and no
// context.AfterFunc whose stop Do would call), so every call made with a ctx that never
// ends, context.Background() included, leaves its goroutine behind for good, Close or no
// Close. Breaks: retry-no-leak, and only it (the retries, the slots and Close are correct).
// Exposed by: any call with a ctx that never ends.
type WatcherLeak struct {
	retryBase
	gaveUp atomic.Int64
}

// NewWatcherLeak returns the pool.
func NewWatcherLeak(limit int, p retry.Policy) *WatcherLeak {
	return &WatcherLeak{retryBase: newRetryBase(limit, p)}
}

// GaveUp returns how many calls ended because their caller's ctx did.
func (p *WatcherLeak) GaveUp() int { return int(p.gaveUp.Load()) }

// Do runs attempt with retries.
func (p *WatcherLeak) Do(ctx context.Context, attempt func(context.Context) error) error {
	if !p.enter() {
		return retry.ErrClosed
	}
	defer p.calls.done()
	var returned atomic.Bool
	defer returned.Store(true)
	go func() {
		<-ctx.Done() // BUG: waits for the ctx only; a ctx that never ends keeps it here
		if !returned.Load() {
			p.gaveUp.Add(1)
		}
	}()
	for n := 1; ; n++ {
		if err := p.acquire(ctx); err != nil {
			return err
		}
		actx, cancel := p.attemptCtx(ctx)
		err := attempt(actx)
		cancel()
		<-p.sem
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case n > p.policy.Retries:
			return err
		}
		if err := pause(ctx, p.policy.Backoff(n)); err != nil {
			return err
		}
	}
}
