package stress

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/internal/core"
	"github.com/poolcheck/poolcheck/props"
)

// Report is what a stress run of one subject found.
type Report struct {
	Subject   string
	Seed      uint64        // the first lifetime's seed
	Repeat    bool          // every lifetime ran the first one's schedule
	Duration  time.Duration // the duration asked for
	Results   []Result      // one per selected property, in props.All order
	Race      *Failure      // the first lifetime during which the race detector reported, if any
	Lifetimes int           // pool lifetimes run
	Tasks     int           // tasks submitted, over all lifetimes
	Elapsed   time.Duration
	// Stopped says why the run ended before its duration: "hung" (a lifetime hung: its
	// stuck goroutines stay in the process, so the run goes no further), "stop on failure",
	// "every property failed", or "" when the duration or the Lifetimes cap ended it.
	Stopped string
}

// Result is one property's verdict over every lifetime of a run.
type Result struct {
	Property string
	Verdict  harness.Verdict
	Reason   string   // why it failed (the first violation), or which trait excuses it
	Failure  *Failure // the first lifetime that broke the property
	Replay   string   // for a failure: the command that replays the failing lifetime
}

// Failure is one lifetime that broke a property, or during which the race detector reported.
type Failure struct {
	Lifetime
	Index      int           // the lifetime's number in the run, from 0
	After      time.Duration // how far into the run the lifetime began
	Trace      *props.Trace
	Violations []props.Violation
}

// Failed reports whether any property failed or the race detector reported.
func (r *Report) Failed() bool { return r.Err() != nil }

// Err returns nil when the subject passed, or one error per failed property (and one for a
// data race) joined.
func (r *Report) Err() error {
	var errs []error
	if r.Race != nil {
		errs = append(errs, fmt.Errorf("pool %q: data race reported during lifetime %d (%s)",
			r.Subject, r.Race.Index, r.Race.Settings()))
	}
	for _, res := range r.Results {
		if res.Verdict == harness.Fail {
			errs = append(errs, fmt.Errorf("%s: pool %q: %s (%s)", res.Property, r.Subject, res.Reason, settingsOf(res.Failure)))
		}
	}
	return errors.Join(errs...)
}

func settingsOf(f *Failure) string {
	if f == nil {
		return "before any lifetime"
	}
	return f.Settings()
}

// Summary is one line: what ran, how long, how fast.
func (r *Report) Summary() string {
	rate := func(n int) float64 {
		if r.Elapsed <= 0 {
			return 0
		}
		return float64(n) / r.Elapsed.Seconds()
	}
	s := fmt.Sprintf("pool %q: %d lifetimes, %d tasks in %v (%.0f lifetimes/s, %.0f tasks/s), first seed %d",
		r.Subject, r.Lifetimes, r.Tasks, r.Elapsed.Round(time.Millisecond), rate(r.Lifetimes), rate(r.Tasks), r.Seed)
	if r.Repeat {
		s += " repeated"
	}
	if r.Stopped != "" {
		s += "; stopped: " + r.Stopped
	}
	return s
}

// Message is the failure report Check prints for a property: the property, the pool, the
// rule, the reason, the lifetime's settings, its schedule and trace, and the replay command.
func (res Result) Message(subject string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: pool %q breaks the rule: %s\nreason: %s\n", res.Property, subject, ruleOf(res.Property), res.Reason)
	if f := res.Failure; f != nil {
		b.WriteString(f.describe())
	}
	if res.Replay != "" {
		fmt.Fprintf(&b, "\nreplay: %s", res.Replay)
	}
	return strings.TrimRight(b.String(), "\n")
}

func (f *Failure) describe() string {
	return fmt.Sprintf("found in lifetime %d, %v into the run\nsettings: %s\n%s\n",
		f.Index, f.After.Round(time.Millisecond), f.Settings(), f.Counterexample().Timeline())
}

// Counterexample is the failing lifetime as the harness renders every failing run. Stress
// does not shrink: its seed replays the lifetime (see the package doc).
func (f *Failure) Counterexample() *harness.Counterexample {
	actors := 0
	for _, ph := range f.schedule.Phases {
		actors += len(ph.Actors)
	}
	return &harness.Counterexample{
		Schedule: f.schedule.String(), Limit: f.schedule.Limit, Actors: actors, Submits: f.schedule.Tasks(),
		Trace: f.Trace, Violations: f.Violations, Unit: f.config.Unit,
		Note: fmt.Sprintf("stress does not shrink; seed %d replays the lifetime", f.Seed),
	}
}

func ruleOf(id string) string {
	if p, ok := props.Lookup(id); ok {
		return p.Rule
	}
	return id
}

// Run is Check's core: it stresses s for the configured duration and returns what it
// found; it needs no *testing.T and never fails one. The error is for a configuration that
// cannot run (an unknown property id, a malformed environment variable); findings are in
// the Report (see Report.Err).
//
// Run changes GOMAXPROCS while it runs and restores it; do not run it alongside other
// goroutine-creating work (parallel tests): leak checks assume the process is quiet.
func Run(s harness.Subject, opts ...Option) (*Report, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if cfg.replay == nil {
		cfg.replay = func(seed uint64) string {
			return fmt.Sprintf("%s=%d %s=1 (stress the subject again with these set)", EnvSeed, seed, EnvRepeat)
		}
	}
	return run(s, cfg)
}

func run(s harness.Subject, cfg config) (*Report, error) {
	selected, err := core.Select(cfg.properties)
	if err != nil {
		return nil, fmt.Errorf("stress: %w", err)
	}
	rep := &Report{Subject: s.Name, Seed: cfg.seed, Repeat: cfg.repeat, Duration: cfg.duration}
	sh, problem := core.Probe(core.Subject{Name: s.Name, New: s.New, Traits: s.Traits}, 0)
	for _, p := range selected {
		res := Result{Property: p.ID, Verdict: harness.Pass}
		switch {
		case problem != "":
			res.Verdict, res.Reason = harness.Fail, problem
		case p.Excused(s.Traits) != "":
			res.Verdict, res.Reason = harness.Skip, "not applicable: Traits."+p.Excused(s.Traits)
		}
		rep.Results = append(rep.Results, res)
	}
	if problem != "" {
		return rep, nil
	}

	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	start := time.Now()
	defer func() { rep.Elapsed = time.Since(start) }()
	for i := 0; ; i++ {
		if cfg.lifetimes > 0 && i >= cfg.lifetimes || i > 0 && time.Since(start) >= cfg.duration {
			return rep, nil
		}
		seed := cfg.seed + uint64(i)
		if cfg.repeat {
			seed = cfg.seed
		}
		l := drawLifetime(seed, sh)
		l.config.Grace, l.config.Horizon, l.config.LeakWait = cfg.grace, cfg.horizon, cfg.leakWait
		if cfg.logf != nil {
			cfg.logf("stress: pool %q lifetime %d: %s", s.Name, i, l.Settings())
		}
		after := time.Since(start)
		tr, raced := live(s, l)
		rep.Lifetimes++
		rep.Tasks += l.schedule.Tasks()
		fail := func(vs []props.Violation) *Failure {
			return &Failure{Lifetime: l, Index: i, After: after, Trace: tr, Violations: vs}
		}
		open := 0
		for j, p := range selected {
			res := &rep.Results[j]
			if res.Verdict != harness.Pass {
				continue
			}
			if vs := p.Check(tr); len(vs) > 0 {
				res.Verdict, res.Reason, res.Failure = harness.Fail, vs[0].Msg, fail(vs)
				res.Replay = cfg.replay(seed)
				continue
			}
			open++
		}
		if raced && rep.Race == nil {
			rep.Race = fail(nil)
		}
		switch {
		case tr.Hang != nil:
			rep.Stopped = "hung"
		case cfg.stopFirst && rep.Failed():
			rep.Stopped = "stop on failure"
		case open == 0 && rep.Failed():
			rep.Stopped = "every property failed"
		}
		if rep.Stopped != "" {
			return rep, nil
		}
	}
}

// live runs one lifetime on a fresh pool: GOMAXPROCS as drawn, the schedule through
// harness.RunReal, then goleak. It reports whether the race detector reported meanwhile.
func live(s harness.Subject, l Lifetime) (tr *props.Trace, raced bool) {
	runtime.GOMAXPROCS(l.Procs)
	races := raceErrors()
	// The baseline is taken before the pool exists: whatever runs now (ants' package-level
	// goroutines, a previous hung lifetime's) is not this pool's.
	baseline := goleak.IgnoreCurrent()
	tr = core.RunReal(core.Subject{Name: s.Name, New: s.New, Traits: s.Traits}, l.schedule, l.config)
	if tr.Hang == nil && tr.Failure == "" && len(tr.Leaked) == 0 {
		// RunReal already waited up to LeakWait for the pool's goroutines; goleak is a
		// second opinion by another method (it retries too, so a goroutine that is only
		// exiting is not a leak). What it finds, the no-leak property judges.
		if err := goleak.Find(baseline); err != nil {
			tr.Leaked = goleakStacks(err)
		}
	}
	return tr, raceErrors() > races
}

// goleakStacks turns goleak's error into one entry per goroutine.
func goleakStacks(err error) []string {
	text := strings.TrimPrefix(err.Error(), "found unexpected goroutines:\n")
	text = strings.TrimSuffix(strings.TrimPrefix(text, "["), "]")
	var out []string
	for _, part := range strings.Split(text, "\n\n") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, "goleak: "+part)
		}
	}
	if len(out) == 0 {
		out = []string{"goleak: " + err.Error()}
	}
	return out
}

// Check stresses s in real time and fails t, one subtest per property (named by its id,
// exactly as in props.All), with the first lifetime that broke it, its settings and seed,
// and the line that replays it. A data race the race detector reports fails t itself, with
// the lifetime during which it was reported.
//
// Check logs the pool's name and the first seed before it starts, so a report that kills
// the process (a task panic a pool does not recover) can still be traced to a run; the
// Logf option logs every lifetime. Do not call it from a parallel test.
func Check(t *testing.T, s harness.Subject, opts ...Option) {
	t.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.replay == nil {
		pattern := core.SubtestPattern(t.Name())
		cfg.replay = func(seed uint64) string {
			return fmt.Sprintf("%s=%d %s=1 go test -race -run '%s' .  (in the package's directory)",
				EnvSeed, seed, EnvRepeat, pattern)
		}
	}
	t.Logf("stress: pool %q: first seed %d, duration %v, GOMAXPROCS 1..%d (restored to %d)",
		s.Name, cfg.seed, cfg.duration, 2*runtime.NumCPU(), runtime.GOMAXPROCS(0))
	rep, err := run(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stress: %s", rep.Summary())
	if f := rep.Race; f != nil {
		t.Errorf("data race: the race detector reported (above) during lifetime %d of pool %q, %v into the run\nsettings: %s\n%s\nreplay: %s",
			f.Index, s.Name, f.After.Round(time.Millisecond), f.Settings(), f.Counterexample().Timeline(), cfg.replay(f.Seed))
	}
	for _, res := range rep.Results {
		t.Run(res.Property, func(t *testing.T) {
			switch res.Verdict {
			case harness.Skip:
				t.Skip(res.Reason)
			case harness.Fail:
				t.Errorf("%s", res.Message(s.Name))
			}
		})
	}
}
