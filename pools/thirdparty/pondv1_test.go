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

func newPondV1(t *testing.T, limit, queue int) *thirdparty.PondV1 {
	t.Helper()
	p, err := thirdparty.NewPondV1(limit, queue)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPondV1LimitError(t *testing.T) {
	for _, c := range [][2]int{{0, 0}, {1, -1}} {
		if _, err := thirdparty.NewPondV1(c[0], c[1]); !errors.Is(err, pools.ErrLimit) {
			t.Errorf("NewPondV1(%d, %d) error = %v, want %v", c[0], c[1], err, pools.ErrLimit)
		}
	}
}

// TestPondV1CloseWithBlockedSubmit: Close waits for a Submit blocked on the full queue (it
// gets in as the queue drains), and a Submit after Close returns pools.ErrClosed instead of
// pond v1's panic.
func TestPondV1CloseWithBlockedSubmit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPondV1(t, 1, 1)
		pr := newProbe(3)
		for i := range 2 {
			if err := p.Submit(context.Background(), pr.task(i)); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
		}
		var err error
		submitted := returned(func() { err = p.Submit(context.Background(), pr.task(2)) })
		synctest.Wait()
		if isDone(submitted) {
			t.Fatal("Submit on a full queue did not block")
		}
		closed := returned(p.Close)
		synctest.Wait()
		if isDone(closed) {
			t.Fatal("Close returned while tasks were running")
		}
		pr.releaseAll()
		<-submitted
		<-closed
		if err != nil {
			t.Errorf("Submit blocked before Close = %v, want nil", err)
		}
		if _, ended, _ := pr.snapshot(); ended != 3 {
			t.Errorf("Close returned after %d of 3 tasks ended", ended)
		}
		if err := p.Submit(context.Background(), func() {}); !errors.Is(err, pools.ErrClosed) {
			t.Errorf("Submit after Close = %v, want %v", err, pools.ErrClosed)
		}
	})
}

// TestFindingPondV1Goexit records a finding: a task that calls runtime.Goexit kills its
// worker without freeing the worker's slot. executeTask's deferred bookkeeping decrements
// only the task count; the worker count (and, in a worker's first task, the worker
// WaitGroup, which makes StopAndWait hang) is never decremented. With limit 1, the pool can
// never run another task. pond v1 does not document Goexit. If this test fails, pond v1
// changed: update the finding and Traits.Goexit.
func TestFindingPondV1Goexit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPondV1(t, 1, 0)
		if err := p.Submit(context.Background(), func() {}); err != nil { // the worker's first task
			t.Fatal(err)
		}
		p.Wait()
		synctest.Wait() // the worker is idle
		if err := p.Submit(context.Background(), runtime.Goexit); err != nil {
			t.Fatal(err)
		}
		p.Wait()
		synctest.Wait()
		if p.TrySubmit(func() {}) {
			t.Error("TrySubmit after a Goexit task = true; the finding expects the only slot to be lost")
		}
		p.Close() // Goexit in a non-first task: StopAndWait still returns
	})
}
