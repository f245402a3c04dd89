package thirdparty

import (
	"context"
	"fmt"

	pkgzpool "github.com/go-pkgz/pool"
	"github.com/go-pkgz/pool/middleware"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// PkgzPool adapts github.com/go-pkgz/pool's WorkerGroup, with tasks as its items.
//
// What go-pkgz/pool promises (v0.9.0, pool.go and README.md): New(size, worker) runs size
// worker goroutines once Go activates the group; Send "adds an item to the pool for
// processing", is "safe for concurrent use" (Submit is not, pool.go:200) and "may block if
// worker channels are full"; with WithBatchSize(0) an item goes straight to a shared channel
// whose buffer WithWorkerChanSize sets. With the default batch size, 10 (pool.go:83), Send
// puts an item in one of size accumulators (pool.go:233) and nothing runs until that
// accumulator holds ten or Close flushes it, as documented ("Items are accumulated until
// batch is full before processing", pool.go:182): a Wait for fewer tasks would never
// return. Close "has to be called by consumer as the indication of all records submitted"
// and blocks until the workers are done; "after this call pool can't be reused" (a Send
// after it panics: send on closed channel). A worker does not recover a panic unless the
// middleware.Recovery middleware wraps it, which turns the panic into an error; an error
// stops the whole group unless WithContinueOnError. Send takes no ctx.
//
// The adapter uses WithBatchSize(0) and WithWorkerChanSize(queue), so queue items may wait
// in the channel beyond the running ones. With recovers set it adds middleware.Recovery and
// WithContinueOnError, so a panicking task is recovered and the group goes on.
//
// What the adapter adds with package adapt: Wait (the kit's Tracker; the group's own Wait
// returns only once Close has closed its channels), a closed state with pools.ErrClosed
// (instead of the panic), Close (the kit's: refuse, wait for the Sends in progress and for
// every accepted task, then the group's Close, which lets the workers exit), pools.ErrNilTask.
// It serializes Sends on a channel before they reach the group's sendMu: a goroutine blocked
// on a sync.Mutex is not durably blocked in a testing/synctest bubble, so the harness's
// virtual time would stop while a second Send waited for the first; the order and the
// blocking are the same as sendMu's.
type PkgzPool struct {
	pools.Pool // the kit's
}

// NewPkgzPool returns a go-pkgz/pool WorkerGroup of limit (>= 1) workers and a channel of
// queue (>= 1) items, recovering panics if recovers is set.
func NewPkgzPool(limit, queue int, recovers bool) (*PkgzPool, error) {
	if limit < 1 || queue < 1 {
		return nil, fmt.Errorf("%w: go-pkgz/pool limit %d, queue %d, want >= 1 and >= 1",
			pools.ErrLimit, limit, queue)
	}
	run := pkgzpool.WorkerFunc[func()](func(_ context.Context, task func()) error {
		task()
		return nil
	})
	g := pkgzpool.New[func()](limit, run).WithBatchSize(0).WithWorkerChanSize(queue)
	if recovers {
		g = g.WithContinueOnError().Use(middleware.Recovery[func()](nil))
	}
	if err := g.Go(context.Background()); err != nil {
		return nil, err
	}
	turn := make(chan struct{}, 1) // held by the one Send in progress
	kit, err := adapt.New(adapt.Library{
		// Send blocks while the channel is full and does not watch ctx.
		Submit: func(_ context.Context, task func()) error {
			turn <- struct{}{}
			defer func() { <-turn }()
			g.Send(task)
			return nil
		},
		Stop: func() { _ = g.Close(context.Background()) },
	})
	if err != nil {
		return nil, err
	}
	return &PkgzPool{Pool: kit}, nil
}
