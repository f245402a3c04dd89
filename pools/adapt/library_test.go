package adapt_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// toy is a library with neither Wait nor a closed state: Go blocks while limit tasks run,
// ignores ctx, runs each task in a goroutine of its own and recovers its panics. It counts
// its calls, so a test can tell when the kit did not call it.
type toy struct {
	sem   chan struct{}
	calls atomic.Int32
	wg    sync.WaitGroup // its goroutines, for Stop
}

func newToy(limit int) *toy { return &toy{sem: make(chan struct{}, limit)} }

func (l *toy) Go(_ context.Context, task func()) error {
	l.calls.Add(1)
	l.sem <- struct{}{}
	l.start(task)
	return nil
}

// start runs task, which holds a slot, in a goroutine that frees the slot and recovers a
// panic.
func (l *toy) start(task func()) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer func() { <-l.sem }()
		defer func() { _ = recover() }()
		task()
	}()
}

func (l *toy) TryGo(task func()) bool {
	l.calls.Add(1)
	select {
	case l.sem <- struct{}{}:
	default:
		return false
	}
	l.start(task)
	return true
}

func mustNew(t *testing.T, lib adapt.Library) pools.Pool {
	t.Helper()
	p, err := adapt.New(lib)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNewRejectsMalformedLibrary(t *testing.T) {
	if _, err := adapt.New(adapt.Library{}); err == nil {
		t.Error("New with no Submit succeeded")
	}
	l := newToy(1)
	if _, err := adapt.New(adapt.Library{Submit: l.Go, Close: func() {}, Stop: func() {}}); err == nil {
		t.Error("New with both Close and Stop succeeded")
	}
}

// The pool has exactly the optional interfaces whose functions the library gave.
func TestNewOptionalInterfaces(t *testing.T) {
	l := newToy(1)
	resize := func(int) error { return nil }
	for _, c := range []struct {
		name        string
		lib         adapt.Library
		try, resize bool
	}{
		{"plain", adapt.Library{Submit: l.Go}, false, false},
		{"try", adapt.Library{Submit: l.Go, TrySubmit: l.TryGo}, true, false},
		{"resize", adapt.Library{Submit: l.Go, Resize: resize}, false, true},
		{"both", adapt.Library{Submit: l.Go, TrySubmit: l.TryGo, Resize: resize}, true, true},
	} {
		p := mustNew(t, c.lib)
		_, try := p.(pools.TrySubmitter)
		_, rs := p.(pools.Resizer)
		if try != c.try || rs != c.resize {
			t.Errorf("%s: TrySubmitter %v, Resizer %v; want %v, %v", c.name, try, rs, c.try, c.resize)
		}
		p.Close()
	}
}

func TestResizeRejectsBadLimit(t *testing.T) {
	l := newToy(1)
	var got []int
	p := mustNew(t, adapt.Library{Submit: l.Go, Resize: func(n int) error { got = append(got, n); return nil }})
	defer p.Close()
	r := p.(pools.Resizer)
	if err := r.Resize(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("Resize(0) = %v, want %v", err, pools.ErrLimit)
	}
	if err := r.Resize(3); err != nil {
		t.Errorf("Resize(3) = %v", err)
	}
	if len(got) != 1 || got[0] != 3 {
		t.Errorf("the library's Resize got %v, want [3]", got)
	}
}

// A nil task, a done ctx and a Submit after Close are answered by the kit: the library is
// never called and nothing runs.
func TestSubmitRefusals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newToy(1)
		p := mustNew(t, adapt.Library{Submit: l.Go, TrySubmit: l.TryGo})
		ran := false
		task := func() { ran = true }
		if err := p.Submit(context.Background(), nil); !errors.Is(err, pools.ErrNilTask) {
			t.Errorf("Submit(nil) = %v, want %v", err, pools.ErrNilTask)
		}
		if p.(pools.TrySubmitter).TrySubmit(nil) {
			t.Error("TrySubmit(nil) = true")
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := p.Submit(ctx, task); !errors.Is(err, context.Canceled) {
			t.Errorf("Submit(done ctx) = %v, want %v", err, context.Canceled)
		}
		p.Close()
		if err := p.Submit(context.Background(), task); !errors.Is(err, pools.ErrClosed) {
			t.Errorf("Submit after Close = %v, want %v", err, pools.ErrClosed)
		}
		if p.(pools.TrySubmitter).TrySubmit(task) {
			t.Error("TrySubmit after Close = true")
		}
		synctest.Wait()
		if n := l.calls.Load(); n != 0 || ran {
			t.Errorf("the library was called %d times, task ran %v; want 0, false", n, ran)
		}
	})
}

// Close, with the kit's closed state, waits for a Submit blocked in the library (it gets
// in as the running task ends), then for both tasks, then calls Stop once; a second,
// concurrent Close returns only after that.
func TestCloseOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newToy(1)
		var mu sync.Mutex
		var events []string
		log := func(s string) { mu.Lock(); events = append(events, s); mu.Unlock() }
		stops := 0
		p := mustNew(t, adapt.Library{Submit: l.Go, Stop: func() { stops++; l.wg.Wait(); log("stop") }})
		gate1, gate2 := make(chan struct{}), make(chan struct{})
		if err := p.Submit(context.Background(), func() { <-gate1; log("task 1") }); err != nil {
			t.Fatal(err)
		}
		submitted := returned(func() {
			if err := p.Submit(context.Background(), func() { <-gate2; log("task 2") }); err != nil {
				t.Errorf("Submit blocked when Close began = %v, want nil", err)
			}
		})
		synctest.Wait()
		c1 := returned(p.Close)
		c2 := returned(p.Close)
		synctest.Wait()
		if isDone(c1) || isDone(c2) || isDone(submitted) {
			t.Fatal("Close or the blocked Submit returned while task 1 ran")
		}
		close(gate1)
		<-submitted
		synctest.Wait()
		if isDone(c1) || isDone(c2) {
			t.Fatal("Close returned while task 2 ran")
		}
		close(gate2)
		<-c1
		<-c2
		want := []string{"task 1", "task 2", "stop"}
		if len(events) != len(want) || events[0] != want[0] || events[1] != want[1] || events[2] != want[2] || stops != 1 {
			t.Errorf("events %v, stops %d; want %v, 1", events, stops, want)
		}
	})
}

// With the library's own Close, the kit calls it at once, once, even while a Submit is
// blocked in the library (which the library's Close must wake), and refuses later Submits
// without calling the library.
func TestLibraryCloseCalledAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		closed := make(chan struct{})
		slot := make(chan struct{}, 1)
		closes := 0
		submit := func(_ context.Context, task func()) error {
			select {
			case slot <- struct{}{}:
				go func() { defer func() { <-slot }(); task() }()
				return nil
			case <-closed:
				return pools.ErrClosed
			}
		}
		p := mustNew(t, adapt.Library{Submit: submit, Close: func() { closes++; close(closed) }})
		gate := make(chan struct{})
		if err := p.Submit(context.Background(), func() { <-gate }); err != nil {
			t.Fatal(err)
		}
		blocked := make(chan error, 1)
		go func() { blocked <- p.Submit(context.Background(), func() { t.Error("a refused task ran") }) }()
		synctest.Wait()
		p.Close() // does not wait for the blocked Submit
		if err := <-blocked; !errors.Is(err, pools.ErrClosed) {
			t.Errorf("blocked Submit woken by the library's Close = %v, want %v", err, pools.ErrClosed)
		}
		p.Close()
		if closes != 1 {
			t.Errorf("the library's Close ran %d times, want 1", closes)
		}
		close(gate)
	})
}

// With the library's own Wait, the kit does not track tasks: Wait is the library's.
func TestLibraryWaitUsed(t *testing.T) {
	waits := 0
	l := newToy(1)
	p := mustNew(t, adapt.Library{Submit: l.Go, Wait: func() { waits++; l.wg.Wait() }})
	p.Wait()
	p.Close() // Close waits with the library's Wait too
	if waits != 2 {
		t.Errorf("the library's Wait ran %d times, want 2", waits)
	}
}

// A task the library refuses is not counted, so Wait does not wait for it.
func TestRefusedTaskNotCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		refuse := errors.New("refused")
		p := mustNew(t, adapt.Library{Submit: func(context.Context, func()) error { return refuse }})
		if err := p.Submit(context.Background(), func() {}); !errors.Is(err, refuse) {
			t.Errorf("Submit = %v, want the library's error", err)
		}
		<-returned(p.Wait)
		p.Close()
	})
}
