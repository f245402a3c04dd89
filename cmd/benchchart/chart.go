package main

import (
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// chartKey identifies one chart.
type chartKey struct {
	scenario string
	procs    int
	unit     string // "sec/op" or "p99-sec"
}

// series is one chart's data: pool -> limit -> values in ns.
type series struct {
	pools  []string
	limits []int
	values map[string]map[int][]float64
}

// charts groups res into charts: ns/op for every scenario and GOMAXPROCS, p99 where the
// scenario reports it; ns/op charts first, each kind by GOMAXPROCS.
func charts(res *results) (map[chartKey]*series, []chartKey) {
	out := map[chartKey]*series{}
	var order []chartKey
	for _, rw := range res.rows {
		for _, pool := range res.pools {
			for _, unit := range []string{"sec/op", "p99-sec"} {
				vals := res.get(rw, pool, unit)
				if len(vals) == 0 {
					continue
				}
				k := chartKey{rw.scenario, rw.procs, unit}
				s, ok := out[k]
				if !ok {
					s = &series{values: map[string]map[int][]float64{}}
					out[k] = s
					order = append(order, k)
				}
				if _, ok := s.values[pool]; !ok {
					s.pools = append(s.pools, pool)
					s.values[pool] = map[int][]float64{}
				}
				if !slices.Contains(s.limits, rw.limit) {
					s.limits = append(s.limits, rw.limit)
				}
				for _, v := range vals {
					s.values[pool][rw.limit] = append(s.values[pool][rw.limit], v*1e9)
				}
			}
		}
	}
	slices.SortStableFunc(order, func(a, b chartKey) int {
		if a.unit != b.unit {
			if a.unit == "sec/op" {
				return -1
			}
			return 1
		}
		return a.procs - b.procs
	})
	return out, order
}

// draw writes one chart: a row per pool, a marker per limit at the median, log scale.
func draw(s *series, k chartKey, path string) error {
	slices.Sort(s.limits)
	p := plot.New()
	what := "ns/op (wall time per task)"
	if k.unit != "sec/op" {
		what = "p99 Submit-to-start latency, ns"
	}
	p.Title.Text = fmt.Sprintf("scenario=%s, GOMAXPROCS=%d: median %s", k.scenario, k.procs, what)
	p.X.Label.Text = what + ", log scale; lower is better"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Add(plotter.NewGrid())
	// Rows top to bottom in file order: the catalogue's, then the references.
	names := slices.Clone(s.pools)
	slices.Reverse(names)
	p.NominalY(names...)
	for i, limit := range s.limits {
		var pts plotter.XYs
		for row, pool := range names {
			vals := s.values[pool][limit]
			if len(vals) == 0 {
				continue
			}
			m := summarize(vals).Center
			if m <= 0 {
				continue
			}
			// Nudge the limits apart vertically so equal values stay visible.
			off := (float64(i) - float64(len(s.limits)-1)/2) * 0.15
			pts = append(pts, plotter.XY{X: m, Y: float64(row) + off})
		}
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Color = plotutil.Color(i)
		sc.GlyphStyle.Shape = plotutil.Shape(i)
		sc.GlyphStyle.Radius = vg.Points(3)
		p.Add(sc)
		p.Legend.Add(fmt.Sprintf("limit=%d", limit), sc)
	}
	p.X.Max *= 4 // room on the right for the legend
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.TextStyle.Color = color.Black
	p.Legend.ThumbnailWidth = vg.Points(10)
	h := vg.Length(len(names))*vg.Points(18) + 1.6*vg.Inch
	return p.Save(8*vg.Inch, h, path)
}
