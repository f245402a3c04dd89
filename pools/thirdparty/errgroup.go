package thirdparty

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/poolcheck/poolcheck/pools"
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
// What the adapter adds:
//   - A closed state and pools.ErrClosed: errgroup has none. Close shuts a gate, waits for
//     the Submits already inside (so no Go races with its Wait), then calls Wait.
//   - pools.ErrNilTask for a nil task.
//
// With try set, Submit uses TryGo and returns pools.ErrFull when the group is at its limit.
type ErrGroup struct {
	g    errgroup.Group
	try  bool
	gate gate
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
	e := &ErrGroup{try: try}
	e.g.SetLimit(limit)
	return e, nil
}

// Submit runs task in the group: with Go, blocking at the limit without watching ctx, or with
// TryGo, returning pools.ErrFull at the limit.
func (e *ErrGroup) Submit(_ context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if !e.gate.enter() {
		return pools.ErrClosed
	}
	defer e.gate.leave()
	f := func() error { task(); return nil }
	if e.try {
		if !e.g.TryGo(f) {
			return pools.ErrFull
		}
		return nil
	}
	e.g.Go(f)
	return nil
}

// TrySubmit runs task with TryGo, which never blocks.
func (e *ErrGroup) TrySubmit(task func()) bool {
	if task == nil || !e.gate.enter() {
		return false
	}
	defer e.gate.leave()
	return e.g.TryGo(func() error { task(); return nil })
}

// Wait is the group's Wait. It must not run concurrently with Submit.
func (e *ErrGroup) Wait() { _ = e.g.Wait() }

// Close refuses new tasks, waits for the Submits inside, then for every task (the group's
// Wait). Every call waits for the first.
func (e *ErrGroup) Close() { e.gate.close(e.Wait) }
