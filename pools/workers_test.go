package pools_test

import (
	"context"
	"errors"
	"fmt"
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

func TestWorkersSubmitAllocs(t *testing.T) {
	p, _ := pools.NewWorkers(2)
	defer p.Close()
	task := func() {}
	for range 1000 { // grow the queue once
		submit(t, p, task)
	}
	p.Wait()
	if n := testing.AllocsPerRun(1000, func() { _ = p.Submit(bg, task) }); n != 0 {
		t.Errorf("Submit allocates %v times per task, want 0", n)
	}
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
