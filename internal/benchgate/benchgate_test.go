package benchgate

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fixtures in testdata are real runs of the bench suite on two reference pools
// (chan-workers, chan-semaphore), scenario=submit, -benchtime=20ms, ten interleaved rounds:
//
//	old.txt, new-same.txt  the same test binary, alternately
//	new-slow.txt           the same binary with -bench.slow=150ns (every Submit spins first)
//	new-alloc.txt          the same binary with -bench.alloc=64 (every Submit allocates)
//
// See the comment in bench/bench_test.go for the flags, and testdata/README for the
// command that made them.

// gate runs Main and returns its exit code and output.
func gate(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &out, &errb)
	t.Logf("benchgate %s -> %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	return code, out.String(), errb.String()
}

func fixture(name string) string { return filepath.Join("testdata", name) }

// write puts content in a temporary file and returns its path.
func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runs formats n benchmark lines for name with the given ns/op, B/op and allocs/op values.
func runs(name string, ns []float64, bytes, allocs []float64) string {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/p\n")
	for i := range ns {
		fmt.Fprintf(&b, "Benchmark%s-2\t1000\t%g ns/op\t%g B/op\t%g allocs/op\n", name, ns[i], bytes[i], allocs[i])
	}
	b.WriteString("PASS\nok  \texample.com/p\t1.0s\n")
	return b.String()
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// spread returns n values around v, each off by up to ±frac, deterministically.
func spread(v, frac float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v * (1 + frac*(float64(i%5)-2)/2)
	}
	return out
}

func TestSameCodePasses(t *testing.T) {
	code, out, _ := gate(t, fixture("old.txt"), fixture("new-same.txt"))
	if code != 0 {
		t.Errorf("two runs of the same code: exit %d, want 0", code)
	}
	if !strings.Contains(out, "PASS") {
		t.Errorf("output does not say PASS")
	}
}

func TestSlowedPoolFails(t *testing.T) {
	code, out, _ := gate(t, fixture("old.txt"), fixture("new-slow.txt"))
	if code != 1 {
		t.Fatalf("a run with a slowed pool: exit %d, want 1", code)
	}
	if !strings.Contains(out, "REGRESSION Pool/scenario=submit/pool=chan-workers/limit=2-2 sec/op") {
		t.Errorf("output does not name chan-workers' sec/op regression")
	}
	if strings.Contains(out, "allocs/op: allocation") {
		t.Errorf("a time-only slowdown was reported as an allocation regression")
	}
}

func TestAllocatingPoolFails(t *testing.T) {
	// Time may or may not regress: gate allocations only.
	code, out, _ := gate(t, "-units=B/op,allocs/op", fixture("old.txt"), fixture("new-alloc.txt"))
	if code != 1 {
		t.Fatalf("a run with an allocating pool: exit %d, want 1", code)
	}
	for _, want := range []string{
		"REGRESSION Pool/scenario=submit/pool=chan-workers/limit=2-2 allocs/op",
		"REGRESSION Pool/scenario=submit/pool=chan-workers/limit=2-2 B/op",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "sec/op") {
		t.Errorf("-units=B/op,allocs/op still gated sec/op")
	}
}

func TestFixturesAgainstThemselves(t *testing.T) {
	for _, f := range []string{"old.txt", "new-same.txt", "new-slow.txt", "new-alloc.txt"} {
		if code, _, _ := gate(t, fixture(f), fixture(f)); code != 0 {
			t.Errorf("%s against itself: exit %d, want 0", f, code)
		}
	}
}

func TestStrictAllocations(t *testing.T) {
	ns := spread(100, 0.05, 3)
	// Three identical runs a side: 0 -> 1 allocs/op cannot be significant (n=3+3 gives p >= 0.1)
	// but is not noise.
	old := write(t, "old.txt", runs("X", ns, repeat(0, 3), repeat(0, 3)))
	new := write(t, "new.txt", runs("X", ns, repeat(16, 3), repeat(1, 3)))
	code, out, _ := gate(t, old, new)
	if code != 1 {
		t.Errorf("0 -> 1 allocs/op in 3 identical runs a side: exit %d, want 1", code)
	}
	if !strings.Contains(out, "every run identical") {
		t.Errorf("output does not give the stable-runs reason")
	}

	// Two runs a side are not enough to call a figure stable: undecided.
	old = write(t, "old2.txt", runs("X", ns[:2], repeat(0, 2), repeat(0, 2)))
	new = write(t, "new2.txt", runs("X", ns[:2], repeat(16, 2), repeat(1, 2)))
	if code, _, _ := gate(t, "-units=allocs/op", old, new); code != 2 {
		t.Errorf("0 -> 1 allocs/op in 2 runs a side: exit %d, want 2 (undecided)", code)
	}

	// Noisy B/op whose median does not rise passes, whatever the spread.
	old = write(t, "old3.txt", runs("X", spread(100, 0.05, 10), spread(40, 0.2, 10), repeat(1, 10)))
	new = write(t, "new3.txt", runs("X", spread(100, 0.05, 10), spread(38, 0.2, 10), repeat(1, 10)))
	if code, _, _ := gate(t, old, new); code != 0 {
		t.Errorf("B/op median not increased: exit %d, want 0", code)
	}

	// A small but significant B/op increase fails: no threshold for allocations.
	old = write(t, "old4.txt", runs("X", spread(100, 0.05, 10), spread(40, 0.02, 10), repeat(1, 10)))
	new = write(t, "new4.txt", runs("X", spread(100, 0.05, 10), spread(41, 0.02, 10), repeat(1, 10)))
	if code, _, _ := gate(t, old, new); code != 1 {
		t.Errorf("B/op +2.5%% significant: exit %d, want 1", code)
	}
}

func TestTimeThreshold(t *testing.T) {
	z := repeat(0, 10)
	old := write(t, "old.txt", runs("X", spread(100, 0.01, 10), z, z))
	new := write(t, "new.txt", runs("X", spread(105, 0.01, 10), z, z))
	code, out, _ := gate(t, old, new)
	if code != 0 {
		t.Errorf("+5%% at the default 10%% threshold: exit %d, want 0", code)
	}
	if !strings.Contains(out, "within threshold") {
		t.Errorf("a significant +5%% is not reported as within the threshold")
	}
	if code, _, _ := gate(t, "-threshold=2%", old, new); code != 1 {
		t.Errorf("+5%% at -threshold=2%%: exit %d, want 1", code)
	}
	if code, _, _ := gate(t, "-threshold=0.02", old, new); code != 1 {
		t.Errorf("+5%% at -threshold=0.02: exit %d, want 1", code)
	}
	// Faster is never a failure.
	if code, _, _ := gate(t, "-threshold=0", new, old); code != 0 {
		t.Errorf("-5%%: exit %d, want 0", code)
	}
}

func TestTooFewRuns(t *testing.T) {
	z := repeat(0, 3)
	old := write(t, "old.txt", runs("X", []float64{100, 101, 102}, z, z))
	new := write(t, "new.txt", runs("X", []float64{200, 201, 202}, z, z))
	code, out, _ := gate(t, old, new)
	if code != 2 {
		t.Errorf("3 runs a side: exit %d, want 2", code)
	}
	for _, want := range []string{"TOO FEW RUNS", "need >= 4 runs a side"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// At alpha 0.1 three runs a side can decide: the smallest p is 0.1, and a p equal to
	// alpha counts, as in benchstat.
	if code, _, _ := gate(t, "-alpha=0.1", old, new); code != 1 {
		t.Errorf("3 runs a side at alpha 0.1, doubled time: exit %d, want 1", code)
	}
}

func TestBadInput(t *testing.T) {
	good := fixture("old.txt")
	tests := []struct {
		name, content, wantErr string
	}{
		{"empty", "", "no benchmark results"},
		{"no-results", "goos: linux\nPASS\nok  \tx\t0.1s\n", "no benchmark results"},
		{"malformed", "BenchmarkX-2\t100\tfast ns/op\n", "malformed"},
		{"missing-unit", "BenchmarkX-2\t100\t12\n", "malformed"},
		{"no-overlap", runs("Other", repeat(1, 10), repeat(0, 10), repeat(0, 10)), "no benchmark in common"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := write(t, tt.name+".txt", tt.content)
			for _, args := range [][]string{{good, bad}, {bad, good}} {
				code, _, stderr := gate(t, args...)
				if code != 2 {
					t.Errorf("%v: exit %d, want 2", args, code)
				}
				if !strings.Contains(stderr, tt.wantErr) {
					t.Errorf("%v: stderr %q lacks %q", args, stderr, tt.wantErr)
				}
			}
		})
	}
	if code, _, stderr := gate(t, good, filepath.Join(t.TempDir(), "missing.txt")); code != 2 || !strings.Contains(stderr, "missing.txt") {
		t.Errorf("missing file: exit %d, stderr %q; want 2 naming the file", code, stderr)
	}
}

func TestUsage(t *testing.T) {
	f := fixture("old.txt")
	for _, args := range [][]string{
		{},
		{f},
		{f, f, f},
		{"-threshold=ten", f, f},
		{"-threshold=-5%", f, f},
		{"-alpha=0", f, f},
		{"-alpha=1.5", f, f},
		{"-units=", f, f},
		{"-nosuchflag", f, f},
	} {
		if code, _, stderr := gate(t, args...); code != 2 || stderr == "" {
			t.Errorf("benchgate %q: exit %d with stderr %q, want 2 and a message", args, code, stderr)
		}
	}
	if code, _, stderr := gate(t, "-h"); code != 0 || !strings.Contains(stderr, "usage: benchgate") {
		t.Errorf("-h: exit %d, want 0 and the usage", code)
	}
}

func TestMinP(t *testing.T) {
	for _, tt := range []struct {
		n1, n2 int
		want   float64
	}{
		{1, 1, 1}, {3, 3, 0.1}, {4, 4, 0.02857142857142857}, {6, 6, 0.0021645021645021645}, {0, 5, 1},
	} {
		if got := MinP(tt.n1, tt.n2); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("MinP(%d, %d) = %v, want %v", tt.n1, tt.n2, got, tt.want)
		}
	}
	if got := MinRuns(0.05); got != 4 {
		t.Errorf("MinRuns(0.05) = %d, want 4", got)
	}
}

func TestCustomLatencyUnits(t *testing.T) {
	// The suite's p99-ns is read as p99-sec: a duration, lower is better.
	line := func(v float64) string { return fmt.Sprintf("BenchmarkX-2\t1000\t100 ns/op\t%g p99-ns\n", v) }
	var o, n strings.Builder
	for i := range 10 {
		o.WriteString(line(1000 + float64(i)))
		n.WriteString(line(2000 + float64(i)))
	}
	old, new := write(t, "old.txt", o.String()), write(t, "new.txt", n.String())
	code, out, _ := gate(t, "-units=p99-ns", old, new)
	if code != 1 || !strings.Contains(out, "p99-sec") {
		t.Errorf("doubled p99: exit %d, want 1 with a p99-sec table", code)
	}
	if code, _, _ := gate(t, "-units=all", new, old); code != 0 {
		t.Errorf("halved p99, all units: exit %d, want 0", code)
	}
}
