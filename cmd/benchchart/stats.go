package main

import "golang.org/x/perf/benchmath"

// summarize is benchstat's summary of v: the median and its 95% confidence interval (an
// infinite one below 6 values).
func summarize(v []float64) benchmath.Summary {
	return benchmath.AssumeNothing.Summary(benchmath.NewSample(v, &benchmath.DefaultThresholds), 0.95)
}

// comparison is a against b: the ratio of their medians, and whether the difference is
// established.
type comparison struct {
	ratio float64
	p     float64 // two-sided Mann-Whitney U
	// apart: p < alpha and the two 95% intervals do not overlap, so the interval of
	// neither is wider than the difference claimed.
	apart bool
}

func compare(a, b []float64, alpha float64) comparison {
	sa, sb := summarize(a), summarize(b)
	t := benchmath.DefaultThresholds
	t.CompareAlpha = alpha
	c := benchmath.AssumeNothing.Compare(benchmath.NewSample(a, &t), benchmath.NewSample(b, &t))
	out := comparison{p: c.P}
	if sb.Center != 0 {
		out.ratio = sa.Center / sb.Center
	}
	out.apart = c.P < alpha && (sa.Hi < sb.Lo || sb.Hi < sa.Lo)
	return out
}
