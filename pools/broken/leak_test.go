package broken

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/pools/retry"
)

func TestResourceTickerLeakLeavesItsSampler(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewResourceTickerLeak(1, (&counted{}).factory())
		r := mustAcquire(t, p)
		time.Sleep(sampleResourcesEvery + sampleResourcesEvery/2) // one sample taken
		if p.Held() != 1 {
			t.Errorf("the gauge reads %d held, want 1", p.Held())
		}
		p.Release(r)
		p.Close()
		time.Sleep(3 * sampleResourcesEvery) // it is still sampling
		synctest.Wait()
		if n := goroutinesIn("broken.(*ResourceTickerLeak[...]).sample"); n != 1 {
			t.Fatalf("%d samplers left after Close, want the bug's 1", n)
		}
		close(p.stop) // undo the leak, or the bubble fails
	})
}

func TestWatcherLeakLeavesAGoroutinePerBackgroundCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewWatcherLeak(1, retry.Policy{Retries: 1})
		ctx, cancel := context.WithCancel(context.Background())
		for range 2 {
			if err := p.Do(ctx, func(context.Context) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		p.Close()
		synctest.Wait()
		if n := goroutinesIn("broken.(*WatcherLeak).Do.func"); n != 2 {
			t.Fatalf("%d watchers left after Close, want the bug's 2, one per call", n)
		}
		cancel() // undo the leak, or the bubble fails: a ctx that ends lets them go
		synctest.Wait()
		if n := goroutinesIn("broken.(*WatcherLeak).Do.func"); n != 0 || p.GaveUp() != 0 {
			t.Fatalf("%d watchers left once the ctx ended, and %d calls counted as given up; want 0 and 0", n, p.GaveUp())
		}
	})
}
