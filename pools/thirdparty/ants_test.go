package thirdparty_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unsafe"

	"github.com/panjf2000/ants/v2"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

func newAnts(t *testing.T, limit int, opts ...ants.Option) *thirdparty.Ants {
	t.Helper()
	p, err := thirdparty.NewAnts(limit, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAntsLimitError(t *testing.T) {
	if _, err := thirdparty.NewAnts(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("NewAnts(0) error = %v, want %v", err, pools.ErrLimit)
	}
	p := newAnts(t, 1)
	defer p.Close()
	if err := p.Resize(0); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("Resize(0) = %v, want %v", err, pools.ErrLimit)
	}
}

// TestAntsNonblockingFull: ants' ErrPoolOverload becomes pools.ErrFull.
func TestAntsNonblockingFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 1, ants.WithNonblocking(true))
		pr := newProbe(1)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if err := p.Submit(context.Background(), func() {}); !errors.Is(err, pools.ErrFull) {
			t.Errorf("Submit on a busy non-blocking pool = %v, want %v", err, pools.ErrFull)
		}
		pr.releaseAll()
		p.Close()
	})
}

// TestAntsCloseWakesSubmitter: a Submit blocked when Close begins returns pools.ErrClosed
// (ants wakes it with ErrPoolClosed) and its task never runs.
func TestAntsCloseWakesSubmitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 1)
		pr := newProbe(1)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		ran := false
		var err error
		submitted := returned(func() { err = p.Submit(context.Background(), func() { ran = true }) })
		synctest.Wait()
		closed := returned(p.Close)
		<-submitted
		if !errors.Is(err, pools.ErrClosed) {
			t.Errorf("blocked Submit during Close = %v, want %v", err, pools.ErrClosed)
		}
		pr.releaseAll()
		<-closed
		if ran {
			t.Error("the rejected task ran")
		}
	})
}

// TestAntsResizeGrow: growing with Tune admits a blocked submitter while the running task
// still holds its slot.
func TestAntsResizeGrow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 1)
		pr := newProbe(2)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		submitted := returned(func() { _ = p.Submit(context.Background(), pr.task(1)) })
		synctest.Wait()
		if isDone(submitted) {
			t.Fatal("Submit on a full pool did not block")
		}
		if err := p.Resize(2); err != nil {
			t.Fatal(err)
		}
		<-submitted
		synctest.Wait()
		if started, _, _ := pr.snapshot(); started != 2 {
			t.Errorf("%d tasks started after growing to 2, want 2", started)
		}
		pr.releaseAll()
		p.Close()
	})
}

// TestFindingAntsTuneShrink records a finding: after Tune shrinks the capacity, ants still
// hands out the idle workers it already had, so more tasks than the new capacity run at once.
// retrieveWorker detaches an idle worker without checking the capacity (ants.go); only
// revertWorker and the spawn path check it, so the pool converges to the new capacity as
// tasks end. ants documents Tune only as "changes the capacity of this pool", and its
// maintainer has called a brief overshoot that converges acceptable (panjf2000/ants#70,
// #154): the catalogue calls this an undeclared trait (a lazy shrink), not a bug.
// Deterministic (synctest). If this test fails, ants changed: update the finding.
func TestFindingAntsTuneShrink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 4)
		warm := newProbe(4)
		for i := range 4 {
			if err := p.Submit(context.Background(), warm.task(i)); err != nil {
				t.Fatal(err)
			}
		}
		warm.releaseAll()
		p.Wait()
		synctest.Wait() // the four workers are back in ants' idle stack
		if err := p.Resize(2); err != nil {
			t.Fatal(err)
		}
		pr := newProbe(4)
		for i := range 4 {
			if err := p.Submit(context.Background(), pr.task(i)); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait()
		if _, _, maxRunning := pr.snapshot(); maxRunning != 4 {
			t.Errorf("after Tune(2) with 4 idle workers, %d tasks ran at once; the finding expects 4", maxRunning)
		}
		pr.releaseAll()
		p.Close()
	})
}

// pausingLock stands in for ants' spin lock (poolCommon.lock, and the Locker of its cond) so
// that a test can stop the next caller of Lock at the door, before it contends for the lock:
// in ants that is a Submit that has passed its IsClosed check (pool.go:38) and is about to
// enter retrieveWorker (ants.go:513), the window that a contended spin lock or a preemption
// opens under load. It is a channel mutex, so a goroutine waiting for it is durably blocked in
// a synctest bubble.
type pausingLock struct {
	sem  chan struct{} // holds a token while locked
	mu   sync.Mutex    // guards door
	door *door         // when set, the next Lock stops here
}

type door struct{ caught, open chan struct{} }

func (l *pausingLock) Lock() {
	l.mu.Lock()
	d := l.door
	l.door = nil
	l.mu.Unlock()
	if d != nil {
		close(d.caught)
		<-d.open
	}
	l.sem <- struct{}{}
}

func (l *pausingLock) Unlock() { <-l.sem }

// stopNext arms the door: the next Lock call closes caught and waits until open is closed.
func (l *pausingLock) stopNext() (caught <-chan struct{}, open chan<- struct{}) {
	d := &door{caught: make(chan struct{}), open: make(chan struct{})}
	l.mu.Lock()
	l.door = d
	l.mu.Unlock()
	return d.caught, d.open
}

// instrumentAnts replaces the lock of a's ants pool, and its cond's Locker, with a
// pausingLock. Call it before the first Submit: only ants' ticktock goroutine runs then, and
// it never takes the lock (the pool must be made with WithDisablePurge(true), or the purge
// goroutine would read the field concurrently).
func instrumentAnts(t *testing.T, a *thirdparty.Ants) *pausingLock {
	t.Helper()
	common := reflect.ValueOf(thirdparty.AntsPool(a)).Elem().FieldByName("poolCommon").Elem()
	field := func(name string) reflect.Value {
		f := common.FieldByName(name)
		if !f.IsValid() {
			t.Fatalf("ants' poolCommon has no field %q: ants changed, update the finding test", name)
		}
		return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
	}
	l := &pausingLock{sem: make(chan struct{}, 1)}
	lock, cond := field("lock"), field("cond").Interface().(*sync.Cond)
	lock.Set(reflect.ValueOf(sync.Locker(l)))
	cond.L = l
	return l
}

// TestFindingAntsSubmitRacesRelease records a finding: a Submit that began before Close can
// be accepted after Close has returned, and its task start then. ants' Submit checks
// IsClosed (pool.go:38) before retrieveWorker takes the lock (ants.go:513); Release sets
// CLOSED without the lock (ants.go:385), and retrieveWorker checks IsClosed again only after
// cond.Wait (ants.go:542), not on its first pass. So a Submit that passed the check before
// Release but reaches the lock after it, once no worker runs, spawns a fresh worker
// (ants.go:524), though ReleaseContext has already seen Running() == 0 (ants.go:457) and
// returned: the contract's Close ("once Close has returned, no Submit is accepted and no task
// starts") and ReleaseContext's own doc ("waits all workers to exit") are both broken. The
// same holds with WithNonblocking(true): the spawn path comes before the non-blocking check.
// The test stops the Submit inside that window (see pausingLock): deterministic, by
// instrumentation rather than timing. The standalone reproducer and the proposed patch are
// in findings/testdata/ants-submit-races-release. If this test fails, ants changed: update
// the finding.
func TestFindingAntsSubmitRacesRelease(t *testing.T) {
	for _, nonblocking := range []bool{false, true} {
		t.Run(fmt.Sprintf("nonblocking=%v", nonblocking), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := newAnts(t, 1, ants.WithDisablePurge(true), ants.WithNonblocking(nonblocking))
				lock := instrumentAnts(t, p)
				caught, open := lock.stopNext()
				closeReturned := make(chan struct{})
				ran, startedAfterClose := make(chan struct{}), false
				var err error
				submitted := returned(func() {
					err = p.Submit(context.Background(), func() {
						startedAfterClose = isDone(closeReturned)
						close(ran)
					})
				})
				<-caught // past ants' IsClosed check, not yet in retrieveWorker's lock
				p.Close()
				close(closeReturned)
				close(open)
				<-submitted
				if err != nil {
					t.Fatalf("Submit that raced Close = %v; the finding expects nil (accepted after Close returned)", err)
				}
				<-ran
				if !startedAfterClose {
					t.Error("the accepted task started before Close returned; the finding expects it to start after")
				}
				p.Wait()
				p.Close()
				synctest.Wait() // the late worker sees the pool closed and exits
			})
		})
	}
}

// TestFindingAntsSubmitStrandedByRelease records a finding: a Submit that began before Close
// can stay blocked for good after Close has returned. By the same window as
// TestFindingAntsSubmitRacesRelease, a Submit that reaches retrieveWorker's lock after
// Release's Broadcast (ants.go:404), while every worker is busy, waits on the cond
// (ants.go:539) for a wake-up that may never come: a worker that leaves through a panic (or
// runtime.Goexit) skips revertWorker's Broadcast and Signals one waiter only (worker.go:65),
// and a closed pool starts no other worker. Two such Submits, one worker: one returns
// ErrPoolClosed, the other blocks until something else signals the cond (here a Tune that
// grows the pool). A worker that returns normally would Broadcast from revertWorker on the
// closed pool and wake both: the hang needs the busy workers to die by panic or Goexit.
// Upstream: panjf2000/ants#141 ("retrieveWorker may wait forever"). Deterministic, by
// instrumentation (pausingLock); reproducer and patch in
// findings/testdata/ants-submit-races-release. If this test fails, ants changed: update the
// finding.
func TestFindingAntsSubmitStrandedByRelease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 1, ants.WithDisablePurge(true))
		lock := instrumentAnts(t, p)
		pr := newProbe(1)
		hold := pr.task(0)
		if err := p.Submit(context.Background(), func() { hold(); panic("task 0 dies") }); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // task 0 holds the only worker
		var errs [2]error
		var submitted [2]<-chan struct{}
		var opens [2]chan<- struct{}
		for i := range submitted {
			caught, open := lock.stopNext()
			submitted[i] = returned(func() { errs[i] = p.Submit(context.Background(), func() {}) })
			<-caught // past ants' IsClosed check, not yet in retrieveWorker's lock
			opens[i] = open
		}
		closed := returned(p.Close)
		synctest.Wait() // Release has set CLOSED and broadcast to no one; Close waits for task 0
		for _, open := range opens {
			close(open)
		}
		synctest.Wait() // each Submit found the only worker busy and waits on the cond
		for i, s := range submitted {
			if isDone(s) {
				t.Errorf("Submit %d returned %v before task 0 ended; the finding expects it to wait", i, errs[i])
			}
		}
		pr.releaseAll() // task 0 panics: its worker exits and Signals once
		<-closed
		synctest.Wait()
		if t.Failed() {
			_ = p.Resize(2) // wake any Submit still waiting, so the bubble can end
			return
		}
		var woken, stranded []int
		for i, s := range submitted {
			if isDone(s) {
				woken = append(woken, i)
			} else {
				stranded = append(stranded, i)
			}
		}
		if len(woken) != 1 || len(stranded) != 1 {
			t.Fatalf("after Close returned, Submits %v returned and %v are still blocked; the finding expects one of each", woken, stranded)
		}
		if err := errs[woken[0]]; !errors.Is(err, pools.ErrClosed) {
			t.Errorf("the woken Submit = %v, want %v", err, pools.ErrClosed)
		}
		// Nothing in ants will wake the other; a Tune that grows the pool Signals the cond.
		if err := p.Resize(2); err != nil {
			t.Fatal(err)
		}
		<-submitted[stranded[0]]
		if err := errs[stranded[0]]; !errors.Is(err, pools.ErrClosed) {
			t.Errorf("the stranded Submit, once woken = %v, want %v", err, pools.ErrClosed)
		}
	})
}

// TestFindingAntsStrandedNeedsDyingWorkers is the control of
// TestFindingAntsSubmitStrandedByRelease: the same two Submits in the same window, but the
// busy worker's task returns normally. revertWorker then finds the pool closed and Broadcasts
// (ants.go:552-553), which wakes both, and both return ErrClosed once Close has returned. So
// the hang needs the busy workers to die by a panic or runtime.Goexit. Deterministic, by the
// same instrumentation. If this test fails, ants changed: update the finding.
func TestFindingAntsStrandedNeedsDyingWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newAnts(t, 1, ants.WithDisablePurge(true))
		lock := instrumentAnts(t, p)
		pr := newProbe(1)
		if err := p.Submit(context.Background(), pr.task(0)); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // task 0 holds the only worker
		var errs [2]error
		var submitted [2]<-chan struct{}
		var opens [2]chan<- struct{}
		for i := range submitted {
			caught, open := lock.stopNext()
			submitted[i] = returned(func() { errs[i] = p.Submit(context.Background(), func() {}) })
			<-caught // past ants' IsClosed check, not yet in retrieveWorker's lock
			opens[i] = open
		}
		closed := returned(p.Close)
		synctest.Wait()
		for _, open := range opens {
			close(open)
		}
		synctest.Wait() // each Submit found the only worker busy and waits on the cond
		pr.releaseAll() // task 0 returns: revertWorker Broadcasts on the closed pool
		<-closed
		synctest.Wait()
		for i, s := range submitted {
			if !isDone(s) {
				t.Errorf("Submit %d is still blocked after Close returned, though the busy worker returned normally", i)
				continue
			}
			if !errors.Is(errs[i], pools.ErrClosed) {
				t.Errorf("Submit %d racing Close = %v, want %v", i, errs[i], pools.ErrClosed)
			}
		}
		if t.Failed() {
			_ = p.Resize(3) // wake any Submit still waiting, so the bubble can end
		}
	})
}

// TestFindingAntsTuneLostWakeup records a finding: Tune wakes the callers waiting for a
// worker without holding p.lock, under which retrieveWorker checks the capacity before it
// waits on p.cond (ants.go:363-375, 524-539), so a wake-up that falls between a caller's
// check and its cond.Wait is lost, and the caller waits while the grown pool has room, until
// a running task ends. The window has no blocking point, so the test races a Submit against
// Tune(2) on a full pool of 1 until one is left waiting (a second with Cap 2, Running 1 and
// Waiting 1, while the only task still runs: nothing else can wake it). Depends on true
// parallelism: it skips at GOMAXPROCS 1; on 2 cores it finds one within about 10,000 races,
// a fraction of a second. If it runs out of time, ants changed: update the finding.
func TestFindingAntsTuneLostWakeup(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("the race needs two Ps")
	}
	const budget = 60 * time.Second
	start := time.Now()
	for n := 0; time.Since(start) < budget; n++ {
		if tuneLosesWakeup(t) {
			t.Logf("race %d (%v): after Tune(2) a Submit still waits, with Cap 2 and Running 1", n, time.Since(start).Round(time.Millisecond))
			return
		}
	}
	t.Fatalf("no wake-up lost in %v of races: the finding expects one", budget)
}

// tuneLosesWakeup races one Submit against Tune(2) on a full ants pool of 1 and reports
// whether the Submit was left waiting.
func tuneLosesWakeup(t *testing.T) bool {
	p, err := ants.NewPool(1, ants.WithExpiryDuration(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	busy := make(chan struct{})
	if err := p.Submit(func() { <-busy }); err != nil {
		t.Fatal(err)
	}
	defer close(busy)
	race, done := make(chan struct{}), make(chan struct{})
	go func() {
		<-race
		_ = p.Submit(func() {})
		close(done)
	}()
	go func() {
		<-race
		p.Tune(2)
	}()
	close(race)
	select {
	case <-done:
		return false
	case <-time.After(time.Second):
		return p.Cap() == 2 && p.Running() == 1 && p.Waiting() == 1
	}
}
