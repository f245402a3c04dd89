package thirdparty_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/sourcegraph/conc/panics"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

func TestConcLimitError(t *testing.T) {
	if _, err := thirdparty.NewConc(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("NewConc(0) error = %v, want %v", err, pools.ErrLimit)
	}
}

// TestConcOverlappingWaits: Waits that overlap share one batch: neither returns before the
// batch's tasks end, and both re-panic with its panic. The pool works again afterwards.
func TestConcOverlappingWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewConc(2)
		if err != nil {
			t.Fatal(err)
		}
		pr := newProbe(1)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		if err := p.Submit(context.Background(), func() { panic("boom") }); err != nil {
			t.Fatal(err)
		}
		var r1, r2 any
		w1 := returned(func() { r1 = catch(p.Wait) })
		w2 := returned(func() { r2 = catch(p.Wait) })
		synctest.Wait()
		if isDone(w1) || isDone(w2) {
			t.Fatal("a Wait returned while a task was running")
		}
		pr.releaseAll()
		<-w1
		<-w2
		if r1 == nil || r2 == nil {
			t.Errorf("overlapping Waits re-panicked with %v and %v, want both to panic", r1, r2)
		}
		ran := false
		if err := p.Submit(context.Background(), func() { ran = true }); err != nil {
			t.Fatal(err)
		}
		p.Wait()
		if !ran {
			t.Error("the next batch did not run")
		}
		p.Close()
		if err := p.Submit(context.Background(), func() {}); !errors.Is(err, pools.ErrClosed) {
			t.Errorf("Submit after Close = %v, want %v", err, pools.ErrClosed)
		}
	})
}

// TestFindingConcPanicStrandsSubmitter records a finding: a panicking task can leave a Go
// blocked for good although the pool has a free slot. With limit 1, B and C block in Go
// behind a running task A. When A panics its worker exits and frees the limiter; B (first in
// the limiter's queue) takes it, spawns a worker and sends its task, "knowing there is at
// least one worker running" (pool.go), but the new worker receives C's task, which was queued
// on the tasks channel first. When C's task panics (or calls runtime.Goexit), that worker
// exits too and no worker is left to receive B's task: B's Go blocks until some later Go
// spawns a worker. conc documents that Go "will block until the task can be started".
// Channel queues are FIFO, so the order does not depend on the scheduler: deterministic.
// Fixed on conc's main by PR #112 (a spawned worker runs its own Go's task first), in no
// release; reproducer and patch in findings/testdata/conc-panic-strands-go. If this test
// fails, conc changed: update the finding.
func TestFindingConcPanicStrandsSubmitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewConc(1)
		if err != nil {
			t.Fatal(err)
		}
		release := make(chan struct{})
		if err := p.Submit(context.Background(), func() { <-release; panic("A") }); err != nil {
			t.Fatal(err)
		}
		ranB := false
		b := returned(func() { _ = p.Submit(context.Background(), func() { ranB = true }) })
		synctest.Wait()
		c := returned(func() { _ = p.Submit(context.Background(), func() { panic("C") }) })
		synctest.Wait()
		close(release)
		<-c
		synctest.Wait()
		if isDone(b) {
			t.Fatal("B's Submit returned; the finding expects it stranded with no worker")
		}
		// A later Submit spawns a worker, which takes B's task first.
		if err := p.Submit(context.Background(), func() {}); err != nil {
			t.Fatal(err)
		}
		<-b
		if r := catch(p.Wait); r == nil {
			t.Error("Wait did not re-panic")
		}
		p.Close()
		if !ranB {
			t.Error("B's task never ran")
		}
	})
}

// TestConcRepanicValue pins down what conc's Wait re-panics with: not the task's panic value
// itself but a *panics.Recovered wrapping it (Value) with the stack where it was caught,
// which is what panics.Catcher.Repanic documents (conc panics/panics.go:33-40) and the
// adapter passes on unchanged. It is not an error (ErrRecovered, from AsError, is), so a
// caller that recovers and type-switches on error, or compares with the original value,
// must unwrap it. If this test fails, conc changed what Wait re-panics with.
func TestConcRepanicValue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := thirdparty.NewConc(1)
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		if err := p.Submit(context.Background(), func() { panic(boom) }); err != nil {
			t.Fatal(err)
		}
		r := catch(p.Wait)
		rec, ok := r.(*panics.Recovered)
		if !ok {
			t.Fatalf("Wait re-panicked with %T, want *panics.Recovered", r)
		}
		if rec.Value != boom {
			t.Errorf("Recovered.Value = %v, want the task's panic value %v", rec.Value, boom)
		}
		if _, isErr := r.(error); isErr {
			t.Errorf("the re-panic value %T is an error; conc v0.3.0's *panics.Recovered is not", r)
		}
		if len(rec.Stack) == 0 {
			t.Error("Recovered.Stack is empty")
		}
		p.Close()
	})
}
