// Reproducer for github.com/panjf2000/ants/v2 v2.12.1: a Submit that races Release is
// accepted after ReleaseContext has returned, or blocks for good.
//
// Pool.Submit checks IsClosed (pool.go:38) before retrieveWorker takes p.lock (ants.go:513).
// Release sets CLOSED without the lock (ants.go:385), and retrieveWorker checks IsClosed
// again only after cond.Wait (ants.go:542), never on its first pass. A Submit that passed
// the check before Release but takes the lock after it therefore:
//
//   - spawns a fresh worker (ants.go:524) when no worker runs, although ReleaseContext has
//     already seen Running() == 0 and returned: the task is accepted and starts after the
//     pool is released (TestSubmitAfterReleaseContextReturned);
//   - waits on the cond (ants.go:539) when every worker is busy, after Release's Broadcast
//     (ants.go:404) went out. A worker that returns normally Broadcasts again from
//     revertWorker on a closed pool, but one that dies of a panic (or runtime.Goexit) only
//     Signals once (worker.go:65), so of two such Submits one stays blocked for good
//     (TestSubmitStrandedByRelease). This is the hang of issue #141.
//
// The window has no blocking point inside ants, so in production it opens only when the
// submitting goroutine is preempted or the spin lock is contended between pool.go:38 and
// ants.go:513. To hold it open deterministically, these tests replace the pool's private
// lock (and its cond's Locker) with a channel lock that can stop the next caller of Lock at
// the door: that caller is a Submit just past its IsClosed check. The pool is made with
// WithDisablePurge(true), so that no ants goroutine reads the replaced field. Everything
// else runs in a testing/synctest bubble: no sleeps, no dependence on the scheduler.
//
// The fix: check IsClosed once retrieveWorker holds the lock (fix.patch). Release sets
// CLOSED before it takes the lock, so a Submit that gets the lock afterwards sees it and
// returns ErrPoolClosed; one that got the lock before is counted in Running (or waits on
// the cond) before Release looks, as today.
package antsrepro

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"testing/synctest"
	"unsafe"

	"github.com/panjf2000/ants/v2"
)

// TestSubmitAfterReleaseContextReturned: a Submit that began before ReleaseContext must
// not be accepted, nor its task start, after ReleaseContext returned ("waits all workers to
// exit").
func TestSubmitAfterReleaseContextReturned(t *testing.T) {
	for _, nonblocking := range []bool{false, true} {
		name := "blocking"
		if nonblocking {
			name = "nonblocking"
		}
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := newPool(t, 1, ants.WithNonblocking(nonblocking))
				lock := instrument(t, p)
				caught, open := lock.stopNext()
				released := make(chan struct{})
				startedAfterRelease := make(chan bool, 1)
				var err error
				submitted := goDone(func() {
					err = p.Submit(func() {
						select {
						case <-released:
							startedAfterRelease <- true
						default:
							startedAfterRelease <- false
						}
					})
				})
				<-caught // the Submit is past IsClosed, not yet in retrieveWorker's lock
				if err := p.ReleaseContext(context.Background()); err != nil {
					t.Fatalf("ReleaseContext = %v", err)
				}
				close(released)
				close(open)
				<-submitted
				if errors.Is(err, ants.ErrPoolClosed) {
					return // the fixed behaviour
				}
				if err != nil {
					t.Fatalf("Submit racing Release = %v, want %v", err, ants.ErrPoolClosed)
				}
				if <-startedAfterRelease {
					t.Errorf("Submit racing Release returned nil and its task started after ReleaseContext returned; want %v", ants.ErrPoolClosed)
				} else {
					t.Errorf("Submit racing Release returned nil; want %v", ants.ErrPoolClosed)
				}
				synctest.Wait() // the late worker finds the pool closed and exits
			})
		})
	}
}

// TestSubmitStrandedByRelease: two Submits racing Release while the only worker is busy
// with a task that then panics. Both must return (ErrPoolClosed) once the pool is released.
func TestSubmitStrandedByRelease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPool(t, 1)
		lock := instrument(t, p)
		hold := make(chan struct{})
		if err := p.Submit(func() { <-hold; panic("the busy task dies") }); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // the task holds the only worker
		var errs [2]error
		var submitted [2]<-chan struct{}
		var opens [2]chan<- struct{}
		for i := range submitted {
			caught, open := lock.stopNext()
			submitted[i] = goDone(func() { errs[i] = p.Submit(func() {}) })
			<-caught // past IsClosed, not yet in retrieveWorker's lock
			opens[i] = open
		}
		released := goDone(func() { _ = p.ReleaseContext(context.Background()) })
		synctest.Wait() // Release has set CLOSED and broadcast; it waits for the busy worker
		for _, open := range opens {
			close(open)
		}
		synctest.Wait()
		close(hold) // the busy task panics: its worker exits and Signals the cond once
		<-released
		synctest.Wait()
		for i, s := range submitted {
			select {
			case <-s:
				if !errors.Is(errs[i], ants.ErrPoolClosed) {
					t.Errorf("Submit %d racing Release = %v, want %v", i, errs[i], ants.ErrPoolClosed)
				}
			default:
				t.Errorf("Submit %d racing Release is still blocked after ReleaseContext returned, and nothing in ants will wake it", i)
			}
		}
		p.Tune(3) // Broadcasts the cond: wakes a stranded Submit, so the bubble can end
	})
}

func newPool(t *testing.T, size int, opts ...ants.Option) *ants.Pool {
	t.Helper()
	opts = append(opts, ants.WithDisablePurge(true), ants.WithPanicHandler(func(any) {}))
	p, err := ants.NewPool(size, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// doorLock stands in for the pool's spin lock. It is a channel mutex, so a goroutine that
// waits for it is durably blocked in a synctest bubble, and stopNext makes the next caller of
// Lock wait at a door before it contends.
type doorLock struct {
	sem  chan struct{} // holds a token while locked
	mu   sync.Mutex    // guards door
	door *door
}

type door struct{ caught, open chan struct{} }

func (l *doorLock) Lock() {
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

func (l *doorLock) Unlock() { <-l.sem }

// stopNext arms the door: the next Lock closes caught, then waits until open is closed.
func (l *doorLock) stopNext() (caught <-chan struct{}, open chan<- struct{}) {
	d := &door{caught: make(chan struct{}), open: make(chan struct{})}
	l.mu.Lock()
	l.door = d
	l.mu.Unlock()
	return d.caught, d.open
}

// instrument replaces p's lock and its cond's Locker with a doorLock. Call it before the
// first Submit: with purging disabled no ants goroutine reads the field.
func instrument(t *testing.T, p *ants.Pool) *doorLock {
	t.Helper()
	common := reflect.ValueOf(p).Elem().FieldByName("poolCommon")
	if !common.IsValid() || common.Kind() != reflect.Pointer {
		t.Fatal("ants.Pool no longer embeds *poolCommon: update the reproducer")
	}
	common = common.Elem()
	field := func(name string) reflect.Value {
		f := common.FieldByName(name)
		if !f.IsValid() {
			t.Fatalf("ants' poolCommon has no field %q: update the reproducer", name)
		}
		return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
	}
	l := &doorLock{sem: make(chan struct{}, 1)}
	cond := field("cond").Interface().(*sync.Cond)
	field("lock").Set(reflect.ValueOf(sync.Locker(l)))
	cond.L = l
	return l
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
