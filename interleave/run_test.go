package interleave

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// worker is hand-instrumented code: a scheduling point before each step.
func worker(name string, steps int, inside *atomic.Int32, over *atomic.Bool, out chan<- string) {
	for range steps {
		point(name)
		if inside.Add(1) > 1 {
			over.Store(true)
		}
		out <- name // buffered: never blocks
		inside.Add(-1)
	}
}

// runWorkers runs three workers under p and returns the order they ran in and the log.
func runWorkers(t *testing.T, p Policy) (order []string, log Log, overlapped bool) {
	synctest.Test(t, func(t *testing.T) {
		r, err := Start(p)
		if err != nil {
			t.Fatal(err)
		}
		var inside atomic.Int32
		var over atomic.Bool
		out := make(chan string, 64)
		done := make(chan struct{}, 3)
		for _, n := range []string{"x", "y", "z"} {
			Go(func() {
				defer func() { done <- struct{}{} }()
				worker(n, 5, &inside, &over, out)
			})
		}
		for range 3 {
			<-done
		}
		log = r.Stop()
		close(out)
		for s := range out {
			order = append(order, s)
		}
		overlapped = over.Load()
	})
	return order, log, overlapped
}

func TestOneAtATimeAndReplay(t *testing.T) {
	for seed := range uint64(20) {
		for _, random := range []bool{false, true} {
			p := Policy{Seed: seed, ChangePoints: []int{3, 7}, Random: random}
			o1, l1, over := runWorkers(t, p)
			if over {
				t.Fatalf("%v: two controlled goroutines ran between points at once", p)
			}
			if len(o1) != 15 {
				t.Fatalf("%v: %d steps ran, want 15", p, len(o1))
			}
			o2, l2, _ := runWorkers(t, p)
			if !reflect.DeepEqual(o1, o2) || !reflect.DeepEqual(l1, l2) {
				t.Fatalf("%v: replay differs:\n%v%v\n%v%v", p, o1, l1, o2, l2)
			}
			if l1.Steps != 15 || len(l1.Switches) == 0 || l1.Switches[0].Why != WhyFirst {
				t.Fatalf("%v: log %v", p, l1)
			}
		}
	}
}

func TestPoliciesDiffer(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(10) {
		o, _, _ := runWorkers(t, Policy{Seed: seed, Random: true})
		seen[strings.Join(o, "")] = true
	}
	if len(seen) < 5 {
		t.Fatalf("10 random seeds gave only %d distinct orders", len(seen))
	}
}

// A controlled goroutine that blocks between points (a channel receive, a Sleep) does not
// wedge the run: the others run, and it is released again once it reaches a point.
func TestBlockedGoroutineDoesNotWedge(t *testing.T) {
	for seed := range uint64(10) {
		synctest.Test(t, func(t *testing.T) {
			r, err := Start(Policy{Seed: seed, ChangePoints: []int{1}})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Stop()
			ch := make(chan int)
			got := make(chan int, 1)
			Go(func() {
				point("recv")
				v := <-ch // blocks: nobody is controlled here
				point("after-recv")
				got <- v
			})
			Go(func() {
				point("sleep")
				time.Sleep(time.Millisecond)
				point("send")
				ch <- 42
			})
			if v := <-got; v != 42 {
				t.Fatalf("got %d", v)
			}
			r.Settle()
			if l := r.Log(); l.Steps != 4 {
				t.Fatalf("%d steps, want 4:\n%v", l.Steps, l)
			}
		})
	}
}

func TestStartErrors(t *testing.T) {
	if _, err := Start(Policy{}); !errors.Is(err, ErrNoBubble) {
		t.Fatalf("outside a bubble: %v", err)
	}
	synctest.Test(t, func(t *testing.T) {
		if _, err := Start(Policy{ChangePoints: []int{-1}}); err == nil {
			t.Fatal("negative change point accepted")
		}
		r, err := Start(Policy{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Stop()
		if _, err := Start(Policy{}); !errors.Is(err, ErrActive) {
			t.Fatalf("second Start: %v", err)
		}
	})
}

// With no Run active a point is one atomic load.
func TestInactivePointIsFree(t *testing.T) {
	if point("x") || blocked("x") || fork() != 0 {
		t.Fatal("a point reported control with no Run active")
	}
	if n := testing.AllocsPerRun(100, func() { point("x") }); n != 0 {
		t.Fatalf("inactive point allocates %v", n)
	}
}

func BenchmarkInactivePoint(b *testing.B) {
	for b.Loop() {
		point("bench.go:1")
	}
}

// spinner waits for flag with a scheduling point before every load; setter sets it.
func spinRun(t *testing.T, p Policy, yields bool) Log {
	var log Log
	synctest.Test(t, func(t *testing.T) {
		r, err := Start(p)
		if err != nil {
			t.Fatal(err)
		}
		var flag atomic.Bool
		done := make(chan struct{}, 2)
		Go(func() {
			defer func() { done <- struct{}{} }()
			for {
				point("load")
				if flag.Load() {
					return
				}
				if yields {
					yield("gosched")
				}
			}
		})
		Go(func() {
			defer func() { done <- struct{}{} }()
			point("store")
			flag.Store(true)
		})
		<-done
		<-done
		log = r.Stop()
	})
	return log
}

// A spin loop cannot starve the goroutine it waits for, whatever the priorities: a yield
// lets the other one go first, and without yields the fairness rule releases the other
// one after maxPassed steps (MaxSteps, far later, would end strict priorities anyway).
func TestSpinLoopsFinish(t *testing.T) {
	for seed := range uint64(20) {
		if l := spinRun(t, Policy{Seed: seed}, true); l.Steps > 6 {
			t.Fatalf("seed %d: a yielding spinner took %d steps:\n%v", seed, l.Steps, l)
		}
		for _, p := range []Policy{{Seed: seed}, {Seed: seed, Drops: 256}} {
			l := spinRun(t, p, false)
			if l.Steps > maxPassed+4 {
				t.Fatalf("%v: a spinner without yields took %d steps:\n%v", p, l.Steps, l)
			}
			if p.Drops == 0 && l.Steps > 4 && !slices.ContainsFunc(l.Switches, func(s Switch) bool { return s.Why == WhyStarved }) {
				t.Fatalf("%v: %d steps and no switch for fairness:\n%v", p, l.Steps, l)
			}
		}
	}
}
