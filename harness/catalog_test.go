package harness_test

import (
	"os"
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// Our own designs keep every property, every run: no false positives.
func TestOurPoolsKeepEveryProperty(t *testing.T) {
	for _, e := range catalog.Of(catalog.Ours) {
		t.Run(e.Name, func(t *testing.T) { harness.Check(t, e.Subject) })
	}
}

// Every broken pool is reported by the property it breaks, in every run of the default
// budget. Bugs that need real parallelism are package stress's to find. Each exploration
// runs in its own process, as a pool author's test would: a hung run's goroutines stay
// parked in their process, and would slow the tests after it.
func TestBrokenPoolsAreCaught(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		return // a child runs TestDetectionRate only
	}
	for _, e := range catalog.Of(catalog.Broken) {
		if e.StressOnly {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			r := explorePool(t, e.Name)[0]
			if r.Verdict != harness.Fail {
				t.Fatalf("%s breaks %s, but the default budget found nothing", e.Name, e.Breaks)
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
	r := harness.Explore(t, e.Subject, harness.Properties("max-concurrency")).Results[0]
	if r.Verdict != harness.Fail {
		t.Fatalf("max-concurrency: %s, want fail", r.Verdict)
	}
	schedule, _, _ := strings.Cut(r.Timeline, "trace (")
	if n := strings.Count(schedule, "submit task"); n > 4 {
		t.Errorf("shrunk schedule has %d submits, want at most 4:\n%s", n, r.Timeline)
	}
	t.Logf("found in %v after %d schedules, shrunk in %v:\n%s", r.FoundIn, r.FoundAfter, r.Elapsed, r.Timeline)
}

// Third-party pools keep every promise their traits make, except their known findings:
// library bugs confirmed outside the harness (catalog.Entry.Findings).
func TestThirdPartyPoolsKeepTheirPromises(t *testing.T) {
	for _, e := range catalog.Of(catalog.ThirdParty) {
		var ids []string
		for _, id := range props.IDs() {
			if _, known := e.Findings[id]; !known {
				ids = append(ids, id)
			}
		}
		t.Run(e.Name, func(t *testing.T) { harness.Check(t, e.Subject, harness.Properties(ids...)) })
	}
}
