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

func TestGoPoolLimitError(t *testing.T) {
	for _, n := range []int{0, -1, 1 << 31} {
		if _, err := thirdparty.NewGoPool(n); !errors.Is(err, pools.ErrLimit) {
			t.Errorf("NewGoPool(%d) error = %v, want %v", n, err, pools.ErrLimit)
		}
	}
}

// TestGoPoolGoexitLosesWorker confirms the declared trait Goexit: GoexitUnsupported. A task
// that calls runtime.Goexit ends its worker's goroutine inside t.f() (worker.go:69), so the
// worker never reaches w.close() (worker.go:52), which alone decrements workerCount: the
// pool counts a worker that no longer exists, and with cap 1 it never starts another, so
// the next task waits for good. gopool recovers panics (worker.go:60) but does not mention
// Goexit. If this test fails, gopool changed: update the trait.
func TestGoPoolGoexitLosesWorker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewGoPool(1)
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
			t.Fatal("a task ran after a Goexit task on a pool of cap 1; the trait expects the only worker to be lost")
		}
		// No goroutine is left to run it, and none is blocked: the bubble ends. Close would
		// wait for it for good, so it is not called.
	})
}
