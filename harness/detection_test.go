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

// TestDetectionRate measures how often one default-budget exploration catches each broken
// pool, how long the first failing schedule takes to find, and how many schedules per
// second the harness runs on a correct pool. It runs only when POOLCHECK_DETECTION_RUNS is
// set (scripts/detection-rate.sh): 50 repetitions of the corpus take minutes.
func TestDetectionRate(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("POOLCHECK_DETECTION_RUNS"))
	if n <= 0 {
		t.Skip("set POOLCHECK_DETECTION_RUNS=50 to measure detection rates")
	}
	var out strings.Builder
	fmt.Fprintf(&out, "| broken pool | property | caught | mean time to first failure | mean schedules to first failure | shrunk to (tasks) |\n")
	fmt.Fprintf(&out, "| --- | --- | --- | --- | --- | --- |\n")
	for _, e := range catalog.Of(catalog.Broken) {
		caught, schedules, tasks := 0, 0, 0
		var found time.Duration
		for range n {
			rep := harness.Explore(t, e.Subject, harness.Properties(e.Breaks))
			r := rep.Results[0]
			if r.Verdict == harness.Fail {
				caught++
				found += r.FoundIn
				schedules += r.FoundAfter
				schedule, _, _ := strings.Cut(r.Timeline, "trace (")
				tasks += strings.Count(schedule, "submit task")
			}
		}
		mean := func(d time.Duration) string {
			if caught == 0 {
				return "-"
			}
			return (d / time.Duration(caught)).Round(100 * time.Microsecond).String()
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
		fmt.Fprintf(&out, "| %s | %s | %d/%d | %s | %s | %s |\n", name, e.Breaks, caught, n,
			mean(found), meanInt(schedules), meanInt(tasks))
	}
	// Throughput on correct pools: schedules per second, all properties.
	fmt.Fprintf(&out, "\n| correct pool | schedules | seconds | schedules/s |\n| --- | --- | --- | --- |\n")
	for _, e := range catalog.Of(catalog.Ours) {
		rep := harness.Explore(t, e.Subject)
		runs, secs := 0, 0.0
		for _, r := range rep.Results {
			runs += r.Runs
			secs += r.Elapsed.Seconds()
		}
		fmt.Fprintf(&out, "| %s | %d | %.2f | %.0f |\n", e.Name, runs, secs, float64(runs)/secs)
	}
	t.Log("\n" + out.String())
	if path := os.Getenv("POOLCHECK_DETECTION_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
