package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/interleave"
)

// Checker checks one pool on every property of the Config and returns its report, one
// Result per property in order. The command's Checker runs each pool in a fresh process
// (Subprocess); that process uses InProcess.
type Checker func(e catalog.Entry) *harness.Report

// Explorer is harness.Explore bound to a real *testing.T.
type Explorer func(s harness.Subject, opts ...harness.Option) (*harness.Report, error)

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

// Explore checks every selected pool on every selected property, cfg.Parallel pools at a
// time, showing progress on s.Stderr. The outcomes are in catalogue and props order,
// whatever order the checks finished in.
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
				outs[i] = Outcome{Entry: e, Report: complete(cfg, e, check(e))}
				pr.done(e.Name, outs[i].Report)
			}
		})
	}
	for i := range cfg.Entries {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	pr.finish()
	return outs
}

// complete makes rep hold exactly one Result per property of cfg, in order: a checker that
// answered with fewer leaves the rest unjudged.
func complete(cfg *Config, e catalog.Entry, rep *harness.Report) *harness.Report {
	if rep == nil {
		rep = &harness.Report{Subject: e.Name}
	}
	byID := map[string]harness.Result{}
	for _, r := range rep.Results {
		byID[r.Property] = r
	}
	out := *rep
	out.Results = make([]harness.Result, len(cfg.Properties))
	for i, p := range cfg.Properties {
		r, ok := byID[p.ID]
		if !ok {
			r = harness.Result{Property: p.ID, Verdict: harness.Error, Reason: "poolcheck: the harness returned no result for this property"}
		}
		out.Results[i] = r
	}
	return &out
}

// InProcess returns a Checker that explores in this process with explore (harness.Explore
// with the InProcess option); it needs the *testing.T of a running test
// (testing/synctest), and goroutines a hung pool leaves behind stay in this process.
func InProcess(cfg *Config, explore Explorer) Checker {
	return func(e catalog.Entry) *harness.Report {
		ids := make([]string, len(cfg.Properties))
		for i, p := range cfg.Properties {
			ids[i] = p.ID
		}
		opts := []harness.Option{
			harness.InProcess(),
			harness.Runs(cfg.Runs),
			harness.Budget(cfg.Budget),
			harness.Properties(ids...),
			harness.Replay(func(property string, seed uint64) string {
				if len(interleave.Packages()) > 0 {
					// The seed replays the interleaving only with the pools instrumented.
					return ReplayCommand(e.Name, property, seed) + " -interleave"
				}
				return ReplayCommand(e.Name, property, seed)
			}),
		}
		if cfg.Seed != 0 {
			opts = append(opts, harness.Seed(cfg.Seed))
		}
		rep, err := explore(e.Subject, opts...)
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
