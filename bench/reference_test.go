package bench

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/pools"
)

// TestReferences checks what the references promise: every submitted task runs once, Wait
// waits for them, the limited ones never run more than limit at once, and Close refuses.
func TestReferences(t *testing.T) {
	for _, s := range References() {
		t.Run(s.Name, func(t *testing.T) {
			const limit, n = 3, 200
			p := s.New(limit)
			var ran, running, peak atomic.Int64
			for range n {
				err := p.Submit(context.Background(), func() {
					r := running.Add(1)
					for {
						old := peak.Load()
						if r <= old || peak.CompareAndSwap(old, r) {
							break
						}
					}
					time.Sleep(10 * time.Microsecond)
					running.Add(-1)
					ran.Add(1)
				})
				if err != nil {
					t.Fatalf("Submit = %v, want nil", err)
				}
			}
			p.Wait()
			if got := ran.Load(); got != n {
				t.Errorf("after Wait, %d tasks ran, want %d", got, n)
			}
			if s.Name != GoWaitGroup && peak.Load() > limit {
				t.Errorf("%d tasks ran at once, want at most %d", peak.Load(), limit)
			}
			p.Close()
			p.Close()
			if err := p.Submit(context.Background(), func() {}); !errors.Is(err, pools.ErrClosed) {
				t.Errorf("Submit after Close = %v, want ErrClosed", err)
			}
		})
	}
}

// TestChanSemaphoreCancel: a Submit blocked on a full semaphore returns ctx.Err().
func TestChanSemaphoreCancel(t *testing.T) {
	p := NewChanSemaphore(1)
	release := make(chan struct{})
	if err := p.Submit(context.Background(), func() { <-release }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Submit(ctx, func() { t.Error("cancelled task ran") }); !errors.Is(err, context.Canceled) {
		t.Errorf("Submit on a full pool with a done ctx = %v, want context.Canceled", err)
	}
	close(release)
	p.Close()
}

// TestSlowed: the fault injector delegates, and Submit takes at least the injected time.
func TestSlowed(t *testing.T) {
	p := Slowed(NewChanWorkers(1), time.Millisecond, 16)
	start := time.Now()
	var ran atomic.Bool
	if err := p.Submit(context.Background(), func() { ran.Store(true) }); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Millisecond {
		t.Errorf("Slowed Submit took %v, want at least 1ms", d)
	}
	p.Close()
	if !ran.Load() {
		t.Error("task submitted through Slowed did not run")
	}
}
