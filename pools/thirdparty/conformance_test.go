package thirdparty_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
)

// The conformance tests run every third-party catalogue entry through the contract's basic
// promises, as far as its declared Traits allow. Most run in a testing/synctest bubble, where
// synctest.Wait tells when the pool has settled: no test sleeps, and a check that a call has
// not returned yet is exact.

// probe hands out gated tasks: each records its start and holds its slot until released.
type probe struct {
	mu       sync.Mutex
	running  int
	max      int
	started  []int           // task ids in start order
	released []chan struct{} // one per task: a gate closed once lets later tasks through
	ended    int
}

func newProbe(n int) *probe {
	p := &probe{released: make([]chan struct{}, n)}
	for i := range p.released {
		p.released[i] = make(chan struct{})
	}
	return p
}

func (p *probe) task(i int) func() {
	return func() {
		p.mu.Lock()
		p.running++
		p.max = max(p.max, p.running)
		p.started = append(p.started, i)
		p.mu.Unlock()
		<-p.released[i]
		p.mu.Lock()
		p.running--
		p.ended++
		p.mu.Unlock()
	}
}

func (p *probe) snapshot() (started, ended, maxRunning int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.started), p.ended, p.max
}

func (p *probe) release(i int) { close(p.released[i]) }

func (p *probe) releaseAll() {
	for i := range p.released {
		select {
		case <-p.released[i]:
		default:
			close(p.released[i])
		}
	}
}

// returned runs f on a new goroutine and returns a channel closed when f returns.
func returned(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	return done
}

func isDone(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// forEach runs body for every third-party entry, as a subtest named after it.
func forEach(t *testing.T, body func(t *testing.T, e catalog.Entry)) {
	entries := catalog.Of(catalog.ThirdParty)
	if len(entries) == 0 {
		t.Fatal("no third-party entries in the catalogue")
	}
	for _, e := range entries {
		t.Run(e.Name, func(t *testing.T) { body(t, e) })
	}
}

func TestNilTask(t *testing.T) {
	forEach(t, func(t *testing.T, e catalog.Entry) {
		p := e.New(1)
		defer p.Close()
		if err := p.Submit(context.Background(), nil); !errors.Is(err, pools.ErrNilTask) {
			t.Errorf("Submit(ctx, nil) = %v, want %v", err, pools.ErrNilTask)
		}
	})
}

// TestLimit drives 8 gated tasks through a pool of limit 2 and checks that never more than 2
// run at once. Each round lets the pool settle, releases the oldest running task, and lets a
// rejected submitter retry.
func TestLimit(t *testing.T) {
	forEach(t, func(t *testing.T, e catalog.Entry) {
		synctest.Test(t, func(t *testing.T) {
			const limit, n = 2, 8
			p := e.New(limit)
			pr := newProbe(n)
			retry := make(chan struct{}, 1)
			submitted := returned(func() {
				for i := range n {
					for {
						err := p.Submit(context.Background(), pr.task(i))
						if err == nil {
							break
						}
						if !e.Traits.Rejects || !errors.Is(err, pools.ErrFull) {
							t.Errorf("Submit(task %d) = %v, want nil", i, err)
							return
						}
						<-retry
					}
				}
			})
			next := 0 // index into pr.started of the oldest unreleased task
			for round := 0; ; round++ {
				if round > 10*n {
					t.Fatalf("no progress after %d rounds", round)
				}
				synctest.Wait()
				started, ended, maxRunning := pr.snapshot()
				if maxRunning > limit {
					t.Fatalf("%d tasks ran at once, limit %d", maxRunning, limit)
				}
				if ended == n && isDone(submitted) {
					break
				}
				if next < started {
					pr.mu.Lock()
					id := pr.started[next]
					pr.mu.Unlock()
					pr.release(id)
					next++
				}
				select {
				case retry <- struct{}{}:
				default:
				}
			}
			p.Close()
		})
	})
}

// TestRejects checks that a rejecting pool, with limit tasks running and its queue full,
// returns pools.ErrFull at once, and that the rejected task never runs.
func TestRejects(t *testing.T) {
	forEach(t, func(t *testing.T, e catalog.Entry) {
		if !e.Traits.Rejects {
			t.Skip("Submit blocks (Traits.Rejects is false)")
		}
		synctest.Test(t, func(t *testing.T) {
			const limit = 2
			q := max(e.Traits.Queue, 0)
			p := e.New(limit)
			pr := newProbe(limit + q)
			for i := range limit + q {
				if err := p.Submit(context.Background(), pr.task(i)); err != nil {
					t.Fatalf("Submit(task %d) = %v, want nil", i, err)
				}
				synctest.Wait()
			}
			ran := false
			if err := p.Submit(context.Background(), func() { ran = true }); !errors.Is(err, pools.ErrFull) {
				t.Errorf("Submit on a full pool = %v, want %v", err, pools.ErrFull)
			}
			pr.releaseAll()
			p.Close()
			if ran {
				t.Error("a rejected task ran")
			}
		})
	})
}

// TestWait checks that Wait returns only after every accepted task has finished.
func TestWait(t *testing.T) {
	forEach(t, func(t *testing.T, e catalog.Entry) {
		synctest.Test(t, func(t *testing.T) {
			const limit = 2
			n := limit
			if !e.Traits.Rejects && e.Traits.Queue != 0 {
				n = limit + 1 // one queued task
			}
			p := e.New(limit)
			pr := newProbe(n)
			for i := range n {
				if err := p.Submit(context.Background(), pr.task(i)); err != nil {
					t.Fatalf("Submit(task %d) = %v", i, err)
				}
			}
			waited := returned(p.Wait)
			synctest.Wait()
			if isDone(waited) {
				t.Fatal("Wait returned while tasks were running")
			}
			pr.releaseAll()
			<-waited
			if _, ended, _ := pr.snapshot(); ended != n {
				t.Errorf("Wait returned after %d of %d tasks ended", ended, n)
			}
			p.Wait() // again, with nothing to wait for
			p.Close()
		})
	})
}

// TestClose checks that Close waits for running tasks, that Close is idempotent and
// concurrent calls all wait, and that Submit after Close returns pools.ErrClosed.
func TestClose(t *testing.T) {
	forEach(t, func(t *testing.T, e catalog.Entry) {
		synctest.Test(t, func(t *testing.T) {
			p := e.New(2)
			pr := newProbe(1)
			if err := p.Submit(context.Background(), pr.task(0)); err != nil {
				t.Fatalf("Submit = %v", err)
			}
			synctest.Wait()
			first, second := returned(p.Close), returned(p.Close)
			synctest.Wait()
			if isDone(first) || isDone(second) {
				t.Fatal("Close returned while a task was running")
			}
			pr.releaseAll()
			<-first
			<-second
			if _, ended, _ := pr.snapshot(); ended != 1 {
				t.Error("Close returned before the task ended")
			}
			ran := false
			if err := p.Submit(context.Background(), func() { ran = true }); !errors.Is(err, pools.ErrClosed) {
				t.Errorf("Submit after Close = %v, want %v", err, pools.ErrClosed)
			}
			if ts, ok := p.(pools.TrySubmitter); ok && ts.TrySubmit(func() { ran = true }) {
				t.Error("TrySubmit after Close = true, want false")
			}
			p.Close()
			p.Wait()
			if ran {
				t.Error("a task submitted after Close ran")
			}
		})
	})
}

// TestPanics checks each declared panic policy (Crashes is not exercised: it would kill the
// test binary).
func TestPanics(t *testing.T) {
	forEach(t, func(t *testing.T, e catalog.Entry) {
		switch e.Traits.Panics {
		case harness.Crashes:
			t.Skip("a panicking task crashes the process (Traits.Panics is Crashes)")
		case harness.Recovers:
			synctest.Test(t, func(t *testing.T) {
				p := e.New(1)
				for range 3 {
					if err := submitSettled(p, func() { panic("boom") }); err != nil {
						t.Fatalf("Submit(panicking task) = %v", err)
					}
				}
				ran := false
				if err := submitSettled(p, func() { ran = true }); err != nil {
					t.Fatalf("Submit after panics = %v", err)
				}
				p.Wait()
				p.Close()
				if !ran {
					t.Error("the pool did not run a task after panicking tasks")
				}
			})
		case harness.Repanics:
			synctest.Test(t, func(t *testing.T) {
				p := e.New(1)
				if err := p.Submit(context.Background(), func() { panic("boom") }); err != nil {
					t.Fatalf("Submit(panicking task) = %v", err)
				}
				if r := catch(p.Wait); r == nil {
					t.Error("Wait after a panicking task did not re-panic")
				}
				if r := catch(p.Wait); r != nil {
					t.Errorf("second Wait re-panicked again: %v", r)
				}
				if err := p.Submit(context.Background(), func() { panic("bang") }); err != nil {
					t.Fatalf("Submit(panicking task) = %v", err)
				}
				if r := catch(p.Close); r == nil {
					t.Error("Close after a panicking task did not re-panic")
				}
				if r := catch(p.Close); r != nil {
					t.Errorf("second Close panicked: %v", r)
				}
			})
		}
	})
}

// TestGoexit checks that, where Goexit is declared handled, a task calling runtime.Goexit
// frees its slot and Wait and Close still return.
func TestGoexit(t *testing.T) {
	forEach(t, func(t *testing.T, e catalog.Entry) {
		if e.Traits.Goexit == harness.GoexitUnsupported {
			t.Skip("Traits.Goexit is GoexitUnsupported")
		}
		synctest.Test(t, func(t *testing.T) {
			p := e.New(1)
			for range 3 {
				if err := submitSettled(p, runtime.Goexit); err != nil {
					t.Fatalf("Submit(Goexit task) = %v", err)
				}
			}
			ran := false
			if err := submitSettled(p, func() { ran = true }); err != nil {
				t.Fatalf("Submit after Goexit = %v", err)
			}
			p.Wait()
			p.Close()
			if !ran {
				t.Error("the pool did not run a task after Goexit tasks")
			}
		})
	})
}

// TestCancel checks, where ctx is honoured, that a Submit blocked when its ctx ends returns
// ctx.Err() and its task never runs, and that a done ctx fails even with a free slot.
func TestCancel(t *testing.T) {
	forEach(t, func(t *testing.T, e catalog.Entry) {
		if e.Traits.IgnoresCtx || e.Traits.Rejects || e.Traits.Queue != 0 {
			t.Skip("Submit does not block on ctx")
		}
		synctest.Test(t, func(t *testing.T) {
			p := e.New(1)
			pr := newProbe(1)
			if err := p.Submit(context.Background(), pr.task(0)); err != nil {
				t.Fatalf("Submit = %v", err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			ran := false
			var err error
			submitted := returned(func() { err = p.Submit(ctx, func() { ran = true }) })
			synctest.Wait()
			if isDone(submitted) {
				t.Fatalf("Submit on a full pool returned %v, want it to block", err)
			}
			cancel()
			<-submitted
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Submit after cancel = %v, want %v", err, context.Canceled)
			}
			pr.releaseAll()
			p.Wait()
			if err := p.Submit(ctx, func() { ran = true }); !errors.Is(err, context.Canceled) {
				t.Errorf("Submit(done ctx) on an idle pool = %v, want %v", err, context.Canceled)
			}
			p.Close()
			if ran {
				t.Error("a task whose Submit failed ran")
			}
		})
	})
}

// TestSubmitDuringWait runs submitters and waiters concurrently in real time, for the race
// detector: an adapter whose Wait were a bare sync.WaitGroup would be reported here.
func TestSubmitDuringWait(t *testing.T) {
	forEach(t, func(t *testing.T, e catalog.Entry) {
		if e.Traits.NoSubmitDuringWait {
			t.Skip("Traits.NoSubmitDuringWait")
		}
		p := e.New(2)
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for range 50 {
					if err := submitSettled(p, func() {}); err != nil {
						t.Errorf("Submit = %v", err)
						return
					}
				}
			})
		}
		wg.Go(func() {
			for range 50 {
				p.Wait()
			}
		})
		wg.Wait()
		p.Close()
	})
}

// submitSettled submits task, retrying while a rejecting pool is full: a slot is freed just
// after a task returns, so a rejecting pool may still be full for a moment.
func submitSettled(p pools.Pool, task func()) error {
	for {
		err := p.Submit(context.Background(), task)
		if !errors.Is(err, pools.ErrFull) {
			return err
		}
		runtime.Gosched()
	}
}

// catch calls f and returns what it panicked with, if anything.
func catch(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

func lookup(t *testing.T, name string) catalog.Entry {
	t.Helper()
	e, ok := catalog.Lookup(name)
	if !ok {
		t.Fatalf("no catalogue entry %q", name)
	}
	return e
}
