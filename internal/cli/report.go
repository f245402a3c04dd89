package cli

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
)

// Schema is the version of the JSON document. It changes only when a field changes meaning
// or goes away; new fields may be added without a change. Version 2: a pool's "failed"
// status and summary.failed (and so the exit status) count only failures that are not a
// catalogued weakness or undeclared trait; results carry the catalogue's "finding".
// Version 3: pools of three families (task, resource, retry), each checked on the selected
// properties of its own family only, so results are no longer pools × properties; pools,
// properties and results carry their "family".
const Schema = 3

// Document is what -json writes: one object. Everything outside Unstable is a function of the
// flags, the catalogue and the seeds rapid used, so two runs with the same -seed diff clean
// once "unstable" is dropped (jq 'del(.unstable)').
type Document struct {
	Schema     int              `json:"schema"`
	Settings   Settings         `json:"settings"`
	Properties []PropertyDoc    `json:"properties"`
	Pools      []PoolDoc        `json:"pools"`
	Results    []ResultDoc      `json:"results"`
	Summary    Summary          `json:"summary"`
	Unstable   *UnstableDetails `json:"unstable,omitempty"`
}

// Settings echoes the exploration settings.
type Settings struct {
	Runs int `json:"runs"` // -runs: schedules per pool; 0 = each family's default
	// RunsByFamily is how many schedules a pool of each family got: -runs, or the
	// family's default.
	RunsByFamily map[string]int `json:"runs_by_family"`
	// ShrinkByFamily is the cap on shrinking one failure of a pool of each family (a Go
	// duration): -shrink, or the family's default.
	ShrinkByFamily map[string]string `json:"shrink_by_family"`
	Budget         string            `json:"budget"` // wall-time cap per pool (Go duration); "0s" = none
	Seed           uint64            `json:"seed"`   // 0 = random per pool
	Kind           string            `json:"kind"`   // the -kind filter, or ""
}

// PropertyDoc is one checked property.
type PropertyDoc struct {
	ID     string `json:"id"`
	Family string `json:"family"` // the family whose pools it judges: task, resource, retry
	Rule   string `json:"rule"`
}

// PoolDoc is one checked pool and its overall status.
type PoolDoc struct {
	Pool       string   `json:"pool"`
	Family     string   `json:"family"` // task, resource or retry
	Kind       string   `json:"kind"`
	Traits     []string `json:"traits"`
	Doc        string   `json:"doc"`
	Breaks     string   `json:"breaks,omitempty"`      // broken pools: the property it breaks
	StressOnly bool     `json:"stress_only,omitempty"` // broken pools: only package stress is expected to catch it
	Module     string   `json:"module,omitempty"`      // third-party pools: the library's module
	Version    string   `json:"version,omitempty"`     // third-party pools: the release built (see catalog.VersionOf)
	Pinned     string   `json:"pinned,omitempty"`      // third-party pools: the release go.mod pins
	Status     Status   `json:"status"`
}

// Status is a pool's overall outcome.
type Status string

// Statuses. A pool of kind ours or third-party is StatusOK, StatusFailed or StatusNotABug; a
// broken pool is StatusCaught, StatusMissed, StatusMissedStressOnly or StatusNotChecked.
const (
	StatusOK               Status = "ok"                 // every checked property passed or was excused
	StatusFailed           Status = "failed"             // a failure that counts (see Counts): the exit status is 1
	StatusNotABug          Status = "failed-not-a-bug"   // every failure is a catalogued weakness or undeclared trait: exit status unchanged
	StatusCaught           Status = "caught"             // broken, and its Breaks property failed, as it should
	StatusMissed           Status = "missed"             // broken, but its Breaks property passed: a harness miss
	StatusMissedStressOnly Status = "missed-stress-only" // broken and StressOnly, not caught: expected
	StatusNotChecked       Status = "not-checked"        // broken, but its Breaks property was not selected
)

// ResultDoc is one pool × property verdict.
type ResultDoc struct {
	Pool     string `json:"pool"`
	Family   string `json:"family"`
	Kind     string `json:"kind"`
	Property string `json:"property"`
	Verdict  string `json:"verdict"` // "pass", "fail" or "skip"
	Reason   string `json:"reason"`  // fail: what broke; skip: the excusing trait; pass: ""
	// Expected is set on a broken pool's Breaks property: "fail" (or "fail-stress-only" when
	// only package stress is expected to catch it). A broken pool failing another property
	// is possible (its bug may break more) and never counts against the exit status.
	Expected string `json:"expected,omitempty"`
	// Counts is true on a failure that counts against the exit status (see Counts).
	Counts bool `json:"counts,omitempty"`
	// Finding is the catalogue's finding for this pool and property, whatever the verdict
	// of this run: a known library failure, with its kind.
	Finding  *FindingDoc `json:"finding,omitempty"`
	Seed     uint64      `json:"seed,omitempty"`     // fail: the rapid seed that replays it
	Replay   string      `json:"replay,omitempty"`   // fail: the command that replays it
	Timeline string      `json:"timeline,omitempty"` // fail: the shrunk schedule and its trace
}

// FindingDoc is a catalog.Finding.
type FindingDoc struct {
	Verdict     string   `json:"verdict"`  // bug | fixed-upstream | weakness | undeclared-trait
	Severity    string   `json:"severity"` // hang | lost-task | after-close | over-limit | delay
	Counts      bool     `json:"counts"`   // a failure with this verdict counts against the exit status
	Summary     string   `json:"summary"`
	Cause       string   `json:"cause"`
	Upstream    []string `json:"upstream"`              // the library's issues and pull requests (URLs)
	ConfirmedBy string   `json:"confirmed_by"`          // the test of pools/thirdparty that confirms it
	DependsOn   string   `json:"depends_on,omitempty"`  // what that test depends on; absent: deterministic
	Reproducer  string   `json:"reproducer,omitempty"`  // directory of the standalone reproducer and patch
	StressOnly  bool     `json:"stress_only,omitempty"` // found by package stress; schedules rarely hit it
}

func findingDoc(f catalog.Finding) *FindingDoc {
	return &FindingDoc{
		Verdict: string(f.Verdict), Severity: string(f.Severity), Counts: f.Verdict.Counts(),
		Summary: f.Summary, Cause: f.Cause, Upstream: append([]string{}, f.Upstream...),
		ConfirmedBy: f.ConfirmedBy, DependsOn: f.DependsOn, Reproducer: f.Reproducer, StressOnly: f.StressOnly,
	}
}

// Summary counts the results and names the pools that decide the exit status.
type Summary struct {
	Exit             int      `json:"exit"` // the process exit status
	Pools            int      `json:"pools"`
	Results          int      `json:"results"`
	Pass             int      `json:"pass"`
	Fail             int      `json:"fail"`
	Skip             int      `json:"skip"`
	Counted          int      `json:"counted"`            // failed results that count against the exit status
	Failed           []string `json:"failed"`             // ours/third-party pools with a failure that counts (exit 1)
	NotABug          []string `json:"not_a_bug"`          // pools whose every failure is a catalogued weakness or undeclared trait
	Caught           []string `json:"caught"`             // broken pools caught on their Breaks property
	Missed           []string `json:"missed"`             // broken pools NOT caught: a harness miss
	MissedStressOnly []string `json:"missed_stress_only"` // StressOnly broken pools not caught: expected
}

// UnstableDetails holds what varies from run to run even with a fixed seed: wall time and,
// under a -budget, how many schedules fitted in it. Do not diff it.
type UnstableDetails struct {
	ElapsedSeconds float64      `json:"elapsed_seconds"`
	Results        []TimingsDoc `json:"results"`
}

// TimingsDoc is the unstable part of one result.
type TimingsDoc struct {
	Pool           string  `json:"pool"`
	Property       string  `json:"property"`
	Runs           int     `json:"runs"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
}

// Outcome is one checked pool: its entry (and so its family: it was checked on
// Config.PropertiesOf its family) and its report.
type Outcome struct {
	Entry  catalog.Pool
	Report *harness.Report
}

// Build turns the outcomes of a run into the Document, sorted by pool name, then by property
// in family order. elapsed is the run's wall time (Unstable).
func Build(cfg *Config, outs []Outcome, elapsed time.Duration) *Document {
	d := &Document{
		Schema:     Schema,
		Settings:   Settings{Runs: cfg.Runs, RunsByFamily: map[string]int{}, ShrinkByFamily: map[string]string{}, Budget: cfg.Budget.String(), Seed: cfg.Seed, Kind: string(cfg.Kind)},
		Properties: []PropertyDoc{},
		Pools:      []PoolDoc{},
		Results:    []ResultDoc{},
		Summary: Summary{
			Failed: []string{}, NotABug: []string{}, Caught: []string{}, Missed: []string{}, MissedStressOnly: []string{},
		},
		Unstable: &UnstableDetails{ElapsedSeconds: seconds(elapsed), Results: []TimingsDoc{}},
	}
	for _, f := range catalog.Families() {
		d.Settings.RunsByFamily[string(f)] = cfg.RunsFor(f)
		d.Settings.ShrinkByFamily[string(f)] = cfg.ShrinkFor(f).String()
	}
	for _, p := range cfg.Properties {
		d.Properties = append(d.Properties, PropertyDoc{ID: p.ID, Family: string(familyOf(p.ID)), Rule: p.Rule})
	}
	outs = slices.Clone(outs)
	slices.SortStableFunc(outs, func(a, b Outcome) int { return cmp.Compare(a.Entry.Name, b.Entry.Name) })
	for _, o := range outs {
		e := o.Entry
		results := sortedResults(o.Report)
		st := status(e, results)
		v := catalog.VersionOf(e.Module)
		d.Pools = append(d.Pools, PoolDoc{
			Pool: e.Name, Family: string(e.Family), Kind: string(e.Kind), Traits: Traits(e.Traits), Doc: e.Doc,
			Breaks: e.Breaks, StressOnly: e.Kind == catalog.Broken && e.StressOnly,
			Module: e.Module, Version: v.Built, Pinned: v.Pinned, Status: st,
		})
		switch st {
		case StatusFailed:
			d.Summary.Failed = append(d.Summary.Failed, e.Name)
		case StatusNotABug:
			d.Summary.NotABug = append(d.Summary.NotABug, e.Name)
		case StatusCaught:
			d.Summary.Caught = append(d.Summary.Caught, e.Name)
		case StatusMissed:
			d.Summary.Missed = append(d.Summary.Missed, e.Name)
		case StatusMissedStressOnly:
			d.Summary.MissedStressOnly = append(d.Summary.MissedStressOnly, e.Name)
		}
		for _, r := range results {
			rd := ResultDoc{
				Pool: e.Name, Family: string(e.Family), Kind: string(e.Kind), Property: r.Property,
				Verdict: string(r.Verdict), Reason: r.Reason,
			}
			if e.Kind == catalog.Broken && r.Property == e.Breaks {
				rd.Expected = "fail"
				if e.StressOnly {
					rd.Expected = "fail-stress-only"
				}
			}
			if f, ok := e.Findings[r.Property]; ok {
				rd.Finding = findingDoc(f)
			}
			if r.Verdict == harness.Fail {
				rd.Seed, rd.Replay, rd.Timeline = r.Seed, r.Replay, r.Timeline()
			}
			if r.Verdict == harness.Fail || r.Verdict == harness.Error {
				rd.Counts = Counts(e, r)
				if rd.Counts {
					d.Summary.Counted++
				}
			}
			switch r.Verdict {
			case harness.Pass:
				d.Summary.Pass++
			case harness.Fail:
				d.Summary.Fail++
			case harness.Skip:
				d.Summary.Skip++
			}
			d.Results = append(d.Results, rd)
			d.Unstable.Results = append(d.Unstable.Results, TimingsDoc{
				Pool: e.Name, Property: r.Property, Runs: r.Runs, ElapsedSeconds: seconds(r.Elapsed),
			})
		}
	}
	d.Summary.Pools = len(d.Pools)
	d.Summary.Results = len(d.Results)
	d.Summary.Exit = ExitCode(outs)
	return d
}

// sortedResults returns r's results in family order (unknown ids last, by id).
func sortedResults(r *harness.Report) []harness.Result {
	if r == nil {
		return nil
	}
	rs := slices.Clone(r.Results)
	slices.SortStableFunc(rs, func(a, b harness.Result) int {
		return cmp.Or(cmp.Compare(propertyRank(a.Property), propertyRank(b.Property)), cmp.Compare(a.Property, b.Property))
	})
	return rs
}

// propertyRank orders property ids as the families list them, task pools' first; an
// unknown id comes last.
func propertyRank(id string) int {
	i := 0
	for _, f := range catalog.Families() {
		for _, p := range f.Properties() {
			if p.ID == id {
				return i
			}
			i++
		}
	}
	return i
}

// status is a pool's overall outcome from its results.
func status(e catalog.Pool, rs []harness.Result) Status {
	if e.Kind != catalog.Broken {
		st := StatusOK
		for _, r := range rs {
			switch {
			case Counts(e, r):
				return StatusFailed
			case r.Verdict == harness.Fail:
				st = StatusNotABug
			}
		}
		return st
	}
	for _, r := range rs {
		if r.Property != e.Breaks {
			continue
		}
		switch {
		case r.Verdict == harness.Fail:
			return StatusCaught
		case e.StressOnly:
			return StatusMissedStressOnly
		default:
			return StatusMissed
		}
	}
	return StatusNotChecked
}

// Counts reports whether result r of entry e counts against the exit status. Only a
// failure can count, and only of a pool that claims to be correct (any kind but broken):
// it counts unless the catalogue records it as a finding whose verdict does not count (a
// weakness or an undeclared trait). So a bug, a bug fixed upstream but in no release, and
// a failure the catalogue does not know (a new library bug, or a harness regression, until
// someone classifies it) all count.
func Counts(e catalog.Pool, r harness.Result) bool {
	switch {
	case e.Kind == catalog.Broken:
		return false
	case r.Verdict == harness.Error:
		return true // not judged: the pool crashed or hung its exploration
	case r.Verdict != harness.Fail:
		return false
	}
	if f, ok := e.Findings[r.Property]; ok {
		return f.Verdict.Counts()
	}
	return true
}

// ExitCode is the command's exit status for these outcomes: ExitFail when any result
// counts (see Counts), ExitOK otherwise. The broken corpus never changes it, caught or
// missed, and neither do catalogued weaknesses and undeclared traits.
func ExitCode(outs []Outcome) int {
	for _, o := range outs {
		if o.Report == nil {
			continue
		}
		if o.Entry.Kind != catalog.Broken && len(o.Report.Races) > 0 {
			return ExitFail // a data race in a pool that claims to be correct
		}
		for _, r := range o.Report.Results {
			if Counts(o.Entry, r) {
				return ExitFail
			}
		}
	}
	return ExitOK
}

// WriteJSON writes d as one indented JSON object and a newline.
func WriteJSON(w io.Writer, d *Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("poolcheck: writing JSON: %w", err)
	}
	return nil
}

// ReplayCommand is the command line that replays a failure of pool on property with seed.
func ReplayCommand(pool, property string, seed uint64) string {
	return fmt.Sprintf("go run ./cmd/poolcheck -pool %s -property %s -seed %d", shellWord(pool), shellWord(property), seed)
}

// shellWord quotes s for a POSIX shell when it is not a plain word.
func shellWord(s string) string {
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=+:@%", r))
	}) < 0
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func seconds(d time.Duration) float64 {
	return float64(d.Round(time.Millisecond)) / float64(time.Second)
}
