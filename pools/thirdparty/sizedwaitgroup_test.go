package thirdparty_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

func TestSizedWaitGroupLimitError(t *testing.T) {
	if _, err := thirdparty.NewSizedWaitGroup(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("NewSizedWaitGroup(0) error = %v, want %v", err, pools.ErrLimit)
	}
}

// TestSizedWaitGroupSubmitDuringWait: the kit's Wait lets a Submit start from zero while a
// Wait is pending, which the group's own sync.WaitGroup forbids; that Wait also waits for it.
func TestSizedWaitGroupSubmitDuringWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewSizedWaitGroup(1)
		if err != nil {
			t.Fatal(err)
		}
		pr := newProbe(2)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		waited := returned(p.Wait)
		synctest.Wait()
		pr.release(0)
		<-waited
		waited = returned(p.Wait)
		if err := p.Submit(context.Background(), pr.task(1)); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		pr.releaseAll()
		<-waited
		p.Close()
	})
}

// TestSizedWaitGroupCancel: a Submit blocked in AddWithContext returns ctx.Err() when its
// ctx ends, and its task never runs.
func TestSizedWaitGroupCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewSizedWaitGroup(1)
		if err != nil {
			t.Fatal(err)
		}
		pr := newProbe(1)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		res := make(chan error, 1)
		ran := false
		go func() { res <- p.Submit(ctx, func() { ran = true }) }()
		synctest.Wait()
		cancel()
		if err := <-res; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled Submit = %v, want %v", err, context.Canceled)
		}
		pr.releaseAll()
		p.Close()
		if ran {
			t.Error("a cancelled task ran")
		}
	})
}
