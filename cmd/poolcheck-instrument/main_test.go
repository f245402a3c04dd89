package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSelection(t *testing.T) {
	s := newSelection(" a/b, c/... ,")
	for path, want := range map[string]bool{"a/b": true, "a/b/x": false, "c": true, "c/d/e": true, "cd": false, "": false} {
		if s.has(path) != want {
			t.Errorf("has(%q) = %v, want %v", path, !want, want)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"-o", "dir"}, {"-o", "dir", "a", "b"}, {"-nosuchflag"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-o", t.TempDir(), "./no/such/package"}, &out, &errb); code != 1 || errb.Len() == 0 {
		t.Errorf("a missing package: exit %d, %q", code, errb.String())
	}
}

// The committed instrumented copy is what the instrumenter makes today.
func TestCommittedCopyIsCurrent(t *testing.T) {
	const dir = "../../interleave/internal/ctapoolcopy"
	outs, err := instrumentCopy(dir, "github.com/poolcheck/poolcheck/interleave/internal/ctapoolcopy", "../../interleave/internal/ctapool")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		name := "poolcheck_interleave_hooks.go"
		if o.Source != nil {
			name = filepath.Base(o.Source.LineName)
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, o.Text) {
			t.Errorf("%s is stale: run go generate ./interleave", name)
		}
	}
}

// buildTool builds this command into a temporary directory.
func buildTool(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds packages through the tool")
	}
	tool := filepath.Join(t.TempDir(), "poolcheck-instrument")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return tool
}

func goCmd(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// The end-to-end tests share one selection, so that they share the build cache entries
// of the standard library compiled through the tool (the selection is part of the
// compiler's identity).
const (
	ctapool   = "github.com/poolcheck/poolcheck/interleave/internal/ctapool"
	selectfix = "github.com/poolcheck/poolcheck/interleave/internal/selectfix"
	ourPools  = "github.com/poolcheck/poolcheck/pools"
	selected  = "POOLCHECK_INSTRUMENT=" + ctapool + "," + selectfix + "," + ourPools + "," + ourPools +
		"/broken,github.com/panjf2000/ants/v2/..."
)

// Under go test -toolexec, the selected packages are rewritten at compile time and their
// tests run under the controller: check-then-act breaks, CAS holds, positions are kept,
// a select takes the case the policy draws.
func TestToolexecInstrumentsOurPackages(t *testing.T) {
	tool := buildTool(t)
	pkg := ctapool
	out := goCmd(t, ".", []string{selected},
		"test", "-count=1", "-v", "-toolexec="+tool, ctapool, selectfix)
	for _, want := range []string{"--- PASS: TestUnderController", "--- PASS: TestPositions",
		"--- PASS: TestSeededSelect", "caught in"} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "SKIP") {
		t.Fatalf("the package was not instrumented:\n%s", out)
	}
	t.Log(lineWith(out, "caught in"))
	// The instrumented objects stay out of plain builds' cache entries.
	plain := goCmd(t, ".", nil, "test", "-count=1", "-v", "-run=TestUnderController", pkg)
	if !strings.Contains(plain, "SKIP") {
		t.Fatalf("a plain build ran the instrumented package:\n%s", plain)
	}
}

// tempModule writes a module that requires poolcheck (this repository) and ants, with
// the given test file, and returns its directory and the environment to build it in.
func tempModule(t *testing.T, test string) (string, []string) {
	t.Helper()
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod": "module example.com/check\n\ngo 1.26\n\nrequire (\n" +
			"\tgithub.com/panjf2000/ants/v2 v2.12.1\n\tgithub.com/poolcheck/poolcheck v0.0.0\n)\n\n" +
			"replace github.com/poolcheck/poolcheck => " + filepath.ToSlash(repo) + "\n",
		"go.sum":        string(sum),
		"check_test.go": test,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", selected}
}

// A third-party module in the module cache (ants) is rewritten too, which go build
// -overlay refuses; its goroutines reach the controller's points.
func TestToolexecInstrumentsModuleCache(t *testing.T) {
	tool := buildTool(t)
	dir, env := tempModule(t, antsTest)
	out := goCmd(t, dir, env, "test", "-count=1", "-v", "-toolexec="+tool, ".")
	if !strings.Contains(out, "--- PASS: TestAntsUnderController") {
		t.Fatalf("ants was not run instrumented:\n%s", out)
	}
	list := goCmd(t, dir, env, "list", "-f", "{{.Dir}}", "github.com/panjf2000/ants/v2")
	if modcache := goCmd(t, dir, nil, "env", "GOMODCACHE"); !strings.HasPrefix(list, strings.TrimSpace(modcache)) {
		t.Fatalf("ants is at %s, not in the module cache %s", list, modcache)
	}
	t.Log(lineWith(out, "steps,"))
}

// The corpus's broken-check-then-act, instrumented, overruns its limit under the
// controller in at least 49 of 50 explorations; our pools, instrumented, never do.
func TestToolexecCorpus(t *testing.T) {
	tool := buildTool(t)
	dir, env := tempModule(t, corpusTest)
	out := goCmd(t, dir, env, "test", "-count=1", "-v", "-toolexec="+tool, ".")
	if !strings.Contains(out, "--- PASS: TestCorpusUnderController") {
		t.Fatalf("the corpus test failed:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "explorations") {
			t.Log(strings.TrimSpace(l))
		}
	}
}

const corpusTest = `package check

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/broken"
)

// round: three actors submit two tasks each to a pool of one slot; it returns the most
// tasks that ran at once and the steps taken.
func round(t *testing.T, mk func() pools.Pool, p interleave.Policy) (int, int) {
	var most atomic.Int32
	steps := 0
	synctest.Test(t, func(t *testing.T) {
		r, err := interleave.Start(p)
		if err != nil {
			t.Fatal(err)
		}
		pool := mk()
		var running atomic.Int32
		done := make(chan struct{}, 3)
		for range 3 {
			interleave.Go(func() {
				defer func() { done <- struct{}{} }()
				for range 2 {
					pool.Submit(context.Background(), func() {
						n := running.Add(1)
						for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
						}
						time.Sleep(time.Millisecond)
						running.Add(-1)
					})
				}
			})
		}
		for range 3 {
			<-done
		}
		pool.Close()
		steps = r.Stop().Steps
	})
	return int(most.Load()), steps
}

func TestCorpusUnderController(t *testing.T) {
	for _, p := range []string{"github.com/poolcheck/poolcheck/pools", "github.com/poolcheck/poolcheck/pools/broken"} {
		if !interleave.Instrumented(p) {
			t.Fatalf("%s is not instrumented", p)
		}
	}
	for _, c := range []struct {
		name   string
		mk     func() pools.Pool
		broken bool
	}{
		{"broken-check-then-act", func() pools.Pool { return broken.NewCheckThenAct(1) }, true},
		{"mutex", func() pools.Pool { p, _ := pools.NewMutex(1); return p }, false},
		{"channel", func() pools.Pool { p, _ := pools.NewChannel(1); return p }, false},
		{"cond", func() pools.Pool { p, _ := pools.NewCond(1); return p }, false},
		{"workers", func() pools.Pool { p, _ := pools.NewWorkers(1); return p }, false},
	} {
		caught, rounds := 0, 0
		start := time.Now()
		for seed := range uint64(50) {
			k := 64 // change points fall among the steps of the previous round
			for i := range 20 {
				rng := rand.New(rand.NewPCG(seed, uint64(i)))
				p := interleave.Policy{Seed: rng.Uint64(), Random: i%2 == 1}
				if !p.Random {
					p.ChangePoints = []int{rng.IntN(k), rng.IntN(k)}
				}
				most, steps := round(t, c.mk, p)
				rounds++
				k = max(steps, 1)
				if most > 1 {
					caught++
					if !c.broken {
						t.Errorf("%s ran %d tasks at once, limit 1, under %v", c.name, most, p)
					}
					break
				}
			}
		}
		t.Logf("%s: overran in %d of 50 explorations (%d rounds, %.0f rounds/s)",
			c.name, caught, rounds, float64(rounds)/time.Since(start).Seconds())
		if c.broken && caught < 49 {
			t.Errorf("%s: caught in %d of 50 explorations, want at least 49", c.name, caught)
		}
	}
}
`

// lineWith returns the first line of out containing s.
func lineWith(out, s string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

const antsTest = `package check

import (
	"testing"
	"testing/synctest"

	"github.com/panjf2000/ants/v2"
	"github.com/poolcheck/poolcheck/interleave"
)

func TestAntsUnderController(t *testing.T) {
	if !interleave.Instrumented("github.com/panjf2000/ants/v2") {
		t.Fatal("ants is not instrumented")
	}
	synctest.Test(t, func(t *testing.T) {
		r, err := interleave.Start(interleave.Policy{Seed: 1, ChangePoints: []int{3, 9}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := ants.NewPool(2)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan int, 4)
		for i := range 4 {
			if err := p.Submit(func() { done <- i }); err != nil {
				t.Fatal(err)
			}
		}
		for range 4 {
			<-done
		}
		p.Release()
		log := r.Stop()
		if log.Steps == 0 {
			t.Fatal("no instrumented goroutine reached a point")
		}
		t.Logf("%d steps, %d switches", log.Steps, len(log.Switches))
	})
}
`
