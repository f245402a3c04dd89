package thirdparty_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

func TestPkgzPoolLimitError(t *testing.T) {
	for _, c := range [][2]int{{0, 1}, {1, 0}} {
		if _, err := thirdparty.NewPkgzPool(c[0], c[1], false); !errors.Is(err, pools.ErrLimit) {
			t.Errorf("NewPkgzPool(%d, %d) error = %v, want %v", c[0], c[1], err, pools.ErrLimit)
		}
	}
}

// TestPkgzPoolQueue: with limit 1 and a channel of 1, one task runs, one waits in the
// channel (Traits.Queue 1), and the third Submit blocks until the running task ends.
func TestPkgzPoolQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewPkgzPool(1, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		pr := newProbe(3)
		for i := range 2 {
			if err := p.Submit(context.Background(), pr.task(i)); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
		}
		third := returned(func() { _ = p.Submit(context.Background(), pr.task(2)) })
		synctest.Wait()
		if isDone(third) {
			t.Fatal("a third Submit returned while one task ran and one waited in the channel")
		}
		pr.release(0)
		<-third
		pr.releaseAll()
		p.Close()
		if started, _, maxRunning := pr.snapshot(); started != 3 || maxRunning != 1 {
			t.Errorf("started %d, at most %d at once; want 3, 1", started, maxRunning)
		}
	})
}

// TestPkgzPoolGoexitLosesWorker confirms the declared trait Goexit: GoexitUnsupported. The
// group's workers are a fixed set started by Go (pool.go:299); a task that calls
// runtime.Goexit ends its worker's goroutine inside workerProc's loop (pool.go:392), and no
// worker replaces it, so with limit 1 a later task waits in the channel for good.
// go-pkgz/pool does not mention Goexit. If this test fails, go-pkgz/pool changed: update the
// trait.
func TestPkgzPoolGoexitLosesWorker(t *testing.T) {
	for _, recovers := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			p, err := thirdparty.NewPkgzPool(1, 1, recovers)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Submit(context.Background(), runtime.Goexit); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
			ran := make(chan struct{})
			if err := p.Submit(context.Background(), func() { close(ran) }); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
			if isDone(ran) {
				t.Fatalf("recovers=%v: a task ran after a Goexit task with limit 1; the trait expects the only worker to be lost", recovers)
			}
			// Nothing is blocked (the task sits in the channel's buffer): the bubble ends.
			// Close would wait for the task for good, so it is not called.
		})
	}
}
