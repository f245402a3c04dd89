package main

import (
	"math"

	"golang.org/x/perf/benchmath"
)

// summarize is benchstat's summary of v: the median and its 95% confidence interval (an
// infinite one below 6 values).
func summarize(v []float64) benchmath.Summary {
	return benchmath.AssumeNothing.Summary(benchmath.NewSample(v, &benchmath.DefaultThresholds), 0.95)
}

// spread is the half-width of s's interval relative to its median, as benchstat prints it
// (±spread): the larger of the two sides; +Inf for an infinite interval or a zero median.
func spread(s benchmath.Summary) float64 {
	if math.IsInf(s.Lo, 0) || math.IsInf(s.Hi, 0) || s.Center <= 0 {
		return math.Inf(1)
	}
	return math.Max(s.Hi/s.Center-1, 1-s.Lo/s.Center)
}

// comparison is a against b: the ratio of their medians, and whether the difference is
// established and firm.
type comparison struct {
	ratio float64
	p     float64 // two-sided Mann-Whitney U
	// apart: p < alpha and the two 95% intervals do not overlap, so the interval of
	// neither is wider than the difference claimed.
	apart bool
	// firm: apart, and both intervals are within ±firm of their medians: the cells a
	// verdict may draw a conclusion from.
	firm bool
}

// rule is how the tables judge a comparison.
type rule struct {
	alpha float64 // significance level of the Mann-Whitney U test
	firm  float64 // the widest interval (±, relative to the median) of a firm cell
}

func compare(a, b []float64, r rule) comparison {
	sa, sb := summarize(a), summarize(b)
	t := benchmath.DefaultThresholds
	t.CompareAlpha = r.alpha
	c := benchmath.AssumeNothing.Compare(benchmath.NewSample(a, &t), benchmath.NewSample(b, &t))
	out := comparison{p: c.P}
	if sb.Center != 0 {
		out.ratio = sa.Center / sb.Center
	}
	out.apart = c.P < r.alpha && (sa.Hi < sb.Lo || sb.Hi < sa.Lo)
	out.firm = out.apart && spread(sa) <= r.firm && spread(sb) <= r.firm
	return out
}
