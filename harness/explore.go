package harness

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/poolcheck/poolcheck/internal/core"
	"github.com/poolcheck/poolcheck/props"
)

const (
	// shrinkTries is how often a shrink candidate runs before it counts as passing.
	shrinkTries = 4
	// reproduceTries is how often rapid's re-run of a newly found failing schedule runs
	// before rapid calls the failure flaky and gives up shrinking it. The schedule may have
	// been found with several Ps and is re-run on one, and the race detector shuffles the
	// order of goroutines runnable at once, so one that fails only now and then needs more
	// tries than a shrink candidate (a candidate that passes is merely not taken).
	reproduceTries = 16
	// shrinkTime is the most time rapid may spend shrinking one failure.
	shrinkTime = 10 * time.Second
	// exactShrinkTime is shrinkTime for an engine whose runs repeat exactly (core.Exact),
	// whose shrunk counterexample a replay must find again: a shrink cut short by time is
	// not repeatable, so it gets enough time to finish.
	exactShrinkTime = 60 * time.Second
	// flakyRetries is how often a pass restarts from a failing schedule that did not
	// reproduce.
	flakyRetries = 3
	// progressEvery is how often, at most, the exploration reports that it is alive.
	progressEvery = 200 * time.Millisecond
)

// sink is where an exploration reports as it goes: the isolated child streams to its
// parent; in process, only cfg.progress listens.
type sink interface {
	stage(what string) // "exploring", or "shrinking ID"
	result(r Result)   // a property's verdict (a failure may come again, shrunk)
	alive(runs int)    // schedules run so far, at most every progressEvery
}

// failure is one run that broke a property.
type failure struct {
	sc core.Scenario
	tr *props.Trace
	vs []props.Violation
	// details fills in the stacks of a hung run, which are costly and seldom needed.
	details func()
}

// exploration is the one exploration of a subject: every schedule's trace is judged
// against every property still open; each property that fails is then shrunk on its own,
// in a pass of its own that replays the same seed up to its first failure.
type exploration struct {
	t     *testing.T
	eng   core.Engine
	props []props.Property // the selected properties; results are indexed alike
	cfg   config
	out   sink
	seed  uint64 // the base seed of every pass
	start time.Time

	runs      int           // schedules run, shrinking included
	exploring time.Duration // wall time spent exploring (the budget counts only this)
	judged    map[int]int   // property index -> schedules judged against it
	seen      map[int]*failure
	foundRuns map[int]int
	foundIn   map[int]time.Duration
	stopped   bool        // a run was abandoned in real time: go no further in this process
	hang      *props.Hang // why it was
	lastAlive time.Time
}

// exploreHere runs the exploration of tg in this process.
func exploreHere(t *testing.T, tg target, cfg config, out sink) *Report {
	rep := &Report{Subject: tg.name, Results: make([]Result, len(tg.props))}
	out.stage(stageProbing)
	eng, problem := tg.engine(t, cfg.limits)
	var open []int
	for i, p := range tg.props {
		r := &rep.Results[i]
		r.Property = p.ID
		switch why := tg.excused(p); {
		case problem != "":
			r.Verdict, r.Reason = Fail, problem
		case why != "":
			r.Verdict, r.Reason = Skip, "not applicable: Traits."+why
		default:
			open = append(open, i)
			continue
		}
		out.result(*r)
	}
	if len(open) == 0 {
		return rep
	}
	x := &exploration{t: t, eng: eng, props: tg.props, cfg: cfg, out: out, start: time.Now(),
		judged: map[int]int{}, seen: map[int]*failure{}, foundRuns: map[int]int{}, foundIn: map[int]time.Duration{}}
	x.seed = cfg.seed
	if x.seed == 0 && !userSet("rapid.seed") {
		x.seed = rand.Uint64() | 1 // one seed for every pass, so each replays the last
	}
	x.run(rep, open)
	return rep
}

func (x *exploration) run(rep *Report, open []int) {
	for len(open) > 0 {
		x.out.stage("exploring")
		target, res := x.pass(open)
		if target < 0 && x.stopped {
			x.unjudged(rep, open, "")
			return
		}
		if target < 0 {
			for _, i := range open {
				r := Result{Property: x.props[i].ID, Verdict: Pass, Runs: x.judged[i], Elapsed: time.Since(x.start)}
				rep.Results[i] = r
				x.out.result(r)
			}
			return
		}
		rep.Results[target] = res
		x.out.result(res)
		open = slices.DeleteFunc(open, func(i int) bool { return i == target })
		if !x.stopped {
			continue
		}
		x.unjudged(rep, open, x.props[target].ID)
		return
	}
}

// unjudged settles the open properties after a run was abandoned: its goroutines stay here
// (a spinning one keeps a CPU busy), so every further run would be slowed or skewed. What
// was seen failing is reported unshrunk; the rest cannot be judged. cause names the property
// that failed on the abandoned run, if one did.
func (x *exploration) unjudged(rep *Report, open []int, cause string) {
	why := fmt.Sprintf("exploring stopped after %d schedules, when a run hung in real time (%s)", x.runs, x.hang.Describe())
	if cause != "" {
		why += " (see " + cause + ")"
	}
	for _, i := range open {
		r := Result{Property: x.props[i].ID, Verdict: Error, Reason: why, Runs: x.judged[i], Elapsed: time.Since(x.start)}
		if f := x.seen[i]; f != nil {
			r = x.failed(i, f, 0, "exploring stopped after a run hung in real time")
		}
		rep.Results[i] = r
		x.out.result(r)
	}
}

// pass explores until an open property fails, then shrinks that failure. It returns the
// property's index and its result, or -1 when no open property failed.
func (x *exploration) pass(open []int) (int, Result) {
	target := -1
	var last *failure
	procs := 0 // GOMAXPROCS before this pass set it to 1
	defer func() {
		if procs > 0 {
			runtime.GOMAXPROCS(procs)
		}
	}()
	exact, shrink := false, shrinkTime
	if ex, ok := x.eng.(core.Exact); ok && ex.Exact() {
		// The policy orders the instrumented goroutines; one P also fixes the order in
		// which the uninstrumented code they wake runs, and the names of the goroutines
		// nobody started with Go, so that a replay repeats the whole run.
		// A shrink cut short by its time limit would not replay: give it longer.
		exact, shrink = true, exactShrinkTime
		procs = runtime.GOMAXPROCS(1)
	}
	seeded := x.cfg.seed != 0 || userSet("rapid.seed")
	first := true
	// found is whether the current rapid.Check has seen a schedule fail; reproduce, whether
	// the next schedule is rapid's re-run of that one.
	found, reproduce := false, false
	prop := func(rt *rapid.T) {
		if x.stopped || target < 0 && x.cfg.budget > 0 && x.exploring > x.cfg.budget {
			return // out of budget: the remaining schedules pass unrun
		}
		sc := x.eng.Draw(rt)
		// Virtual time fixes durations, not the order of goroutines runnable at the same
		// instant, so a failing schedule may pass once. rapid's re-run of a schedule just
		// found failing gets many tries, or rapid gives up shrinking it; while shrinking, a
		// candidate gets several, so rapid does not drop a smaller schedule that still
		// fails; so does a seeded pass's first schedule, which is the one a replay line names.
		tries := 1
		switch {
		case exact: // the run repeats exactly: a second try would repeat it
		case reproduce:
			tries = reproduceTries
		case target >= 0 || seeded && first:
			tries = shrinkTries
		}
		first, reproduce = false, false
		for range tries {
			began := time.Now()
			tr, details := x.runOnce(sc)
			if core.Abandoned(tr) && !x.stopped {
				x.stopped, x.hang = true, tr.Hang
			}
			if target < 0 {
				x.exploring += time.Since(began)
				for _, i := range open {
					x.judged[i]++
					vs := x.props[i].Check(tr)
					if len(vs) == 0 {
						continue
					}
					f := &failure{sc, tr, vs, details}
					if x.seen[i] == nil {
						x.seen[i], x.foundRuns[i], x.foundIn[i] = f, x.runs, time.Since(x.start)
						x.out.result(x.failed(i, f, 0, "shrinking did not finish"))
					}
					if target < 0 {
						target, last = i, f
					}
				}
				if target < 0 {
					if x.stopped {
						return // an abandoned run that broke no open property: go no further
					}
					continue
				}
				x.out.stage("shrinking " + x.props[target].ID)
				// Shrinking needs a failure to repeat. One P makes the order of goroutines
				// runnable at the same virtual instant far more repeatable.
				if procs == 0 {
					procs = runtime.GOMAXPROCS(1)
				}
			} else {
				x.judged[target]++
				vs := x.props[target].Check(tr)
				if len(vs) == 0 {
					continue
				}
				last = &failure{sc, tr, vs, details}
			}
			if !found {
				found, reproduce = true, true
			}
			// The message stays constant so rapid can confirm each shrink step.
			rt.Fatalf("%s violated", x.props[target].ID)
		}
	}
	tb := &recordingTB{name: x.t.Name()}
	withRapidFlags(x.cfg, x.seed, shrink, func() { rapid.Check(tb, prop) })
	// rapid calls a failure flaky when the failing schedule passed when re-run, and then
	// does not shrink it (a schedule found with several Ps may not repeat on one). Explore
	// again, from another seed, so that a schedule whose failure rarely repeats is not
	// found first again: a failure found while GOMAXPROCS is 1 usually repeats, and shrinks.
	// The replay line names the seed of the pass that shrank.
	for try := 1; try <= flakyRetries && tb.flaky() && !x.stopped; try++ {
		again := &recordingTB{name: x.t.Name()}
		seed := x.seed + uint64(try)*0x9e3779b97f4a7c15
		found = false
		withRapidFlags(x.cfg, seed, shrink, func() { rapid.Check(again, prop) })
		if !again.Failed() {
			break // keep the unshrunk failure rather than forget it
		}
		tb = again
	}
	if target < 0 {
		return -1, Result{}
	}
	if !tb.Failed() || last == nil {
		return target, x.failed(target, x.seen[target], 0, "rapid could not repeat the failure")
	}
	note := ""
	switch {
	case x.stopped:
		note = "the pool hung in real time, so exploring stopped"
	case tb.flaky():
		note = "shrinking stopped where rapid could not repeat the failure"
	}
	return target, x.failed(target, last, tb.seed(), note)
}

// failed is the Fail result of property i shown by f; note, if not "", says why f is not
// shrunk.
func (x *exploration) failed(i int, f *failure, seed uint64, note string) Result {
	f.details()
	p := x.props[i]
	sum := f.sc.Summary()
	r := Result{
		Property: p.ID, Verdict: Fail, Reason: f.vs[0].Msg, Seed: seed,
		Runs: x.judged[i], Elapsed: time.Since(x.start), FoundAfter: x.foundRuns[i], FoundIn: x.foundIn[i],
		Counterexample: &Counterexample{
			Schedule: sum.Script, Limit: sum.Limit, Actors: sum.Actors, Submits: sum.Calls,
			Trace: f.tr, Violations: f.vs, Shrunk: note == "", Note: note,
		},
	}
	if seed != 0 {
		if x.cfg.replay != nil {
			r.Replay = x.cfg.replay(p.ID, seed)
		} else {
			r.Replay = fmt.Sprintf("go test -run '%s' -rapid.seed=%d  (in the package's directory)",
				core.SubtestPattern(x.t.Name()+"/"+p.ID), seed)
		}
	}
	return r
}

// runOnce runs one scenario on the exploration's engine.
func (x *exploration) runOnce(sc core.Scenario) (*props.Trace, func()) {
	x.runs++
	if time.Since(x.lastAlive) >= progressEvery {
		x.lastAlive = time.Now()
		x.out.alive(x.runs)
	}
	return x.eng.Run(sc)
}

var (
	rapidMu      sync.Mutex
	rapidUserSet map[string]bool
)

// userSet reports whether the command line set the flag name.
func userSet(name string) bool {
	rapidMu.Lock()
	defer rapidMu.Unlock()
	return userSetLocked(name)
}

func userSetLocked(name string) bool {
	if rapidUserSet == nil {
		rapidUserSet = map[string]bool{}
		flag.Visit(func(fl *flag.Flag) { rapidUserSet[fl.Name] = true })
	}
	return rapidUserSet[name]
}

// withRapidFlags runs f with rapid's flags set from cfg, seed (0: rapid's own) and the
// time shrinking may take, except
// where the command line set them explicitly (a replay's -rapid.seed must win), and
// restores them afterwards.
func withRapidFlags(cfg config, seed uint64, shrink time.Duration, f func()) {
	rapidMu.Lock()
	defer rapidMu.Unlock()
	set := map[string]string{
		"rapid.checks":     strconv.Itoa(cfg.runs),
		"rapid.nofailfile": "true",
		"rapid.shrinktime": shrink.String(),
	}
	if seed != 0 {
		set["rapid.seed"] = strconv.FormatUint(seed, 10)
	}
	for name, value := range set {
		fl := flag.Lookup(name)
		if fl == nil || userSetLocked(name) {
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
