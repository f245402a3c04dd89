package thirdparty_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

func TestSemaphoreLimitError(t *testing.T) {
	if _, err := thirdparty.NewSemaphore(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("NewSemaphore(0) error = %v, want %v", err, pools.ErrLimit)
	}
}

// TestSemaphoreFIFO: blocked submitters are admitted in the order they blocked (x/sync's
// documented waiter queue), one per freed slot.
func TestSemaphoreFIFO(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewSemaphore(1)
		if err != nil {
			t.Fatal(err)
		}
		pr := newProbe(4)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		var subs []<-chan struct{}
		for i := 1; i < 4; i++ {
			subs = append(subs, returned(func() { _ = p.Submit(context.Background(), pr.task(i)) }))
			synctest.Wait() // submitter i is queued before submitter i+1
		}
		for i := range 3 {
			pr.release(i)
			<-subs[i]
			synctest.Wait()
		}
		pr.release(3)
		p.Close()
		pr.mu.Lock()
		defer pr.mu.Unlock()
		for i, id := range pr.started {
			if id != i {
				t.Fatalf("start order %v, want 0 1 2 3", pr.started)
			}
		}
	})
}

// TestSemaphoreTrySubmit: TryAcquire's false is TrySubmit's, and its task never runs.
func TestSemaphoreTrySubmit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewSemaphore(1)
		if err != nil {
			t.Fatal(err)
		}
		pr := newProbe(1)
		if !p.TrySubmit(pr.task(0)) {
			t.Fatal("TrySubmit on an idle pool = false")
		}
		ran := false
		if p.TrySubmit(func() { ran = true }) {
			t.Error("TrySubmit on a full pool = true")
		}
		pr.releaseAll()
		p.Close()
		if ran {
			t.Error("a rejected task ran")
		}
	})
}
