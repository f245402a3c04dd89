package thirdparty_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

func TestErrGroupLimitError(t *testing.T) {
	if _, err := thirdparty.NewErrGroup(0, false); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("NewErrGroup(0) error = %v, want %v", err, pools.ErrLimit)
	}
}

// TestErrGroupTry: at the limit, TryGo's false becomes pools.ErrFull (and TrySubmit's false),
// and the rejected task never runs; the blocking group's Submit blocks instead.
func TestErrGroupTry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		try, err := thirdparty.NewErrGroup(1, true)
		if err != nil {
			t.Fatal(err)
		}
		block, err := thirdparty.NewErrGroup(1, false)
		if err != nil {
			t.Fatal(err)
		}
		pr := newProbe(3)
		if err := try.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		if err := block.Submit(context.Background(), pr.task(1)); err != nil {
			t.Fatal(err)
		}
		ran := false
		if err := try.Submit(context.Background(), func() { ran = true }); !errors.Is(err, pools.ErrFull) {
			t.Errorf("TryGo Submit at the limit = %v, want %v", err, pools.ErrFull)
		}
		if try.TrySubmit(func() { ran = true }) || block.TrySubmit(func() { ran = true }) {
			t.Error("TrySubmit at the limit = true")
		}
		submitted := returned(func() { _ = block.Submit(context.Background(), pr.task(2)) })
		synctest.Wait()
		if isDone(submitted) {
			t.Error("Go Submit at the limit did not block")
		}
		pr.releaseAll()
		<-submitted
		try.Close()
		block.Close()
		if ran {
			t.Error("a rejected task ran")
		}
	})
}
