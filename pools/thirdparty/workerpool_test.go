package thirdparty_test

import (
	"context"
	"errors"
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
