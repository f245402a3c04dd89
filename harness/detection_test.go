package harness_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
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
//
// Each exploration runs in a child process (this test binary again), as a user's test run
// would: a hung bubble's goroutines stay parked in their process for good, and a thousand
// explorations in one process would slow each other down.
func TestDetectionRate(t *testing.T) {
	if name := os.Getenv(childEnv); name != "" {
		detectionChild(t, name)
		return
	}
	n, _ := strconv.Atoi(os.Getenv("POOLCHECK_DETECTION_RUNS"))
	if n <= 0 {
		t.Skip("set POOLCHECK_DETECTION_RUNS=50 to measure detection rates")
	}
	var out strings.Builder
	fmt.Fprintf(&out, "| broken pool | property | caught | mean time to first failure | mean schedules to first failure | shrunk to (submits) |\n")
	fmt.Fprintf(&out, "| --- | --- | --- | --- | --- | --- |\n")
	for _, e := range catalog.Of(catalog.Broken) {
		caught, schedules, tasks := 0, 0, 0
		var found time.Duration
		for range n {
			rs := explorePool(t, e.Name)
			r := rs[0]
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
		fmt.Fprintf(&out, "| %s | %s | %d/%d | %s | %s | %s |\n", name, e.Breaks, caught, n,
			mean(found), meanInt(schedules), meanInt(tasks))
		t.Logf("%s: caught %d/%d", e.Name, caught, n)
	}
	// Throughput on correct pools: schedules per second, all properties.
	fmt.Fprintf(&out, "\n| correct pool | schedules (8 properties) | seconds | schedules/s |\n| --- | --- | --- | --- |\n")
	for _, e := range catalog.Of(catalog.Ours) {
		runs, secs := 0, 0.0
		for _, r := range explorePool(t, e.Name) {
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

// childEnv names the catalogue entry a child process explores.
const childEnv = "POOLCHECK_DETECTION_CHILD"

// explorePool explores one catalogue entry with the default budget in a child process:
// a broken pool on the property it breaks, any other pool on every property.
func explorePool(t *testing.T, name string) []harness.Result {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDetectionRate$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+name)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("exploring %s: %v", name, err)
	}
	for _, line := range strings.Split(stdout.String(), "\n") {
		if js, ok := strings.CutPrefix(line, "RESULTS "); ok {
			var rs []harness.Result
			if err := json.Unmarshal([]byte(js), &rs); err != nil {
				t.Fatal(err)
			}
			return rs
		}
	}
	t.Fatalf("exploring %s: no results in the child's output:\n%s", name, stdout.String())
	return nil
}

func detectionChild(t *testing.T, name string) {
	e, ok := catalog.Lookup(name)
	if !ok {
		t.Fatalf("no pool %q", name)
	}
	var opts []harness.Option
	if e.Kind == catalog.Broken {
		opts = append(opts, harness.Properties(e.Breaks))
	}
	js, err := json.Marshal(harness.Explore(t, e.Subject, opts...).Results)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("RESULTS %s\n", js)
}
