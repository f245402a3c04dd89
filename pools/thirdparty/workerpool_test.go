package thirdparty_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

func TestWorkerPoolLimitError(t *testing.T) {
	if _, err := thirdparty.NewWorkerPool(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("NewWorkerPool(0) error = %v, want %v", err, pools.ErrLimit)
	}
}

// TestWorkerPoolNeverBlocks: Do queues without blocking however busy the pool, and Close
// (StopWait) runs the whole queue.
func TestWorkerPoolNeverBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewWorkerPool(2)
		if err != nil {
			t.Fatal(err)
		}
		pr := newProbe(50)
		for i := range 50 {
			if err := p.Submit(context.Background(), pr.task(i)); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait()
		if started, _, _ := pr.snapshot(); started != 2 {
			t.Errorf("%d tasks started at limit 2", started)
		}
		closed := returned(p.Close)
		synctest.Wait()
		if isDone(closed) {
			t.Fatal("Close returned with tasks queued")
		}
		pr.releaseAll()
		<-closed
		if _, ended, _ := pr.snapshot(); ended != 50 {
			t.Errorf("Close returned after %d of 50 tasks ended", ended)
		}
		if err := p.Submit(context.Background(), func() {}); !errors.Is(err, pools.ErrClosed) {
			t.Errorf("Submit after Close = %v, want %v", err, pools.ErrClosed)
		}
	})
}

// TestFindingWorkerPoolGoexit records a finding: a task that calls runtime.Goexit kills its
// worker, whose wg.Done is not deferred (worker, workerpool.go:298-304), while the dispatcher
// still counts it in workerCount (workerpool.go:259-262). Its slot is lost for good, and
// StopWait hangs: the dispatcher sends one nil per counted worker (workerpool.go:290-293)
// and nobody receives the last one. workerpool does not document Goexit (the catalogue
// declares Traits.Goexit GoexitUnsupported). The pool can never be closed, so the child
// process runs it in a bubble that deadlocks; the parent checks what the child saw. If this
// test fails, workerpool changed: update the finding and the trait.
func TestFindingWorkerPoolGoexit(t *testing.T) {
	if inChild(t) {
		synctest.Test(t, func(t *testing.T) {
			p, err := thirdparty.NewWorkerPool(2)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Submit(context.Background(), runtime.Goexit); err != nil {
				t.Fatal(err)
			}
			p.Wait()
			synctest.Wait()
			pr := newProbe(2)
			for i := range 2 {
				if err := p.Submit(context.Background(), pr.task(i)); err != nil {
					t.Fatal(err)
				}
			}
			synctest.Wait()
			started, _, _ := pr.snapshot()
			t.Logf("after a Goexit task, %d of 2 tasks started at limit 2", started)
			pr.releaseAll()
			p.Wait()
			t.Log("closing")
			p.Close()
			t.Log("closed")
		})
		return
	}
	oc := runChild(t)
	out := oc.Output
	if oc.Crash == nil {
		t.Fatalf("the child ended normally; the finding expects Close to hang after a Goexit task\n%s", out)
	}
	for _, want := range []string{
		"after a Goexit task, 1 of 2 tasks started at limit 2",
		"closing",
		"deadlock",
		"workerpool.(*WorkerPool).dispatch", // stuck sending the last worker's nil:
		"workerpool.go:291",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("child output lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "\tclosed") || strings.Contains(out, ": closed") {
		t.Errorf("Close returned; the finding expects it to hang\n%s", out)
	}
}
