package harness

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/poolcheck/poolcheck/internal/core"
	"github.com/poolcheck/poolcheck/internal/isolate"
)

// childEnv names, in a re-executed test binary, the one Check or Explore call it is to run:
// {"test": t.Name(), "call": n}, the n-th call (from 1) made by one run of that test (with
// -count=20 a test runs 20 times, each a new *testing.T; the child runs it once).
const childEnv = "POOLCHECK_HARNESS_CHILD"

type childSpec struct {
	Test string `json:"test"`
	Call int    `json:"call"`
}

var calls struct {
	mu sync.Mutex
	n  map[*testing.T]int
}

// nextCall numbers the Check and Explore calls made by one run of a test.
func nextCall(t *testing.T) int {
	calls.mu.Lock()
	defer calls.mu.Unlock()
	if calls.n == nil {
		calls.n = map[*testing.T]int{}
	}
	calls.n[t]++
	return calls.n[t]
}

// dispatch runs the exploration where it belongs: in a child process of the test binary
// (the default), here (InProcess), or, in such a child, here for the call it was started
// for and nowhere for the others.
func dispatch(t *testing.T, tg target, cfg config) *Report {
	call := nextCall(t)
	if v := os.Getenv(childEnv); v != "" {
		var spec childSpec
		if err := json.Unmarshal([]byte(v), &spec); err != nil {
			fmt.Fprintf(os.Stderr, "poolcheck: bad %s=%q: %v\n", childEnv, v, err)
			os.Exit(2)
		}
		if spec.Test != t.Name() || spec.Call != call {
			return elsewhere(tg)
		}
		serveChild(t, tg, cfg) // does not return
	}
	if cfg.inProcess {
		return exploreHere(t, tg, cfg, localSink{cfg.progress})
	}
	return exploreInChild(t, tg, cfg, call)
}

// elsewhere is the report of a call that another child process explores.
func elsewhere(tg target) *Report {
	rep := &Report{Subject: tg.name, elsewhere: true}
	for _, p := range tg.props {
		rep.Results = append(rep.Results, Result{Property: p.ID, Verdict: Skip, Reason: "explored in another process"})
	}
	return rep
}

// localSink reports an in-process exploration's stages to the Progress option.
type localSink struct{ progress func(string) }

func (l localSink) stage(what string) {
	if l.progress != nil && what != stageProbing {
		l.progress(strings.TrimPrefix(strings.TrimPrefix(what, "exploring"), "shrinking "))
	}
}
func (localSink) result(Result) {}
func (localSink) alive(int)     {}

// stageProbing is the stage in which the pool is made and probed, before exploring.
const stageProbing = "probing the pool"

// Messages between the exploring child and its parent.
const (
	msgStage  = "stage"  // a string: stageProbing, "exploring", "shrinking ID"
	msgResult = "result" // a Result
	msgAlive  = "alive"  // schedules run so far
	msgDone   = "done"   // the exploration is over
)

// childSink streams the exploration to the parent.
type childSink struct{ s *isolate.Sender }

func (c childSink) stage(what string) { c.s.Send(msgStage, what) }
func (c childSink) result(r Result)   { c.s.Send(msgResult, r) }
func (c childSink) alive(runs int)    { c.s.Send(msgAlive, runs) }

// serveChild explores tg here, streams the results on the original stdout, and exits the
// process: the rest of the test is the parent's to run.
func serveChild(t *testing.T, tg target, cfg config) {
	out := isolate.NewSender(os.Stdout)
	os.Stdout = os.Stderr // what the pool prints must not mix with the messages
	exploreHere(t, tg, cfg, childSink{out})
	out.Send(msgDone, nil)
	os.Exit(0)
}

// exploreInChild runs this test again in a child process, where the same call explores tg,
// and turns what the child streams, and how it ends, into the Report.
func exploreInChild(t *testing.T, tg target, cfg config, call int) *Report {
	rep := &Report{Subject: tg.name, Results: make([]Result, len(tg.props))}
	index := map[string]int{}
	for i, p := range tg.props {
		index[p.ID] = i
	}
	spec, _ := json.Marshal(childSpec{Test: t.Name(), Call: call})
	stage, done := "starting", false
	oc, err := isolate.Run(isolate.Spec{
		Path:  os.Args[0],
		Args:  childArgs(t.Name()),
		Env:   []string{childEnv + "=" + string(spec), EnvInProcess + "="},
		Stall: cfg.childStall,
		OnMessage: func(m isolate.Message) {
			switch m.Kind {
			case msgStage:
				m.Decode(&stage)
				if cfg.progress != nil {
					localSink{cfg.progress}.stage(stage)
				}
			case msgResult:
				var r Result
				if m.Decode(&r) == nil {
					if i, ok := index[r.Property]; ok {
						rep.Results[i] = r
					}
				}
			case msgDone:
				done = true
			}
		},
	})
	if err != nil {
		// No child process here (no os/exec, or the binary is gone): explore in process.
		t.Logf("harness: cannot isolate the exploration (%v); exploring in this process", err)
		return exploreHere(t, tg, cfg, localSink{cfg.progress})
	}
	rep.Races = oc.Races
	switch {
	case oc.Crash != nil:
		rep.Crash = &Crash{Kind: string(oc.Crash.Kind), Reason: core.Explain(oc.Crash), Detail: oc.Crash.Detail, Stage: stage}
	case !done && stage != "starting":
		// The child reached the call and began: only the pool's code can have ended it.
		status := cmp.Or(oc.Exit, "exit status 0")
		rep.Crash = &Crash{Kind: string(isolate.Died), Stage: stage, Detail: oc.Output,
			Reason: fmt.Sprintf("the process ended (%s) while %s, before the exploration finished: "+
				"the pool's code ended it (os.Exit?)", status, stage)}
	case !done:
		rep.Crash = &Crash{Kind: string(isolate.Died), Stage: stage, Detail: oc.Output,
			Reason: "the child process that re-ran this test ended without reaching this Check or Explore call " +
				"(the test does something else when run again, or fails before the call): call it first in its own test or subtest, or use harness.InProcess()"}
	}
	for i, r := range rep.Results {
		if r.Property == "" {
			reason := "the exploring process ended first"
			if rep.Crash != nil {
				reason = rep.Crash.Reason
			}
			rep.Results[i] = Result{Property: tg.props[i].ID, Verdict: Error, Reason: reason}
		}
	}
	return rep
}

// childArgs are the test binary flags that run only test name, once, without testing's
// timeout (the parent bounds the child), at this GOMAXPROCS, with rapid's flags and -short
// as the command line set them.
func childArgs(name string) []string {
	args := []string{"-test.run=" + core.SubtestPattern(name), "-test.count=1", "-test.timeout=0",
		fmt.Sprintf("-test.cpu=%d", runtime.GOMAXPROCS(0))}
	flag.Visit(func(fl *flag.Flag) {
		if strings.HasPrefix(fl.Name, "rapid.") || fl.Name == "test.short" {
			args = append(args, "-"+fl.Name+"="+fl.Value.String())
		}
	})
	return args
}
