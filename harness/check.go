package harness

import (
	"testing"
	"time"
)

// Verdict is a property's outcome for one subject.
type Verdict string

// Verdicts.
const (
	Pass Verdict = "pass"
	Fail Verdict = "fail"
	Skip Verdict = "skip" // the property does not apply: Reason names the excusing trait
)

// Result is one property's verdict for one subject.
type Result struct {
	Property string        // the property id, as in props.All
	Verdict  Verdict       //
	Reason   string        // one line: why it failed, or which trait excuses it
	Timeline string        // for a failure: the shrunk schedule and its trace, readable
	Replay   string        // for a failure: the command that replays it
	Seed     uint64        // for a failure: the rapid seed that replays it
	Runs     int           // schedules run, shrinking included
	Elapsed  time.Duration // exploring and shrinking
	// FoundAfter and FoundIn are, for a failure, the schedules run and the time taken until
	// the first failing one: what a user waits for a verdict.
	FoundAfter int
	FoundIn    time.Duration
}

// Report is every checked property's Result for one subject.
type Report struct {
	Subject string
	Results []Result
}

// Failed reports whether any property failed.
func (r *Report) Failed() bool {
	for _, res := range r.Results {
		if res.Verdict == Fail {
			return true
		}
	}
	return false
}

// Check explores s under generated schedules and fails t, one subtest per property
// (named by its id, so -run TestX/max-concurrency selects one), with the shrunk
// counterexample and a line that replays it.
//
// Check runs each schedule in a testing/synctest bubble under a real-time watchdog, so a
// hung or leaking pool fails its property instead of hanging the test binary. It has no
// false positives on a pool that keeps its declared Traits; it may have false negatives
// (a race window a few instructions wide: see package stress). Do not call it from a
// parallel test: leak checks and budgets assume the process is quiet, and while it shrinks
// a failure Check sets GOMAXPROCS to 1 (restoring it afterwards) so the failure repeats.
func Check(t *testing.T, s Subject, opts ...Option) {
	t.Helper()
	explore(t, s, true, opts)
}

// Explore is Check's core: it runs the same exploration and returns the Report instead of
// failing t. t must be a real test (testing/synctest needs one) and is never failed.
func Explore(t *testing.T, s Subject, opts ...Option) *Report {
	t.Helper()
	return explore(t, s, false, opts)
}
