package pools_test

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/poolcheck/poolcheck/pools"
)

// Mutex's shared behaviour, FIFO admission and Resize are tested in pool_test.go.

func ExampleMutex() {
	p, err := pools.NewMutex(2)
	if err != nil {
		panic(err)
	}
	defer p.Close()
	var sum atomic.Int64
	for i := 1; i <= 10; i++ {
		if err := p.Submit(context.Background(), func() { sum.Add(int64(i)) }); err != nil {
			panic(err)
		}
	}
	p.Wait()
	fmt.Println(sum.Load())
	// Output: 55
}
