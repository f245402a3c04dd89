package broken

import (
	"context"

	"github.com/poolcheck/poolcheck/pools"
)

// TryBlocks is a correct channel pool whose TrySubmit was written as "a Submit that cannot
// time out": when every slot is busy it blocks until one frees, instead of reporting false.
//
// Breaks: liveness (a pools.TrySubmitter never blocks). Exposed by: a TrySubmit while the
// slots are held: it returns only when a task ends, later in virtual time.
type TryBlocks struct {
	*pools.Channel
}

// NewTryBlocks returns a pool that runs at most limit tasks at once.
func NewTryBlocks(limit int) TryBlocks {
	p, err := pools.NewChannel(limit)
	if err != nil {
		panic(err)
	}
	return TryBlocks{p}
}

// TrySubmit hands task to the pool and reports whether it accepted it.
func (p TryBlocks) TrySubmit(task func()) bool {
	return p.Submit(context.Background(), task) == nil // BUG: blocks while the pool is full
}
