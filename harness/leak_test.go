package harness_test

import (
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// The leak properties of resource and retrying pools: a pool of ours or a third-party one
// leaves no goroutine behind (no false positive: the harness waits for every Create and
// attempt, ends every ctx and lets exiting goroutines exit before it looks), and each
// broken pool built to leak is caught on its leak property, with the leaked goroutine's
// stack in the counterexample, and on no other.

func TestResourcePoolsLeaveNoGoroutine(t *testing.T) {
	for _, e := range catalog.ResourceSubjects() {
		if e.Kind == catalog.Broken {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			harness.CheckResources(t, e.ResourceSubject, harness.Properties(props.ResourceNoLeak.ID))
		})
	}
}

func TestRetryPoolsLeaveNoGoroutine(t *testing.T) {
	for _, e := range catalog.RetrySubjects() {
		if e.Kind == catalog.Broken {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			harness.CheckRetries(t, e.RetrySubject, harness.Properties(props.RetryNoLeak.ID))
		})
	}
}

func TestLeakingResourcePoolIsCaughtOnItsLeakOnly(t *testing.T) {
	e, ok := catalog.LookupResource("broken-resource-ticker-leak")
	if !ok {
		t.Fatal("broken-resource-ticker-leak is missing from the catalogue")
	}
	rep, err := harness.ExploreResources(t, e.ResourceSubject)
	leaksOnly(t, rep, err, e.Breaks, "ResourceTickerLeak[...]).sample")
}

func TestLeakingRetryPoolIsCaughtOnItsLeakOnly(t *testing.T) {
	e, ok := catalog.LookupRetry("broken-watcher-leak")
	if !ok {
		t.Fatal("broken-watcher-leak is missing from the catalogue")
	}
	rep, err := harness.ExploreRetries(t, e.RetrySubject)
	leaksOnly(t, rep, err, e.Breaks, "broken.(*WatcherLeak).Do.func")
}

// leaksOnly checks that rep fails leak, and only it, with a leaked goroutine running fn.
func leaksOnly(t *testing.T, rep *harness.Report, err error, leak, fn string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		switch {
		case r.Property != leak && r.Verdict != harness.Pass:
			t.Errorf("%s: %s (%s); the pool is built to break %s only", r.Property, r.Verdict, r.Reason, leak)
		case r.Property == leak && r.Verdict != harness.Fail:
			t.Errorf("%s: %s, want a failure: the pool leaks a goroutine after every run", leak, r.Verdict)
		case r.Property == leak && !strings.Contains(r.Timeline(), "goroutines left after Close:") ||
			r.Property == leak && !strings.Contains(strings.Join(r.Counterexample.Trace.Leaked, "\n"), fn):
			t.Errorf("%s: the counterexample does not show a leaked goroutine in %s:\n%s", leak, fn, r.Timeline())
		}
	}
}
