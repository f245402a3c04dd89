// Package bench holds poolcheck's benchmark suite (in bench_test.go) and the reference
// pseudo-pools it measures every pool against.
//
// The references are floors, not products: each is the least code that does the job, so
// the distance from a real pool to them is the price of that pool's promises.
//
//   - go-waitgroup: a bare `go f()` per task plus a WaitGroup; no limit at all.
//   - chan-semaphore: a buffered channel of limit tokens around `go f()`.
//   - chan-workers: limit fixed goroutines receiving tasks from one buffered channel.
//
// They keep the Pool contract where it costs nothing (Submit honours ctx while it blocks,
// returns ErrClosed after Close, Close waits), but the harness does not check them and they
// do not guard a Submit racing Close: use them to measure, not to run work.
//
// Slowed wraps any pool with a fixed extra cost per Submit; it is the fault injector the
// regression gate's tests and fixtures use (see internal/benchgate).
package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
)

// Names of the reference pseudo-pools, as they appear in benchmark names (pool=...).
const (
	GoWaitGroup   = "go-waitgroup"
	ChanSemaphore = "chan-semaphore"
	ChanWorkers   = "chan-workers"
)

// ChanWorkersQueue is the buffer of chan-workers' task channel. It is the figure of the
// project's reference measurement (NOTES.md: a hand-off to 2 fixed workers over a
// 1024-buffered channel costs 77 ns, unbuffered 305 ns): large enough that a single
// submitter rarely waits for a worker to come back for more.
const ChanWorkersQueue = 1024

// References returns the reference pseudo-pools as harness subjects, in a fixed order.
func References() []harness.Subject {
	return []harness.Subject{
		{Name: ChanSemaphore, New: func(limit int) pools.Pool { return NewChanSemaphore(limit) }},
		{Name: ChanWorkers, New: func(limit int) pools.Pool { return NewChanWorkers(limit) },
			Traits: harness.Traits{Queue: ChanWorkersQueue}},
		{Name: GoWaitGroup, New: func(int) pools.Pool { return NewGoWaitGroup() },
			Traits: harness.Traits{Queue: harness.Unbounded}},
	}
}

// GoWaitGroupPool starts a goroutine per task and tracks them with a WaitGroup. It has no
// limit. Like sync.WaitGroup, it must not see a Submit from idle concurrent with Wait.
type GoWaitGroupPool struct {
	wg     sync.WaitGroup
	closed atomic.Bool
}

var _ pools.Pool = (*GoWaitGroupPool)(nil)

// NewGoWaitGroup returns a GoWaitGroupPool.
func NewGoWaitGroup() *GoWaitGroupPool { return new(GoWaitGroupPool) }

// Submit starts task on a new goroutine at once.
func (p *GoWaitGroupPool) Submit(_ context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if p.closed.Load() {
		return pools.ErrClosed
	}
	p.wg.Go(task)
	return nil
}

// Wait waits for every started task.
func (p *GoWaitGroupPool) Wait() { p.wg.Wait() }

// Close stops accepting tasks and waits for the started ones.
func (p *GoWaitGroupPool) Close() {
	p.closed.Store(true)
	p.wg.Wait()
}

// ChanSemaphorePool starts a goroutine per task once it holds one of limit tokens of a
// buffered channel.
type ChanSemaphorePool struct {
	sem    chan struct{} // one slot per running task: cap is the limit
	wg     sync.WaitGroup
	closed atomic.Bool
}

var _ pools.Pool = (*ChanSemaphorePool)(nil)

// NewChanSemaphore returns a ChanSemaphorePool running at most limit tasks at once.
func NewChanSemaphore(limit int) *ChanSemaphorePool {
	return &ChanSemaphorePool{sem: make(chan struct{}, max(limit, 1))}
}

// Submit blocks until a token is free (or ctx ends), then starts task on a new goroutine.
func (p *ChanSemaphorePool) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if p.closed.Load() {
		return pools.ErrClosed
	}
	select {
	case p.sem <- struct{}{}:
	default:
		select {
		case p.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	p.wg.Add(1)
	go func() {
		defer func() { <-p.sem; p.wg.Done() }()
		task()
	}()
	return nil
}

// Wait waits for every started task.
func (p *ChanSemaphorePool) Wait() { p.wg.Wait() }

// Close stops accepting tasks and waits for the started ones.
func (p *ChanSemaphorePool) Close() {
	p.closed.Store(true)
	p.wg.Wait()
}

// ChanWorkersPool hands tasks to limit goroutines over a channel of ChanWorkersQueue.
type ChanWorkersPool struct {
	tasks   chan func() // buffered: ChanWorkersQueue
	pending sync.WaitGroup
	workers sync.WaitGroup
	once    sync.Once
	closed  atomic.Bool
}

var _ pools.Pool = (*ChanWorkersPool)(nil)

// NewChanWorkers starts limit workers and returns their pool. Close stops them.
func NewChanWorkers(limit int) *ChanWorkersPool {
	p := &ChanWorkersPool{tasks: make(chan func(), ChanWorkersQueue)}
	for range max(limit, 1) {
		p.workers.Go(func() {
			for task := range p.tasks { // exits when Close closes tasks
				task()
				p.pending.Done()
			}
		})
	}
	return p
}

// Submit queues task, blocking while the channel is full (or until ctx ends).
func (p *ChanWorkersPool) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	if p.closed.Load() {
		return pools.ErrClosed
	}
	p.pending.Add(1)
	select {
	case p.tasks <- task:
		return nil
	default:
	}
	select {
	case p.tasks <- task:
		return nil
	case <-ctx.Done():
		p.pending.Done()
		return ctx.Err()
	}
}

// Wait waits until every queued task has run.
func (p *ChanWorkersPool) Wait() { p.pending.Wait() }

// Close stops accepting tasks, runs the queued ones and waits for the workers to exit.
func (p *ChanWorkersPool) Close() {
	p.once.Do(func() {
		p.closed.Store(true)
		close(p.tasks)
		p.workers.Wait()
	})
}

// Slowed returns p with every Submit made slower by spinning for d first, and, when
// allocBytes > 0, allocating that many bytes per Submit. It is a fault injector: a pool
// that is exactly p but measurably worse, for proving that a regression gate notices.
func Slowed(p pools.Pool, d time.Duration, allocBytes int) pools.Pool {
	return &slowed{Pool: p, d: d, alloc: allocBytes}
}

type slowed struct {
	pools.Pool
	d     time.Duration
	alloc int
}

// sink keeps slowed's allocations from being optimised away.
var sink atomic.Pointer[[]byte]

func (s *slowed) Submit(ctx context.Context, task func()) error {
	if s.d > 0 {
		for start := time.Now(); time.Since(start) < s.d; {
		}
	}
	if s.alloc > 0 {
		b := make([]byte, s.alloc)
		sink.Store(&b)
	}
	return s.Pool.Submit(ctx, task)
}
