package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/props"
)

// Checker checks one pool on every selected property of its family and returns its
// report, one Result per property in order. The command's Checker runs each pool in a
// fresh process (Subprocess); that process uses InProcess.
type Checker func(e catalog.Pool) *harness.Report

// Explorer explores one pool (catalog.Pool.Explore, which is harness.Explore,
// ExploreResources or ExploreRetries by family) bound to a real *testing.T.
type Explorer func(e catalog.Pool, opts ...harness.Option) (*harness.Report, error)

// Streams is where Run writes: the report to Stdout, progress to Stderr (rewritten in place
// when StderrIsTerminal).
type Streams struct {
	Stdout, Stderr   io.Writer
	StderrIsTerminal bool
}

// Run checks every selected pool on every selected property with check, writes the matrix
// (or, with -json, the Document) and returns the exit status.
func Run(cfg *Config, check Checker, s Streams) int {
	start := time.Now()
	outs := Explore(cfg, check, s)
	elapsed := time.Since(start)
	code := ExitCode(outs)
	if cfg.JSON {
		if err := WriteJSON(s.Stdout, Build(cfg, outs, elapsed)); err != nil {
			fmt.Fprintln(s.Stderr, err)
			return ExitInternal
		}
		return code
	}
	WriteText(s.Stdout, cfg, outs, elapsed)
	return code
}

// Explore checks every selected pool on the selected properties of its family,
// cfg.Parallel pools at a time, showing progress on s.Stderr. The outcomes are in catalogue
// order, each pool's results in its family's order, whatever order the checks finished in.
func Explore(cfg *Config, check Checker, s Streams) []Outcome {
	pr := &progress{w: s.Stderr, on: cfg.Progress, tty: s.StderrIsTerminal && !cfg.Verbose, verbose: cfg.Verbose,
		total: len(cfg.Entries)}
	outs := make([]Outcome, len(cfg.Entries))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(cfg.Parallel, 1) {
		wg.Go(func() {
			for i := range jobs {
				e := cfg.Entries[i]
				pr.start(e.Name)
				outs[i] = Outcome{Entry: e, Report: complete(cfg.PropertiesOf(e.Family), e, check(e))}
				pr.done(e.Name, outs[i].Report)
			}
		})
	}
	for _, i := range dispatchOrder(cfg.Entries) {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	pr.finish()
	return outs
}

// dispatchOrder is the order the checks start in: the broken corpus first, each family's
// in catalogue order, then the rest. A broken pool fails several properties and shrinks
// each failure (up to -shrink apiece), so it takes several times as long as a pool that
// passes; started first, the long checks overlap the short ones instead of trailing at
// the end. The outcomes keep the catalogue's order whatever the order of the checks.
func dispatchOrder(entries []catalog.Pool) []int {
	var first, rest []int
	for i, e := range entries {
		if e.Kind == catalog.Broken {
			first = append(first, i)
		} else {
			rest = append(rest, i)
		}
	}
	return append(first, rest...)
}

// complete makes rep hold exactly one Result per property of ps, in order: a checker that
// answered with fewer leaves the rest unjudged.
func complete(ps []props.Property, e catalog.Pool, rep *harness.Report) *harness.Report {
	if rep == nil {
		rep = &harness.Report{Subject: e.Name}
	}
	byID := map[string]harness.Result{}
	for _, r := range rep.Results {
		byID[r.Property] = r
	}
	out := *rep
	out.Results = make([]harness.Result, len(ps))
	for i, p := range ps {
		r, ok := byID[p.ID]
		if !ok {
			r = harness.Result{Property: p.ID, Verdict: harness.Error, Reason: "poolcheck: the harness returned no result for this property"}
		}
		out.Results[i] = r
	}
	return &out
}

// InProcess returns a Checker that explores in this process with explore (with the
// harness's InProcess option), on the selected properties of the pool's family; it needs
// the *testing.T of a running test (testing/synctest), and goroutines a hung pool leaves
// behind stay in this process.
func InProcess(cfg *Config, explore Explorer) Checker {
	return func(e catalog.Pool) *harness.Report {
		ids := propertyIDs(cfg.PropertiesOf(e.Family))
		opts := []harness.Option{
			harness.InProcess(),
			harness.Runs(cfg.RunsFor(e.Family)),
			harness.Budget(cfg.Budget),
			harness.Properties(ids...),
			harness.Replay(func(property string, seed uint64) string {
				if len(interleave.Packages()) > 0 {
					// The seed replays the interleaving only with the pools instrumented.
					return ReplayCommand(poolArg(e), property, seed) + " -interleave"
				}
				return ReplayCommand(poolArg(e), property, seed)
			}),
		}
		if cfg.Seed != 0 {
			opts = append(opts, harness.Seed(cfg.Seed))
		}
		rep, err := explore(e, opts...)
		if err != nil {
			return crashed(cfg, e, &harness.Crash{Kind: "died", Reason: "poolcheck: " + err.Error()})
		}
		return rep
	}
}

// progress shows "[12/40] checking ants" on stderr as each pool's check starts: in place on
// a terminal, a line each otherwise; verbose adds a line per property as each pool ends.
type progress struct {
	w                io.Writer
	on, tty, verbose bool
	mu               sync.Mutex
	n, total         int
}

func (p *progress) start(pool string) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	msg := fmt.Sprintf("[%d/%d] checking %s", p.n, p.total, pool)
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", msg)
		return
	}
	fmt.Fprintln(p.w, msg)
}

func (p *progress) done(pool string, rep *harness.Report) {
	if !p.on || !p.verbose {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range rep.Results {
		fmt.Fprintf(p.w, "        %s: %s %s (%d schedules, %s)\n", pool, r.Property, verdictCell(r, true), r.Runs, shortDuration(r.Elapsed))
	}
}

func (p *progress) finish() {
	if p.on && p.tty && p.n > 0 {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
