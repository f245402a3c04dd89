package main

import (
	"fmt"
	"io"
)

// tally counts one table's cells per scenario by what a verdict may say of them: firm and
// below 1 (faster), firm and above 1 (slower), established but not firm, and "~" (not
// established, or no data). It keeps the range of the firm ratios on each side.
type tally struct {
	order []string
	by    map[string]*scenarioTally
}

type scenarioTally struct {
	faster, slower       ratioRange
	notFirm, unsupported int
}

// ratioRange counts ratios and keeps the smallest and largest.
type ratioRange struct {
	n        int
	min, max float64
}

func (r *ratioRange) add(v float64) {
	if r.n == 0 || v < r.min {
		r.min = v
	}
	if r.n == 0 || v > r.max {
		r.max = v
	}
	r.n++
}

func (r ratioRange) String() string {
	switch r.n {
	case 0:
		return "0"
	case 1:
		return fmt.Sprintf("1 (%.2f)", r.min)
	}
	return fmt.Sprintf("%d (%.2f to %.2f)", r.n, r.min, r.max)
}

// add counts c, a cell of scenario.
func (t *tally) add(scenario string, c cell) {
	if t.by == nil {
		t.by = map[string]*scenarioTally{}
	}
	s := t.by[scenario]
	if s == nil {
		s = &scenarioTally{}
		t.by[scenario] = s
		t.order = append(t.order, scenario)
	}
	switch {
	case c.kind == noData || c.kind == notEstablished:
		s.unsupported++
	case c.kind == notFirm:
		s.notFirm++
	case c.ratio < 1:
		s.faster.add(c.ratio)
	default:
		s.slower.add(c.ratio)
	}
}

// write writes the tally as a markdown table under title; nothing if it is empty.
func (t *tally) write(w io.Writer, title string) {
	if len(t.order) == 0 {
		return
	}
	fmt.Fprintf(w, "### %s\n\n", title)
	fmt.Fprintf(w, "| scenario | firm, faster (ratios) | firm, slower (ratios) | established, not firm | ~ |\n|---|---|---|---|---|\n")
	for _, sc := range t.order {
		s := t.by[sc]
		fmt.Fprintf(w, "| %s | %s | %s | %d | %d |\n", sc, s.faster, s.slower, s.notFirm, s.unsupported)
	}
	fmt.Fprintln(w)
}
