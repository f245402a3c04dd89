package pools_test

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/poolcheck/poolcheck/pools"
)

// Channel's shared behaviour, TrySubmit included, is tested in pool_test.go.

func ExampleChannel() {
	p, err := pools.NewChannel(4)
	if err != nil {
		panic(err)
	}
	var n atomic.Int64
	for range 100 {
		if err := p.Submit(context.Background(), func() { n.Add(1) }); err != nil {
			panic(err)
		}
	}
	p.Close() // waits for every accepted task
	fmt.Println(n.Load())
	fmt.Println(p.Submit(context.Background(), func() {}))
	// Output:
	// 100
	// pools: pool is closed
}

func ExampleChannel_TrySubmit() {
	p, _ := pools.NewChannel(1)
	defer p.Close()
	release := make(chan struct{})
	fmt.Println(p.TrySubmit(func() { <-release }))
	fmt.Println(p.TrySubmit(func() {})) // the only slot is taken
	close(release)
	// Output:
	// true
	// false
}
