// Package cli is the logic of the poolcheck command (cmd/poolcheck): flags, the choice of
// pools and properties, running the exploration through an Explorer, and the two outputs,
// a pool × property matrix per family (task pools, resource pools, retrying pools) for
// people and one JSON document for CI. The command itself only provides a real *testing.T
// (testing/synctest needs one) and the process exit.
//
// Everything here works on a slice of catalog pools and an Explorer passed in, so it is
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

// Defaults of the exploration budget: each pool gets one exploration of up to
// DefaultRunsOf(its family) schedules or DefaultBudget of wall time, whichever ends first
// (shrinking a failure is not counted), and every schedule's trace is judged against every
// selected property of its family. Chosen so the whole catalogue (the task, resource and
// retrying pools, 4 checks at a time) takes about a minute on a loaded 2-core machine (65 s
// measured at load average 7 to 10), and every pool of the broken corpus that is not
// StressOnly is still caught.
const (
	DefaultRuns = 4000 // a task pool's
	// DefaultResourceRuns is a resource or retrying pool's: their broken pools are found
	// within tens of schedules, and a resource pool's run judges a few events.
	DefaultResourceRuns = 1000
	DefaultBudget       = 2 * time.Second
	// DefaultShrink caps the time rapid spends shrinking one failure of a task pool. A
	// pool that hangs makes every shrink step slow (each hung run leaves goroutines
	// behind), so the cap keeps the broken corpus from dominating the run; a
	// counterexample cut short is still a real one, just less small.
	DefaultShrink = 3 * time.Second
	// DefaultResourceShrink is DefaultShrink for a resource or retrying pool. Their
	// broken pools fail several properties each, every failure shrunk on its own, and
	// that shrinking was most of their time: measured, the resource and retrying pools
	// took 28 s at 3 s a failure and 12.5 s at 1 s (load average 10 to 12), every broken
	// one still caught. Their runs are cheap, so a second is still thousands of shrink
	// steps.
	DefaultResourceShrink = time.Second
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
	ExitFail     = 1 // a failure that counts (see Counts)
	ExitUsage    = 2 // bad flags or names: nothing was checked
	ExitInternal = 3 // the harness itself crashed; a report is not trustworthy
)

// Config is a parsed command line, its names resolved against the catalogue.
type Config struct {
	Entries []catalog.Pool // the pools to check, in catalogue order
	// Properties are the properties to check, of every family, in family order: a pool is
	// checked on those of its own family (PropertiesOf).
	Properties []props.Property
	Kind       catalog.Kind  // the -kind filter, or ""
	Runs       int           // -runs: schedules per pool; 0 = its family's default (RunsFor)
	Budget     time.Duration // wall time per pool; 0 = no cap
	Seed       uint64        // rapid seed; 0 = a random one per pool
	Shrink     time.Duration // -shrink: cap on shrinking one failure; 0 = its family's default (ShrinkFor)
	JSON       bool
	List       bool
	Verbose    bool
	Parallel   int  // checks (processes) run at once
	Progress   bool // show progress on stderr (on unless -quiet)
	Interleave bool // -interleave: explore with the pools instrumented (see Instrumented)
	// Versions maps a library's module to the release -pool NAME@VERSION asks for; the
	// command must be built with it (see BuiltAt and RunAtVersions).
	Versions map[string]string
	// History is the -history range, or nil.
	History *History
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
const UsageLine = "usage: poolcheck [-pool a,b,LIB@VERSION] [-history LIB@V1..V2] [-property x,y] [-kind ours|third-party|broken] [-runs N] [-budget D] [-shrink D] [-seed S] [-parallel N] [-json] [-list] [-v] [-quiet]"

const usageHead = UsageLine + `

poolcheck verifies the pools of the catalogue (task pools, resource pools and retrying
pools: the project's own designs, third-party adapters, and the broken corpus as a
demonstration) against the properties of their family under generated schedules in
virtual time, and prints a pool × property matrix per family; for every failure, the
shrunk counterexample and the command that replays it.

Each pool is explored in a fresh process, so goroutines a hung pool leaves behind never
slow down, or a crash never ends, the rest of the run.

Exit status: 0 when no failure counts (the broken corpus is expected to fail and never
changes it, and neither do the third-party failures the catalogue records as a weakness
or an undeclared trait), 1 when one does, 2 for bad usage, 3 if the harness itself
crashed.

Flags:
`

// Parse parses args (without the program name) and resolves the pool and property names
// against entries (normally catalog.Pools()) and the properties of every family. Errors
// are *UsageError, or ErrHelp after -h has printed the usage to stderr.
func Parse(args []string, entries []catalog.Pool, stderr io.Writer) (*Config, error) {
	fs := flag.NewFlagSet("poolcheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by the caller, with the usage line
	var (
		poolList = fs.String("pool", "", "comma-separated pool `names` to check (default: all; see -list); NAME@VERSION checks a third-party entry against that release of its library, rebuilding the command through the module proxy")
		history  = fs.String("history", "", "check one third-party entry at a `range` of releases of its library and print which release introduced and which fixed each failure: NAME@V1..V2 (the releases the proxy lists between them, both included) or NAME@V1,V2,... (exactly these)")
		propList = fs.String("property", "", "comma-separated property `ids` to check, of any family; a pool is checked on those of its own (default: all; see -list)")
		kind     = fs.String("kind", "", "check only pools of this `kind`: ours, third-party or broken")
		runs     = fs.Int("runs", DefaultRuns, fmt.Sprintf("schedules explored per pool, each judged against every property (`N` >= 1; default %d for a task pool, %d for a resource or retrying pool)", DefaultRuns, DefaultResourceRuns))
		budget   = fs.Duration("budget", DefaultBudget, "wall-time cap per pool (`duration`), shrinking excluded; 0 = no cap")
		shrink   = fs.Duration("shrink", DefaultShrink, fmt.Sprintf("time cap on shrinking one failure (`duration` > 0; default %v for a task pool, %v for a resource or retrying pool, %v with -interleave)", DefaultShrink, DefaultResourceShrink, DefaultInterleaveShrink))
		seed     = fs.String("seed", "0", "rapid `seed` (uint64) for every property; 0 = random. A failure prints the seed that replays it")
		parallel = fs.Int("parallel", DefaultParallel(), "checks run at once, each in its own process (`N` >= 1)")
		jsonOut  = fs.Bool("json", false, "write one JSON document to stdout instead of the matrix (schema: docs/POOLCHECK.md)")
		list     = fs.Bool("list", false, "list the catalogue (name, family, kind, traits, doc) and the properties of each family, and exit")
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
	cfg := &Config{Budget: *budget, Parallel: *parallel, JSON: *jsonOut, List: *list, Verbose: *verbose, Progress: !*quiet, Interleave: *inter}
	fs.Visit(func(f *flag.Flag) { // set explicitly: the same for every family
		switch f.Name {
		case "runs":
			cfg.Runs = *runs
		case "shrink":
			cfg.Shrink = *shrink
		}
	})
	if cfg.Interleave && cfg.Shrink == 0 {
		cfg.Shrink = DefaultInterleaveShrink
	}
	if *runs < 1 {
		return nil, usageErrorf("-runs must be at least 1, not %d", *runs)
	}
	if cfg.Budget < 0 {
		return nil, usageErrorf("-budget must not be negative, not %v (0 means no cap)", cfg.Budget)
	}
	if cfg.Parallel < 1 {
		return nil, usageErrorf("-parallel must be at least 1, not %d", cfg.Parallel)
	}
	if *shrink <= 0 {
		return nil, usageErrorf("-shrink must be positive, not %v", *shrink)
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
	if cfg.Properties, err = selectProperties(splitList(*propList)); err != nil {
		return nil, err
	}
	if *history != "" {
		if *poolList != "" || cfg.Kind != "" || cfg.List || cfg.Interleave || cfg.JSON {
			return nil, usageErrorf("-history checks one entry at several releases: it does not combine with -pool, -kind, -list, -interleave or -json")
		}
		if cfg.History, err = parseHistory(*history, entries); err != nil {
			return nil, err
		}
		cfg.Entries = []catalog.Pool{cfg.History.Entry}
		return cfg, nil
	}
	names, versions := splitList(*poolList), map[string]string{}
	for i, n := range names {
		if name, v, ok := strings.Cut(n, "@"); ok {
			if prev, dup := versions[name]; dup && prev != v {
				return nil, usageErrorf("-pool names %s at both %s and %s; check one release at a time, or use -history", name, prev, v)
			}
			names[i], versions[name] = name, v
		}
	}
	if cfg.Entries, err = selectPools(entries, names, cfg.Kind, cfg.Properties); err != nil {
		return nil, err
	}
	if cfg.Versions, err = pinVersions(cfg.Entries, versions); err != nil {
		return nil, err
	}
	if len(cfg.Versions) > 0 && cfg.Interleave {
		return nil, usageErrorf("-pool NAME@VERSION does not combine with -interleave (both rebuild the command)")
	}
	return cfg, nil
}

// DefaultRunsOf is how many schedules a pool of family f gets without -runs.
func DefaultRunsOf(f catalog.Family) int {
	if f == catalog.TaskPools {
		return DefaultRuns
	}
	return DefaultResourceRuns
}

// RunsFor is how many schedules a pool of family f gets: -runs, or the family's default.
func (c *Config) RunsFor(f catalog.Family) int {
	if c.Runs > 0 {
		return c.Runs
	}
	return DefaultRunsOf(f)
}

// DefaultShrinkOf is the cap on shrinking one failure of a pool of family f without -shrink.
func DefaultShrinkOf(f catalog.Family) time.Duration {
	if f == catalog.TaskPools {
		return DefaultShrink
	}
	return DefaultResourceShrink
}

// ShrinkFor is the cap on shrinking one failure of a pool of family f: -shrink, or the
// family's default.
func (c *Config) ShrinkFor(f catalog.Family) time.Duration {
	if c.Shrink > 0 {
		return c.Shrink
	}
	return DefaultShrinkOf(f)
}

// PropertiesOf returns the selected properties of family f, in the family's order: the
// columns of its matrix, and what each of its pools is checked on.
func (c *Config) PropertiesOf(f catalog.Family) []props.Property {
	return propertiesIn(f, c.Properties)
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
// ""), in catalogue order, leaving out those of a family none of ps belongs to. A name
// the catalogue does not know, or a named pool that no selected property applies to, is
// an error.
func selectPools(entries []catalog.Pool, names []string, kind catalog.Kind, ps []props.Property) ([]catalog.Pool, error) {
	byName := map[string]catalog.Pool{}
	var known []string
	for _, e := range entries {
		byName[e.Name] = e
		known = append(known, e.Name)
	}
	checked := func(e catalog.Pool) bool { return len(propertiesIn(e.Family, ps)) > 0 }
	for _, n := range names {
		e, ok := byName[n]
		switch {
		case !ok:
			return nil, usageErrorf("unknown pool %q (known: %s; see -list)", n, joinOrNone(known))
		case kind != "" && e.Kind != kind:
			return nil, usageErrorf("pool %q is of kind %s, not %s", n, e.Kind, kind)
		case !checked(e):
			return nil, usageErrorf("pool %q is one of the %s: none of -property %s applies to it (its properties: %s)",
				n, e.Family.Title(), strings.Join(propertyIDs(ps), ","), strings.Join(propertyIDs(e.Family.Properties()), ", "))
		}
	}
	var chosen, out []catalog.Pool
	for _, e := range entries {
		if (len(names) == 0 || slices.Contains(names, e.Name)) && (kind == "" || e.Kind == kind) {
			chosen = append(chosen, e)
		}
	}
	for _, e := range chosen {
		if checked(e) {
			out = append(out, e)
		}
	}
	switch {
	case len(chosen) == 0 && kind != "":
		return nil, usageErrorf("the catalogue has no pool of kind %s", kind)
	case len(out) == 0 && len(chosen) > 0:
		of := ""
		if kind != "" {
			of = " of kind " + string(kind)
		}
		return nil, usageErrorf("no pool%s of the catalogue is checked on -property %s", of, strings.Join(propertyIDs(ps), ","))
	}
	return out, nil
}

// selectProperties returns the properties with these ids, of any family (all when ids is
// empty), in family order.
func selectProperties(ids []string) ([]props.Property, error) {
	var all []props.Property
	for _, f := range catalog.Families() {
		all = append(all, f.Properties()...)
	}
	for _, id := range ids {
		if !slices.ContainsFunc(all, func(p props.Property) bool { return p.ID == id }) {
			return nil, usageErrorf("unknown property %q (known: %s)", id, strings.Join(propertyIDs(all), ", "))
		}
	}
	var out []props.Property
	for _, p := range all {
		if len(ids) == 0 || slices.Contains(ids, p.ID) {
			out = append(out, p)
		}
	}
	return out, nil
}

// propertiesIn returns those of ps that belong to family f, in the family's order.
func propertiesIn(f catalog.Family, ps []props.Property) []props.Property {
	var out []props.Property
	for _, p := range f.Properties() {
		if slices.ContainsFunc(ps, func(q props.Property) bool { return q.ID == p.ID }) {
			out = append(out, p)
		}
	}
	return out
}

// familyOf returns the family property id belongs to.
func familyOf(id string) catalog.Family {
	for _, f := range catalog.Families() {
		if slices.ContainsFunc(f.Properties(), func(p props.Property) bool { return p.ID == id }) {
			return f
		}
	}
	return ""
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
