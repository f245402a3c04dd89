package adapt_test

import (
	"runtime"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools/adapt"
)

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

func TestTrackerWaitWithNothingAccepted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr adapt.Tracker
		_ = tr.Job(func() {}) // handed to a library, never accepted: not counted
		<-returned(tr.Wait)
	})
}

// Wait waits for an accepted task, and for one accepted while it waits (Submit during Wait).
func TestTrackerWaitsForAcceptedTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr adapt.Tracker
		gate1, gate2 := make(chan struct{}), make(chan struct{})
		j1 := tr.Job(func() { <-gate1 })
		j1.Accept()
		go j1.Run()
		waited := returned(tr.Wait)
		synctest.Wait()
		if isDone(waited) {
			t.Fatal("Wait returned while an accepted task ran")
		}
		j2 := tr.Job(func() { <-gate2 })
		j2.Accept() // accepted while Wait waits
		go j2.Run()
		close(gate1)
		synctest.Wait()
		if isDone(waited) {
			t.Fatal("Wait returned while a task accepted during it ran")
		}
		close(gate2)
		<-waited
	})
}

// The count may drop to zero and rise again while Wait is pending in another goroutine: the
// case sync.WaitGroup forbids (Add from zero concurrent with Wait).
func TestTrackerAcceptFromZeroDuringWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr adapt.Tracker
		for range 3 {
			gate := make(chan struct{})
			j := tr.Job(func() { <-gate })
			j.Accept()
			go j.Run()
			waited := returned(tr.Wait)
			synctest.Wait()
			if isDone(waited) {
				t.Fatal("Wait returned while an accepted task ran")
			}
			close(gate)
			<-waited
		}
	})
}

// A task that finishes before its Accept (a library may run it before its submit returns)
// is never counted, so Wait does not hang on it.
func TestTrackerEarlyFinishNotCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr adapt.Tracker
		j := tr.Job(func() {})
		j.Run()
		j.Accept()
		<-returned(tr.Wait)
	})
}

// A task that panics or calls runtime.Goexit still counts as finished.
func TestTrackerPanicAndGoexitFinish(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr adapt.Tracker
		for _, task := range []func(){func() { panic("boom") }, runtime.Goexit} {
			j := tr.Job(task)
			j.Accept()
			go func() {
				defer func() { _ = recover() }()
				j.Run()
			}()
		}
		<-returned(tr.Wait)
	})
}

// A library that runs a task twice does not corrupt the count: Wait still waits for the
// next accepted task, and returns once it has finished.
func TestTrackerDuplicateRunCountedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr adapt.Tracker
		j := tr.Job(func() {})
		j.Accept()
		j.Run()
		j.Run()
		gate := make(chan struct{})
		j2 := tr.Job(func() { <-gate })
		j2.Accept()
		go j2.Run()
		waited := returned(tr.Wait)
		synctest.Wait()
		if isDone(waited) {
			t.Fatal("Wait returned while an accepted task ran: a duplicate Run decremented the count twice")
		}
		close(gate)
		<-waited
	})
}
