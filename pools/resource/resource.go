// Package resource defines the resource-pool contract that poolcheck verifies beside
// pools.Pool, and the project's own design, Shared: the seed's browser pool done right.
//
// A resource pool lends resources (a database connection, a browser page, a client) for
// exclusive use: callers Acquire one, use it and Release it; the pool makes them with a
// Factory, at most a maximum at once, reuses idle ones before making new ones, and destroys
// them when they break or when it closes.
package resource

import (
	"context"
	"errors"

	"github.com/poolcheck/poolcheck/pools"
)

// Pool lends resources of type R.
type Pool[R any] interface {
	// Acquire returns a resource for the caller's use until it calls Release: an idle one,
	// or a new one from the factory while fewer than the maximum exist, or else one
	// released by another holder, blocking until then. It returns ctx.Err() if ctx ends
	// first, ErrClosed once Close has begun, or the factory's error. A resource made for an
	// Acquire that gave up is kept idle, never lost.
	Acquire(ctx context.Context) (R, error)
	// Release gives r, which Acquire returned, back to the pool; it never blocks on other
	// holders.
	Release(r R)
	// Close stops lending (Acquire returns ErrClosed), waits until every held resource is
	// released, destroys every resource and returns. Calling it again is a no-op.
	Close()
}

// Discarder is a Pool that can take back a broken resource.
type Discarder[R any] interface {
	// Discard gives r back as broken: the pool destroys it instead of lending it again,
	// and its place may be taken by a new one.
	Discard(r R)
}

// Factory makes and destroys a pool's resources.
type Factory[R any] struct {
	// Create makes a resource; it may block, and should return ctx.Err() when ctx ends.
	Create func(ctx context.Context) (R, error)
	// Destroy releases what a resource holds. It is called once per resource Create made.
	Destroy func(r R)
}

var (
	// ErrClosed is returned by Acquire once Close has begun (pools.ErrClosed).
	ErrClosed = pools.ErrClosed
	// ErrFactory is wrapped by a constructor's error for a Factory without Create or Destroy.
	ErrFactory = errors.New("resource: Factory needs Create and Destroy")
)
