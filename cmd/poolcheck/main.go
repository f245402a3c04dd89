// Command poolcheck verifies the pools of the catalogue against poolcheck's properties and
// prints a pool × property matrix per family: task pools (pools.Pool), resource pools
// (pools/resource) and retrying pools (pools/retry), each with its family's properties as
// columns. It is the command to run first:
//
//	go run ./cmd/poolcheck                   # everything: ours, third-party, the broken corpus
//	go run ./cmd/poolcheck -list             # the catalogue and each family's properties
//	go run ./cmd/poolcheck -kind ours -v     # one part of the catalogue, with timings
//	go run ./cmd/poolcheck -pool ants,pond-v2 -property wait,cancel
//	go run ./cmd/poolcheck -pool shared,failsafe-go -property exclusive,retry-no-leak
//	go run ./cmd/poolcheck -json > report.json
//	go run ./cmd/poolcheck -pool ants@v2.11.3       # a third-party entry at another release of its library
//	go run ./cmd/poolcheck -history pond-v1@v1.9.1..v1.9.2   # a range of releases: what changed
//
// Each pool is explored on the selected properties of its family under generated schedules
// (of submits, waits and closes; of holders and Creates; of calls and their attempts), with
// contexts that end, in virtual time (testing/synctest), up to -runs schedules or -budget
// of wall time, whichever ends first. The same cells, findings, failures, replay lines and
// exit rule serve the three families. A cell is pass, FAIL, or n/a when a trait the pool
// declares excuses it. A third-party failure the catalogue knows carries its verdict:
// FAIL:bug (a promise the library breaks in the pinned release), FAIL:fixed (fixed on the
// library's main branch, in no release), FAIL:weak (a property the library never
// promised), FAIL:trait (behaviour by design that no declared trait excuses yet); one it
// does not know is FAIL:new, and pass* marks a known finding no schedule hit. A legend and
// the list of findings follow the matrix. Every failure is printed with its shrunk
// counterexample (the schedule and its trace) and the command that replays it:
//
//	go run ./cmd/poolcheck -pool NAME -property ID -seed SEED
//
// The broken corpus (kind broken) is a demonstration that the harness works: its pools are
// expected to fail, and are marked caught, missed (stress-only: only package stress is
// expected to catch such a bug) or MISSED (a harness miss, shown loudly). It never changes
// the exit status.
//
// Flags:
//
//	-pool a,b        check only these pools, of any family (names as in -list); NAME@VERSION
//	                 checks a third-party entry against that release of its library (see below)
//	-history NAME@V1..V2 or NAME@V1,V2,...
//	                 check one third-party entry at each release (those the module proxy
//	                 lists between V1 and V2, both included; or exactly those named) and
//	                 print a release × property table and, for each property that fails
//	                 somewhere, which release introduced the failure and which fixed it
//	-property x,y    check only these properties, ids of any family (see -list); a pool is
//	                 checked on those of its own family, and a family none belongs to is
//	                 left out
//	-kind K          check only pools of kind ours, third-party or broken, in every family
//	-runs N          schedules per pool, each judged on every property (default 4000 for a
//	                 task pool, 1000 for a resource or retrying pool)
//	-budget D        wall-time cap per pool, shrinking excluded (default 2s; 0 = none)
//	-shrink D        time cap on shrinking one failure (default 3s for a task pool, 1s for
//	                 a resource or retrying pool)
//	-seed S          rapid seed for every property (default 0: random)
//	-parallel N      checks run at once, each in its own process (default 2 × CPUs)
//	-json            write one JSON document to stdout instead of the matrix
//	-list            list the catalogue (name, family, kind, traits, doc) and the properties
//	-v               verbose: a line per finished check, and a runs/time matrix
//	-quiet           no progress on stderr
//	-interleave      controlled interleavings: rebuild the command with the pools and
//	                 libraries instrumented (go run -toolexec with cmd/poolcheck-instrument;
//	                 needs the go command and a clone) and let a policy drawn with each
//	                 schedule order their goroutines, one at a time (task pools only)
//
// Exit status: 1 when a failure counts, 0 when none does, 2 for bad usage (unknown pool,
// property or kind, a named pool none of the properties applies to, negative budget,
// runs < 1), 3 if the harness itself crashed. A failure
// counts when it is a pool of ours failing any property, or a third-party pool failing a
// property where the catalogue records a bug or fixed-upstream finding, or records none (a
// new library bug or a harness regression, until classified). A third-party failure the
// catalogue records as a weakness or an undeclared trait does not count, and neither does
// anything of the broken corpus. The default run (57 task, 13 resource and 11 retrying pools)
// takes about a minute on the shared 2-core machine (65 s at load average 7 to 10).
//
// # Other releases
//
// -pool NAME@VERSION and -history rebuild this command with the library at that release,
// through the module proxy as a user's machine would: from the root of the source tree (the
// go command finds it from the working directory; run it inside a clone), they write an
// alternative go.mod with "replace MODULE => MODULE VERSION" into a temporary directory and
// go build -modfile it, then run the result. The catalogue's findings belong to the release
// go.mod pins: at any other release none applies, so a failure there is FAIL:new and counts.
// The version an entry's doc and the JSON show is the one built (runtime/debug.ReadBuildInfo).
// An unknown version, a module the proxy cannot serve or reach, an entry that is not
// third-party, or an adapter that does not compile against the release (it is written for
// the pinned one; the compiler's first errors follow) is reported in one line, exit status 2.
// -history's exit status is 1 if a failure counts at some release checked.
//
// # JSON
//
// With -json, stdout holds exactly one JSON object (progress stays on stderr). It is sorted
// (pools by name, then properties in family order) and holds no times except under
// "unstable", so reports diff cleanly: jq 'del(.unstable)'.
//
//	{
//	  "schema": 3,
//	  "settings":   {"runs": 0, "runs_by_family": {"resource": 1000, "retry": 1000, "task": 4000},
//	                 "shrink_by_family": {"resource": "1s", "retry": "1s", "task": "3s"},
//	                 "budget": "2s", "seed": 0, "kind": ""},
//	  "properties": [{"id": "max-concurrency", "family": "task", "rule": "never more than limit tasks running at once"}, ...],
//	  "pools": [{"pool": "ants", "family": "task", "kind": "third-party", "traits": ["IgnoresCtx"], "doc": "...",
//	             "module": "github.com/panjf2000/ants/v2", "version": "v2.12.1", "pinned": "v2.12.1",
//	             "status": "ok"},                 // ok | failed | failed-not-a-bug | caught | missed | missed-stress-only | not-checked
//	            {"pool": "...", "family": "resource", "kind": "broken", "traits": [], "doc": "...",
//	             "breaks": "resource-no-leak", "stress_only": false, "status": "caught"}, ...],
//	  "results": [{"pool": "ants", "family": "task", "kind": "third-party", "property": "cancel",
//	               "verdict": "skip", "reason": "not applicable: Traits.IgnoresCtx"},
//	              {"pool": "...", "family": "task", "kind": "broken", "property": "max-concurrency",
//	               "verdict": "fail", "reason": "task 1 started while 1 others ran: ...",
//	               "expected": "fail",            // broken pools, on their breaks property only
//	               "counts": true,                // a failure that counts against the exit status
//	               "finding": {"verdict": "bug", "severity": "hang", "counts": true, "summary": "...",
//	                           "cause": "...", "upstream": [...], "confirmed_by": "TestFinding...",
//	                           "depends_on": "...", "reproducer": "findings/testdata/..."},
//	               "seed": 123, "replay": "go run ./cmd/poolcheck -pool ... -seed 123",
//	               "timeline": "schedule (shrunk):\n..."}, ...],
//	  "summary": {"exit": 0, "pools": 40, "results": 320, "pass": 277, "fail": 29, "skip": 14,
//	              "counted": 0, "failed": [], "not_a_bug": [], "caught": [...], "missed": [],
//	              "missed_stress_only": [...]},
//	  "unstable": {"elapsed_seconds": 52.1,
//	               "results": [{"pool": "ants", "property": "wait", "runs": 1000, "elapsed_seconds": 0.21}, ...]}
//	}
//
// "verdict" is "pass", "fail" or "skip"; "reason" is one line ("" for a pass); "seed",
// "replay" and "timeline" appear only on a failure; "expected" is "fail" (or
// "fail-stress-only") on a broken pool's breaks property; "finding" is the catalogue's
// finding for that pool and property, whatever this run's verdict. Fields may be added; a field that
// changes meaning or goes away bumps "schema". See docs/POOLCHECK.md.
//
// # How it runs
//
// Each pool is explored once, every schedule judged against every selected property, in a
// fresh process: this command again, with the environment variable POOLCHECK_CHILD=1 and
// one -pool, run and read through the same child-process helper harness.Check uses. A pool
// that hangs leaves goroutines parked in the process that explored it; a pool that crashes
// the process (a task panic on a pool declared to recover, state shared across synctest
// bubbles) would end the whole run. In its own process a hang costs nothing later, and a
// crash is reported for that pool in plain words, its unjudged properties shown as ERROR.
//
// testing/synctest needs a real *testing.T, so the child runs its exploration as the single
// test of testing.Main (harness.Explore never fails it) and exits from inside it with its
// own status; testing's flags are set internally and never appear in the usage. While it
// explores, os.Stdout points at stderr, so nothing a pool or a library prints can corrupt the
// tagged line it answers with.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/internal/cli"
	"github.com/poolcheck/poolcheck/internal/isolate"
)

func main() {
	entries := catalog.Pools()
	cfg, err := cli.Parse(os.Args[1:], entries, os.Stderr)
	var usage *cli.UsageError
	switch {
	case errors.Is(err, cli.ErrHelp):
		os.Exit(cli.ExitOK)
	case errors.As(err, &usage):
		fmt.Fprintf(os.Stderr, "poolcheck: %s\n%s\nRun 'poolcheck -h' for the flags.\n", usage.Msg, cli.UsageLine)
		os.Exit(cli.ExitUsage)
	case err != nil:
		fmt.Fprintf(os.Stderr, "poolcheck: %v\n", err)
		os.Exit(cli.ExitUsage)
	}
	if os.Getenv(cli.ChildEnv) == "1" {
		os.Exit(child(cfg))
	}
	if cfg.History != nil {
		os.Exit(cli.RunHistory(cfg, os.Stdout, os.Stderr))
	}
	if len(cfg.Versions) > 0 && !cli.BuiltAt(cfg.Versions) {
		os.Exit(cli.RunAtVersions(cfg.Versions, os.Args[1:], os.Stdout, os.Stderr))
	}
	if err := cli.ProbeAdapters(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "poolcheck: %v\n", err)
		os.Exit(cli.ExitUsage)
	}
	if cfg.List {
		cli.WriteList(os.Stdout, cfg.Entries)
		os.Exit(cli.ExitOK)
	}
	if cfg.Interleave && len(interleave.Packages()) == 0 {
		os.Exit(cli.RunInstrumented(os.Args[1:], os.Stdout, os.Stderr))
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "poolcheck: cannot find its own executable to run the checks: %v\n", err)
		os.Exit(cli.ExitInternal)
	}
	var childStderr *os.File
	if cfg.Verbose {
		childStderr = os.Stderr
	}
	check := cli.Subprocess(cfg, exe, writerOrNil(childStderr))
	os.Exit(cli.Run(cfg, check, cli.Streams{Stdout: os.Stdout, Stderr: os.Stderr, StderrIsTerminal: isTerminal(os.Stderr)}))
}

// child checks the one pool of cfg in this process and sends its report to the parent on
// stdout.
func child(cfg *cli.Config) int {
	if len(cfg.Entries) != 1 {
		fmt.Fprintf(os.Stderr, "poolcheck: %s=1 needs exactly one -pool\n", cli.ChildEnv)
		return cli.ExitUsage
	}
	out := isolate.NewSender(os.Stdout)
	os.Stdout = os.Stderr // anything printed while exploring goes to stderr
	return underTesting(cli.TestingArgs(cfg, cfg.Entries[0]), func(t *testing.T) int {
		check := cli.InProcess(cfg, func(e catalog.Pool, opts ...harness.Option) (*harness.Report, error) {
			return e.Explore(t, opts...)
		})
		if err := cli.SendReport(out, check(cfg.Entries[0])); err != nil {
			fmt.Fprintf(os.Stderr, "poolcheck: writing the result: %v\n", err)
			return cli.ExitInternal
		}
		return cli.ExitOK
	})
}

// underTesting runs f as the only test of testing.Main, so f has the real *testing.T that
// testing/synctest needs, and exits the process from inside the test with f's status
// (testing.Main would otherwise print PASS and exit on its own). testArgs go to
// flag.CommandLine, where testing's flags (and rapid's) live. It returns only if the test
// could not be run at all.
func underTesting(testArgs []string, f func(t *testing.T) int) int {
	testing.Init()
	if err := flag.CommandLine.Parse(testArgs); err != nil {
		fmt.Fprintf(os.Stderr, "poolcheck: setting up testing: %v\n", err)
		return cli.ExitInternal
	}
	test := func(t *testing.T) {
		finished := false
		defer func() {
			if finished {
				return
			}
			// A panic or runtime.Goexit in the harness: report it here, not as testing's
			// "--- FAIL" on stdout.
			fmt.Fprintf(os.Stderr, "poolcheck: internal error: the harness crashed: %v\n%s", recover(), debug.Stack())
			os.Exit(cli.ExitInternal)
		}()
		code := f(t)
		finished = true
		os.Exit(code)
	}
	testing.Main(func(string, string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: "poolcheck", F: test}}, nil, nil)
	fmt.Fprintln(os.Stderr, "poolcheck: internal error: testing.Main returned without running the exploration")
	return cli.ExitInternal
}

func writerOrNil(f *os.File) io.Writer {
	if f == nil {
		return nil
	}
	return f
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
