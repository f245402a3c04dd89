package harness_test

import (
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// Our resource and retrying pools keep every property, every run: no false positives.
func TestOurResourcePoolsKeepEveryProperty(t *testing.T) {
	for _, e := range catalog.ResourceSubjects() {
		if e.Kind == catalog.Ours {
			t.Run(e.Name, func(t *testing.T) { harness.CheckResources(t, e.ResourceSubject) })
		}
	}
}

func TestOurRetryPoolsKeepEveryProperty(t *testing.T) {
	for _, e := range catalog.RetrySubjects() {
		if e.Kind == catalog.Ours {
			t.Run(e.Name, func(t *testing.T) { harness.CheckRetries(t, e.RetrySubject) })
		}
	}
}

// Every broken resource and retrying pool is reported by the property it breaks, in every
// run of the default budget, each exploration in its own process.
func TestBrokenResourcePoolsAreCaught(t *testing.T) {
	for _, e := range catalog.ResourceSubjects() {
		if e.Kind != catalog.Broken {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			rep, err := harness.ExploreResources(t, e.ResourceSubject, harness.Properties(e.Breaks))
			caught(t, e.Name, e.Breaks, rep, err)
		})
	}
}

func TestBrokenRetryPoolsAreCaught(t *testing.T) {
	for _, e := range catalog.RetrySubjects() {
		if e.Kind != catalog.Broken {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			rep, err := harness.ExploreRetries(t, e.RetrySubject, harness.Properties(e.Breaks))
			caught(t, e.Name, e.Breaks, rep, err)
		})
	}
}

func caught(t *testing.T, name, breaks string, rep *harness.Report, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if r.Verdict != harness.Fail {
		t.Fatalf("%s breaks %s, but the default budget found nothing: %s %s", name, breaks, r.Verdict, r.Reason)
	}
	t.Logf("%s: %s (found after %d schedules)", breaks, r.Reason, r.FoundAfter)
}

// The seed's browser pool (round robin) is reported not work-conserving, with a timeline
// that shows a holder waiting on a busy browser while another has a free page.
func TestSeedRoundRobinIsNotWorkConserving(t *testing.T) {
	e, ok := catalog.LookupResource("broken-round-robin")
	if !ok {
		t.Fatal("the seed's browser pool is missing from the catalogue")
	}
	rep, err := harness.ExploreResources(t, e.ResourceSubject, harness.Properties("resource-work-conserving"))
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if r.Verdict != harness.Fail {
		t.Fatalf("resource-work-conserving: %s, want fail", r.Verdict)
	}
	// Either form says who waited for what: a browser with a free page, or room to launch
	// one (a launch failed and round robin waits on its browser instead of launching another).
	if !strings.Contains(r.Reason, "waited") || !(strings.Contains(r.Reason, "free") || strings.Contains(r.Reason, "resources existed")) {
		t.Errorf("reason %q does not say who waited for what", r.Reason)
	}
	if cx := r.Counterexample; cx.Shrunk && cx.Submits > 10 {
		t.Errorf("shrunk to %d holds, want at most 10:\n%s", cx.Submits, r.Timeline())
	}
	t.Logf("%s", r.Message(e.Name))
}

// Third-party resource and retrying pools keep every promise their traits make, except
// their known findings.
func TestThirdPartyResourcePoolsKeepTheirPromises(t *testing.T) {
	for _, e := range catalog.ResourceSubjects() {
		if e.Kind != catalog.ThirdParty {
			continue
		}
		var ids []string
		for _, p := range props.ResourceProperties() {
			if _, known := e.Findings[p.ID]; !known {
				ids = append(ids, p.ID)
			}
		}
		t.Run(e.Name, func(t *testing.T) { harness.CheckResources(t, e.ResourceSubject, harness.Properties(ids...)) })
	}
}

func TestThirdPartyRetryPoolsKeepTheirPromises(t *testing.T) {
	for _, e := range catalog.RetrySubjects() {
		if e.Kind != catalog.ThirdParty {
			continue
		}
		var ids []string
		for _, p := range props.RetryProperties() {
			if _, known := e.Findings[p.ID]; !known {
				ids = append(ids, p.ID)
			}
		}
		t.Run(e.Name, func(t *testing.T) { harness.CheckRetries(t, e.RetrySubject, harness.Properties(ids...)) })
	}
}

// A bad call is an error, never a panic or a hang.
func TestResourceAndRetryEntryPointsRefuseBadCalls(t *testing.T) {
	shared, _ := catalog.LookupResource("shared")
	retrying, _ := catalog.LookupRetry("retry")
	for name, err := range map[string]error{
		"no name":           second(harness.ExploreResources(t, harness.ResourceSubject{New: shared.New})),
		"no New":            second(harness.ExploreResources(t, harness.ResourceSubject{Name: "x"})),
		"negative slots":    second(harness.ExploreResources(t, harness.ResourceSubject{Name: "x", New: shared.New, Traits: harness.ResourceTraits{Slots: -1}})),
		"task property":     second(harness.ExploreResources(t, shared.ResourceSubject, harness.Properties("max-concurrency"))),
		"retry property":    second(harness.ExploreResources(t, shared.ResourceSubject, harness.Properties("backoff"))),
		"retry no New":      second(harness.ExploreRetries(t, harness.RetrySubject{Name: "x"})),
		"resource in retry": second(harness.ExploreRetries(t, retrying.RetrySubject, harness.Properties("exclusive"))),
		"Runs(0)":           second(harness.ExploreRetries(t, retrying.RetrySubject, harness.Runs(0))),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func second(_ *harness.Report, err error) error { return err }
