package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRatioCell(t *testing.T) {
	fast := []float64{100, 101, 99, 100, 102, 98, 100, 101, 99, 100}
	slow := []float64{200, 202, 198, 200, 204, 196, 200, 202, 198, 200}
	if got := ratioCell(fast, slow, rule{0.05, 0.10}); got != "0.50" {
		t.Errorf("ratioCell(fast, slow) = %q, want 0.50", got)
	}
	// 5% apart with a spread of ±1%: established.
	near := []float64{105, 106, 104, 105, 107, 103, 105, 106, 104, 105}
	if got := ratioCell(near, fast, rule{0.05, 0.10}); got != "1.05" {
		t.Errorf("ratioCell(5%% apart, ±2%%) = %q, want 1.05", got)
	}
	// The same medians with a spread wider than the difference: "~".
	wide := []float64{105, 150, 60, 105, 170, 50, 105, 140, 70, 105}
	if got := ratioCell(wide, fast, rule{0.05, 0.10}); got != "~" {
		t.Errorf("ratioCell(wide, fast) = %q, want ~", got)
	}
	// Far apart, but one interval wider than ±10%: established, not firm.
	slowWide := []float64{160, 170, 180, 190, 200, 200, 210, 220, 230, 240}
	if got := ratioCell(slowWide, fast, rule{0.05, 0.10}); got != "(2.00)" {
		t.Errorf("ratioCell(slowWide, fast) = %q, want (2.00)", got)
	}
	if got := ratioCell(slowWide, fast, rule{0.05, 0.50}); got != "2.00" {
		t.Errorf("ratioCell(slowWide, fast) with firm ±50%% = %q, want 2.00", got)
	}
	// Too few runs for an interval: "~" however far apart.
	if got := ratioCell(fast[:3], slow[:3], rule{0.05, 0.10}); got != "~" {
		t.Errorf("ratioCell with 3 runs = %q, want ~", got)
	}
	if got := ratioCell(nil, slow, rule{0.05, 0.10}); got != "-" {
		t.Errorf("ratioCell(nil, slow) = %q, want -", got)
	}
}

func TestTally(t *testing.T) {
	fast := []float64{100, 101, 99, 100, 102, 98, 100, 101, 99, 100}
	slow := []float64{200, 202, 198, 200, 204, 196, 200, 202, 198, 200}
	wide := []float64{160, 170, 180, 190, 200, 200, 210, 220, 230, 240}
	var tl tally
	r := rule{0.05, 0.10}
	tl.add("submit", judge(fast, slow, r)) // firm, faster: 0.50
	tl.add("submit", judge(slow, fast, r)) // firm, slower: 2.00
	tl.add("submit", judge(wide, fast, r)) // established, not firm
	tl.add("submit", judge(fast, fast, r)) // ~
	tl.add("latency", judge(nil, fast, r)) // no data: ~
	var out strings.Builder
	tl.write(&out, "t")
	for _, want := range []string{"| submit | 1 (0.50) | 1 (2.00) | 1 | 1 |", "| latency | 0 | 0 | 0 | 1 |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("tally lacks %q:\n%s", want, out.String())
		}
	}
}

func TestReadRoundsAndTables(t *testing.T) {
	var b strings.Builder
	b.WriteString("goos: linux\n")
	for r, load := range []string{"0.50", "3.20"} {
		b.WriteString("round: " + string(rune('1'+r)) + "\norder: forward\nload-before: " + load +
			"\nload-after: " + load + "\nothers-cpu: 10%\n")
		for i := range 6 {
			v := []string{"100", "101", "99"}[i%3]
			b.WriteString("BenchmarkPool/scenario=submit/pool=workers/limit=2-2 1000 " + v + " ns/op 0 B/op 0 allocs/op\n")
			b.WriteString("BenchmarkPool/scenario=submit/pool=chan-workers/limit=2-2 1000 " + v + "0 ns/op 0 B/op 0 allocs/op\n")
		}
	}
	b.WriteString("BenchmarkOther 10 5 ns/op\n")
	path := filepath.Join(t.TempDir(), "r.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.rounds) != 2 || res.rounds[1].loadBefore != "3.20" || res.rounds[0].othersCPU != "10%" {
		t.Errorf("rounds = %+v, want 2 with their load", res.rounds)
	}
	if len(res.rows) != 1 || res.rows[0] != (row{"submit", 2, 2}) {
		t.Errorf("rows = %v, want [{submit 2 2}]", res.rows)
	}
	var out strings.Builder
	g := groups{ours: []string{"workers"}, designs: []string{"workers"}, floors: []string{"chan-workers"}, floor: "chan-workers"}
	if err := writeTables(&out, res, g, rule{0.05, 0.10}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| submit | 2 | 2 | 100 ns ±", "| submit | 2 | 2 | 0.10 |", "| 2 | forward | 3.20 | 3.20 | 10% |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("tables lack %q:\n%s", want, out.String())
		}
	}
}

func TestReadRejects(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, []byte("goos: linux\nBenchmarkOther 1 5 ns/op\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := read(empty); err == nil {
		t.Errorf("read of a file without BenchmarkPool results: nil error")
	}
	if _, err := read(filepath.Join(dir, "missing.txt")); err == nil {
		t.Errorf("read of a missing file: nil error")
	}
}
