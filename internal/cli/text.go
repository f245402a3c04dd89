package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/props"
)

// kindOrder is the order of the matrix's sections; kinds not listed come after, by name.
var kindOrder = []catalog.Kind{catalog.Ours, catalog.ThirdParty, catalog.Broken}

// kindTitle heads a section of the matrix.
func kindTitle(k catalog.Kind) string {
	switch k {
	case catalog.Ours:
		return "ours (must pass)"
	case catalog.ThirdParty:
		return "third-party (must pass what their traits promise)"
	case catalog.Broken:
		return "broken corpus (expected to fail; never affects the exit status)"
	}
	return string(k)
}

// byKind groups outs by kind in kindOrder, keeping their order within a kind.
func byKind(outs []Outcome) [][]Outcome {
	groups := map[catalog.Kind][]Outcome{}
	var kinds []catalog.Kind
	for _, o := range outs {
		k := o.Entry.Kind
		if _, ok := groups[k]; !ok && !slices.Contains(kindOrder, k) {
			kinds = append(kinds, k)
		}
		groups[k] = append(groups[k], o)
	}
	slices.Sort(kinds)
	var out [][]Outcome
	for _, k := range append(slices.Clone(kindOrder), kinds...) {
		if len(groups[k]) > 0 {
			out = append(out, groups[k])
		}
	}
	return out
}

// byFamily groups outs by family in catalog.Families order, keeping their order within a
// family: one matrix each.
func byFamily(outs []Outcome) [][]Outcome {
	var out [][]Outcome
	for _, f := range catalog.Families() {
		var group []Outcome
		for _, o := range outs {
			if o.Entry.Family == f {
				group = append(group, o)
			}
		}
		if len(group) > 0 {
			out = append(out, group)
		}
	}
	return out
}

// inMatrixOrder returns outs in the order the matrices show them: by family, then by kind.
func inMatrixOrder(outs []Outcome) []Outcome {
	var out []Outcome
	for _, fam := range byFamily(outs) {
		for _, group := range byKind(fam) {
			out = append(out, group...)
		}
	}
	return out
}

// familyTitle heads a family's matrix: "Task pools (pools.Pool)".
func familyTitle(f catalog.Family) string {
	contract := map[catalog.Family]string{catalog.TaskPools: "pools.Pool",
		catalog.ResourcePools: "pools/resource", catalog.RetryPools: "pools/retry"}[f]
	t := f.Title()
	if t != "" {
		t = strings.ToUpper(t[:1]) + t[1:]
	}
	if contract != "" {
		t += " (" + contract + ")"
	}
	return t
}

// sizeText says how many pools of each family were checked on how many properties:
// "57 task pools × 9 properties, 14 resource pools × 8, 11 retrying pools × 8".
func sizeText(cfg *Config, outs []Outcome) string {
	var parts []string
	for _, fam := range byFamily(outs) {
		f := fam[0].Entry.Family
		n := len(cfg.PropertiesOf(f))
		unit := ""
		if len(parts) == 0 {
			unit = " properties"
			if n == 1 {
				unit = " property"
			}
		}
		title := f.Title()
		if len(fam) == 1 {
			title = strings.TrimSuffix(title, "s")
		}
		parts = append(parts, fmt.Sprintf("%d %s × %d%s", len(fam), title, n, unit))
	}
	if len(parts) == 0 {
		return "0 pools"
	}
	return strings.Join(parts, ", ")
}

// result returns o's result for property id, if it has one.
func (o Outcome) result(id string) (harness.Result, bool) {
	if o.Report == nil {
		return harness.Result{}, false
	}
	for _, r := range o.Report.Results {
		if r.Property == id {
			return r, true
		}
	}
	return harness.Result{}, false
}

func verdictCell(r harness.Result, ok bool) string {
	if !ok {
		return "?"
	}
	switch r.Verdict {
	case harness.Pass:
		return "pass"
	case harness.Fail:
		return "FAIL"
	case harness.Skip:
		return "n/a"
	case harness.Error:
		return "ERROR"
	}
	return string(r.Verdict)
}

func statusCell(s Status) string {
	switch s {
	case StatusOK:
		return "ok"
	case StatusFailed:
		return "FAILED"
	case StatusNotABug:
		return "not a bug"
	case StatusCaught:
		return "caught"
	case StatusMissed:
		return "MISSED (harness miss!)"
	case StatusMissedStressOnly:
		return "missed (stress-only)"
	case StatusNotChecked:
		return "not checked"
	}
	return string(s)
}

// headerLines splits a property id at its first hyphen into two header lines, so the
// matrix stays narrow: "max-" over "concurrency".
func headerLines(id string) (string, string) {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return id[:i+1], id[i+1:]
	}
	return "", id
}

// matrix writes the pool × property grid, one section per kind; cell gives each cell's text
// and last the text of the final column (titled lastTitle).
func matrix(w io.Writer, outs []Outcome, ps []props.Property, cell func(Outcome, props.Property) string,
	lastTitle string, last func(Outcome) string) {
	nameW := len("pool")
	for _, o := range outs {
		nameW = max(nameW, len(o.Entry.Name)+2)
	}
	widths := make([]int, len(ps))
	top := make([]string, len(ps))
	bottom := make([]string, len(ps))
	for i, p := range ps {
		top[i], bottom[i] = headerLines(p.ID)
		widths[i] = max(len(top[i]), len(bottom[i]), len("[FAIL]"))
		for _, o := range outs {
			widths[i] = max(widths[i], len(cell(o, p)))
		}
	}
	line := func(first string, cells []string, end string) {
		var b strings.Builder
		fmt.Fprintf(&b, "%-*s", nameW, first)
		for i, c := range cells {
			fmt.Fprintf(&b, "  %-*s", widths[i], c)
		}
		b.WriteString("  " + end)
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	if slices.ContainsFunc(top, func(s string) bool { return s != "" }) {
		line("", top, "")
	}
	line("pool", bottom, lastTitle)
	for _, group := range byKind(outs) {
		fmt.Fprintln(w, kindTitle(group[0].Entry.Kind)+":")
		for _, o := range group {
			cells := make([]string, len(ps))
			for i, p := range ps {
				cells[i] = cell(o, p)
			}
			line("  "+o.Entry.Name, cells, last(o))
		}
	}
}

// WriteText writes the report for people: the matrix, a line per failure and per excuse,
// every failure's counterexample with its replay line, and the verdict.
func WriteText(w io.Writer, cfg *Config, outs []Outcome, elapsed time.Duration) {
	doc := Build(cfg, outs, elapsed)
	statusOf := map[string]Status{}
	for _, p := range doc.Pools {
		statusOf[p.Pool] = p.Status
	}
	fmt.Fprintf(w, "poolcheck: %s; %s\n", sizeText(cfg, outs), budgetText(cfg))
	for _, l := range otherReleases(outs) {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	if len(outs) == 0 {
		fmt.Fprintln(w, "\nThe catalogue is empty: nothing to check.")
		return
	}
	status := func(o Outcome) string { return statusCell(statusOf[o.Entry.Name]) }
	for _, fam := range byFamily(outs) {
		f := fam[0].Entry.Family
		fmt.Fprintf(w, "\n%s:\n", familyTitle(f))
		matrix(w, fam, cfg.PropertiesOf(f), matrixCell, "status", status)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "pass: no schedule broke the rule. FAIL: a counterexample follows. n/a: the pool's declared")
	fmt.Fprintln(w, "traits excuse it. ERROR: not judged (the pool crashed or hung the exploring process; the")
	fmt.Fprintln(w, "reason follows). [ ]: the property a broken pool is built to break.")
	if slices.ContainsFunc(outs, func(o Outcome) bool { return o.Entry.Kind == catalog.ThirdParty }) {
		writeLegend(w)
	}
	writeFindings(w, outs)

	failures := failureLines(outs)
	if len(failures) > 0 {
		fmt.Fprintln(w, "\nFailures:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, f := range failures {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.o.Entry.Name, f.r.Property, f.line())
		}
		tw.Flush()
	}
	if excuses := excuseLines(outs); len(excuses) > 0 {
		fmt.Fprintln(w, "\nNot applicable (excused by a declared trait):")
		for _, l := range excuses {
			fmt.Fprintln(w, "  "+l)
		}
	}
	if cfg.Verbose {
		fmt.Fprintln(w, "\nSchedules run and wall time per property (shrinking included):")
		for _, fam := range byFamily(outs) {
			f := fam[0].Entry.Family
			fmt.Fprintf(w, "\n%s:\n", familyTitle(f))
			matrix(w, fam, cfg.PropertiesOf(f), runsCell, "total", totalCell)
		}
	}
	if len(failures) > 0 {
		fmt.Fprintln(w, "\nCounterexamples (shrunk):")
		for _, f := range failures {
			fmt.Fprintln(w)
			f.write(w)
		}
	}
	fmt.Fprintln(w)
	writeVerdict(w, doc, sizeText(cfg, outs), elapsed)
}

// runsCell is a cell of the -v matrix: schedules run and time taken.
func runsCell(o Outcome, p props.Property) string {
	r, ok := o.result(p.ID)
	if !ok || r.Verdict == harness.Skip {
		return "-"
	}
	return fmt.Sprintf("%d/%s", r.Runs, shortDuration(r.Elapsed))
}

// totalCell is the last column of the -v matrix: the pool's time.
func totalCell(o Outcome) string {
	var sum time.Duration
	if o.Report != nil {
		for _, r := range o.Report.Results {
			sum += r.Elapsed
		}
	}
	return shortDuration(sum)
}

func budgetText(cfg *Config) string {
	s := fmt.Sprintf("up to %d schedules", cfg.RunsFor(catalog.TaskPools))
	if cfg.Runs == 0 && slices.ContainsFunc(cfg.Entries, func(e catalog.Pool) bool { return e.Family != catalog.TaskPools }) {
		s += fmt.Sprintf(" (%d for a resource or retrying pool)", DefaultResourceRuns)
	}
	if cfg.Budget > 0 {
		s += fmt.Sprintf(" or %v", cfg.Budget)
	}
	s += " per pool; seed "
	if cfg.Seed == 0 {
		s += "random"
	} else {
		s += fmt.Sprint(cfg.Seed)
	}
	if n := len(interleave.Packages()); n > 0 {
		s += fmt.Sprintf("; controlled interleavings (%d packages instrumented)", n)
	}
	return s
}

// failure is one failed result to report.
type failure struct {
	o Outcome
	r harness.Result
}

func (f failure) broken() bool { return f.o.Entry.Kind == catalog.Broken }

func (f failure) line() string {
	l := oneLine(f.r.Reason)
	if note := f.note(); note != "" {
		l += "  (" + note + ")"
	}
	return l
}

// note says what kind of failure f is and whether it counts; "" for a pool of our own.
func (f failure) note() string {
	e := f.o.Entry
	switch {
	case f.broken():
		return "broken corpus: expected"
	case e.Kind != catalog.ThirdParty:
		return ""
	}
	fd, known := e.Findings[f.r.Property]
	switch {
	case !known:
		return "not a catalogued finding: counts as a bug"
	case fd.Verdict.Counts():
		return verdictName(fd.Verdict) + ": counts"
	default:
		return verdictName(fd.Verdict) + ": does not count"
	}
}

func (f failure) write(w io.Writer) {
	tag := "FAIL"
	if note := f.note(); note != "" {
		tag += " (" + note + ")"
	}
	if f.broken() && f.o.Entry.Breaks == f.r.Property {
		tag = "FAIL (broken corpus: caught, as expected)"
	}
	fmt.Fprintf(w, "--- %s: %s / %s\n", tag, f.o.Entry.Name, f.r.Property)
	if p, ok := props.LookupAny(f.r.Property); ok {
		fmt.Fprintf(w, "rule: %s\n", p.Rule)
	}
	fmt.Fprintf(w, "reason: %s\n", f.r.Reason)
	if tl := f.r.Timeline(); tl != "" {
		fmt.Fprintln(w, tl)
	}
	if f.r.Replay != "" {
		fmt.Fprintf(w, "replay: %s\n", f.r.Replay)
	}
}

// failureLines returns every failure: the pools that claim to be correct first, then the
// broken corpus, each in matrix order (family by family).
func failureLines(outs []Outcome) []failure {
	var claimed, broken []failure
	for _, o := range inMatrixOrder(outs) {
		for _, r := range sortedResults(o.Report) {
			if r.Verdict != harness.Fail && r.Verdict != harness.Error {
				continue
			}
			if o.Entry.Kind == catalog.Broken {
				broken = append(broken, failure{o, r})
			} else {
				claimed = append(claimed, failure{o, r})
			}
		}
	}
	return append(claimed, broken...)
}

// excuseLines groups the skipped results by property and reason: "cancel: a, b (Traits.IgnoresCtx)".
func excuseLines(outs []Outcome) []string {
	type key struct{ property, reason string }
	pools := map[key][]string{}
	var keys []key
	for _, o := range inMatrixOrder(outs) {
		for _, r := range sortedResults(o.Report) {
			if r.Verdict != harness.Skip {
				continue
			}
			k := key{r.Property, strings.TrimPrefix(oneLine(r.Reason), "not applicable: ")}
			if _, ok := pools[k]; !ok {
				keys = append(keys, k)
			}
			pools[k] = append(pools[k], o.Entry.Name)
		}
	}
	slices.SortStableFunc(keys, func(a, b key) int { return propertyRank(a.property) - propertyRank(b.property) })
	var out []string
	for _, k := range keys {
		out = append(out, fmt.Sprintf("%s: %s (%s)", k.property, strings.Join(pools[k], ", "), k.reason))
	}
	return out
}

// writeVerdict writes what decided the exit status, and the broken corpus's score; size
// says what was checked (sizeText).
func writeVerdict(w io.Writer, d *Document, size string, elapsed time.Duration) {
	claimed, broken := 0, 0
	for _, p := range d.Pools {
		if p.Kind == string(catalog.Broken) {
			broken++
		} else {
			claimed++
		}
	}
	if claimed > 0 {
		switch {
		case len(d.Summary.Failed) == 0 && len(d.Summary.NotABug) == 0:
			fmt.Fprintf(w, "OK: all %d pools that claim to be correct passed.\n", claimed)
		case len(d.Summary.Failed) == 0:
			fmt.Fprintf(w, "OK: no failure that counts among the %d pools that claim to be correct.\n", claimed)
		default:
			fmt.Fprintf(w, "FAILED: %d of %d pools that claim to be correct have a failure that counts (a bug, a bug fixed upstream but not released, or a failure the catalogue does not know): %s.\n",
				len(d.Summary.Failed), claimed, strings.Join(d.Summary.Failed, ", "))
		}
		if n := len(d.Summary.NotABug); n > 0 {
			fmt.Fprintf(w, "  Not counted: %d fail only on catalogued weaknesses or undeclared traits: %s.\n", n, strings.Join(d.Summary.NotABug, ", "))
		}
	}
	if broken > 0 {
		fmt.Fprintf(w, "Broken corpus (a demonstration: expected to fail, never affects the exit status): %d of %d caught on the property they break.\n",
			len(d.Summary.Caught), broken)
		if n := len(d.Summary.MissedStressOnly); n > 0 {
			fmt.Fprintf(w, "  %d stress-only, not caught, as expected (the bug's window is too narrow for virtual time; package stress catches it): %s.\n",
				n, strings.Join(d.Summary.MissedStressOnly, ", "))
		}
		for _, p := range d.Pools {
			switch p.Status {
			case StatusMissed:
				fmt.Fprintf(w, "  !! HARNESS MISS: %s was NOT caught on %s, the property it is built to break.\n", p.Pool, p.Breaks)
				fmt.Fprintf(w, "     The harness or its default budget has a gap; explore deeper with: go run ./cmd/poolcheck -pool %s -property %s -runs 5000 -budget 0\n",
					shellWord(p.Pool), shellWord(p.Breaks))
			case StatusNotChecked:
				fmt.Fprintf(w, "  %s: not checked on %s, the property it breaks (not selected).\n", p.Pool, p.Breaks)
			}
		}
	}
	fmt.Fprintf(w, "Checked %s in %s. Exit status %d.\n", size, elapsed.Round(100*time.Millisecond), d.Summary.Exit)
}

// WriteList writes the catalogue (name, family, kind, traits, doc) and the properties of
// each family.
func WriteList(w io.Writer, entries []catalog.Pool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "POOL\tFAMILY\tKIND\tTRAITS\tDOC")
	for _, e := range entries {
		doc := e.Doc
		if e.Kind == catalog.Broken {
			b := "breaks " + e.Breaks
			if e.StressOnly {
				b += " (stress-only)"
			}
			doc = b + ": " + doc
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, e.Family, e.Kind, traitsText(e.Traits), oneLine(doc))
	}
	tw.Flush()
	for _, f := range catalog.Families() {
		fmt.Fprintf(w, "\nPROPERTY of %s (id: the rule)\n", f.Title())
		for _, p := range f.Properties() {
			fmt.Fprintf(w, "%s: %s\n", p.ID, p.Rule)
		}
	}
	fmt.Fprintln(w, "\nTraits: a pool's declared promises beyond its family's contract (props.Traits, ResourceTraits,")
	fmt.Fprintln(w, "RetryTraits); \"-\" is the strictest.")
}

// oneLine returns the first line of s.
func oneLine(s string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return first
}

func shortDuration(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return d.Round(time.Second).String()
	case d >= time.Second:
		return d.Round(100 * time.Millisecond).String()
	default:
		return d.Round(time.Millisecond).String()
	}
}
