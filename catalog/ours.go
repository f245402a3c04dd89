package catalog

import (
	"fmt"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
)

// ours lists the project's own designs (package pools). All of them recover panics, survive
// runtime.Goexit, honour Submit's ctx and allow Submit during Wait: the strictest traits.
func ours() []Entry {
	return []Entry{
		own("mutex", func(n int) (pools.Pool, error) { return pools.NewMutex(n) },
			harness.Traits{},
			"sync.Mutex with a FIFO queue of blocked submitters and direct slot hand-off; resizable."),
		own("channel", func(n int) (pools.Pool, error) { return pools.NewChannel(n) },
			harness.Traits{},
			"A buffered-channel semaphore around go task(), the idiomatic Go design."),
		own("cond", func(n int) (pools.Pool, error) { return pools.NewCond(n) },
			harness.Traits{},
			"sync.Mutex and sync.Cond, with context.AfterFunc to wake a waiter whose ctx ends; resizable."),
		own("workers", workers(),
			harness.Traits{Queue: harness.Unbounded},
			"At most limit long-lived workers taking tasks from an unbounded FIFO queue; Submit never blocks."),
		own("workers-queue4", workers(pools.WithQueue(4)),
			harness.Traits{Queue: 4},
			"Workers with a queue of 4 beyond the running tasks; Submit blocks when it is full."),
		own("workers-handoff", workers(pools.WithQueue(0)),
			harness.Traits{},
			"Workers with direct hand-off (queue 0): Submit blocks until a worker is free for the task."),
		own("workers-reject", workers(pools.WithQueue(4), pools.WithPolicy(pools.Reject)),
			harness.Traits{Queue: 4, Rejects: true},
			"Workers with a queue of 4 that returns ErrFull when it is full instead of blocking."),
	}
}

func workers(opts ...pools.WorkersOption) func(int) (pools.Pool, error) {
	return func(n int) (pools.Pool, error) { return pools.NewWorkers(n, opts...) }
}

// own makes an Entry of kind Ours whose New panics on a constructor error.
func own(name string, mk func(limit int) (pools.Pool, error), traits harness.Traits, doc string) Entry {
	return Entry{
		Subject: harness.Subject{
			Name: name,
			New: func(limit int) pools.Pool {
				p, err := mk(limit)
				if err != nil {
					panic(fmt.Sprintf("catalog: %s: %v", name, err))
				}
				return p
			},
			Traits: traits,
		},
		Kind: Ours,
		Doc:  doc,
	}
}
