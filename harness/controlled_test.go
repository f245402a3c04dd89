package harness_test

import (
	"reflect"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/interleave"
)

// maxShrunkEvents is the most trace events a shrunk controlled counterexample of a narrow
// broken pool may have: one screen.
const maxShrunkEvents = 24

// With the corpus instrumented (go test -toolexec with cmd/poolcheck-instrument), each
// narrow broken pool a controlled run catches every time (Controlled) shrinks to a
// counterexample that fits on a screen, and exploring again from its replay seed finds the
// same failure: the same schedule, policy, trace and switches.
func TestControlledCounterexamplesReplay(t *testing.T) {
	if !interleave.Instrumented("github.com/poolcheck/poolcheck/pools/broken") {
		t.Skip("the broken corpus is not instrumented (see cmd/poolcheck-instrument)")
	}
	for _, e := range catalog.Of(catalog.Broken) {
		if !e.Controlled {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			r := explore(t, e.Subject, harness.Properties(e.Breaks)).Results[0]
			if r.Verdict != harness.Fail || r.Seed == 0 || r.Counterexample == nil {
				t.Fatalf("%s: %s (%s), seed %d: want a shrunk failure with a replay seed", e.Breaks, r.Verdict, r.Reason, r.Seed)
			}
			cx := r.Counterexample
			if !cx.Shrunk || len(cx.Trace.Events) > maxShrunkEvents {
				t.Errorf("counterexample: shrunk %t (%s), %d actors, %d events; want at most %d events:\n%s",
					cx.Shrunk, cx.Note, cx.Actors, len(cx.Trace.Events), maxShrunkEvents, r.Timeline())
			}
			again := explore(t, e.Subject, harness.Properties(e.Breaks), harness.Seed(r.Seed), harness.InProcess()).Results[0]
			if again.Verdict != harness.Fail || again.Counterexample == nil {
				t.Fatalf("replay of seed %d: %s (%s), want the failure again", r.Seed, again.Verdict, again.Reason)
			}
			ax := again.Counterexample
			if again.Reason != r.Reason || ax.Schedule != cx.Schedule ||
				!reflect.DeepEqual(ax.Trace.Events, cx.Trace.Events) || !reflect.DeepEqual(ax.Trace.Switches, cx.Trace.Switches) {
				t.Errorf("replay of seed %d differs:\nfirst:\n%s\nagain:\n%s", r.Seed, r.Timeline(), again.Timeline())
			}
			t.Logf("%d actors, %d submits, %d events, %d switches; found after %d schedules in %v",
				cx.Actors, cx.Submits, len(cx.Trace.Events), len(cx.Trace.Switches), r.FoundAfter, r.FoundIn)
		})
	}
}
