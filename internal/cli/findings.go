package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// matrixCell is the text of o's cell for property p: pass, FAIL or n/a; in brackets on the
// property a broken pool is built to break; for a third-party pool, a failure is tagged with
// the catalogue's verdict (FAIL:bug, FAIL:fixed, FAIL:weak, FAIL:trait, or FAIL:new when the
// catalogue does not know it) and a pass where the catalogue records a finding is pass*.
func matrixCell(o Outcome, p props.Property) string {
	r, ok := o.result(p.ID)
	c := verdictCell(r, ok)
	switch e := o.Entry; {
	case !ok:
	case e.Kind == catalog.Broken && e.Breaks == p.ID:
		c = "[" + c + "]"
	case e.Kind == catalog.ThirdParty:
		f, known := e.Findings[p.ID]
		switch {
		case r.Verdict == harness.Fail && known:
			c += ":" + verdictTag(f.Verdict)
		case r.Verdict == harness.Fail:
			c += ":new"
		case r.Verdict == harness.Pass && known:
			c += "*"
		}
	}
	return c
}

// verdictTag is a verdict as a matrix cell suffix.
func verdictTag(v catalog.Verdict) string {
	switch v {
	case catalog.Bug:
		return "bug"
	case catalog.FixedUpstream:
		return "fixed"
	case catalog.Weakness:
		return "weak"
	case catalog.UndeclaredTrait:
		return "trait"
	}
	return string(v)
}

// verdictName is a verdict in words.
func verdictName(v catalog.Verdict) string {
	switch v {
	case catalog.FixedUpstream:
		return "bug fixed upstream, not released"
	case catalog.UndeclaredTrait:
		return "undeclared trait"
	}
	return string(v)
}

// severityName is a severity in words.
func severityName(s catalog.Severity) string {
	switch s {
	case catalog.LostTask:
		return "lost or duplicated task"
	case catalog.AfterClose:
		return "runs after Close"
	case catalog.OverLimit:
		return "over the limit"
	}
	return string(s)
}

// writeLegend explains the third-party cells and what the exit status counts.
func writeLegend(w io.Writer) {
	fmt.Fprint(w, `A third-party failure carries the catalogue's verdict (see Findings):
  FAIL:bug    a bug: a promise the library makes, broken in the pinned release      counts
  FAIL:fixed  a bug fixed on the library's main branch but in no release            counts
  FAIL:weak   a weakness: a property the library never promised                     does not count
  FAIL:trait  an undeclared trait: by design, but no declared trait excuses it yet  does not count
  FAIL:new    not classified by the catalogue at the release built (a new library
              bug, a bug of that release, or a harness regression)                  counts
  pass*       the catalogue records a finding here that no schedule hit this run
The exit status is 1 when a failure counts: any failure of our pools, and the third-party
failures marked "counts".
`)
}

// findingGroup is one catalogued finding and the checked pools that have it.
type findingGroup struct {
	property string
	f        catalog.Finding
	pools    []string // "name (FAIL)" or "name (pass)"
}

// writeFindings lists the catalogue's findings for the checked third-party pools and
// properties, whether or not this run hit them, in matrix order; one entry per finding
// shared by several pools.
func writeFindings(w io.Writer, outs []Outcome) {
	var groups []*findingGroup
	byKey := map[string]*findingGroup{}
	for _, o := range outs {
		if o.Entry.Kind != catalog.ThirdParty {
			continue
		}
		for _, r := range sortedResults(o.Report) {
			f, known := o.Entry.Findings[r.Property]
			if !known {
				continue
			}
			key := r.Property + "\x00" + f.Summary
			g := byKey[key]
			if g == nil {
				g = &findingGroup{property: r.Property, f: f}
				byKey[key] = g
				groups = append(groups, g)
			}
			g.pools = append(g.pools, fmt.Sprintf("%s (%s)", o.Entry.Name, verdictCell(r, true)))
		}
	}
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFindings (known third-party failures, confirmed outside the harness; docs/FINDINGS.md):")
	for _, g := range groups {
		f := g.f
		count := "does not count"
		if f.Verdict.Counts() {
			count = "counts"
		}
		fmt.Fprintf(w, "  %s on %s: %s, %s (%s)\n", g.property, strings.Join(g.pools, ", "),
			verdictName(f.Verdict), severityName(f.Severity), count)
		fmt.Fprintf(w, "    %s\n", f.Summary)
		if len(f.Upstream) > 0 {
			fmt.Fprintf(w, "    upstream: %s\n", strings.Join(f.Upstream, " "))
		}
		confirmed := "deterministic"
		if f.DependsOn != "" {
			confirmed = "depends on " + f.DependsOn
		}
		fmt.Fprintf(w, "    confirmed by pools/thirdparty %s (%s)\n", f.ConfirmedBy, confirmed)
		if f.Reproducer != "" {
			fmt.Fprintf(w, "    standalone reproducer and patch: %s\n", f.Reproducer)
		}
		if f.StressOnly {
			fmt.Fprintln(w, "    found by package stress: the schedules here rarely or never hit it")
		}
	}
}
