package harness_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
)

// TestDetectionRate measures how often one default exploration catches each broken pool,
// how long the first failing schedule takes to find, and how many schedules per second the
// harness runs on a correct pool. It runs only when POOLCHECK_DETECTION_RUNS is set
// (scripts/detection-rate.sh): 50 repetitions of the corpus take minutes. Each exploration
// runs in a child process of its own, as every Explore does by default.
// POOLCHECK_DETECTION_POOLS, a comma-separated list, limits it to those broken pools.
func TestDetectionRate(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("POOLCHECK_DETECTION_RUNS"))
	if n <= 0 {
		t.Skip("set POOLCHECK_DETECTION_RUNS=50 to measure detection rates")
	}
	only := map[string]bool{}
	for _, name := range strings.Split(os.Getenv("POOLCHECK_DETECTION_POOLS"), ",") {
		if name != "" {
			only[name] = true
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "| broken pool | property | caught | mean time to first failure | mean schedules to first failure | shrunk to (submits) | shrunk to (events) |\n")
	fmt.Fprintf(&out, "| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, e := range catalog.Of(catalog.Broken) {
		if len(only) > 0 && !only[e.Name] {
			continue
		}
		caught, schedules, submits, events := 0, 0, 0, 0
		var found time.Duration
		for range n {
			r := explore(t, e.Subject, harness.Properties(e.Breaks)).Results[0]
			if r.Verdict == harness.Fail {
				caught++
				found += r.FoundIn
				schedules += r.FoundAfter
				submits += r.Counterexample.Submits
				events += len(r.Counterexample.Trace.Events)
			}
		}
		mean := func(d time.Duration) string {
			if caught == 0 {
				return "-"
			}
			return (d / time.Duration(caught)).Round(10 * time.Microsecond).String()
		}
		meanInt := func(v int) string {
			if caught == 0 {
				return "-"
			}
			return strconv.FormatFloat(float64(v)/float64(caught), 'f', 1, 64)
		}
		name := e.Name
		if e.StressOnly {
			name += " (stress only)"
		}
		fmt.Fprintf(&out, "| %s | %s | %d/%d | %s | %s | %s | %s |\n", name, e.Breaks, caught, n,
			mean(found), meanInt(schedules), meanInt(submits), meanInt(events))
		t.Logf("%s: caught %d/%d", e.Name, caught, n)
	}
	// Throughput on correct pools: schedules per second, every property judged on each.
	fmt.Fprintf(&out, "\n| correct pool | schedules | schedules per property | seconds | schedules/s | isolated Explore, wall seconds |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, e := range catalog.Of(catalog.Ours) {
		start := time.Now()
		rep := explore(t, e.Subject)
		wall := time.Since(start)
		runs, secs := 0, 0.0
		for _, r := range rep.Results {
			runs = max(runs, r.Runs)
			secs = max(secs, r.Elapsed.Seconds())
		}
		fmt.Fprintf(&out, "| %s | %d | %d | %.2f | %.0f | %.2f |\n", e.Name, runs, runs, secs, float64(runs)/secs, wall.Seconds())
	}
	t.Log("\n" + out.String())
	if path := os.Getenv("POOLCHECK_DETECTION_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
