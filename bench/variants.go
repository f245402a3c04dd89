package bench

import (
	"fmt"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
)

// WorkersQueue1024 is the name of the bounded Workers configuration that matches
// chan-workers: limit workers and a queue of ChanWorkersQueue, Block policy.
const WorkersQueue1024 = "workers-queue1024"

// Variants returns configurations of our designs that only the benchmarks use, as harness
// subjects: each is a catalogue design with other options (variants_test.go checks that it
// keeps every property). WorkersQueue1024 is the like-for-like of chan-workers: the same
// queue bound, so the distance between the two is the price of Workers' promises (ctx,
// Close, Wait during Submit, panics, FIFO admission), not of a different queue size.
func Variants() []harness.Subject {
	return []harness.Subject{
		{Name: WorkersQueue1024, New: func(limit int) pools.Pool {
			p, err := pools.NewWorkers(limit, pools.WithQueue(ChanWorkersQueue))
			if err != nil {
				panic(fmt.Sprintf("bench: %s: %v", WorkersQueue1024, err))
			}
			return p
		}, Traits: harness.Traits{Queue: ChanWorkersQueue}},
	}
}
