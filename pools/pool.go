// Package pools defines the Pool contract that poolcheck verifies, the project's own pool
// designs (Mutex, Channel, Cond, Workers), and result helpers that work on any Pool.
//
// Use Channel if you want the idiomatic bounded pool, a goroutine per task; Mutex if you want
// strict FIFO hand-off to blocked submitters; Workers if you want a fixed set of goroutines
// with a bounded queue and a rejection policy, and no allocation per task (docs/BENCH.md
// compares their speed).
package pools

import (
	"context"
	"errors"
)

// Pool runs submitted tasks, at most a fixed number (its limit) at once.
type Pool interface {
	// Submit hands task to the pool. It returns nil once the pool has accepted the task:
	// an accepted task runs exactly once. Submit may block until the pool can accept;
	// it returns ctx.Err() if ctx ends first, ErrClosed after Close, or ErrFull at once
	// from a pool that rejects instead of blocking. A task that was not accepted never runs.
	Submit(ctx context.Context, task func()) error
	// Wait blocks until every task accepted before the call has finished.
	Wait()
	// Close stops accepting tasks, waits for every accepted task to finish and for the
	// pool's own goroutines to exit. Calling it again is a no-op.
	Close()
}

var (
	// ErrClosed is returned by Submit after Close has begun.
	ErrClosed = errors.New("pools: pool is closed")
	// ErrFull is returned at once by a rejecting pool that has no room for the task.
	ErrFull = errors.New("pools: pool is full")
	// ErrNilTask is returned by Submit when task is nil; the pool is unchanged.
	ErrNilTask = errors.New("pools: nil task")
	// ErrLimit is wrapped by the constructors' error when a limit or queue size is out of range.
	ErrLimit = errors.New("pools: invalid limit")
)

// Resizer is a Pool whose limit can change while it runs, as ants' Tune or pond's Resize.
type Resizer interface {
	// Resize sets the limit to n (n >= 1). After it returns, new task starts respect the new
	// limit; tasks already running finish undisturbed; growing admits blocked submitters.
	Resize(n int) error
}

// TrySubmitter is a Pool that can try to submit without blocking.
type TrySubmitter interface {
	// TrySubmit hands task to the pool if it can accept it at once and reports whether it
	// did. It never blocks. A task it reports false for never runs.
	TrySubmit(task func()) bool
}
