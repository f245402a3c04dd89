// Package cli is the logic of the poolcheck command (cmd/poolcheck): flags, the choice of
// pools and properties, running the exploration through an Explorer, and the two outputs,
// a pool × property matrix for people and one JSON document for CI. The command itself only
// provides a real *testing.T (testing/synctest needs one) and the process exit.
//
// Everything here works on a slice of catalog entries and an Explorer passed in, so it is
// tested without running the catalogue.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/props"
)

// Defaults of the exploration budget: each pool gets one exploration of up to DefaultRuns
// schedules or DefaultBudget of wall time, whichever ends first (shrinking a failure is not
// counted), and every schedule's trace is judged against every selected property. Chosen so the whole catalogue (40 pools × 8 properties, 4 checks at a time)
// takes well under a minute on a 2-core machine, under a minute on a loaded one, and every
// pool of the broken corpus that is not StressOnly is still caught.
const (
	DefaultRuns   = 4000
	DefaultBudget = 2 * time.Second
	// DefaultShrink caps the time rapid spends shrinking one failure. A pool that hangs
	// makes every shrink step slow (each hung run leaves goroutines behind), so the cap
	// keeps the broken corpus from dominating the run; a counterexample cut short is
	// still a real one, just less small.
	DefaultShrink = 3 * time.Second
	// DefaultInterleaveShrink is DefaultShrink under -interleave, where runs repeat
	// exactly and the printed seed must replay the shrunk counterexample: a shrink cut short
	// by its cap would end elsewhere on a replay, so it gets time to finish.
	DefaultInterleaveShrink = time.Minute
)

// DefaultParallel is how many checks run at once: two per CPU. Each check is a process of
// its own, and one exploration keeps about half a CPU busy (a synctest bubble hands off
// between goroutines a lot), measured on 2 cores. Verdicts are judged in virtual time, so
// load does not change them; it only lowers how many schedules fit in a -budget.
func DefaultParallel() int { return 2 * runtime.NumCPU() }

// Exit codes of the command.
const (
	ExitOK       = 0 // every pool that claims to be correct passed (broken ones never count)
	ExitFail     = 1 // a pool of kind ours or third-party failed a property
	ExitUsage    = 2 // bad flags or names: nothing was checked
	ExitInternal = 3 // the harness itself crashed; a report is not trustworthy
)

// Config is a parsed command line, its names resolved against the catalogue.
type Config struct {
	Entries    []catalog.Entry  // the pools to check, in catalogue order
	Properties []props.Property // the properties to check, in props.All order
	Kind       catalog.Kind     // the -kind filter, or ""
	Runs       int              // schedules per pool (each judged against every property)
	Budget     time.Duration    // wall time per pool; 0 = no cap
	Seed       uint64           // rapid seed; 0 = a random one per pool
	Shrink     time.Duration    // cap on shrinking one failure (rapid.shrinktime)
	JSON       bool
	List       bool
	Verbose    bool
	Parallel   int  // checks (processes) run at once
	Progress   bool // show progress on stderr (on unless -quiet)
	Interleave bool // -interleave: explore with the pools instrumented (see Instrumented)
}

// UsageError is bad input: the command prints it with the usage line and exits 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ErrHelp is returned by Parse for -h and -help: the usage has been printed.
var ErrHelp = flag.ErrHelp

// UsageLine is the one-line synopsis printed with every usage error.
const UsageLine = "usage: poolcheck [-pool a,b] [-property x,y] [-kind ours|third-party|broken] [-runs N] [-budget D] [-shrink D] [-seed S] [-parallel N] [-json] [-list] [-v] [-quiet]"

const usageHead = UsageLine + `

poolcheck verifies the pools of the catalogue (the project's own designs, third-party
adapters, and the broken corpus as a demonstration) against poolcheck's properties under
generated schedules in virtual time, and prints a pool × property matrix; for every
failure, the shrunk counterexample and the command that replays it.

Each pool × property is explored in a fresh process, so goroutines a hung pool leaves
behind never slow down, or a crash never ends, the rest of the run.

Exit status: 0 when every pool of kind ours or third-party passes (the broken corpus is
expected to fail and never changes it), 1 when one fails, 2 for bad usage, 3 if the
harness itself crashed.

Flags:
`

// Parse parses args (without the program name) and resolves the pool and property names
// against entries (normally catalog.All()) and props.All(). Errors are *UsageError, or
// ErrHelp after -h has printed the usage to stderr.
func Parse(args []string, entries []catalog.Entry, stderr io.Writer) (*Config, error) {
	fs := flag.NewFlagSet("poolcheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by the caller, with the usage line
	var (
		poolList = fs.String("pool", "", "comma-separated pool `names` to check (default: all; see -list)")
		propList = fs.String("property", "", "comma-separated property `ids` to check (default: all: "+strings.Join(props.IDs(), ", ")+")")
		kind     = fs.String("kind", "", "check only pools of this `kind`: ours, third-party or broken")
		runs     = fs.Int("runs", DefaultRuns, "schedules explored per pool, each judged against every property (`N` >= 1)")
		budget   = fs.Duration("budget", DefaultBudget, "wall-time cap per pool (`duration`), shrinking excluded; 0 = no cap")
		shrink   = fs.Duration("shrink", DefaultShrink, "time cap on shrinking one failure (`duration` > 0; default 1m with -interleave)")
		seed     = fs.String("seed", "0", "rapid `seed` (uint64) for every property; 0 = random. A failure prints the seed that replays it")
		parallel = fs.Int("parallel", DefaultParallel(), "checks run at once, each in its own process (`N` >= 1)")
		jsonOut  = fs.Bool("json", false, "write one JSON document to stdout instead of the matrix (schema: docs/POOLCHECK.md)")
		list     = fs.Bool("list", false, "list the catalogue (name, kind, traits, doc) and the properties, and exit")
		verbose  = fs.Bool("v", false, "verbose: progress line by line, schedules run and time per property")
		quiet    = fs.Bool("quiet", false, "no progress on stderr")
		inter    = fs.Bool("interleave", false, "controlled interleavings: rebuild the command with the pools instrumented (go run -toolexec with cmd/poolcheck-instrument) and let a drawn policy order their goroutines")
	)
	fs.Usage = func() {} // a parse error is reported with the usage line only
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprint(stderr, usageHead)
			fs.PrintDefaults()
			return nil, ErrHelp
		}
		return nil, &UsageError{Msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, usageErrorf("unexpected argument %q (flags only; pools are chosen with -pool)", fs.Arg(0))
	}
	cfg := &Config{Runs: *runs, Budget: *budget, Shrink: *shrink, Parallel: *parallel, JSON: *jsonOut, List: *list, Verbose: *verbose, Progress: !*quiet, Interleave: *inter}
	shrinkSet := false
	fs.Visit(func(f *flag.Flag) { shrinkSet = shrinkSet || f.Name == "shrink" })
	if cfg.Interleave && !shrinkSet {
		cfg.Shrink = DefaultInterleaveShrink
	}
	if cfg.Runs < 1 {
		return nil, usageErrorf("-runs must be at least 1, not %d", cfg.Runs)
	}
	if cfg.Budget < 0 {
		return nil, usageErrorf("-budget must not be negative, not %v (0 means no cap)", cfg.Budget)
	}
	if cfg.Parallel < 1 {
		return nil, usageErrorf("-parallel must be at least 1, not %d", cfg.Parallel)
	}
	if cfg.Shrink <= 0 {
		return nil, usageErrorf("-shrink must be positive, not %v", cfg.Shrink)
	}
	s, err := strconv.ParseUint(strings.TrimSpace(*seed), 10, 64)
	if err != nil {
		return nil, usageErrorf("-seed must be an unsigned 64-bit integer, not %q", *seed)
	}
	cfg.Seed = s
	switch k := catalog.Kind(strings.TrimSpace(*kind)); k {
	case "", catalog.Ours, catalog.ThirdParty, catalog.Broken:
		cfg.Kind = k
	default:
		return nil, usageErrorf("unknown -kind %q (want %s, %s or %s)", *kind, catalog.Ours, catalog.ThirdParty, catalog.Broken)
	}
	if cfg.Entries, err = selectPools(entries, splitList(*poolList), cfg.Kind); err != nil {
		return nil, err
	}
	if cfg.Properties, err = selectProperties(splitList(*propList)); err != nil {
		return nil, err
	}
	return cfg, nil
}

// splitList splits a comma-separated flag value, dropping blanks and duplicates.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// selectPools returns the entries named (all when names is empty) and of kind (any when
// ""), in catalogue order.
func selectPools(entries []catalog.Entry, names []string, kind catalog.Kind) ([]catalog.Entry, error) {
	byName := map[string]catalog.Entry{}
	var known []string
	for _, e := range entries {
		byName[e.Name] = e
		known = append(known, e.Name)
	}
	for _, n := range names {
		e, ok := byName[n]
		if !ok {
			return nil, usageErrorf("unknown pool %q (known: %s; see -list)", n, joinOrNone(known))
		}
		if kind != "" && e.Kind != kind {
			return nil, usageErrorf("pool %q is of kind %s, not %s", n, e.Kind, kind)
		}
	}
	var out []catalog.Entry
	for _, e := range entries {
		if (len(names) == 0 || slices.Contains(names, e.Name)) && (kind == "" || e.Kind == kind) {
			out = append(out, e)
		}
	}
	if len(out) == 0 && kind != "" {
		return nil, usageErrorf("the catalogue has no pool of kind %s", kind)
	}
	return out, nil
}

// selectProperties returns the properties with these ids (all when ids is empty), in
// props.All order.
func selectProperties(ids []string) ([]props.Property, error) {
	for _, id := range ids {
		if _, ok := props.Lookup(id); !ok {
			return nil, usageErrorf("unknown property %q (known: %s)", id, strings.Join(props.IDs(), ", "))
		}
	}
	var out []props.Property
	for _, p := range props.All() {
		if len(ids) == 0 || slices.Contains(ids, p.ID) {
			out = append(out, p)
		}
	}
	return out, nil
}

func joinOrNone(s []string) string {
	if len(s) == 0 {
		return "none: the catalogue is empty"
	}
	return strings.Join(s, ", ")
}

// propertyIDs returns the ids of ps.
func propertyIDs(ps []props.Property) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}
