package benchgate

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"
)

// Options say what the gate compares and how strictly.
type Options struct {
	// Alpha is the significance level of the Mann-Whitney U test (default 0.05).
	Alpha float64
	// Threshold is the smallest worsening of a median, as a fraction (0.10 = 10%), that
	// fails the gate for the non-strict units (default 0.10).
	Threshold float64
	// Confidence is the level of the medians' intervals shown in the table (default 0.95).
	Confidence float64
	// Units are the units gated, as benchfmt tidies them ("ns/op" is accepted for
	// "sec/op"); nil means DefaultUnits; "all" means every unit both files have.
	Units []string
}

// DefaultUnits are the units gated unless Options.Units says otherwise.
var DefaultUnits = []string{"sec/op", "B/op", "allocs/op"}

// StrictUnits are gated on any increase (see the package comment).
var StrictUnits = []string{"B/op", "allocs/op"}

// StableRuns is how many identical runs a side make an allocation figure "stable".
const StableRuns = 3

func (o Options) withDefaults() Options {
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if o.Threshold == 0 {
		o.Threshold = 0.10
	}
	if o.Confidence == 0 {
		o.Confidence = 0.95
	}
	if len(o.Units) == 0 {
		o.Units = DefaultUnits
	}
	return o
}

// Verdict is the outcome for one benchmark and unit.
type Verdict int

// Verdicts, from best to worst.
const (
	Same       Verdict = iota // no significant change
	Better                    // significantly better
	Tolerated                 // significantly worse, but within the threshold
	Undecided                 // too few runs for the U test to reach alpha
	Regression                // fails the gate
)

func (v Verdict) String() string {
	switch v {
	case Same:
		return "~"
	case Better:
		return "better"
	case Tolerated:
		return "worse, within threshold"
	case Undecided:
		return "UNDECIDED: too few runs"
	case Regression:
		return "REGRESSION"
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// Row is one benchmark's comparison in one unit.
type Row struct {
	Name     string // the benchmark name, without "Benchmark"; the package first if files mix packages
	Unit     string
	Old, New benchmath.Summary
	OldVals  []float64
	NewVals  []float64
	Cmp      benchmath.Comparison
	// Worse is how much worse the new median is, as a fraction (0.12 = 12% worse; negative
	// is better; +Inf when a zero became non-zero).
	Worse   float64
	Verdict Verdict
	Why     string // one line: the rule that decided the verdict
}

// Report is the whole comparison.
type Report struct {
	Opts    Options
	OldName string
	NewName string
	Rows    []Row    // grouped by unit (in Options.Units order), then in file order
	OnlyOld []string // benchmarks only in the old file
	OnlyNew []string // benchmarks only in the new file
	Skipped []string // units not gated: their better direction is unknown
}

// ErrNoOverlap is wrapped by Compare's error when the files share no benchmark and unit.
var ErrNoOverlap = fmt.Errorf("no benchmark in common")

// MinP returns the smallest p-value a two-sided Mann-Whitney U test can give for samples of
// n1 and n2 values: 2 / C(n1+n2, n1). A comparison can only be significant at alpha if
// MinP(n1, n2) <= alpha.
func MinP(n1, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	// C(n1+n2, n1) as a float: exact enough for these sizes.
	c := 1.0
	for i := 1; i <= n1; i++ {
		c = c * float64(n2+i) / float64(i)
	}
	return math.Min(1, 2/c)
}

// MinRuns returns the smallest n such that n runs a side can reach significance at alpha.
func MinRuns(alpha float64) int {
	for n := 1; n < 100; n++ {
		if atMost(MinP(n, n), alpha) {
			return n
		}
	}
	return 100
}

// Compare compares old with new under opts.
func Compare(old, new *Set, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	if opts.Alpha <= 0 || opts.Alpha >= 1 {
		return nil, fmt.Errorf("alpha %v: want 0 < alpha < 1", opts.Alpha)
	}
	if opts.Threshold < 0 {
		return nil, fmt.Errorf("threshold %v: want >= 0", opts.Threshold)
	}
	r := &Report{Opts: opts, OldName: old.Name, NewName: new.Name}
	units := map[benchfmt.UnitMetadataKey]*benchfmt.UnitMetadata{}
	for k, v := range old.units {
		units[k] = v
	}
	for k, v := range new.units {
		units[k] = v
	}
	meta := benchfmt.UnitMetadataMap(units)

	multiPkg := len(mergeKeys(old.pkgs, new.pkgs)) > 1
	display := func(key string) string {
		pkg, name, ok := strings.Cut(key, "\x00")
		if !ok {
			return key
		}
		if multiPkg {
			return pkg + "." + name
		}
		return name
	}
	for _, k := range old.keys {
		if _, ok := new.values[k]; !ok {
			r.OnlyOld = append(r.OnlyOld, display(k))
		}
	}
	for _, k := range new.keys {
		if _, ok := old.values[k]; !ok {
			r.OnlyNew = append(r.OnlyNew, display(k))
		}
	}

	gated := opts.Units
	if len(gated) == 1 && gated[0] == "all" {
		gated = nil
		for _, k := range old.keys {
			for u := range old.values[k] {
				if _, ok := new.values[k][u]; ok && !slices.Contains(gated, u) {
					gated = append(gated, u)
				}
			}
		}
		slices.Sort(gated)
	} else {
		gated = slices.Clone(gated)
		for i, u := range gated {
			_, gated[i] = benchunit.Tidy(1, u)
		}
	}

	thr := &benchmath.Thresholds{CompareAlpha: opts.Alpha}
	for _, unit := range gated {
		better := meta.GetBetter(unit)
		if better == 0 && isTime(unit) {
			better = -1 // a duration, such as the suite's p99-ns (tidied to p99-sec)
		}
		strict := slices.Contains(StrictUnits, unit)
		for _, k := range old.keys {
			ov, nv := old.values[k][unit], new.values[k][unit]
			if len(ov) == 0 || len(nv) == 0 {
				continue
			}
			if better == 0 {
				if !slices.Contains(r.Skipped, unit) {
					r.Skipped = append(r.Skipped, unit)
				}
				continue
			}
			assume := meta.GetAssumption(unit)
			os, ns := benchmath.NewSample(ov, thr), benchmath.NewSample(nv, thr)
			row := Row{
				Name: display(k), Unit: unit,
				Old: assume.Summary(os, opts.Confidence), New: assume.Summary(ns, opts.Confidence),
				OldVals: ov, NewVals: nv,
				Cmp: assume.Compare(os, ns),
			}
			row.Worse = worsening(row.Old.Center, row.New.Center, better)
			row.Verdict, row.Why = decide(row, strict, opts)
			r.Rows = append(r.Rows, row)
		}
	}
	if len(r.Rows) == 0 {
		return nil, fmt.Errorf("%s and %s: %w (in units %s)", old.Name, new.Name, ErrNoOverlap, strings.Join(gated, ", "))
	}
	return r, nil
}

func mergeKeys(a, b map[string]bool) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// isTime reports whether unit measures a duration: "sec" in its numerator.
func isTime(unit string) bool {
	num, _, _ := strings.Cut(unit, "/")
	return num == "sec" || strings.HasSuffix(num, "-sec") || strings.HasPrefix(num, "sec-")
}

// worsening returns how much worse new is than old, as a fraction.
func worsening(old, new float64, better int) float64 {
	if better > 0 { // higher is better: swap, so that a drop is a positive worsening
		old, new = new, old
	}
	switch {
	case old == new:
		return 0
	case old == 0:
		return math.Inf(1)
	}
	return new/old - 1
}

func allEqual(v []float64) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}

// decide applies the package comment's rules to one row.
func decide(row Row, strict bool, opts Options) (Verdict, string) {
	significant := atMost(row.Cmp.P, opts.Alpha) && row.Cmp.P < 1
	decidable := atMost(MinP(row.Cmp.N1, row.Cmp.N2), opts.Alpha)
	n1, n2 := len(row.OldVals), len(row.NewVals)
	switch {
	case strict && row.Worse > 0 && significant:
		return Regression, fmt.Sprintf("allocation increase is significant (p=%.3f)", row.Cmp.P)
	case strict && row.Worse > 0 && n1 >= StableRuns && n2 >= StableRuns && allEqual(row.OldVals) && allEqual(row.NewVals):
		return Regression, fmt.Sprintf("allocation increase with every run identical on each side (n=%d+%d)", n1, n2)
	case strict && row.Worse <= 0 && !significant:
		// No increase of the median: nothing to decide, whatever n is.
		return Same, "no increase"
	case !decidable:
		return Undecided, fmt.Sprintf("n=%d+%d cannot reach p<=%.2g (smallest possible p is %.3f; need >= %d runs a side, 10 recommended)",
			n1, n2, opts.Alpha, MinP(n1, n2), MinRuns(opts.Alpha))
	case !significant:
		return Same, fmt.Sprintf("p=%.3f > alpha %.2g", row.Cmp.P, opts.Alpha)
	case row.Worse < 0:
		return Better, "significantly better"
	case strict:
		return Same, "no increase" // unreachable: strict and worse and significant is handled first
	case row.Worse > opts.Threshold:
		return Regression, fmt.Sprintf("%+.1f%% is beyond the %.0f%% threshold (p=%.3f)", 100*row.Worse, 100*opts.Threshold, row.Cmp.P)
	case row.Worse > 0:
		return Tolerated, fmt.Sprintf("%+.1f%% is within the %.0f%% threshold", 100*row.Worse, 100*opts.Threshold)
	}
	return Same, "equal medians"
}

// atMost reports p <= alpha, with room for rounding: the U test's p for n=3+3 is 0.1 give
// or take the last bit, and should count at alpha 0.1, as in benchstat.
func atMost(p, alpha float64) bool { return p <= alpha*(1+1e-9) }

// Regressions returns the rows that fail the gate.
func (r *Report) Regressions() []Row { return r.filter(Regression) }

// Undecided returns the rows with too few runs to decide.
func (r *Report) Undecided() []Row { return r.filter(Undecided) }

func (r *Report) filter(v Verdict) []Row {
	var out []Row
	for _, row := range r.Rows {
		if row.Verdict == v {
			out = append(out, row)
		}
	}
	return out
}

// ExitCode is 1 if any row regressed, else 2 if any row is undecided, else 0.
func (r *Report) ExitCode() int {
	switch {
	case len(r.Regressions()) > 0:
		return 1
	case len(r.Undecided()) > 0:
		return 2
	}
	return 0
}
