package broken

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/pools"
)

// Each test demonstrates its pool's bug directly, in a synctest bubble, with no harness:
// the corpus is shown broken independently of the harness that must catch it. Every test
// ends cleanly: it releases what it holds and closes the pool (or undoes a leak by hand).

// probe makes tasks that count how many run at once and hold their slot until handed a
// token: release(n) lets n running tasks end, one each.
type probe struct {
	tokens        chan struct{}
	running, peak atomic.Int32
	starts, ends  atomic.Int32
}

func newProbe() *probe { return &probe{tokens: make(chan struct{})} }

func (pr *probe) task() func() {
	return func() {
		pr.starts.Add(1)
		n := pr.running.Add(1)
		for old := pr.peak.Load(); n > old && !pr.peak.CompareAndSwap(old, n); old = pr.peak.Load() {
		}
		<-pr.tokens
		pr.running.Add(-1)
		pr.ends.Add(1)
	}
}

func (pr *probe) release(n int) {
	for range n {
		pr.tokens <- struct{}{}
	}
}

func (pr *probe) releaseAll() { close(pr.tokens) }

// submitAsync submits task from a new goroutine; the result arrives on the channel.
func submitAsync(ctx context.Context, p pools.Pool, task func()) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- p.Submit(ctx, task) }()
	return errc
}

// returned reports whether a result is ready on errc, without blocking.
func returned(errc <-chan error) (error, bool) {
	select {
	case err := <-errc:
		return err, true
	default:
		return nil, false
	}
}

func mustSubmit(t *testing.T, p pools.Pool, task func()) {
	t.Helper()
	if err := p.Submit(context.Background(), task); err != nil {
		t.Fatalf("Submit: %v", err)
	}
}

// overrun submits limit+waiters probe tasks at once, lets one running task end, and
// returns the most tasks seen running at once.
func overrun(t *testing.T, p pools.Pool, limit, waiters int) int32 {
	t.Helper()
	pr := newProbe()
	var errcs []<-chan error
	for range limit + waiters {
		errcs = append(errcs, submitAsync(context.Background(), p, pr.task()))
	}
	synctest.Wait() // limit tasks run, waiters submitters are blocked
	if got := pr.peak.Load(); got != int32(limit) {
		t.Fatalf("before any task ended: %d tasks ran at once, want %d", got, limit)
	}
	pr.release(1)
	synctest.Wait()
	peak := pr.peak.Load()
	pr.releaseAll()
	for _, errc := range errcs {
		if err := <-errc; err != nil {
			t.Errorf("Submit: %v", err)
		}
	}
	p.Close()
	return peak
}

func TestBroadcastNoRecheckBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		if peak := overrun(t, NewBroadcastNoRecheck(3), 3, 3); peak <= 3 {
			t.Fatalf("max-concurrency held: peak %d with limit 3", peak)
		} else {
			t.Logf("limit 3: %d tasks ran at once", peak)
		}
	})
}

func TestEventNoRecheckBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		if peak := overrun(t, NewEventNoRecheck(3), 3, 3); peak <= 3 {
			t.Fatalf("max-concurrency held: peak %d with limit 3", peak)
		} else {
			t.Logf("limit 3: %d tasks ran at once", peak)
		}
	})
}

func TestOffByOneBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewOffByOne(2)
		pr := newProbe()
		for range 3 {
			mustSubmit(t, p, pr.task()) // none of them blocks
		}
		synctest.Wait()
		if got := pr.running.Load(); got != 3 {
			t.Fatalf("%d tasks running with limit 2, want the bug's 3", got)
		}
		pr.releaseAll()
		p.Close()
	})
}

// The check-then-act window is a few instructions wide: only real parallelism finds it,
// and not every time. This test only logs what it saw; package stress is what must catch it.
func TestCheckThenActBreaksProperty(t *testing.T) {
	if testing.Short() {
		t.Skip("probabilistic; logs only")
	}
	const limit, submitters, each = 2, 16, 1000
	p := NewCheckThenAct(limit)
	var running, peak atomic.Int32
	task := func() {
		n := running.Add(1)
		for old := peak.Load(); n > old && !peak.CompareAndSwap(old, n); old = peak.Load() {
		}
		for range 3 {
			runtime.Gosched()
		}
		running.Add(-1)
	}
	done := make(chan struct{})
	for range submitters {
		go func() {
			defer func() { done <- struct{}{} }()
			for range each {
				if err := p.Submit(context.Background(), task); err != nil {
					t.Errorf("Submit: %v", err)
					return
				}
			}
		}()
	}
	for range submitters {
		<-done
	}
	p.Close()
	t.Logf("limit %d, GOMAXPROCS %d: at most %d tasks seen at once (more than %d shows the bug)",
		limit, runtime.GOMAXPROCS(0), peak.Load(), limit)
}

func TestRetryOnPanicBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewRetryOnPanic(2)
		var runs atomic.Int32
		mustSubmit(t, p, func() {
			runs.Add(1)
			panic("task failed")
		})
		p.Wait()
		if n := runs.Load(); n != 2 {
			t.Fatalf("the panicking task ran %d times, want the bug's 2", n)
		}
		p.Close()
	})
}

func TestRedeliverOnGoexitBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewRedeliverOnGoexit(2)
		var runs atomic.Int32
		mustSubmit(t, p, func() {
			runs.Add(1)
			runtime.Goexit()
		})
		p.Wait()
		if n := runs.Load(); n != 2 {
			t.Fatalf("the Goexit task ran %d times, want the bug's 2", n)
		}
		p.Close()
	})
}

func TestWaitCountsRunningBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewWaitCountsRunning(1)
		pr := newProbe()
		mustSubmit(t, p, pr.task()) // runs
		mustSubmit(t, p, pr.task()) // accepted, queued behind it
		synctest.Wait()
		waited := make(chan struct{})
		go func() {
			p.Wait()
			close(waited)
		}()
		synctest.Wait()
		pr.release(1) // the first task ends; the second takes the slot
		synctest.Wait()
		select {
		case <-waited:
			if n := pr.ends.Load(); n != 1 {
				t.Fatalf("%d tasks had ended", n)
			}
			t.Logf("Wait returned while accepted task 2 had not finished")
		default:
			t.Fatal("Wait still waits for the queued task: the bug is gone")
		}
		pr.releaseAll()
		p.Close()
	})
}

func TestWaitUntilCloseBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewWaitUntilClose(2)
		var ran atomic.Bool
		mustSubmit(t, p, func() { ran.Store(true) })
		waited := make(chan struct{})
		go func() {
			p.Wait()
			close(waited)
		}()
		synctest.Wait()
		if !ran.Load() {
			t.Fatal("the task did not run")
		}
		select {
		case <-waited:
			t.Fatal("Wait returned: the bug is gone")
		default:
			t.Logf("the work is done and Wait still blocks")
		}
		p.Close() // only Close lets Wait return
		<-waited
	})
}

func TestCloseNoRecheckBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewCloseNoRecheck(1)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		errc := submitAsync(context.Background(), p, pr.task()) // blocks: the slot is taken
		synctest.Wait()
		closed := make(chan struct{})
		go func() {
			p.Close()
			close(closed)
		}()
		synctest.Wait()
		pr.release(1) // the running task ends: Close returns, the blocked Submit gets the slot
		synctest.Wait()
		<-closed
		if err, ok := returned(errc); !ok || err != nil {
			t.Fatalf("blocked Submit: returned %v, err %v; want it accepted", ok, err)
		}
		if pr.starts.Load() != 2 || pr.running.Load() != 1 {
			t.Fatalf("starts %d, running %d: want the second task running after Close returned",
				pr.starts.Load(), pr.running.Load())
		}
		t.Logf("Close returned; then a task was accepted and is running")
		pr.releaseAll()
		p.Wait()
	})
}

func TestFullOnCloseBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewFullOnClose(1)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		errc := submitAsync(context.Background(), p, pr.task()) // blocks: the slot is taken
		synctest.Wait()
		closed := make(chan struct{})
		go func() {
			p.Close()
			close(closed)
		}()
		synctest.Wait()
		if err, ok := returned(errc); !ok || !errors.Is(err, pools.ErrFull) {
			t.Fatalf("blocked Submit woken by Close: returned %v, err %v; want ErrFull (the bug)", ok, err)
		}
		t.Logf("a Submit blocked on a pool that blocks when full returned ErrFull when Close began")
		pr.releaseAll()
		<-closed
		if err := p.Submit(context.Background(), func() {}); !errors.Is(err, pools.ErrClosed) {
			t.Fatalf("Submit after Close: %v, want ErrClosed", err)
		}
	})
}

func TestCloseTwicePanicsBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewCloseTwicePanics(2)
		mustSubmit(t, p, func() {})
		p.Close()
		defer func() {
			if r := recover(); r == nil {
				t.Fatal("the second Close did not panic")
			} else {
				t.Logf("second Close panicked: %v", r)
			}
		}()
		p.Close()
	})
}

func TestCloseReturnsEarlyBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewCloseReturnsEarly(2)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		synctest.Wait()
		p.Close() // returns although the task is still running
		if n := pr.running.Load(); n != 1 {
			t.Fatalf("%d tasks running after Close returned, want the bug's 1", n)
		}
		if err := p.Submit(context.Background(), func() {}); !errors.Is(err, pools.ErrClosed) {
			t.Fatalf("Submit after Close: %v", err)
		}
		pr.releaseAll()
		p.Wait()
	})
}

func TestCloseAgainEarlyBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewCloseAgainEarly(2)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		synctest.Wait()
		first := make(chan struct{})
		go func() { p.Close(); close(first) }()
		synctest.Wait() // the first Close waits for the task
		p.Close()       // returns at once, although the task still runs
		if n := pr.running.Load(); n != 1 {
			t.Fatalf("%d tasks running after the second Close returned, want the bug's 1", n)
		}
		pr.releaseAll()
		<-first
	})
}

func TestQueueDrainedBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewQueueDrained(1, 2)
		pr := newProbe()
		var errcs []<-chan error
		for range 6 { // 1 slot and 2 queue places: 3 should wait in Submit
			errcs = append(errcs, submitAsync(context.Background(), p, pr.task()))
		}
		synctest.Wait()
		accepted := 0
		for _, errc := range errcs {
			if _, ok := returned(errc); ok {
				accepted++
			}
		}
		if accepted != 6 {
			t.Fatalf("%d of 6 Submits returned with 1 slot and a queue of 2, want the bug's 6", accepted)
		}
		pr.releaseAll()
		p.Close()
	})
}

func TestRejectEarlyBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewRejectEarly(1, 2)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		synctest.Wait() // the task runs; the queue (2 places) is empty
		mustSubmit(t, p, pr.task())
		if err := p.Submit(context.Background(), pr.task()); !errors.Is(err, pools.ErrFull) {
			t.Fatalf("Submit with a queue place free = %v, want the bug's ErrFull", err)
		}
		pr.releaseAll()
		p.Close()
	})
}

// goroutinesIn counts the goroutines whose stack holds fn.
func goroutinesIn(fn string) int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, fn) {
			n++
		}
	}
	return n
}

func TestLeakyWorkersBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewLeakyWorkers(2)
		mustSubmit(t, p, func() {})
		p.Close()
		synctest.Wait()
		if n := goroutinesIn("broken.(*LeakyWorkers).worker"); n != 2 {
			t.Fatalf("%d workers left after Close, want the bug's 2", n)
		}
		close(p.work) // undo the leak, or the bubble fails
	})
}

func TestTickerLeakBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewTickerLeak(2)
		mustSubmit(t, p, func() {})
		p.Close()
		time.Sleep(3 * sampleEvery) // it is still sampling
		synctest.Wait()
		if n := goroutinesIn("broken.(*TickerLeak).sample"); n != 1 {
			t.Fatalf("%d samplers left after Close, want the bug's 1", n)
		}
		close(p.stop) // undo the leak, or the bubble fails
	})
}

func TestIgnoresCtxBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewIgnoresCtx(1)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		ctx, cancel := context.WithCancel(context.Background())
		errc := submitAsync(ctx, p, pr.task())
		synctest.Wait()
		cancel()
		synctest.Wait()
		if _, ok := returned(errc); ok {
			t.Fatal("Submit returned when its ctx ended: the bug is gone")
		}
		pr.release(1)
		synctest.Wait()
		if err := <-errc; err != nil || pr.starts.Load() != 2 {
			t.Fatalf("Submit: %v, starts %d; want nil and the cancelled task started", err, pr.starts.Load())
		}
		t.Logf("a Submit cancelled while blocked returned nil later and ran its task")
		pr.releaseAll()
		p.Close()
	})
}

func TestCtxOnWakeupBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewCtxOnWakeup(1)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		start := time.Now()
		errc := submitAsync(ctx, p, pr.task())
		time.Sleep(10 * time.Millisecond) // the ctx ended 9ms ago
		synctest.Wait()
		if _, ok := returned(errc); ok {
			t.Fatal("Submit returned when its ctx ended: the bug is gone")
		}
		pr.release(1) // a task ends, Broadcast: only now does Submit look at ctx
		synctest.Wait()
		if err := <-errc; !errors.Is(err, context.DeadlineExceeded) || pr.starts.Load() != 1 {
			t.Fatalf("Submit: %v, starts %d; want DeadlineExceeded and no start", err, pr.starts.Load())
		}
		t.Logf("ctx ended at 1ms; Submit returned its error at %v", time.Since(start))
		pr.releaseAll()
		p.Close()
	})
}

func TestPanicLeaksSlotBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPanicLeaksSlot(1)
		mustSubmit(t, p, func() { panic("task failed") })
		p.Wait()
		errc := submitAsync(context.Background(), p, func() {})
		synctest.Wait()
		if _, ok := returned(errc); ok {
			t.Fatal("Submit got the slot: the bug is gone")
		}
		t.Logf("nothing runs, and Submit is blocked for good")
		p.Close() // lets the blocked Submit return ErrClosed
		if err := <-errc; !errors.Is(err, pools.ErrClosed) {
			t.Fatalf("Submit: %v", err)
		}
	})
}

func TestLostWakeupBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewLostWakeup(1)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		ctx, cancel := context.WithCancel(context.Background())
		cancelled := submitAsync(ctx, p, pr.task())
		synctest.Wait()
		cancel()
		if err := <-cancelled; !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled Submit: %v", err)
		}
		errc := submitAsync(context.Background(), p, pr.task())
		synctest.Wait()
		pr.release(1) // the slot is handed to the cancelled submitter, who has gone
		synctest.Wait()
		if _, ok := returned(errc); ok || pr.running.Load() != 0 {
			t.Fatalf("Submit returned %v with %d running: the bug is gone", ok, pr.running.Load())
		}
		t.Logf("nothing runs, and Submit is blocked for good")
		p.Close()
		if err := <-errc; !errors.Is(err, pools.ErrClosed) {
			t.Fatalf("Submit: %v", err)
		}
	})
}

func TestGoexitKillsWorkerBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewGoexitKillsWorker(1)
		mustSubmit(t, p, runtime.Goexit)
		p.Wait()
		errc := submitAsync(context.Background(), p, func() {})
		synctest.Wait()
		if _, ok := returned(errc); ok {
			t.Fatal("Submit found a worker: the bug is gone")
		}
		t.Logf("the only worker is gone, and Submit is blocked for good")
		p.Close()
		if err := <-errc; !errors.Is(err, pools.ErrClosed) {
			t.Fatalf("Submit: %v", err)
		}
	})
}

func TestBatchBarrierBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewBatchBarrier(2)
		start := time.Now()
		var third time.Duration
		mustSubmit(t, p, func() { time.Sleep(10 * time.Millisecond) })
		mustSubmit(t, p, func() { time.Sleep(time.Millisecond) })
		mustSubmit(t, p, func() { third = time.Since(start) })
		p.Wait()
		if third < 10*time.Millisecond {
			t.Fatalf("the third task started at %v: no barrier", third)
		}
		t.Logf("limit 2: a slot was free from 1ms, the third task started at %v", third)
		p.Close()
	})
}

func TestPollSleepBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPollSleep(1)
		start := time.Now()
		var second time.Duration
		mustSubmit(t, p, func() { time.Sleep(3 * time.Millisecond) })
		mustSubmit(t, p, func() { second = time.Since(start) }) // polls
		p.Wait()
		if second <= 3*time.Millisecond {
			t.Fatalf("the second task started at %v, as soon as the slot freed", second)
		}
		t.Logf("the slot freed at 3ms, the second task started at %v", second)
		p.Close()
	})
}

func TestCloseSignalsOneBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewCloseSignalsOne(1)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		var errcs []<-chan error
		for range 3 {
			errcs = append(errcs, submitAsync(context.Background(), p, pr.task()))
		}
		synctest.Wait()
		closed := make(chan struct{})
		go func() {
			p.Close()
			close(closed)
		}()
		synctest.Wait()
		pr.release(1) // the running task ends during Close
		<-closed
		synctest.Wait()
		var stuck []<-chan error
		for _, errc := range errcs {
			if err, ok := returned(errc); !ok {
				stuck = append(stuck, errc)
			} else if !errors.Is(err, pools.ErrClosed) {
				t.Fatalf("Submit: %v", err)
			}
		}
		if len(stuck) == 0 {
			t.Fatal("every blocked Submit returned: the bug is gone")
		}
		t.Logf("Close returned; %d of 3 blocked Submits never will", len(stuck))
		p.mu.Lock()
		p.slotFree.Broadcast() // undo the hang, or the bubble deadlocks
		p.mu.Unlock()
		for _, errc := range stuck {
			if err := <-errc; !errors.Is(err, pools.ErrClosed) {
				t.Fatalf("Submit: %v", err)
			}
		}
	})
}

func TestTryBlocksBreaksProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewTryBlocks(1)
		pr := newProbe()
		mustSubmit(t, p, pr.task())
		returned := make(chan bool, 1)
		go func() { returned <- p.TrySubmit(func() {}) }()
		synctest.Wait()
		select {
		case <-returned:
			t.Fatal("TrySubmit returned at once on a full pool; want the bug: it blocks")
		default:
		}
		pr.releaseAll()
		if !<-returned {
			t.Error("TrySubmit = false after the slot freed; the bug accepts it late")
		}
		p.Close()
	})
}
