// Reproducer for github.com/panjf2000/ants/v2 v2.12.1: Tune can lose the wake-up of a Submit
// that is about to wait for a worker, which then waits although the pool has room.
//
// retrieveWorker (ants.go:512) takes p.lock, finds no idle worker, compares the capacity
// with Running (ants.go:524) and, when the pool is full, waits on p.cond (ants.go:539),
// whose Locker is p.lock. Tune (ants.go:363) stores the new capacity and Signals or
// Broadcasts p.cond without taking p.lock. If it does so after a caller read the old
// capacity and before that caller entered cond.Wait, nobody is waiting yet and the wake-up
// is lost: the caller waits until a running task ends (revertWorker Signals), though the
// pool grew. With long tasks that is a long delay; if the running tasks wait for the
// blocked caller's task, a deadlock. The purger does not help: in v2.12.1 it Broadcasts
// only when every worker is gone (ants.go:286).
//
// The window is a few instructions wide and has no blocking point inside ants, so this test
// races a Submit against Tune(2) on a pool of 1 whose only worker is busy, many times, until
// the Submit is left waiting (a second of real time for a Submit that should return at once
// tells a lost wake-up from a slow one: nothing else can wake it while the task runs). It
// needs two Ps: at GOMAXPROCS 1 the window does not open. Measured on 2 cores: a loss every
// 10,000 to 15,000 races without -race (about 30,000 races a second), one in 300 with -race.
//
// The fix: Tune wakes the waiters while it holds p.lock (fix.patch). A caller that read the
// old capacity holds the lock until cond.Wait has queued it, so Tune's wake-up reaches it.
package antstune

import (
	"runtime"
	"testing"
	"time"

	"github.com/panjf2000/ants/v2"
)

func TestTuneWakesTheWaitingSubmit(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("the race needs two Ps")
	}
	const budget = 5 * time.Second
	start := time.Now()
	n := 0
	for ; time.Since(start) < budget; n++ {
		if lost(t) {
			t.Fatalf("race %d: after Tune(2) a Submit still waits, with Cap() = 2 and Running() = 1: Tune's wake-up was lost", n)
		}
	}
	t.Logf("no wake-up lost in %d races (%v)", n, budget)
}

// lost races one Submit against Tune(2) on a full pool of 1 and reports whether the Submit
// was left waiting.
func lost(t *testing.T) bool {
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
	}
	if p.Cap() != 2 || p.Running() != 1 || p.Waiting() != 1 {
		t.Fatalf("after a second: Cap %d, Running %d, Waiting %d; want 2, 1, 1", p.Cap(), p.Running(), p.Waiting())
	}
	return true
}
