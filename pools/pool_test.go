package pools_test

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/poolcheck/poolcheck/pools"
)

// The behaviour every design shares is tested here, table-driven over every design and
// variant; each design's own file tests what only it promises.

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type design struct {
	name    string
	new     func(limit int) (pools.Pool, error)
	queue   int  // accepted tasks that may wait beyond the running ones, or pools.Unbounded
	rejects bool // when full, Submit returns ErrFull instead of blocking
	fifo    bool // blocked submitters are admitted in arrival order
}

// blocks reports whether a Submit can block, so a full pool can be made.
func (d design) blocks() bool { return !d.rejects && d.queue != pools.Unbounded }

func workers(opts ...pools.WorkersOption) func(int) (pools.Pool, error) {
	return func(limit int) (pools.Pool, error) { return pools.NewWorkers(limit, opts...) }
}

var designs = []design{
	{name: "mutex", new: func(n int) (pools.Pool, error) { return pools.NewMutex(n) }, fifo: true},
	{name: "channel", new: func(n int) (pools.Pool, error) { return pools.NewChannel(n) }},
	{name: "cond", new: func(n int) (pools.Pool, error) { return pools.NewCond(n) }},
	{name: "workers", new: workers(), queue: pools.Unbounded},
	{name: "workers-queue4", new: workers(pools.WithQueue(4)), queue: 4, fifo: true},
	{name: "workers-handoff", new: workers(pools.WithQueue(0)), fifo: true},
	{name: "workers-reject", new: workers(pools.WithQueue(4), pools.WithPolicy(pools.Reject)), queue: 4, rejects: true},
}

// forEach runs f as a subtest per design.
func forEach(t *testing.T, f func(t *testing.T, d design)) {
	for _, d := range designs {
		t.Run(d.name, func(t *testing.T) { f(t, d) })
	}
}

// inBubble runs f as a subtest per design, in a synctest bubble: virtual time, and a
// goroutine the pool leaves blocked fails the test.
func inBubble(t *testing.T, f func(t *testing.T, d design)) {
	forEach(t, func(t *testing.T, d design) {
		synctest.Test(t, func(t *testing.T) { f(t, d) })
	})
}

func newPool(t *testing.T, d design, limit int) pools.Pool {
	t.Helper()
	p, err := d.new(limit)
	if err != nil {
		t.Fatalf("new(%d) = %v", limit, err)
	}
	return p
}

var bg = context.Background()

func submit(t *testing.T, p pools.Pool, task func()) {
	t.Helper()
	if err := p.Submit(bg, task); err != nil {
		t.Fatalf("Submit = %v, want nil", err)
	}
}

// fill makes p full: limit+queue tasks accepted, each blocked until gate is closed.
func fill(t *testing.T, p pools.Pool, d design, limit int, gate chan struct{}) {
	t.Helper()
	for range limit + d.queue {
		submit(t, p, func() { <-gate })
	}
	synctest.Wait()
}

// async runs f on a new goroutine; the returned channel yields f's result.
func async(f func() error) <-chan error {
	c := make(chan error, 1)
	go func() { c <- f() }()
	return c
}

// returned reports whether c has a value ready, and it. Call synctest.Wait first.
func returned(c <-chan error) (bool, error) {
	select {
	case err := <-c:
		return true, err
	default:
		return false, nil
	}
}

// checkCapacity checks that an idle p still runs limit tasks at once: no slot was lost.
func checkCapacity(t *testing.T, p pools.Pool, limit int) {
	t.Helper()
	p.Wait()
	var running atomic.Int32
	gate := make(chan struct{})
	for range limit {
		submit(t, p, func() { running.Add(1); <-gate; running.Add(-1) })
	}
	synctest.Wait()
	if got := running.Load(); got != int32(limit) {
		t.Errorf("%d tasks running at once, want %d: a slot was lost", got, limit)
	}
	close(gate)
	p.Wait()
}

func TestInvalidArguments(t *testing.T) {
	forEach(t, func(t *testing.T, d design) {
		for _, limit := range []int{0, -1} {
			if _, err := d.new(limit); !errors.Is(err, pools.ErrLimit) {
				t.Errorf("new(%d) = %v, want ErrLimit", limit, err)
			}
		}
		p := newPool(t, d, 1)
		defer p.Close()
		if err := p.Submit(bg, nil); err != pools.ErrNilTask {
			t.Errorf("Submit(nil) = %v, want ErrNilTask", err)
		}
		if ts, ok := p.(pools.TrySubmitter); ok && ts.TrySubmit(nil) {
			t.Errorf("TrySubmit(nil) = true, want false")
		}
		if r, ok := p.(pools.Resizer); ok {
			if err := r.Resize(0); !errors.Is(err, pools.ErrLimit) {
				t.Errorf("Resize(0) = %v, want ErrLimit", err)
			}
		}
	})
}

func TestMaxConcurrencyAndExactlyOnce(t *testing.T) {
	const limit, submitters = 3, 30
	inBubble(t, func(t *testing.T, d design) {
		p := newPool(t, d, limit)
		var running, peak, accepted atomic.Int32
		runs := make([]atomic.Int32, submitters)
		var wg sync.WaitGroup
		for i := range submitters {
			wg.Go(func() {
				err := p.Submit(bg, func() {
					n := running.Add(1)
					for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
					}
					time.Sleep(time.Millisecond)
					running.Add(-1)
					runs[i].Add(1)
				})
				if err == nil {
					accepted.Add(1)
				} else if !d.rejects || err != pools.ErrFull {
					t.Errorf("Submit = %v", err)
				}
			})
		}
		wg.Wait()
		p.Close()
		if got := peak.Load(); got != limit {
			t.Errorf("at most %d tasks ran at once, want exactly %d", got, limit)
		}
		var ran int32
		for i := range runs {
			if n := runs[i].Load(); n > 1 {
				t.Errorf("task %d ran %d times", i, n)
			}
			ran += runs[i].Load()
		}
		want := int32(submitters)
		if d.rejects {
			want = int32(limit + d.queue) // every Submit came at virtual time 0
		}
		if got := accepted.Load(); got != want || ran != want {
			t.Errorf("accepted %d, ran %d, want %d", got, ran, want)
		}
	})
}

func TestFull(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		if d.queue == pools.Unbounded {
			t.Skip("never full")
		}
		p := newPool(t, d, 2)
		gate := make(chan struct{})
		fill(t, p, d, 2, gate)
		if ts, ok := p.(pools.TrySubmitter); ok && ts.TrySubmit(func() {}) {
			t.Errorf("TrySubmit on a full pool = true")
		}
		var ran atomic.Bool
		c := async(func() error { return p.Submit(bg, func() { ran.Store(true) }) })
		synctest.Wait()
		done, err := returned(c)
		switch {
		case d.rejects && (!done || err != pools.ErrFull):
			t.Errorf("Submit on a full rejecting pool = %v, %v; want ErrFull at once", done, err)
		case !d.rejects && done:
			t.Errorf("Submit on a full pool returned %v without blocking", err)
		}
		close(gate)
		if !d.rejects {
			if err := <-c; err != nil {
				t.Errorf("blocked Submit = %v after room came, want nil", err)
			}
		}
		p.Close()
		if ran.Load() == d.rejects {
			t.Errorf("task ran = %v, want %v", ran.Load(), !d.rejects)
		}
	})
}

func TestWait(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		p := newPool(t, d, 2)
		defer p.Close()
		p.Wait() // nothing to wait for
		var done atomic.Int32
		for i := range 5 {
			submit(t, p, func() { time.Sleep(time.Duration(i) * time.Millisecond); done.Add(1) })
		}
		p.Wait()
		if got := done.Load(); got != 5 {
			t.Errorf("Wait returned with %d of 5 tasks finished", got)
		}
		p.Wait()
	})
}

func TestWaitIgnoresLaterTasks(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		p := newPool(t, d, 2)
		defer p.Close()
		start := time.Now()
		submit(t, p, func() { time.Sleep(time.Millisecond) })
		waited := make(chan time.Duration, 1)
		go func() { p.Wait(); waited <- time.Since(start) }()
		synctest.Wait() // Wait has begun
		submit(t, p, func() { time.Sleep(time.Hour) })
		if got := <-waited; got != time.Millisecond {
			t.Errorf("Wait returned after %v, want 1ms: it waited for a later task", got)
		}
	})
}

// TestWaitDuringSubmit runs in real time so that -race sees Wait overlap Submit.
func TestWaitDuringSubmit(t *testing.T) {
	forEach(t, func(t *testing.T, d design) {
		p := newPool(t, d, 2)
		defer p.Close()
		var ran, accepted atomic.Int32
		var submitters sync.WaitGroup
		for range 4 {
			submitters.Go(func() {
				for range 100 {
					if p.Submit(bg, func() { ran.Add(1) }) == nil {
						accepted.Add(1)
					}
				}
			})
		}
		stop := make(chan struct{})
		waiter := async(func() error {
			for {
				select {
				case <-stop:
					return nil
				default:
					p.Wait()
				}
			}
		})
		submitters.Wait()
		p.Wait()
		if got, want := ran.Load(), accepted.Load(); got != want {
			t.Errorf("after Wait %d tasks ran, want %d", got, want)
		}
		close(stop)
		<-waiter
	})
}

func TestClose(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		p := newPool(t, d, 2)
		var done atomic.Int32
		for range 4 {
			submit(t, p, func() { time.Sleep(time.Millisecond); done.Add(1) })
		}
		p.Close()
		if got := done.Load(); got != 4 {
			t.Errorf("Close returned with %d of 4 tasks finished", got)
		}
		p.Close()
		p.Wait()
		if err := p.Submit(bg, func() { t.Error("task ran after Close") }); err != pools.ErrClosed {
			t.Errorf("Submit after Close = %v, want ErrClosed", err)
		}
		if ts, ok := p.(pools.TrySubmitter); ok && ts.TrySubmit(func() { t.Error("task ran after Close") }) {
			t.Errorf("TrySubmit after Close = true")
		}
	})
}

func TestCloseRefusesBlockedSubmit(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		if !d.blocks() {
			t.Skip("Submit never blocks")
		}
		p := newPool(t, d, 1)
		gate := make(chan struct{})
		fill(t, p, d, 1, gate)
		blocked := async(func() error { return p.Submit(bg, func() { t.Error("refused task ran") }) })
		closed := async(func() error { p.Close(); return nil })
		synctest.Wait()
		if done, err := returned(blocked); !done || err != pools.ErrClosed {
			t.Errorf("blocked Submit during Close = %v, %v; want ErrClosed at once", done, err)
		}
		if done, _ := returned(closed); done {
			t.Errorf("Close returned before its tasks finished")
		}
		close(gate)
		<-closed
	})
}

func TestCancelBlockedSubmit(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		if !d.blocks() {
			t.Skip("Submit never blocks")
		}
		p := newPool(t, d, 1)
		defer p.Close()
		gate := make(chan struct{})
		fill(t, p, d, 1, gate)
		never := func() { t.Error("task of a canceled Submit ran") }

		ctx, cancel := context.WithCancel(bg)
		canceled := async(func() error { return p.Submit(ctx, never) })
		start := time.Now()
		timedOut := async(func() error {
			ctx, cancel := context.WithTimeout(bg, time.Second)
			defer cancel()
			return p.Submit(ctx, never)
		})
		synctest.Wait()
		if done, err := returned(canceled); done {
			t.Fatalf("Submit on a full pool returned %v without blocking", err)
		}
		cancel()
		synctest.Wait()
		if done, err := returned(canceled); !done || err != context.Canceled {
			t.Errorf("Submit after cancel = %v, %v; want context.Canceled at once", done, err)
		}
		if err := <-timedOut; err != context.DeadlineExceeded || time.Since(start) != time.Second {
			t.Errorf("Submit with a 1s timeout = %v after %v, want DeadlineExceeded after 1s", err, time.Since(start))
		}
		close(gate)
		checkCapacity(t, p, 1)
	})
}

func TestDoneCtxFails(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		p := newPool(t, d, 1)
		defer p.Close()
		ctx, cancel := context.WithCancel(bg)
		cancel()
		if err := p.Submit(ctx, func() { t.Error("task ran") }); err != context.Canceled {
			t.Errorf("Submit with a done ctx = %v, want context.Canceled", err)
		}
	})
}

// TestCancelAsSlotFrees ends a blocked Submit's ctx at the very instant a slot frees. Either
// outcome is right; a lost slot, a lost wakeup or a task run after an error is not.
func TestCancelAsSlotFrees(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		if !d.blocks() {
			t.Skip("Submit never blocks")
		}
		const limit = 2
		p := newPool(t, d, limit)
		defer p.Close()
		for range 20 {
			for range limit + d.queue {
				submit(t, p, func() { time.Sleep(time.Millisecond) })
			}
			var ran atomic.Int32
			ctx, cancel := context.WithTimeout(bg, time.Millisecond)
			c1 := async(func() error { return p.Submit(ctx, func() { ran.Add(1) }) })
			c2 := async(func() error { return p.Submit(bg, func() { ran.Add(1) }) }) // must not starve
			err := <-c1
			cancel()
			if err2 := <-c2; err2 != nil {
				t.Fatalf("second Submit = %v", err2)
			}
			p.Wait()
			switch want := int32(1); {
			case err == nil:
				want = 2
				fallthrough
			case err == context.DeadlineExceeded:
				if got := ran.Load(); got != want {
					t.Fatalf("Submit = %v, and %d tasks ran, want %d", err, got, want)
				}
			default:
				t.Fatalf("Submit = %v", err)
			}
			checkCapacity(t, p, limit)
		}
	})
}

// TestCancelThenSlotFrees ends a blocked Submit's ctx just before a slot frees, from the
// task holding the slot: ctx ended first, so Submit must fail and its task never run, even in
// a pool that could grant the slot and start the task before the submitter wakes.
func TestCancelThenSlotFrees(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		if !d.blocks() {
			t.Skip("Submit never blocks")
		}
		p := newPool(t, d, 1)
		defer p.Close()
		ctx, cancel := context.WithCancel(bg)
		gate := make(chan struct{})
		submit(t, p, func() { <-gate; cancel() })
		for range d.queue {
			submit(t, p, func() {})
		}
		blocked := async(func() error { return p.Submit(ctx, func() { t.Error("task of a canceled Submit ran") }) })
		synctest.Wait()
		close(gate)
		if err := <-blocked; err != context.Canceled {
			t.Errorf("Submit whose ctx ended before room came = %v, want context.Canceled", err)
		}
		checkCapacity(t, p, 1)
	})
}

func TestPanicFreesSlot(t *testing.T) {
	testAbnormalEnd(t, func() { panic("boom") })
}

func TestGoexitFreesSlot(t *testing.T) {
	testAbnormalEnd(t, runtime.Goexit)
}

func testAbnormalEnd(t *testing.T, end func()) {
	inBubble(t, func(t *testing.T, d design) {
		p := newPool(t, d, 1)
		defer p.Close()
		for range 3 {
			submit(t, p, func() { time.Sleep(time.Millisecond); end() })
		}
		p.Wait()
		checkCapacity(t, p, 1)
	})
}

// TestNoLeak runs in real time: goleak checks that Close leaves no pool goroutine behind.
func TestNoLeak(t *testing.T) {
	forEach(t, func(t *testing.T, d design) {
		defer goleak.VerifyNone(t)
		p := newPool(t, d, 4)
		for i := range 20 {
			task := func() {}
			switch i % 4 {
			case 1:
				task = func() { panic(i) }
			case 2:
				task = runtime.Goexit
			}
			if err := p.Submit(bg, task); err != nil && err != pools.ErrFull {
				t.Fatal(err)
			}
		}
		p.Close()
	})
}

func TestResize(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		p := newPool(t, d, 1)
		r, ok := p.(pools.Resizer)
		if !ok {
			t.Skip("not a Resizer")
		}
		defer p.Close()
		var started []int // guarded by mu
		var mu sync.Mutex
		gates := make([]chan struct{}, 4)
		results := make([]<-chan error, 4)
		for i := range gates {
			gates[i] = make(chan struct{})
			results[i] = async(func() error {
				return p.Submit(bg, func() {
					mu.Lock()
					started = append(started, i)
					mu.Unlock()
					<-gates[i]
				})
			})
			synctest.Wait() // fixes the arrival order
		}
		check := func(when string, want ...int) {
			t.Helper()
			synctest.Wait()
			mu.Lock()
			defer mu.Unlock()
			if len(started) != len(want) {
				t.Fatalf("%s: started %v, want %d tasks", when, started, len(want))
			}
			// Tasks admitted together may start in any order; a FIFO pool admits the
			// oldest submitters.
			if got := slices.Sorted(slices.Values(started)); d.fifo && !slices.Equal(got, want) {
				t.Fatalf("%s: started %v, want %v in any order", when, started, want)
			}
		}
		check("limit 1", 0)
		if err := r.Resize(3); err != nil {
			t.Fatal(err)
		}
		check("grown to 3", 0, 1, 2)
		if err := r.Resize(1); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		first, second := started[1], started[2]
		mu.Unlock()
		released := make([]bool, len(gates))
		release := func(i int) {
			if !released[i] {
				released[i] = true
				close(gates[i])
			}
		}
		release(0)
		release(first)
		check("shrunk to 1 with 1 running", 0, 1, 2)
		release(second)
		check("shrunk to 1 with 0 running", 0, 1, 2, 3)
		for i := range gates {
			release(i)
		}
		for _, c := range results {
			if err := <-c; err != nil {
				t.Errorf("Submit = %v", err)
			}
		}
	})
}

func TestTrySubmit(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		p := newPool(t, d, 1)
		ts, ok := p.(pools.TrySubmitter)
		if !ok {
			t.Skip("not a TrySubmitter")
		}
		var ran atomic.Int32
		if !ts.TrySubmit(func() { ran.Add(1) }) {
			t.Errorf("TrySubmit on an idle pool = false")
		}
		p.Close()
		if ran.Load() != 1 {
			t.Errorf("task accepted by TrySubmit did not run")
		}
	})
}

func TestFIFO(t *testing.T) {
	inBubble(t, func(t *testing.T, d design) {
		if !d.fifo || !d.blocks() {
			t.Skip("no FIFO promise for blocked submitters")
		}
		p := newPool(t, d, 1)
		defer p.Close()
		gate := make(chan struct{})
		fill(t, p, d, 1, gate)
		var order []int // appended by tasks that run one at a time
		var results []<-chan error
		for i := range 5 {
			results = append(results, async(func() error {
				return p.Submit(bg, func() { order = append(order, i) })
			}))
			synctest.Wait()
		}
		close(gate)
		for _, c := range results {
			if err := <-c; err != nil {
				t.Fatal(err)
			}
		}
		p.Wait()
		for i, v := range order {
			if i != v {
				t.Fatalf("blocked submitters ran in order %v, want arrival order", order)
			}
		}
	})
}
