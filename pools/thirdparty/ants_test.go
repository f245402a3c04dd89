package thirdparty_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/panjf2000/ants/v2"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

func newAnts(t *testing.T, limit int, opts ...ants.Option) *thirdparty.Ants {
	t.Helper()
	p, err := thirdparty.NewAnts(limit, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAntsLimitError(t *testing.T) {
	if _, err := thirdparty.NewAnts(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("NewAnts(0) error = %v, want %v", err, pools.ErrLimit)
	}
	p := newAnts(t, 1)
	defer p.Close()
	if err := p.Resize(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("Resize(0) = %v, want %v", err, pools.ErrLimit)
	}
}

// TestAntsNonblockingFull: ants' ErrPoolOverload becomes pools.ErrFull.
func TestAntsNonblockingFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 1, ants.WithNonblocking(true))
		pr := newProbe(1)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if err := p.Submit(context.Background(), func() {}); !errors.Is(err, pools.ErrFull) {
			t.Errorf("Submit on a busy non-blocking pool = %v, want %v", err, pools.ErrFull)
		}
		pr.releaseAll()
		p.Close()
	})
}

// TestAntsCloseWakesSubmitter: a Submit blocked when Close begins returns pools.ErrClosed
// (ants wakes it with ErrPoolClosed) and its task never runs.
func TestAntsCloseWakesSubmitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 1)
		pr := newProbe(1)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		ran := false
		var err error
		submitted := returned(func() { err = p.Submit(context.Background(), func() { ran = true }) })
		synctest.Wait()
		closed := returned(p.Close)
		<-submitted
		if !errors.Is(err, pools.ErrClosed) {
			t.Errorf("blocked Submit during Close = %v, want %v", err, pools.ErrClosed)
		}
		pr.releaseAll()
		<-closed
		if ran {
			t.Error("the rejected task ran")
		}
	})
}

// TestAntsResizeGrow: growing with Tune admits a blocked submitter while the running task
// still holds its slot.
func TestAntsResizeGrow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 1)
		pr := newProbe(2)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		submitted := returned(func() { _ = p.Submit(context.Background(), pr.task(1)) })
		synctest.Wait()
		if isDone(submitted) {
			t.Fatal("Submit on a full pool did not block")
		}
		if err := p.Resize(2); err != nil {
			t.Fatal(err)
		}
		<-submitted
		synctest.Wait()
		if started, _, _ := pr.snapshot(); started != 2 {
			t.Errorf("%d tasks started after growing to 2, want 2", started)
		}
		pr.releaseAll()
		p.Close()
	})
}

// TestFindingAntsTuneShrink records a finding: after Tune shrinks the capacity, ants still
// hands out the idle workers it already had, so more tasks than the new capacity run at once.
// retrieveWorker detaches an idle worker without checking the capacity (ants.go); only
// revertWorker and the spawn path check it. ants documents Tune only as "changes the capacity
// of this pool". If this test fails, ants changed: update the finding.
func TestFindingAntsTuneShrink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 4)
		warm := newProbe(4)
		for i := range 4 {
			if err := p.Submit(context.Background(), warm.task(i)); err != nil {
				t.Fatal(err)
			}
		}
		warm.releaseAll()
		p.Wait()
		synctest.Wait() // the four workers are back in ants' idle stack
		if err := p.Resize(2); err != nil {
			t.Fatal(err)
		}
		pr := newProbe(4)
		for i := range 4 {
			if err := p.Submit(context.Background(), pr.task(i)); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait()
		if _, _, maxRunning := pr.snapshot(); maxRunning != 4 {
			t.Errorf("after Tune(2) with 4 idle workers, %d tasks ran at once; the finding expects 4", maxRunning)
		}
		pr.releaseAll()
		p.Close()
	})
}
