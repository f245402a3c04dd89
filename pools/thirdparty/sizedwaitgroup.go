package thirdparty

import (
	"context"
	"fmt"

	"github.com/remeh/sizedwaitgroup"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// SizedWaitGroup is github.com/remeh/sizedwaitgroup's idiom as a pool: AddWithContext,
// then run the task in a new goroutine that calls Done.
//
// What sizedwaitgroup promises (v1.0.0, sizedwaitgroup.go): it "has the same role and close
// to the same API as the Golang sync.WaitGroup but adds a limit of the amount of goroutines
// started concurrently"; AddWithContext "can be blocking if the limit of spawned goroutines
// has been reached", stops blocking "when Done is been called, or when the context is
// canceled", and returns the ctx's error then; Wait is a sync.WaitGroup's Wait (so an Add
// must not race with a Wait at zero). The goroutine is the adapter's own `go`: a panicking
// task crashes the process, like any goroutine's; Done is deferred, so a task calling
// runtime.Goexit frees its slot.
//
// What the adapter adds, since a SizedWaitGroup is not a pool: the goroutine per task; and
// with package adapt, Wait (the kit's Tracker, so Submit during Wait is allowed), a closed
// state with pools.ErrClosed and Close (the kit's: refuse, wait for the Submits inside and
// for every task, then the group's Wait, which no Add can race any more), pools.ErrNilTask.
type SizedWaitGroup struct {
	pools.Pool // the kit's
}

// NewSizedWaitGroup returns a SizedWaitGroup of limit (>= 1) slots as a pool.
func NewSizedWaitGroup(limit int) (*SizedWaitGroup, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: sizedwaitgroup limit %d, want >= 1", pools.ErrLimit, limit)
	}
	swg := sizedwaitgroup.New(limit)
	kit, err := adapt.New(adapt.Library{
		// AddWithContext blocks until a slot is free or ctx ends (then it returns ctx.Err()).
		Submit: func(ctx context.Context, task func()) error {
			if err := swg.AddWithContext(ctx); err != nil {
				return err
			}
			go func() {
				defer swg.Done()
				task()
			}()
			return nil
		},
		Stop: swg.Wait,
	})
	if err != nil {
		return nil, err
	}
	return &SizedWaitGroup{Pool: kit}, nil
}
