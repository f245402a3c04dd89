package pools_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools"
)

// Workers' shared behaviour is tested in pool_test.go, over its variants.

func TestWorkersOptions(t *testing.T) {
	for _, q := range []int{-2, -100} {
		if _, err := pools.NewWorkers(1, pools.WithQueue(q)); !errors.Is(err, pools.ErrLimit) {
			t.Errorf("NewWorkers(1, WithQueue(%d)) = %v, want ErrLimit", q, err)
		}
	}
	if _, err := pools.NewWorkers(1, pools.WithPolicy(7)); err == nil {
		t.Errorf("NewWorkers(1, WithPolicy(7)) = nil error")
	}
	for _, q := range []int{pools.Unbounded, 0, 1} {
		p, err := pools.NewWorkers(1, pools.WithQueue(q), pools.WithPolicy(pools.Reject))
		if err != nil {
			t.Errorf("NewWorkers(1, WithQueue(%d)) = %v", q, err)
			continue
		}
		p.Close()
	}
}

func TestWorkersQueueOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, _ := pools.NewWorkers(1)
		defer p.Close()
		var order []int // appended by tasks that run one at a time
		for i := range 50 {
			submit(t, p, func() { order = append(order, i) })
		}
		p.Wait()
		for i, v := range order {
			if i != v {
				t.Fatalf("queued tasks ran in order %v, want submission order", order)
			}
		}
	})
}

// TestWorkersGoexitReplacesWorker checks that workers ended by runtime.Goexit are replaced
// while tasks are queued behind them.
func TestWorkersGoexitReplacesWorker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, _ := pools.NewWorkers(2)
		var ran sync.WaitGroup
		for i := range 20 {
			if i%3 == 0 {
				ran.Add(1)
				submit(t, p, ran.Done)
			} else {
				submit(t, p, runtime.Goexit)
			}
		}
		ran.Wait()
		p.Close()
	})
}

// allocated returns the bytes the process allocated while f ran. It is process-wide, so
// it also counts what the runtime allocates meanwhile (a new thread's m, about 5 KB, now
// and then): see checkNoAllocs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// checkNoAllocs runs round n times to warm the pool, then measures n rounds of tasks tasks
// each, and fails if they allocated a byte per task or more in each of three measurements.
// An allocation per task fails every measurement; the runtime's own occasional allocation
// does not fail three in a row.
func checkNoAllocs(t *testing.T, n, tasks int, round func()) {
	t.Helper()
	for range n {
		round()
	}
	least := uint64(math.MaxUint64)
	for range 3 {
		b := allocated(func() {
			for range n {
				round()
			}
		})
		if b < uint64(n*tasks) {
			return
		}
		least = min(least, b)
	}
	t.Errorf("%d rounds of %d tasks allocated at least %d bytes in each of 3 measurements, want 0 per task", n, tasks, least)
}

// TestWorkersNoAllocs checks that no path of a warm Workers allocates per task: a task
// handed to an idle worker, queued tasks, TrySubmit, a rejected Submit, a Submit that
// blocks and is admitted, one that blocks until its ctx ends, and many blocked at once.
func TestWorkersNoAllocs(t *testing.T) {
	const n = 1000
	done := make(chan struct{}, 1)
	signal := func() { done <- struct{}{} }

	t.Run("idle-worker", func(t *testing.T) {
		p, _ := pools.NewWorkers(2)
		defer p.Close()
		// Start both workers, so that none starts while measuring.
		gate := make(chan struct{})
		submit(t, p, func() { <-gate })
		submit(t, p, func() { <-gate })
		close(gate)
		p.Wait()
		checkNoAllocs(t, n, 1, func() {
			submit(t, p, signal)
			<-done
		})
	})

	t.Run("queued", func(t *testing.T) {
		p, _ := pools.NewWorkers(1)
		defer p.Close()
		gate := make(chan struct{})
		hold := func() { <-gate }
		ran := make(chan struct{}, 64)
		count := func() { ran <- struct{}{} }
		checkNoAllocs(t, n/10, 1+cap(ran), func() {
			submit(t, p, hold)
			for range cap(ran) {
				submit(t, p, count)
			}
			gate <- struct{}{}
			for range cap(ran) {
				<-ran
			}
		})
	})

	t.Run("try-and-reject", func(t *testing.T) {
		p, _ := pools.NewWorkers(1, pools.WithQueue(0), pools.WithPolicy(pools.Reject))
		defer p.Close()
		gate := make(chan struct{})
		submit(t, p, func() { <-gate })
		defer close(gate)
		checkNoAllocs(t, n, 2, func() {
			if p.TrySubmit(signal) {
				t.Fatal("TrySubmit on a full pool = true")
			}
			if err := p.Submit(bg, signal); err != pools.ErrFull {
				t.Fatalf("Submit on a full pool = %v, want ErrFull", err)
			}
		})
	})

	t.Run("try-accepted", func(t *testing.T) {
		// Room for the previous round's task, which may not have finished after signalling.
		p, _ := pools.NewWorkers(1, pools.WithQueue(1))
		defer p.Close()
		checkNoAllocs(t, n, 1, func() {
			if !p.TrySubmit(signal) {
				t.Fatal("TrySubmit on an idle pool = false")
			}
			<-done
		})
	})

	// A helper Submits while the pool's only slot and its queue of q are held; synctest.Wait
	// makes sure it is blocked before a slot is freed (or, with a ctx, before the ctx is
	// cancelled).
	blocked := func(t *testing.T, q int) {
		synctest.Test(t, func(t *testing.T) {
			p, _ := pools.NewWorkers(1, pools.WithQueue(q))
			defer p.Close()
			gate := make(chan struct{})
			hold := func() { <-gate }
			ctxs := make(chan context.Context)
			errs := make(chan error)
			go func() {
				for ctx := range ctxs {
					errs <- p.Submit(ctx, signal)
				}
			}()
			defer close(ctxs)
			// Contexts and their Done channels are made before measuring: only the pool's
			// allocations count.
			cancels := make([]context.CancelFunc, 4*n) // a warm-up and up to three measurements
			contexts := make([]context.Context, len(cancels))
			for i := range contexts {
				contexts[i], cancels[i] = context.WithCancel(bg)
				_ = contexts[i].Done()
			}
			defer func() {
				for _, c := range cancels {
					c()
				}
			}()
			i := 0
			fill := func() {
				for range 1 + q {
					submit(t, p, hold)
				}
			}
			release := func(k int) {
				for range k {
					gate <- struct{}{}
				}
			}
			checkNoAllocs(t, n, 2*(2+q), func() {
				fill()
				ctxs <- bg // admitted once the first hold ends
				synctest.Wait()
				release(1)
				if err := <-errs; err != nil {
					t.Fatalf("blocked Submit = %v, want nil", err)
				}
				release(q)
				<-done
				fill()
				ctxs <- contexts[i] // cancelled while blocked
				synctest.Wait()
				cancels[i]()
				if err := <-errs; err != context.Canceled {
					t.Fatalf("blocked Submit whose ctx ended = %v, want Canceled", err)
				}
				release(1 + q)
				i++
			})
		})
	}
	t.Run("blocked-handoff", func(t *testing.T) { blocked(t, 0) })
	t.Run("blocked-queue", func(t *testing.T) { blocked(t, 3) })

	// k helpers Submit while the pool's slot and queue are held, so all k are blocked at
	// once, as in the benchmarks' saturated scenario: their wait nodes are reused, k at a
	// time, round after round.
	t.Run("blocked-many", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			const k, q = 8, 1
			p, _ := pools.NewWorkers(1, pools.WithQueue(q))
			defer p.Close()
			gate := make(chan struct{})
			hold := func() { <-gate }
			ran := make(chan struct{}, k)
			count := func() { ran <- struct{}{} }
			start := make(chan struct{})
			errs := make(chan error, k)
			for range k {
				go func() {
					for range start {
						errs <- p.Submit(bg, count)
					}
				}()
			}
			defer close(start)
			checkNoAllocs(t, n, 1+q+k, func() {
				for range 1 + q {
					submit(t, p, hold)
				}
				for range k {
					start <- struct{}{}
				}
				synctest.Wait() // all k blocked in Submit
				for range 1 + q {
					gate <- struct{}{}
				}
				for range k {
					if err := <-errs; err != nil {
						t.Fatalf("blocked Submit = %v, want nil", err)
					}
					<-ran
				}
			})
		})
	})
}

// BenchmarkHandoff compares Workers with a bare hand-off to limit fixed goroutines over a
// buffered channel, the floor for a queue-based pool. Each op is one trivial task.
func BenchmarkHandoff(b *testing.B) {
	const limit = 2
	task := func() {}
	b.Run("pool=workers", func(b *testing.B) {
		p, _ := pools.NewWorkers(limit)
		defer p.Close()
		b.ReportAllocs()
		for b.Loop() {
			_ = p.Submit(bg, task)
		}
		p.Wait()
	})
	b.Run("pool=workers-queue1024", func(b *testing.B) {
		p, _ := pools.NewWorkers(limit, pools.WithQueue(1024))
		defer p.Close()
		b.ReportAllocs()
		for b.Loop() {
			_ = p.Submit(bg, task)
		}
		p.Wait()
	})
	b.Run("pool=bare-chan1024", func(b *testing.B) {
		tasks := make(chan func(), 1024) // as in NOTES.md's reference measurement
		var wg sync.WaitGroup
		for range limit {
			wg.Go(func() {
				for f := range tasks {
					f()
				}
			})
		}
		b.ReportAllocs()
		for b.Loop() {
			tasks <- task
		}
		close(tasks)
		wg.Wait()
	})
}

func ExampleWorkers() {
	// Two workers, room for one queued task, and ErrFull instead of blocking.
	p, err := pools.NewWorkers(2, pools.WithQueue(1), pools.WithPolicy(pools.Reject))
	if err != nil {
		panic(err)
	}
	defer p.Close()
	release := make(chan struct{})
	for i := range 4 {
		err := p.Submit(context.Background(), func() { <-release })
		fmt.Println(i, err)
	}
	close(release)
	// Output:
	// 0 <nil>
	// 1 <nil>
	// 2 <nil>
	// 3 pools: pool is full
}
