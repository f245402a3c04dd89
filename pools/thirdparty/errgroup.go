package thirdparty

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// ErrGroup adapts golang.org/x/sync/errgroup's Group with SetLimit.
//
// What errgroup promises (v0.24.0, errgroup.go): Go "blocks until the new goroutine can be
// added without the number of goroutines in the group exceeding the configured limit";
// TryGo starts it "only if the number of active goroutines in the group is currently below
// the configured limit"; Wait "blocks until all function calls from the Go method have
// returned". Neither takes a ctx. "The first call to Go must happen before a Wait": Group
// is a sync.WaitGroup underneath, so Go must not race with Wait (declare
// Traits.NoSubmitDuringWait). Panics are not recovered: they crash the process, on purpose
// (the comment in Go). The Group is not reused for a new batch ("should not be reused for
// different tasks" is about the first error, which these tasks never return); one Group
// serves the adapter's whole life, as a WaitGroup may be reused after Wait.
//
// What the adapter adds with package adapt:
//   - A closed state and pools.ErrClosed: errgroup has none. The kit's Close refuses new
//     Submits, waits for the Submits already inside (so no Go races with its Wait), then
//     calls the group's Wait (Library.Wait, so the kit tracks no tasks).
//   - pools.ErrNilTask for a nil task.
//
// With try set, Submit uses TryGo and returns pools.ErrFull when the group is at its limit.
type ErrGroup struct {
	pools.Pool // the kit's
}

var (
	_ pools.Pool         = (*ErrGroup)(nil)
	_ pools.TrySubmitter = (*ErrGroup)(nil)
)

// NewErrGroup returns a group limited to limit (>= 1) goroutines whose Submit blocks (Go),
// or, with try, rejects with pools.ErrFull (TryGo).
func NewErrGroup(limit int, try bool) (*ErrGroup, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: errgroup limit %d, want >= 1", pools.ErrLimit, limit)
	}
	g := new(errgroup.Group)
	g.SetLimit(limit)
	tryGo := func(task func()) bool { return g.TryGo(func() error { task(); return nil }) }
	submit := func(_ context.Context, task func()) error { // Go blocks at the limit, ignoring ctx
		g.Go(func() error { task(); return nil })
		return nil
	}
	if try {
		submit = func(_ context.Context, task func()) error {
			if !tryGo(task) {
				return pools.ErrFull
			}
			return nil
		}
	}
	kit, err := adapt.New(adapt.Library{
		Submit:    submit,
		TrySubmit: tryGo,
		Wait:      func() { _ = g.Wait() }, // must not run concurrently with Submit
	})
	if err != nil {
		return nil, err
	}
	return &ErrGroup{Pool: kit}, nil
}

// TrySubmit runs task with TryGo, which never blocks.
func (e *ErrGroup) TrySubmit(task func()) bool { return e.Pool.(pools.TrySubmitter).TrySubmit(task) }
