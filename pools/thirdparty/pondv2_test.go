package thirdparty_test

import (
	"context"
	"errors"
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

// TestFindingPondV2ResizeQueue0 records a finding: with WithQueueSize(0), growing the pool
// does not admit a submitter blocked in Go. Resize launches workers only for queued tasks
// (min(growth, queue length) = 0) and does not signal submitWaiters, so the blocked Go waits
// for a running task to end. pond documents "If you increase the size, new workers will be
// created as needed up to the new maximum". If this test fails, pond changed: update the
// finding.
func TestFindingPondV2ResizeQueue0(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPondV2(t, 1, pondv2.WithQueueSize(0))
		pr := newProbe(2)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		submitted := returned(func() { _ = p.Submit(context.Background(), pr.task(1)) })
		synctest.Wait()
		if err := p.Resize(2); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if isDone(submitted) {
			t.Error("the blocked Submit was admitted after Resize(2); the finding expects it to stay blocked")
		}
		pr.release(0)
		<-submitted
		pr.releaseAll()
		p.Close()
	})
}
