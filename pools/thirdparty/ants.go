package thirdparty

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/panjf2000/ants/v2"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// Ants adapts github.com/panjf2000/ants/v2's Pool.
//
// What ants promises (v2.12.1, pool.go and ants.go): Submit blocks while every worker is busy
// ("you will get blocked with the last Pool.Submit() call once the current Pool runs out of
// its capacity"), or with WithNonblocking(true) returns ErrPoolOverload at once; it takes no
// ctx; it returns ErrPoolClosed after Release, and wakes blocked submitters with it; a
// panicking task is recovered by its worker (Options.PanicHandler); Tune changes the capacity;
// ReleaseContext "waits all workers to exit before the context is done".
//
// What the adapter adds with package adapt, because ants has no such thing:
//   - Wait: ants has none. The kit's Tracker counts each task from the moment ants accepts
//     it until it returns, panics or calls runtime.Goexit.
//   - Close that every caller waits on: ReleaseContext on a released pool returns
//     ErrPoolClosed at once, so a second, concurrent Close would not wait. ants has its own
//     closed state, so it is the kit's Library.Close: the first Close calls
//     ReleaseContext(context.Background()) at once, the others wait for it.
//   - pools.ErrNilTask for a nil task (ants would hand nil to a worker, its exit signal).
//
// The adapter silences ants' default panic log with a no-op PanicHandler (the harness submits
// panicking tasks on purpose); options passed to NewAnts come after it and may replace it.
// ctx is not consulted: ants ignores it (declare Traits.IgnoresCtx).
//
// Finding (undocumented): after Tune shrinks the capacity, retrieveWorker still hands out
// the idle workers ants already had, without checking the capacity, so more tasks than the
// new capacity run at once (TestFindingAntsTuneShrink). A task calling runtime.Goexit is
// handled: its worker's deferred bookkeeping frees the slot.
//
// Finding (undocumented): Submit checks IsClosed before retrieveWorker takes the lock, and
// retrieveWorker does not check it again on its first pass, so a Submit racing Release can
// spawn a worker after ReleaseContext returned: it is accepted and its task starts after
// Close returned (TestFindingAntsSubmitRacesRelease); or, with every worker busy, it waits on
// the cond after Release's Broadcast and may never be woken (TestFindingAntsSubmitStrandedByRelease).
// The adapter does not paper over it: its Close cannot wait for Submits blocked inside ants
// before releasing the pool, since only Release wakes them.
type Ants struct {
	pools.Pool // the kit's
	p          *ants.Pool
}

var (
	_ pools.Pool    = (*Ants)(nil)
	_ pools.Resizer = (*Ants)(nil)
)

// NewAnts returns an ants pool of capacity limit (at least 1), with opts applied after the
// adapter's own (a no-op PanicHandler). Pass ants.WithNonblocking(true) for a pool whose
// Submit returns pools.ErrFull instead of blocking.
func NewAnts(limit int, opts ...ants.Option) (*Ants, error) {
	return newAnts(limit, antsRelease, opts)
}

// NewAntsReleasing is NewAnts with the way most programs close ants: Close calls Release,
// which only marks the pool closed and stops its idle workers, then waits until Running()
// is 0 (as ReleaseTimeout does, polling every 10ms). Unlike ReleaseTimeout and
// ReleaseContext, Release does not wait for ants' background goroutines (the purger and,
// from v2.7.0, the clock); since v2.8.1 (PR #287) it stops them.
func NewAntsReleasing(limit int, opts ...ants.Option) (*Ants, error) {
	return newAnts(limit, antsReleaseAndWait, opts)
}

func newAnts(limit int, release func(*ants.Pool) func(), opts []ants.Option) (*Ants, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: ants limit %d, want >= 1", pools.ErrLimit, limit)
	}
	opts = append([]ants.Option{ants.WithPanicHandler(func(any) {})}, opts...)
	p, err := ants.NewPool(limit, opts...)
	if err != nil {
		return nil, err
	}
	kit, err := adapt.New(adapt.Library{
		// Submit blocks while every worker is busy (unless the pool is non-blocking) and
		// does not watch ctx.
		Submit: func(_ context.Context, task func()) error { return antsErr(p.Submit(task)) },
		Close:  release(p),
		Resize: func(n int) error { p.Tune(n); return nil },
	})
	if err != nil {
		return nil, err
	}
	return &Ants{Pool: kit, p: p}, nil
}

// antsRelease returns the release of p that waits for ants' workers to exit:
// ReleaseContext (ants v2.12.0 on, the pinned release), ReleaseTimeout with no deadline that
// could pass (v2.5.0 to v2.11.x; it polls every 10ms), or before v2.5.0, which has neither,
// Release followed by the same wait for Running() to reach 0 that ReleaseTimeout does. The
// methods are looked up at run time so that the adapter compiles against every release
// from v2.3.0 (poolcheck -pool ants@VERSION). Before v2.5.0 Release cannot stop the purge
// goroutine, which exits at its next tick (ExpiryDuration, 1s) after Close returned: no-leak
// fails on those releases whatever the schedule.
func antsRelease(p *ants.Pool) func() {
	switch r := any(p).(type) {
	case interface{ ReleaseContext(context.Context) error }:
		return func() { _ = r.ReleaseContext(context.Background()) }
	case interface{ ReleaseTimeout(time.Duration) error }:
		return func() { _ = r.ReleaseTimeout(math.MaxInt64) }
	}
	return antsReleaseAndWait(p)
}

// antsReleaseAndWait returns a release of p by Release, then waiting for Running() to reach 0.
func antsReleaseAndWait(p *ants.Pool) func() {
	return func() {
		p.Release()
		for p.Running() > 0 {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// antsErr maps ants' errors to the contract's.
func antsErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ants.ErrPoolClosed):
		return pools.ErrClosed
	case errors.Is(err, ants.ErrPoolOverload):
		return pools.ErrFull
	}
	return err
}

// Resize sets the capacity with ants' Tune (n >= 1).
func (a *Ants) Resize(n int) error { return a.Pool.(pools.Resizer).Resize(n) }
