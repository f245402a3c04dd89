package benchgate

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchunit"
)

// WriteTable prints the report in benchstat's spirit: one table per unit, a row per
// benchmark with old and new medians ± their confidence interval, the delta of the medians
// ("~" when not significant), the U test's p and sample sizes, and the verdict; then the
// benchmarks present in only one file and a one-line summary.
func (r *Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "old: %s\nnew: %s\n", r.OldName, r.NewName)
	var units []string
	for _, row := range r.Rows {
		if !slices.Contains(units, row.Unit) {
			units = append(units, row.Unit)
		}
	}
	for _, unit := range units {
		rule := fmt.Sprintf("fails when worse by more than %.0f%% at p <= %.2g", 100*r.Opts.Threshold, r.Opts.Alpha)
		if slices.Contains(StrictUnits, unit) {
			rule = fmt.Sprintf("strict: fails on any increase at p <= %.2g, or with %d+ identical runs a side", r.Opts.Alpha, StableRuns)
		}
		fmt.Fprintf(w, "\n%s (%s)\n", unit, rule)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "name\told\tnew\tdelta\tp\tn\tverdict\n")
		var olds, news []float64
		for _, row := range r.Rows {
			if row.Unit != unit {
				continue
			}
			sc := benchunit.CommonScale([]float64{row.Old.Center, row.New.Center}, benchunit.ClassOf(unit))
			delta := "~"
			if atMost(row.Cmp.P, r.Opts.Alpha) && row.Worse != 0 {
				delta = formatDelta(row.Old.Center, row.New.Center)
			}
			p := fmt.Sprintf("p=%.3f", row.Cmp.P)
			n := fmt.Sprintf("n=%d+%d", row.Cmp.N1, row.Cmp.N2)
			if row.Cmp.N1 == row.Cmp.N2 {
				n = fmt.Sprintf("n=%d", row.Cmp.N1)
			}
			fmt.Fprintf(tw, "%s\t%s ± %s\t%s ± %s\t%s\t%s\t%s\t%s\n", row.Name,
				sc.Format(row.Old.Center), row.Old.PctRangeString(),
				sc.Format(row.New.Center), row.New.PctRangeString(),
				delta, p, n, row.Verdict)
			olds = append(olds, row.Old.Center)
			news = append(news, row.New.Center)
		}
		if go1, gn := geomean(olds), geomean(news); len(olds) > 1 && go1 > 0 && gn > 0 {
			sc := benchunit.CommonScale([]float64{go1, gn}, benchunit.ClassOf(unit))
			fmt.Fprintf(tw, "geomean\t%s\t%s\t%s\t\t\t\n", sc.Format(go1), sc.Format(gn), formatDelta(go1, gn))
		}
		tw.Flush()
	}
	if len(r.OnlyOld) > 0 {
		fmt.Fprintf(w, "\nonly in old (not compared): %s\n", strings.Join(r.OnlyOld, ", "))
	}
	if len(r.OnlyNew) > 0 {
		fmt.Fprintf(w, "\nonly in new (not compared): %s\n", strings.Join(r.OnlyNew, ", "))
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "\nnot gated (better direction unknown): %s\n", strings.Join(r.Skipped, ", "))
	}
	fmt.Fprintln(w)
	r.WriteSummary(w)
}

// WriteSummary prints the verdict: each failing row with its reason, and what undecided
// rows need.
func (r *Report) WriteSummary(w io.Writer) {
	regs, und := r.Regressions(), r.Undecided()
	for _, row := range regs {
		fmt.Fprintf(w, "REGRESSION %s %s: %s\n", row.Name, row.Unit, row.Why)
	}
	if len(und) > 0 {
		fmt.Fprintf(w, "TOO FEW RUNS to decide %d of %d comparisons: %s\n", len(und), len(r.Rows), und[0].Why)
		fmt.Fprintf(w, "  rerun with -count=10 (or more) on both sides.\n")
	}
	switch r.ExitCode() {
	case 0:
		fmt.Fprintf(w, "PASS: %d comparisons, no regression (time: > %.0f%% at p <= %.2g; allocations: any increase)\n",
			len(r.Rows), 100*r.Opts.Threshold, r.Opts.Alpha)
	case 1:
		fmt.Fprintf(w, "FAIL: %d regressions in %d comparisons\n", len(regs), len(r.Rows))
	case 2:
		fmt.Fprintf(w, "UNDECIDED: no regression found, but too few runs to say there is none\n")
	}
}

func formatDelta(old, new float64) string {
	switch {
	case old == new:
		return "0.00%"
	case old == 0:
		return "+∞%"
	}
	return fmt.Sprintf("%+.2f%%", 100*(new/old-1))
}

func geomean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		if x <= 0 {
			return 0
		}
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(v)))
}
