package ctapool_test

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/interleave/internal/ctapool"
	"github.com/poolcheck/poolcheck/interleave/internal/demo"
)

func TestTrySubmitRefusesWhenFull(t *testing.T) {
	for name, p := range map[string]demo.Pool{"check-then-act": ctapool.NewCheckThenAct(1), "cas": ctapool.NewCAS(1)} {
		gate := make(chan struct{})
		if !p.TrySubmit(func() { <-gate }) {
			t.Fatalf("%s: refused its first task", name)
		}
		if p.TrySubmit(func() {}) {
			t.Fatalf("%s: accepted a second task while the first ran", name)
		}
		close(gate)
		p.Wait()
		if !p.TrySubmit(func() {}) {
			t.Fatalf("%s: refused a task once the first had finished", name)
		}
		p.Wait()
	}
}

const self = "github.com/poolcheck/poolcheck/interleave/internal/ctapool"

// TestUnderController runs only when this package was instrumented at compile time
// (cmd/poolcheck-instrument's tests build it so, as go test -toolexec).
func TestUnderController(t *testing.T) {
	if !interleave.Instrumented(self) {
		t.Skip("not instrumented: see cmd/poolcheck-instrument")
	}
	sh := demo.Shape{Limit: 1, Actors: 3, Each: 2}
	cta := func(l int) demo.Pool { return ctapool.NewCheckThenAct(l) }
	cas := func(l int) demo.Pool { return ctapool.NewCAS(l) }
	caught := 0
	for seed := range uint64(50) {
		if i, _, _ := demo.Explore(t, cta, sh, seed, 20); i >= 0 {
			caught++
		}
		if i, p, res := demo.Explore(t, cas, sh, seed, 20); i >= 0 {
			t.Fatalf("the CAS pool overran under %v:\n%v", p, res.Log)
		}
	}
	t.Logf("check-then-act caught in %d of 50 explorations", caught)
	if caught < 49 {
		t.Fatalf("caught in %d of 50 explorations, want at least 49", caught)
	}
}

// Instrumented or not, the code keeps its file and line numbers: a task's caller is the
// line of pool.go that calls it.
func TestPositions(t *testing.T) {
	src, err := os.ReadFile("pool.go")
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for i, l := range strings.Split(string(src), "\n") {
		if l == "\ttask()" {
			want = i + 1
			break
		}
	}
	frames := make(chan runtime.Frame, 1)
	p := ctapool.NewCheckThenAct(1)
	p.TrySubmit(func() {
		pcs := make([]uintptr, 8)
		fs := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
		f, _ := fs.Next()
		frames <- f
	})
	p.Wait()
	f := <-frames
	if !strings.HasSuffix(f.File, "interleave/internal/ctapool/pool.go") || f.Line != want {
		t.Fatalf("the task was called from %s:%d (%s), want pool.go:%d", f.File, f.Line, f.Function, want)
	}
}
