package adapt_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools/adapt"
)

// With AbandonOnCancel, a Submit blocked in a library that ignores ctx returns ctx.Err()
// when ctx ends; when the library later takes the task, a no-op runs in its place; Wait
// never waits for it; Close waits for the kit's goroutine still blocked in the library.
func TestAbandonOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newToy(1)
		p := mustNew(t, adapt.Library{Submit: l.Go, AbandonOnCancel: true})
		gate := make(chan struct{})
		if err := p.Submit(context.Background(), func() { <-gate }); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var ran atomic.Bool
		blocked := make(chan error, 1)
		go func() { blocked <- p.Submit(ctx, func() { ran.Store(true) }) }()
		synctest.Wait()
		cancel()
		if err := <-blocked; !errors.Is(err, context.Canceled) {
			t.Fatalf("blocked Submit after cancel = %v, want %v", err, context.Canceled)
		}
		closed := returned(p.Close)
		synctest.Wait()
		if isDone(closed) {
			t.Fatal("Close returned while the first task ran")
		}
		close(gate)
		<-closed
		synctest.Wait()
		if ran.Load() {
			t.Error("an abandoned task ran")
		}
		if n := l.calls.Load(); n != 2 {
			t.Errorf("the library's Submit ran %d times, want 2", n)
		}
	})
}

// A Submit whose ctx can end but does not is accepted as usual and counted by Wait.
func TestAbandonOnCancelAccepted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newToy(1)
		p := mustNew(t, adapt.Library{Submit: l.Go, AbandonOnCancel: true})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		gate := make(chan struct{})
		if err := p.Submit(ctx, func() { <-gate }); err != nil {
			t.Fatal(err)
		}
		waited := returned(p.Wait)
		synctest.Wait()
		if isDone(waited) {
			t.Fatal("Wait returned while an accepted task ran")
		}
		close(gate)
		<-waited
		p.Close()
	})
}

// A library that refuses a task with an error: the Submit returns it.
func TestAbandonOnCancelRefused(t *testing.T) {
	refuse := errors.New("refused")
	p := mustNew(t, adapt.Library{
		Submit:          func(context.Context, func()) error { return refuse },
		AbandonOnCancel: true,
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := p.Submit(ctx, func() {}); !errors.Is(err, refuse) {
		t.Errorf("Submit = %v, want the library's error", err)
	}
	p.Close()
}

// A library that runs the task inside its submit (a caller-runs policy) has started it
// before ctx ends: the Submit returns nil, and the task ran once.
func TestAbandonOnCancelStartedTaskWins(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := mustNew(t, adapt.Library{
			Submit:          func(_ context.Context, task func()) error { task(); return nil },
			AbandonOnCancel: true,
		})
		ctx, cancel := context.WithCancel(context.Background())
		started, gate := make(chan struct{}), make(chan struct{})
		var runs atomic.Int32
		res := make(chan error, 1)
		go func() { res <- p.Submit(ctx, func() { runs.Add(1); close(started); <-gate }) }()
		<-started
		cancel()
		synctest.Wait()
		close(gate)
		if err := <-res; err != nil {
			t.Errorf("Submit of a started task = %v, want nil", err)
		}
		p.Close()
		if n := runs.Load(); n != 1 {
			t.Errorf("task ran %d times, want 1", n)
		}
	})
}
