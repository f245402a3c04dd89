// Reproducer for github.com/alitto/pond/v2 v2.7.1 (the newest release): with
// WithQueueSize(0), growing the pool with Resize does not let in a Submit that is already
// blocked, although the new slot is free.
//
// With no queue, trySubmit returns ErrQueueFull at maxConcurrency (pool.go:417-422), and
// blockingTrySubmit (pool.go:378-396) waits on submitWaiters. That channel is signalled only
// when a worker exits (readTask, pool.go:472) or another submission succeeds (trySubmit,
// pool.go:446). Resize (pool.go:174-201) raises maxConcurrency and launches
// min(growth, queued tasks) workers, none without a queue, and signals nobody. The blocked
// Submit sleeps through it while the new slot idles, until a running task ends or a
// newcomer's Submit gets in (and overtakes it).
//
// The README promises "If you increase the size, new workers will be created as needed up
// to the new maximum", and, for WithQueueSize(0), that a blocked submission waits "until a
// worker becomes available".
//
// The test runs in a testing/synctest bubble: no sleeps, no dependence on the scheduler. It
// does not call Stop: pond v2's Stop goes through the process-wide default pool. The fix
// (fix.patch): Resize wakes one blocked submitter when it grows the pool; each one that gets
// in wakes the next (trySubmit's notifySubmitWaiter), so one signal fills every new slot.
package pondrepro

import (
	"testing"
	"testing/synctest"

	"github.com/alitto/pond/v2"
)

func TestResizeWakesBlockedSubmit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := pond.NewPool(1, pond.WithQueueSize(0))
		hold := make(chan struct{})
		first := p.Submit(func() { <-hold })
		synctest.Wait() // the only slot is busy
		started := make(chan struct{})
		var second pond.Task
		submitted := goDone(func() { second = p.Submit(func() { close(started) }) })
		synctest.Wait() // the second Submit blocks: no queue, no free slot
		p.Resize(2)
		synctest.Wait()
		select {
		case <-started:
		default:
			t.Errorf("after Resize(2) one task runs and a slot is free, yet the blocked Submit is still waiting (running workers: %d)", p.RunningWorkers())
		}
		close(hold)
		<-submitted
		if err := first.Wait(); err != nil {
			t.Fatal(err)
		}
		if err := second.Wait(); err != nil {
			t.Fatal(err)
		}
	})
}

// goDone runs f in a goroutine and returns a channel closed when f returns.
func goDone(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	return done
}
