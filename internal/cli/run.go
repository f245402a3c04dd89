package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// Checker checks one pool on one property and returns the verdict. The command's Checker
// runs each check in a fresh process (Subprocess); that process uses InProcess.
type Checker func(e catalog.Entry, p props.Property) harness.Result

// Explorer is harness.Explore bound to a real *testing.T.
type Explorer func(s harness.Subject, opts ...harness.Option) *harness.Report

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

// Explore checks every selected pool on every selected property, cfg.Parallel checks at a
// time, showing progress on s.Stderr. The outcomes are in catalogue and props order,
// whatever order the checks finished in.
func Explore(cfg *Config, check Checker, s Streams) []Outcome {
	pr := &progress{w: s.Stderr, on: cfg.Progress, tty: s.StderrIsTerminal && !cfg.Verbose, verbose: cfg.Verbose,
		total: len(cfg.Entries) * len(cfg.Properties)}
	outs := make([]Outcome, len(cfg.Entries))
	type job struct{ e, p int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range max(cfg.Parallel, 1) {
		wg.Go(func() {
			for j := range jobs {
				e, p := cfg.Entries[j.e], cfg.Properties[j.p]
				pr.start(e.Name, p.ID)
				r := check(e, p)
				if r.Property == "" {
					r.Property = p.ID
				}
				pr.done(e.Name, r)
				outs[j.e].Report.Results[j.p] = r
			}
		})
	}
	for i, e := range cfg.Entries {
		outs[i] = Outcome{Entry: e, Report: &harness.Report{Subject: e.Name, Results: make([]harness.Result, len(cfg.Properties))}}
	}
	for i := range cfg.Entries {
		for j := range cfg.Properties {
			jobs <- job{i, j}
		}
	}
	close(jobs)
	wg.Wait()
	pr.finish()
	return outs
}

// InProcess returns a Checker that explores in this process with explore; it needs the
// *testing.T of a running test (testing/synctest), and goroutines a hung pool leaves
// behind stay in this process.
func InProcess(cfg *Config, explore Explorer) Checker {
	return func(e catalog.Entry, p props.Property) harness.Result {
		opts := []harness.Option{
			harness.Runs(cfg.Runs),
			harness.Budget(cfg.Budget),
			harness.Properties(p.ID),
			harness.Replay(func(property string, seed uint64) string { return ReplayCommand(e.Name, property, seed) }),
		}
		if cfg.Seed != 0 {
			opts = append(opts, harness.Seed(cfg.Seed))
		}
		rep := explore(e.Subject, opts...)
		if rep == nil || len(rep.Results) == 0 {
			return harness.Result{Property: p.ID, Verdict: harness.Fail,
				Reason: "poolcheck: the harness returned no result for this property"}
		}
		return rep.Results[0]
	}
}

// progress shows "[12/40] checking ants: wait" on stderr as each check starts: in place on
// a terminal, a line each otherwise; verbose adds a line as each check ends.
type progress struct {
	w                io.Writer
	on, tty, verbose bool
	mu               sync.Mutex
	n, total         int
}

func (p *progress) start(pool, property string) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	msg := fmt.Sprintf("[%d/%d] checking %s: %s", p.n, p.total, pool, property)
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", msg)
		return
	}
	fmt.Fprintln(p.w, msg)
}

func (p *progress) done(pool string, r harness.Result) {
	if !p.on || !p.verbose {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "        %s: %s %s (%d schedules, %s)\n", pool, r.Property, verdictCell(r, true), r.Runs, shortDuration(r.Elapsed))
}

func (p *progress) finish() {
	if p.on && p.tty && p.n > 0 {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
