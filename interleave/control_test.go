package interleave

import (
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// lockAt is what an instrumented Lock does (see the instrumenter's hooks file).
func lockAt(pos string, m *sync.Mutex) {
	if !point(pos) {
		m.Lock()
		return
	}
	for !m.TryLock() {
		if !blocked(pos) {
			m.Lock()
			return
		}
	}
}

// Goroutines contending for an instrumented Lock all get it, whatever the policy: a waiter
// parks between tries and the holder, parked inside its critical section, is released.
func TestLockContention(t *testing.T) {
	run := func(p Policy) Log {
		var log Log
		synctest.Test(t, func(t *testing.T) {
			r, err := Start(p)
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var inside atomic.Int32
			done := make(chan struct{}, 3)
			for range 3 {
				Go(func() {
					defer func() { done <- struct{}{} }()
					for range 3 {
						lockAt("lock", &mu)
						if inside.Add(1) != 1 {
							t.Error("two goroutines inside the lock")
						}
						point("inside")
						time.Sleep(time.Microsecond) // blocks while holding the lock
						inside.Add(-1)
						point("unlock")
						mu.Unlock()
					}
				})
			}
			for range 3 {
				<-done
			}
			log = r.Stop()
		})
		return log
	}
	for seed := range uint64(20) {
		for _, p := range []Policy{{Seed: seed, ChangePoints: []int{2, 5}}, {Seed: seed, Random: true}} {
			if a, b := run(p), run(p); !reflect.DeepEqual(a, b) {
				t.Fatalf("%v does not replay:\n%v\n%v", p, a, b)
			}
		}
	}
}

// Stop releases goroutines still parked at a point; they finish uncontrolled.
func TestStopReleasesParked(t *testing.T) {
	for seed := range uint64(20) {
		synctest.Test(t, func(t *testing.T) {
			r, err := Start(Policy{Seed: seed, Random: true})
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			Go(func() {
				point("g1")
				point("g2")
				close(done)
			})
			point("root")
			r.Stop()
			<-done
			r.Stop() // a second Stop returns at once
		})
	}
}

// Settle returns once every controlled goroutine is blocked outside a point.
func TestSettle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, err := Start(Policy{Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Stop()
		var reached atomic.Int32
		gate := make(chan struct{})
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			Go(func() {
				defer wg.Done()
				point("before")
				reached.Add(1)
				<-gate
				point("after")
			})
		}
		r.Settle()
		if n := reached.Load(); n != 3 {
			t.Fatalf("Settle returned with %d of 3 goroutines at their gate", n)
		}
		close(gate)
		wg.Wait()
	})
}

// A point reached outside the Run's bubble is not controlled and does not block.
func TestPointOutsideBubble(t *testing.T) {
	start, back := make(chan struct{}), make(chan bool)
	go func() {
		<-start
		back <- point("outside")
	}()
	synctest.Test(t, func(t *testing.T) {
		r, err := Start(Policy{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Stop()
		close(start)
		if <-back {
			t.Fatal("a goroutine outside the bubble was controlled")
		}
	})
}

// A watchdog outside the bubble can abandon a run: points stop parking, no Run is active
// (the next may start), and Stop in the bubble still ends the controller.
func TestAbandon(t *testing.T) {
	start, abandoned := make(chan *Run), make(chan struct{})
	go func() {
		r := <-start
		r.Abandon()
		close(abandoned)
	}()
	synctest.Test(t, func(t *testing.T) {
		r, err := Start(Policy{})
		if err != nil {
			t.Fatal(err)
		}
		start <- r
		<-abandoned
		if point("after") {
			t.Fatal("a point parked after Abandon")
		}
		if active.Load() != nil {
			t.Fatal("the abandoned run is still active")
		}
		r.Stop()
	})
}

// onceAt is what an instrumented o.Do(f) does (see the instrumenter's hooks file).
func onceAt(pos string, o *sync.Once, f func()) {
	if !point(pos) {
		o.Do(f)
		return
	}
	for !onceEnter(o) {
		if !blocked(pos) {
			o.Do(f)
			return
		}
	}
	defer onceLeave(o)
	o.Do(f)
}

// Goroutines calling Do on one Once, whose function parks at a point, do not stall the
// run: the others park instead of blocking on the Once's mutex, and f runs once.
func TestOnceContention(t *testing.T) {
	for seed := range uint64(20) {
		synctest.Test(t, func(t *testing.T) {
			r, err := Start(Policy{Seed: seed, Drops: 256})
			if err != nil {
				t.Fatal(err)
			}
			var once sync.Once
			var runs atomic.Int32
			done := make(chan struct{}, 3)
			for range 3 {
				Go(func() {
					defer func() { done <- struct{}{} }()
					onceAt("do", &once, func() {
						point("inside")
						runs.Add(1)
					})
				})
			}
			for range 3 {
				<-done
			}
			r.Stop()
			if runs.Load() != 1 {
				t.Errorf("seed %d: f ran %d times", seed, runs.Load())
			}
		})
	}
}
