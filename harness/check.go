package harness

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/props"
)

// Verdict is a property's outcome for one subject.
type Verdict string

// Verdicts.
const (
	Pass Verdict = "pass" // no schedule explored broke the rule
	Fail Verdict = "fail" // a schedule broke it: Result.Counterexample shows how
	Skip Verdict = "skip" // the property does not apply: Reason names the excusing trait
	// Error means the property could not be judged: the exploring process crashed, or
	// exploring stopped after a run hung in real time. Reason says why; the Report's Crash
	// or another property's failure holds the cause.
	Error Verdict = "error"
)

// Result is one property's verdict for one subject.
type Result struct {
	Property string  // the property id, as in props.All
	Verdict  Verdict //
	Reason   string  // one line: why it failed or was not judged, or which trait excuses it
	// Counterexample is, for a failure, the schedule that broke the rule (shrunk where
	// rapid could), its trace and the violations.
	Counterexample *Counterexample `json:",omitempty"`
	Replay         string          `json:",omitempty"` // for a failure: the command that replays it
	Seed           uint64          `json:",omitempty"` // for a failure: the rapid seed that replays it
	Runs           int             // schedules whose trace was judged against this property
	Elapsed        time.Duration   // the whole exploration, shrinking included
	// FoundAfter and FoundIn are, for a failure, the schedules run and the time taken until
	// the first one that broke this property: what a user waits for a verdict.
	FoundAfter int           `json:",omitempty"`
	FoundIn    time.Duration `json:",omitempty"`
}

// Counterexample is a run that broke a property.
type Counterexample struct {
	Schedule   string // the schedule, as a readable script
	Limit      int    // the pool's limit in it
	Actors     int    // the goroutines the schedule drives
	Submits    int    // the Submit and TrySubmit calls in it
	Trace      *props.Trace
	Violations []props.Violation
	// Unit is, for a real-time run, how long one schedule millisecond lasted (trace times
	// are in schedule units); 0 in virtual time.
	Unit time.Duration `json:",omitempty"`
	// Shrunk is false when the schedule is the one first found: shrinking was not tried
	// (exploring stopped after a run hung in real time) or could not repeat the failure.
	Shrunk bool
	Note   string `json:",omitempty"` // why it is not shrunk
}

// Crash says how the process that explored a subject ended badly.
type Crash struct {
	Kind   string // "panic", "fatal", "shared-state", "hung" or "died"
	Reason string // what happened, in plain words, with what to do where the harness knows
	Detail string // the lines that show it: the panic and its goroutine, or a goroutine dump
	// Stage is what the exploration was doing: "exploring", or "shrinking ID".
	Stage string
}

// Report is what an exploration of one subject found.
type Report struct {
	Subject string
	Results []Result // one per selected property, in the order selected
	// Crash is set when the exploring process crashed or was stopped; properties it left
	// unjudged have the Error verdict.
	Crash *Crash `json:",omitempty"`
	// Races holds the race detector's reports from the exploring process (a test binary
	// built with -race): data races in the pool, whatever the properties say.
	Races []string `json:",omitempty"`

	elsewhere bool // a child process ran this exploration for another Check call
}

// Failed reports whether the subject failed: a property failed or was not judged, the
// exploring process crashed, or the race detector reported.
func (r *Report) Failed() bool { return r.Err() != nil }

// Err returns nil when the subject passed, or one error for the crash, the data races and
// each property that failed or could not be judged, joined.
func (r *Report) Err() error {
	var errs []error
	if r.Crash != nil {
		errs = append(errs, fmt.Errorf("pool %q: %s", r.Subject, r.Crash.Reason))
	}
	if len(r.Races) > 0 {
		errs = append(errs, fmt.Errorf("pool %q: data race in the pool (%d reports from the race detector)", r.Subject, len(r.Races)))
	}
	for _, res := range r.Results {
		if res.Verdict == Fail {
			errs = append(errs, fmt.Errorf("%s: pool %q: %s", res.Property, r.Subject, res.Reason))
		}
	}
	for _, res := range r.Results {
		if res.Verdict == Error {
			errs = append(errs, fmt.Errorf("%s: pool %q: not judged: %s", res.Property, r.Subject, res.Reason))
		}
	}
	return errors.Join(errs...)
}

// Check explores s under generated schedules and fails t, one subtest per property (named
// by its id, so -run 'TestX/max-concurrency' selects one), with the shrunk counterexample
// and a line that replays it. A crash of the exploring process or a data race the race
// detector reports fails t itself. See the package doc for what Check runs and how.
//
// Check has no false positives on a pool that keeps its declared Traits; it may have false
// negatives (see the package doc). Do not call it from a parallel test.
func Check(t *testing.T, s Subject, opts ...Option) {
	t.Helper()
	rep, err := Explore(t, s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	failOn(t, s.Name, rep)
}

// failOn fails t as Check does for rep, for every kind of subject: the crash and data races on t itself, then one
// subtest per property.
func failOn(t *testing.T, name string, rep *Report) {
	t.Helper()
	if rep.elsewhere {
		return
	}
	if c := rep.Crash; c != nil {
		t.Errorf("pool %q: %s\nwhile %s\n%s", name, c.Reason, c.Stage, c.Detail)
	}
	for _, race := range rep.Races {
		t.Errorf("data race in the pool %q:\n%s", name, race)
	}
	failed := false
	for _, res := range rep.Results {
		failed = failed || res.Verdict == Fail
	}
	for _, res := range rep.Results {
		t.Run(res.Property, func(t *testing.T) {
			switch res.Verdict {
			case Skip:
				t.Skip(res.Reason)
			case Error:
				if rep.Crash != nil || failed {
					t.Skip("not judged: " + res.Reason)
				}
				t.Errorf("not judged: %s", res.Reason)
			case Fail:
				t.Errorf("%s", res.Message(name))
			}
		})
	}
}

// Explore is Check's core: it runs the same exploration and returns the Report instead of
// failing t. t must be a real test (testing/synctest needs one) and is never failed. The
// error is for a call that cannot run: an unknown property id, a bad option, a Subject
// without a name or a New function.
func Explore(t *testing.T, s Subject, opts ...Option) (*Report, error) {
	t.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	tg, err := taskTarget(s, cfg.ids)
	if err != nil {
		return nil, err
	}
	return dispatch(t, tg, cfg), nil
}
