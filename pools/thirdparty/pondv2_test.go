package thirdparty_test

import (
	"context"
	"errors"
	"github.com/poolcheck/poolcheck/internal/isolate"
	"strings"
	"testing"
	"testing/synctest"

	pondv2 "github.com/alitto/pond/v2"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

func newPondV2(t *testing.T, limit int, opts ...pondv2.Option) *thirdparty.PondV2 {
	t.Helper()
	p, err := thirdparty.NewPondV2(limit, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPondV2LimitError(t *testing.T) {
	if _, err := thirdparty.NewPondV2(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("NewPondV2(0) error = %v, want %v", err, pools.ErrLimit)
	}
	p := newPondV2(t, 1)
	defer p.Close()
	if err := p.Resize(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("Resize(0) = %v, want %v", err, pools.ErrLimit)
	}
}

// TestPondV2Unbounded: with the default queue, Submit never blocks however busy the pool.
func TestPondV2Unbounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPondV2(t, 1)
		pr := newProbe(100)
		for i := range 100 {
			if err := p.Submit(context.Background(), pr.task(i)); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait()
		if started, _, _ := pr.snapshot(); started != 1 {
			t.Errorf("%d tasks started at limit 1", started)
		}
		pr.releaseAll()
		p.Close()
	})
}

// TestPondV2TrySubmit: pond's TrySubmit fails at once on a full queue and its task never runs.
func TestPondV2TrySubmit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPondV2(t, 1, pondv2.WithQueueSize(1))
		pr := newProbe(2)
		for i := range 2 {
			if !p.TrySubmit(pr.task(i)) {
				t.Fatalf("TrySubmit(task %d) = false with room", i)
			}
		}
		ran := false
		if p.TrySubmit(func() { ran = true }) {
			t.Error("TrySubmit on a full pool = true")
		}
		if p.TrySubmit(nil) {
			t.Error("TrySubmit(nil) = true")
		}
		pr.releaseAll()
		p.Close()
		if ran {
			t.Error("a rejected task ran")
		}
	})
}

// TestPondV2ResizeGrowQueued: growing starts queued tasks at once.
func TestPondV2ResizeGrowQueued(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPondV2(t, 1, pondv2.WithQueueSize(8))
		pr := newProbe(3)
		for i := range 3 {
			if err := p.Submit(context.Background(), pr.task(i)); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait()
		if err := p.Resize(3); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if started, _, _ := pr.snapshot(); started != 3 {
			t.Errorf("%d tasks started after growing to 3, want 3", started)
		}
		pr.releaseAll()
		p.Close()
	})
}

// TestFindingPondV2ResizeQueue0 records a finding, the cause of pond-v2-queue0's
// work-conserving failures: with WithQueueSize(0), growing the pool does not admit a
// submitter already blocked in Go. Resize (pool.go:186-200) launches only
// min(growth, queue length) new workers, which is 0 without a queue, and never signals
// submitWaiters; the blocked Go (blockingTrySubmit, pool.go:378-396) sleeps on
// submitWaiters, signalled only when a worker exits (readTask, pool.go:472) or another
// submit succeeds (trySubmit, pool.go:446). So after Resize the new slots stay idle until
// either happens: here a later Go is admitted at once, and its signal lets the blocked one
// in behind it. pond
// documents "If you increase the size, new workers will be created as needed up to the new
// maximum" and, without a queue, that a blocked submission waits "until a worker becomes
// available". Deterministic (synctest). Reproducer and proposed patch in
// findings/testdata/pond-v2-resize-queue0. If this test fails, pond changed: update the
// finding.
func TestFindingPondV2ResizeQueue0(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPondV2(t, 1, pondv2.WithQueueSize(0))
		pr := newProbe(3)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		blocked := returned(func() { _ = p.Submit(context.Background(), pr.task(1)) })
		synctest.Wait()
		if isDone(blocked) {
			t.Fatal("Submit on a full pool without a queue did not block")
		}
		if err := p.Resize(3); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if isDone(blocked) {
			t.Error("the blocked Submit was admitted after Resize(3); the finding expects it to stay blocked")
		}
		if started, _, _ := pr.snapshot(); started != 1 {
			t.Errorf("%d tasks started after Resize(3); the finding expects 1 (two idle slots)", started)
		}
		// The slots are free: a new Submit gets one at once, overtaking the blocked one,
		// and its success signals submitWaiters, which lets the blocked one in too.
		if err := p.Submit(context.Background(), pr.task(2)); err != nil {
			t.Fatal(err)
		}
		<-blocked
		synctest.Wait()
		if started, _, _ := pr.snapshot(); started != 3 {
			t.Errorf("%d tasks started after a new Submit, want 3", started)
		}
		pr.releaseAll()
		p.Close()
	})
}

// TestFindingPondV2StopAcrossBubbles records why the adapter's Close does not call pond's
// Stop or StopAndWait: Stop submits its waiting task to pond's package-level default pool
// (pool.go:519-531, default.go:4), whose context, channels and sync.WaitGroup are shared by
// every pool in the process. The first bubble to stop a pond pool makes them its own (the
// default pool's context creates its done channel inside that bubble), and stopping a pool
// in any other bubble is then a fatal error that kills the process ("receive on synctest
// channel from outside bubble"; with other timings "sync: WaitGroup.Add called from
// multiple synctest bubbles"). The child process stops one pool in each of two bubbles; the
// parent expects the child to die in the second.
// If this test fails, pond changed: the adapter may then call StopAndWait again.
func TestFindingPondV2StopAcrossBubbles(t *testing.T) {
	if inChild(t) {
		for i := range 2 {
			synctest.Test(t, func(t *testing.T) {
				p := pondv2.NewPool(1)
				if err := p.Go(func() {}); err != nil {
					t.Fatal(err)
				}
				p.StopAndWait()
				t.Logf("bubble %d stopped its pool", i+1)
			})
		}
		return
	}
	oc := runChild(t)
	out := oc.Output
	if oc.Crash == nil || oc.Crash.Kind != isolate.SharedState {
		t.Fatalf("stopping pond pools in two synctest bubbles ended with %+v; the finding expects a fatal error about bubbles\n%s", oc.Crash, out)
	}
	for _, want := range []string{"bubble 1 stopped its pool"} {
		if !strings.Contains(out, want) {
			t.Errorf("child output lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "bubble 2 stopped its pool") {
		t.Errorf("the second bubble stopped its pool; the finding expects it to crash\n%s", out)
	}
}
