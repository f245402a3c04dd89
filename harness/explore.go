package harness

import (
	"flag"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/props"
)

func explore(t *testing.T, s Subject, failT bool, opts []Option) *Report {
	t.Helper()
	cfg := newConfig(opts)
	rep := &Report{Subject: s.Name}
	selected, err := selectProperties(cfg.properties)
	if err != nil {
		if failT {
			t.Fatal(err)
		}
		return rep
	}
	sh, problem := probe(s)
	for _, p := range selected {
		if cfg.progress != nil {
			cfg.progress(p.ID)
		}
		var res Result
		switch {
		case problem != "":
			res = Result{Property: p.ID, Verdict: Fail, Reason: problem}
		case p.Excused(s.Traits) != "":
			res = Result{Property: p.ID, Verdict: Skip, Reason: "not applicable: Traits." + p.Excused(s.Traits)}
		}
		if !failT {
			if res.Property == "" {
				res = exploreProperty(t, s, sh, p, cfg)
			}
			rep.Results = append(rep.Results, res)
			continue
		}
		t.Run(p.ID, func(t *testing.T) {
			if res.Property == "" {
				res = exploreProperty(t, s, sh, p, cfg)
			}
			rep.Results = append(rep.Results, res)
			switch res.Verdict {
			case Skip:
				t.Skip(res.Reason)
			case Fail:
				t.Errorf("%s", res.Message(s.Name))
			}
		})
	}
	return rep
}

func selectProperties(ids []string) ([]props.Property, error) {
	if len(ids) == 0 {
		return props.All(), nil
	}
	var out []props.Property
	for _, id := range ids {
		p, ok := props.Lookup(id)
		if !ok {
			return nil, fmt.Errorf("harness: unknown property %q (known: %v)", id, props.IDs())
		}
		out = append(out, p)
	}
	return out, nil
}

// probe makes one pool to learn its optional capabilities, and reports a subject that
// cannot be run at all.
func probe(s Subject) (shape, string) {
	if s.New == nil {
		return shape{}, "Subject.New is nil"
	}
	var p pools.Pool
	if pv := guard(func() { p = s.New(1) }); pv != nil {
		return shape{}, "New(1) panicked: " + pv.String()
	}
	if p == nil {
		return shape{}, "New(1) returned nil"
	}
	go guard(p.Close) // not awaited: a hostile Close must not hang the probe
	return shapeOf(s, p), ""
}

// failure is the last failing run of an exploration: after rapid has shrunk, the smallest.
type failure struct {
	sc Schedule
	tr *props.Trace
	vs []props.Violation
	// details fills in the stacks of a hung run, which are costly and seldom needed.
	details func()
}

const (
	// shrinkTries is how often a shrink candidate runs before it counts as passing.
	shrinkTries = 4
	// flakyRetries is how often an exploration restarts from a failing schedule that did
	// not reproduce.
	flakyRetries = 3
)

func exploreProperty(t *testing.T, s Subject, sh shape, p props.Property, cfg config) Result {
	t.Helper()
	start := time.Now()
	var (
		last    *failure
		runs    int
		found   bool
		stopped bool // a run hung in real time: every further run would cost a watchdog

		foundAfter int
		foundIn    time.Duration
		procs      int // GOMAXPROCS before shrinking began; 0 while exploring
	)
	defer func() {
		if procs > 0 {
			runtime.GOMAXPROCS(procs)
		}
	}()
	// A fixed seed (Seed, or -rapid.seed on the command line) usually replays a failure: its
	// first schedule is the one that failed.
	seeded := cfg.seed != 0
	if fl := flag.Lookup("rapid.seed"); fl != nil && fl.Value.String() != "0" {
		seeded = true
	}
	prop := func(rt *rapid.T) {
		if stopped || cfg.budget > 0 && !found && time.Since(start) > cfg.budget {
			return // out of budget: the remaining schedules pass unrun
		}
		sc := drawSchedule(rt, sh)
		// Virtual time fixes durations, not the order of goroutines runnable at the same
		// instant, so a failing schedule may pass once. While shrinking, a candidate gets
		// several tries, so rapid does not drop a smaller schedule that still fails.
		tries := 1
		if found || seeded && runs == 0 {
			tries = shrinkTries // shrinking, or replaying a seed's first (failing) schedule
		}
		for range tries {
			runs++
			tr, details := runVirtual(t, s, sc, cfg.watchdog)
			vs := p.Check(tr)
			if len(vs) == 0 {
				continue
			}
			if !found {
				foundAfter, foundIn = runs, time.Since(start)
				// Shrinking needs a failure to repeat. One P makes the order of goroutines
				// runnable at the same virtual instant far more repeatable.
				procs = runtime.GOMAXPROCS(1)
			}
			found = true
			last = &failure{sc, tr, vs, details}
			stopped = tr.Hang != nil && tr.Hang.Why == "watchdog"
			// The message stays constant so rapid can confirm each shrink step.
			rt.Fatalf("%s violated", p.ID)
		}
	}
	tb := &recordingTB{name: t.Name()}
	withRapidFlags(cfg, func() { rapid.Check(tb, prop) })
	// rapid calls a failure flaky when the failing schedule passed when re-run, and then
	// does not shrink it (a schedule found with several Ps may not repeat on one). Explore
	// again: a failure found while GOMAXPROCS is 1 repeats, and shrinks.
	for try := 0; try < flakyRetries && tb.flaky(); try++ {
		again := &recordingTB{name: t.Name()}
		withRapidFlags(cfg, func() { rapid.Check(again, prop) })
		if !again.Failed() {
			break // keep the unshrunk failure rather than forget it
		}
		tb = again
	}
	res := Result{Property: p.ID, Verdict: Pass, Runs: runs, Elapsed: time.Since(start)}
	if !tb.failed {
		return res
	}
	res.Verdict = Fail
	res.Seed = tb.seed()
	res.FoundAfter, res.FoundIn = foundAfter, foundIn
	if last == nil {
		res.Reason = "rapid failed without a violation: " + tb.firstLine()
		res.Timeline = tb.text()
		return res
	}
	res.Reason = last.vs[0].Msg
	last.details()
	res.Timeline = timeline(last)
	if stopped {
		res.Timeline = "not shrunk: the pool hung in real time (the watchdog fired), so exploring stopped\n" + res.Timeline
	}
	if cfg.replay != nil {
		res.Replay = cfg.replay(p.ID, res.Seed)
	} else {
		res.Replay = fmt.Sprintf("go test -run '^%s$' -rapid.seed=%d  (in the package's directory)",
			subtestPattern(t.Name()), res.Seed)
	}
	return res
}

// subtestPattern anchors each level of a test name for -run.
func subtestPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return strings.Join(parts, "$/^")
}

// Message is the failure report Check prints: the property, the subject, the reason, the
// shrunk schedule and trace, and the replay command.
func (r Result) Message(subject string) string {
	return fmt.Sprintf("%s: pool %q breaks the rule: %s\nreason: %s\n%s\nreplay: %s",
		r.Property, subject, ruleOf(r.Property), r.Reason, r.Timeline, r.Replay)
}

func ruleOf(id string) string {
	if p, ok := props.Lookup(id); ok {
		return p.Rule
	}
	return id
}

var (
	rapidMu      sync.Mutex
	rapidUserSet map[string]bool
)

// withRapidFlags runs f with rapid's flags set from cfg, except where the command line set
// them explicitly (a replay's -rapid.seed must win), and restores them afterwards.
func withRapidFlags(cfg config, f func()) {
	rapidMu.Lock()
	defer rapidMu.Unlock()
	if rapidUserSet == nil {
		rapidUserSet = map[string]bool{}
		flag.Visit(func(fl *flag.Flag) { rapidUserSet[fl.Name] = true })
	}
	set := map[string]string{
		"rapid.checks":     strconv.Itoa(cfg.runs),
		"rapid.nofailfile": "true",
		"rapid.shrinktime": "10s",
	}
	if cfg.seed != 0 {
		set["rapid.seed"] = strconv.FormatUint(cfg.seed, 10)
	}
	for name, value := range set {
		fl := flag.Lookup(name)
		if fl == nil || rapidUserSet[name] {
			continue
		}
		old := fl.Value.String()
		if err := fl.Value.Set(value); err != nil {
			continue
		}
		defer fl.Value.Set(old)
	}
	f()
}
