package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/internal/core"
	"github.com/poolcheck/poolcheck/internal/isolate"
)

// ChildEnv is set (to "1") in the environment of the process that checks one pool for the
// command (see Subprocess).
const ChildEnv = "POOLCHECK_CHILD"

// msgReport is the child's one message: the pool's harness.Report.
const msgReport = "report"

// SendReport writes rep as the child's answer to its parent.
func SendReport(s *isolate.Sender, rep *harness.Report) error { return s.Send(msgReport, rep) }

// ChildArgs is the command line of the child that checks pool e under cfg: on the
// selected properties of its family.
func ChildArgs(cfg *Config, e catalog.Pool) []string {
	return []string{
		"-pool", e.Name, "-property", strings.Join(propertyIDs(cfg.PropertiesOf(e.Family)), ","),
		"-runs", strconv.Itoa(cfg.RunsFor(e.Family)), "-budget", cfg.Budget.String(),
		"-shrink", cfg.ShrinkFor(e.Family).String(), "-seed", strconv.FormatUint(cfg.Seed, 10), "-quiet",
	}
}

// TestingArgs are the flags the child that checks e gives package testing (and rapid,
// through flag.CommandLine) before it runs its one test: quiet, no timeout of testing's
// own, and cfg's cap on shrinking for e's family (a flag set on the command line wins
// over the harness's default).
func TestingArgs(cfg *Config, e catalog.Pool) []string {
	return []string{"-test.v=false", "-test.timeout=0", "-test.count=1",
		"-rapid.shrinktime=" + cfg.ShrinkFor(e.Family).String()}
}

// childStall is how long the child that checks e may go without answering: its budget and
// shrinking, and room for a few watchdog-length hung runs.
func childStall(cfg *Config, e catalog.Pool) time.Duration {
	if cfg.Budget <= 0 {
		return 0
	}
	return cfg.Budget + time.Duration(len(cfg.PropertiesOf(e.Family)))*cfg.ShrinkFor(e.Family) + 2*time.Minute
}

// Subprocess returns a Checker that checks each pool in a fresh process: exe (this
// command) with ChildEnv=1 and ChildArgs, through package isolate, as harness.Check isolates
// a test's explorations. A pool that crashes the process or wedges it then fails only its
// own row, with the cause. When verbose is not nil, each child's stderr is copied there.
func Subprocess(cfg *Config, exe string, verbose io.Writer) Checker {
	return func(e catalog.Pool) *harness.Report {
		var rep *harness.Report
		oc, err := isolate.Run(isolate.Spec{
			Path: exe, Args: ChildArgs(cfg, e), Env: []string{ChildEnv + "=1"},
			Stall: childStall(cfg, e), Echo: verbose,
			OnMessage: func(m isolate.Message) {
				if m.Kind == msgReport {
					var r harness.Report
					if m.Decode(&r) == nil {
						rep = &r
					}
				}
			},
		})
		if err != nil {
			return crashed(cfg, e, &harness.Crash{Kind: string(isolate.Died), Reason: fmt.Sprintf("poolcheck: could not run the exploration: %v", err)})
		}
		if rep == nil {
			c := oc.Crash
			if c == nil {
				c = &isolate.Crash{Kind: isolate.Died, Reason: "the exploring process gave no result", Detail: oc.Output}
			}
			rep = crashed(cfg, e, &harness.Crash{Kind: string(c.Kind), Reason: core.Explain(c), Detail: c.Detail, Stage: "exploring"})
		}
		rep.Races = append(rep.Races, oc.Races...)
		return rep
	}
}

// crashed is the report of a pool whose exploring process died before it answered: every
// property of its family unjudged, for the reason c gives.
func crashed(cfg *Config, e catalog.Pool, c *harness.Crash) *harness.Report {
	rep := &harness.Report{Subject: e.Name, Crash: c}
	for _, p := range cfg.PropertiesOf(e.Family) {
		rep.Results = append(rep.Results, harness.Result{Property: p.ID, Verdict: harness.Error, Reason: c.Reason,
			Replay: fmt.Sprintf("go run ./cmd/poolcheck -pool %s -property %s", shellWord(e.Name), shellWord(p.ID))})
	}
	return rep
}
