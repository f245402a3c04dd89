package harness_test

import (
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
)

// Our own designs keep every property, every run: no false positives.
func TestOurPoolsKeepEveryProperty(t *testing.T) {
	for _, e := range catalog.Of(catalog.Ours) {
		t.Run(e.Name, func(t *testing.T) { harness.Check(t, e.Subject) })
	}
}

// Every broken pool is reported by the property it breaks, in every run of the default
// budget. Bugs that need real parallelism are package stress's to find.
func TestBrokenPoolsAreCaught(t *testing.T) {
	for _, e := range catalog.Of(catalog.Broken) {
		if e.StressOnly {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			rep := harness.Explore(t, e.Subject, harness.Properties(e.Breaks))
			if !rep.Failed() {
				t.Fatalf("%s breaks %s, but the default budget found nothing", e.Name, e.Breaks)
			}
			t.Logf("%s: %s (after %d schedules)", e.Breaks, rep.Results[0].Reason, rep.Results[0].Runs)
		})
	}
}
