package interleave_test

//go:generate go run ../cmd/poolcheck-instrument -o internal/ctapoolcopy -as github.com/poolcheck/poolcheck/interleave/internal/ctapoolcopy ./internal/ctapool

import (
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/interleave/internal/ctapool"
	instrumented "github.com/poolcheck/poolcheck/interleave/internal/ctapoolcopy"
	"github.com/poolcheck/poolcheck/interleave/internal/demo"
)

var shape = demo.Shape{Limit: 1, Actors: 3, Each: 2}

func checkThenAct(limit int) demo.Pool { return instrumented.NewCheckThenAct(limit) }
func cas(limit int) demo.Pool          { return instrumented.NewCAS(limit) }

const explorations, rounds = 50, 20

// The instrumented check-then-act pool overruns its limit under the controller in at
// least 49 of 50 seeded explorations, and every failure replays exactly.
func TestControllerFindsCheckThenAct(t *testing.T) {
	if !interleave.Instrumented("github.com/poolcheck/poolcheck/interleave/internal/ctapoolcopy") {
		t.Fatal("ctapoolcopy is not instrumented: regenerate it (see its package doc)")
	}
	caught, roundsTotal := 0, 0
	for seed := range uint64(explorations) {
		i, p, res := demo.Explore(t, checkThenAct, shape, seed, rounds)
		if i < 0 {
			t.Logf("seed %d: not caught in %d rounds", seed, rounds)
			continue
		}
		caught++
		roundsTotal += i + 1
		again := demo.Round(t, checkThenAct, shape, &p)
		if !reflect.DeepEqual(again, res) {
			t.Fatalf("seed %d: %v does not replay:\nfirst %+v\nagain %+v", seed, p, res, again)
		}
		if seed == 0 {
			t.Logf("seed 0: %d tasks at once after %d rounds; %v", res.MaxRunning, i+1, res.Log)
		}
	}
	t.Logf("caught in %d of %d explorations, %.1f rounds on average", caught, explorations, float64(roundsTotal)/float64(max(caught, 1)))
	if caught < 49 {
		t.Fatalf("caught in %d of %d explorations, want at least 49", caught, explorations)
	}
}

// Its correct twin never overruns, under the same explorations.
func TestControllerPassesCAS(t *testing.T) {
	for seed := range uint64(explorations) {
		if i, p, res := demo.Explore(t, cas, shape, seed, rounds); i >= 0 {
			t.Fatalf("seed %d: the CAS pool ran %d tasks at once, limit %d, under %v:\n%v", seed, res.MaxRunning, shape.Limit, p, res.Log)
		}
	}
}

// Per round, the controller overruns the check-then-act pool far more often than plain
// synctest rounds of the same burst, which switch goroutines only where one blocks.
func TestControllerBeatsPlainSynctest(t *testing.T) {
	const n = 200
	plain := func(l int) demo.Pool { return ctapool.NewCheckThenAct(l) }
	controlled, uncontrolled := 0, 0
	var tc, tu time.Duration
	for i := range n {
		p := demo.Policy(1, i, 17)
		start := time.Now()
		if demo.Round(t, checkThenAct, shape, &p).MaxRunning > shape.Limit {
			controlled++
		}
		mid := time.Now()
		if demo.Round(t, plain, shape, nil).MaxRunning > shape.Limit {
			uncontrolled++
		}
		tc, tu = tc+mid.Sub(start), tu+time.Since(mid)
	}
	t.Logf("rounds that overran: controlled %d of %d, plain synctest %d of %d", controlled, n, uncontrolled, n)
	t.Logf("rounds per second: controlled %.0f, plain synctest %.0f", n/tc.Seconds(), n/tu.Seconds())
	if controlled <= uncontrolled {
		t.Fatalf("controlled %d, plain %d: the controller found no more than chance", controlled, uncontrolled)
	}
}

// The committed copy's frames name the original file (relative to the copy's directory,
// as its //line directive does) and line: a task's caller is the line of ctapool/pool.go
// that calls it.
func TestCopyKeepsPositions(t *testing.T) {
	src, err := os.ReadFile("internal/ctapool/pool.go")
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Index(strings.Split(string(src), "\n"), "\ttask()") + 1
	frames := make(chan runtime.Frame, 1)
	p := instrumented.NewCheckThenAct(1)
	p.TrySubmit(func() {
		pcs := make([]uintptr, 8)
		f, _ := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)]).Next()
		frames <- f
	})
	p.Wait()
	if f := <-frames; f.File != "../ctapool/pool.go" || f.Line != want {
		t.Fatalf("the task was called from %s:%d (%s), want ctapool/pool.go:%d", f.File, f.Line, f.Function, want)
	}
}

// With no Run active an instrumented pool pays a call and an atomic load per point: the
// uncontrolled cost of instrumentation (TrySubmit, a task, Wait: about ten points).
func BenchmarkInactive(b *testing.B) {
	for _, c := range []struct {
		name string
		pool demo.Pool
	}{{"plain", ctapool.NewCAS(1)}, {"instrumented", instrumented.NewCAS(1)}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.pool.TrySubmit(func() {})
				c.pool.Wait()
			}
		})
	}
}
