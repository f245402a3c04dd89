package adapt_test

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/poolcheck/poolcheck/pools/adapt"
)

// A "library" with neither Wait nor Close: a go statement bounded by a channel semaphore.
// The kit gives it both.
func Example() {
	sem := make(chan struct{}, 2)
	p, err := adapt.New(adapt.Library{
		Submit: func(_ context.Context, task func()) error {
			sem <- struct{}{} // blocks while 2 tasks run; ignores ctx
			go func() {
				defer func() { <-sem }()
				task()
			}()
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	var ran atomic.Int32
	for range 5 {
		if err := p.Submit(ctx, func() { ran.Add(1) }); err != nil {
			panic(err)
		}
	}
	p.Wait() // every accepted task has finished
	fmt.Println("ran", ran.Load())
	p.Close()
	p.Close() // safe
	fmt.Println(p.Submit(ctx, func() { ran.Add(1) }))
	// Output:
	// ran 5
	// pools: pool is closed
}
