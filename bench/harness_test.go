package bench

import (
	"os"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/internal/isolate"
)

// BenchmarkHarness measures the harness itself, so benchgate tracks it like any pool:
//
//	BenchmarkHarness/scenario=explore/pool=P        one default Check of a correct pool (its
//	                                                whole exploration, every property, in its
//	                                                own process): ns/op, and schedules/s
//	BenchmarkHarness/scenario=first-failure/pool=P  a broken pool explored on the property it
//	                                                breaks: ns/op is the time to the first
//	                                                failing schedule (shrinking excluded), and
//	                                                schedules counts those run until then
//
// Each iteration explores in a child process of the test binary, as Check does (testing/
// synctest needs a *testing.T, which a benchmark does not have). Run it with and without
// -race: go test -run '^$' -bench Harness [-race] ./bench.
func BenchmarkHarness(b *testing.B) {
	for _, name := range []string{"channel", "mutex", "workers"} {
		b.Run("scenario=explore/pool="+name, func(b *testing.B) {
			var runs int
			var explored time.Duration
			for range b.N {
				s := exploreInChild(b, name)
				runs += s.Runs
				explored += s.Elapsed
			}
			if explored > 0 {
				b.ReportMetric(float64(runs)/explored.Seconds(), "schedules/s")
			}
		})
	}
	for _, e := range catalog.Of(catalog.Broken) {
		if e.StressOnly {
			continue
		}
		b.Run("scenario=first-failure/pool="+e.Name, func(b *testing.B) {
			var found time.Duration
			var schedules int
			for range b.N {
				s := exploreInChild(b, e.Name)
				if !s.Failed {
					b.Fatalf("%s: the exploration found no failure of %s", e.Name, e.Breaks)
				}
				found += s.FoundIn
				schedules += s.FoundAfter
			}
			b.ReportMetric(float64(found.Nanoseconds())/float64(b.N), "ns/op")
			b.ReportMetric(float64(schedules)/float64(b.N), "schedules")
		})
	}
}

// harnessChildEnv names the catalogue entry TestHarnessSpeedChild explores.
const harnessChildEnv = "POOLCHECK_BENCH_HARNESS_CHILD"

// speed is what the child reports of one exploration.
type speed struct {
	Runs       int           // schedules run (the most any property was judged on)
	Elapsed    time.Duration // the exploration, shrinking included
	Failed     bool          // the breaks property failed
	FoundIn    time.Duration // until the first failing schedule
	FoundAfter int           // schedules until then
}

func exploreInChild(b *testing.B, name string) speed {
	b.Helper()
	var s speed
	got := false
	oc, err := isolate.Run(isolate.Spec{Path: os.Args[0], Args: []string{"-test.run=^TestHarnessSpeedChild$", "-test.count=1"},
		Env: []string{harnessChildEnv + "=" + name},
		OnMessage: func(m isolate.Message) {
			got = m.Kind == "speed" && m.Decode(&s) == nil
		}})
	if err != nil {
		b.Fatal(err)
	}
	if !got {
		b.Fatalf("exploring %s: the child gave no result (%+v)\n%s", name, oc.Crash, oc.Output)
	}
	return s
}

// TestHarnessSpeedChild is BenchmarkHarness's child: it explores one entry in process and
// sends what it measured.
func TestHarnessSpeedChild(t *testing.T) {
	name := os.Getenv(harnessChildEnv)
	if name == "" {
		t.Skip("run by BenchmarkHarness")
	}
	e, ok := catalog.Lookup(name)
	if !ok {
		t.Fatalf("no pool %q", name)
	}
	opts := []harness.Option{harness.InProcess()}
	if e.Kind == catalog.Broken {
		opts = append(opts, harness.Properties(e.Breaks))
	}
	rep, err := harness.Explore(t, e.Subject, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var s speed
	for _, r := range rep.Results {
		s.Runs, s.Elapsed = max(s.Runs, r.Runs), max(s.Elapsed, r.Elapsed)
		if r.Verdict == harness.Fail {
			s.Failed, s.FoundIn, s.FoundAfter = true, r.FoundIn, r.FoundAfter
		}
	}
	if err := isolate.NewSender(os.Stdout).Send("speed", s); err != nil {
		t.Fatal(err)
	}
}
