package pools_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/poolcheck/poolcheck/pools"
)

// Cond's shared behaviour and Resize are tested in pool_test.go; TestCancelAsSlotFrees checks
// that a waiter leaving on ctx passes its wakeup on.

func ExampleCond() {
	p, err := pools.NewCond(1)
	if err != nil {
		panic(err)
	}
	defer p.Close()
	release := make(chan struct{})
	_ = p.Submit(context.Background(), func() { <-release })

	// The pool is full: this Submit waits on the Cond until its ctx ends.
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	err = p.Submit(ctx, func() { fmt.Println("never runs") })
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	close(release)
	// Output: true
}
