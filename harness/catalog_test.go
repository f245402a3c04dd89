package harness_test

import (
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/props"
)

// Our own designs keep every property, every run: no false positives.
func TestOurPoolsKeepEveryProperty(t *testing.T) {
	for _, e := range catalog.Of(catalog.Ours) {
		t.Run(e.Name, func(t *testing.T) { harness.Check(t, e.Subject) })
	}
}

// explore is harness.Explore for a test: a bad call fails t.
func explore(t *testing.T, s harness.Subject, opts ...harness.Option) *harness.Report {
	t.Helper()
	rep, err := harness.Explore(t, s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Every broken pool is reported by the property it breaks, in every run of the default
// budget. Bugs whose window has no blocking point (StressOnly) are package stress's to find,
// or a controlled interleaving's: with the corpus instrumented (go test -toolexec with
// cmd/poolcheck-instrument, as .ci/run does), those measured to be caught every time
// (Controlled) are checked too. Each exploration runs in its own process (the default), as
// a pool author's test does.
func TestBrokenPoolsAreCaught(t *testing.T) {
	controlled := interleave.Instrumented("github.com/poolcheck/poolcheck/pools/broken")
	for _, e := range catalog.Of(catalog.Broken) {
		if e.StressOnly && !(controlled && e.Controlled) {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			r := explore(t, e.Subject, harness.Properties(e.Breaks)).Results[0]
			if r.Verdict != harness.Fail {
				t.Fatalf("%s breaks %s, but the default budget found nothing: %s %s", e.Name, e.Breaks, r.Verdict, r.Reason)
			}
			t.Logf("%s: %s (found after %d schedules)", e.Breaks, r.Reason, r.FoundAfter)
		})
	}
}

// The seed's bug (a Broadcast that wakes every blocked submitter, none of which rechecks
// the count) shrinks to a handful of events: limit 1 and three submits.
func TestSeedBugShrinksToAHandfulOfEvents(t *testing.T) {
	e, ok := catalog.Lookup("broken-broadcast-no-recheck")
	if !ok {
		t.Fatal("the seed's pool is missing from the catalogue")
	}
	r := explore(t, e.Subject, harness.Properties("max-concurrency")).Results[0]
	if r.Verdict != harness.Fail {
		t.Fatalf("max-concurrency: %s, want fail", r.Verdict)
	}
	// rapid now and then cannot repeat a step (goroutines runnable at the same virtual
	// instant may run in either order) and stops early; the counterexample is still small.
	cx := r.Counterexample
	if cx.Submits > 4 || cx.Shrunk && len(cx.Trace.Events) > 20 {
		t.Errorf("counterexample: shrunk %t, %d submits, %d events; want at most 4 submits (and 20 events once shrunk):\n%s",
			cx.Shrunk, cx.Submits, len(cx.Trace.Events), r.Timeline())
	}
	t.Logf("found in %v after %d schedules, shrunk in %v:\n%s", r.FoundIn, r.FoundAfter, r.Elapsed, r.Timeline())
}

// Third-party pools keep every promise their traits make, except their known findings:
// library bugs confirmed outside the harness (catalog.Entry.Findings). A pool with a
// catalogued liveness finding may hang a run in real time on it (ants' ReleaseContext spins
// while a worker that raced Release runs): the properties left unjudged then are not failed.
func TestThirdPartyPoolsKeepTheirPromises(t *testing.T) {
	for _, e := range catalog.Of(catalog.ThirdParty) {
		var ids []string
		for _, id := range props.IDs() {
			if _, known := e.Findings[id]; !known {
				ids = append(ids, id)
			}
		}
		_, hangs := e.Findings["liveness"]
		t.Run(e.Name, func(t *testing.T) {
			if !hangs {
				harness.Check(t, e.Subject, harness.Properties(ids...))
				return
			}
			rep := explore(t, e.Subject, harness.Properties(ids...))
			if rep.Crash != nil || len(rep.Races) > 0 {
				t.Fatalf("the exploration crashed or raced: %v", rep.Err())
			}
			for _, r := range rep.Results {
				switch {
				case r.Verdict == harness.Fail:
					t.Errorf("%s", r.Message(e.Name))
				case r.Verdict == harness.Error && strings.Contains(r.Reason, "hung in real time"):
					t.Logf("%s not judged, a run hung on the catalogued liveness finding: %s", r.Property, r.Reason)
				case r.Verdict == harness.Error:
					t.Errorf("%s: not judged: %s", r.Property, r.Reason)
				}
			}
		})
	}
}
