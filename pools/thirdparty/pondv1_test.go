package thirdparty_test

import (
	"context"
	"errors"
	"fmt"
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

// TestFindingPondV1IdleSlot records a finding, the cause of pond-v1's and pond-v1-queue8's
// work-conserving failures: Submit starts no new worker while the idle-worker count is
// positive (incrementWorkerCount, pond.go:483), but that count still includes a worker that
// has already been handed a task and has not yet run executeTask's decrement (pond.go:453),
// and it is never compared with the tasks already waiting for idle workers. A task
// submitted in that window waits behind the busy worker, although fewer than maxWorkers run:
// without a queue its Submit blocks on the unbuffered channel (pond.go:277), with a queue it
// sits in the buffer; either way it starts only when the busy worker's task ends. pond v1
// documents the default Eager strategy as "always spawns an extra worker when there are no
// idles" (README), and promises no immediacy beyond that: the catalogue calls this a
// weakness (a delay of one task's length, never a lost task), not a bug. If this test fails,
// pond v1 changed, or the scheduler preempted the submitter (below): update the finding.
//
// Not deterministic: it depends on the scheduler. The window is between two Submits of one
// goroutine, with no blocking point in it. With one P the worker woken by the first Submit
// does not run before the submitting goroutine blocks, unless that goroutine is preempted
// between the two calls (by sysmon after a 10ms time slice, or by a GC; runtime.GC first
// keeps a collection from starting inside the window). The harness shrinks on one P for the
// same reason.
func TestFindingPondV1IdleSlot(t *testing.T) {
	for _, queue := range []int{0, 8} {
		t.Run(fmt.Sprintf("queue=%d", queue), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			synctest.Test(t, func(t *testing.T) {
				p := newPondV1(t, 2, queue)
				// One worker, idle: it ran its first task and waits on the tasks channel.
				if err := p.Submit(context.Background(), func() {}); err != nil {
					t.Fatal(err)
				}
				p.Wait()
				synctest.Wait()
				pr := newProbe(2)
				var err0, err1 error
				runtime.GC()
				second := returned(func() {
					err0 = p.Submit(context.Background(), pr.task(0)) // handed to the idle worker
					err1 = p.Submit(context.Background(), pr.task(1)) // sees the stale idle count
				})
				synctest.Wait()
				started, _, _ := pr.snapshot()
				if started != 1 {
					t.Errorf("%d of 2 tasks started at limit 2; the finding expects 1 (task 1 waits behind task 0's worker)", started)
				}
				if queue == 0 && isDone(second) {
					t.Error("the second Submit returned; without a queue the finding expects it blocked behind the busy worker")
				}
				pr.release(0) // the worker takes task 1 only now
				<-second
				synctest.Wait()
				if started, _, _ := pr.snapshot(); started != 2 {
					t.Errorf("%d tasks started after task 0 ended, want 2", started)
				}
				pr.releaseAll()
				p.Close()
				if err0 != nil || err1 != nil {
					t.Errorf("Submit = %v, %v, want nil, nil", err0, err1)
				}
			})
		})
	}
}
