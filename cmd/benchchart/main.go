// Command benchchart draws poolcheck's benchmark results as SVG dot plots, one chart per
// scenario and GOMAXPROCS for ns/op, and one for p99 Submit-to-start latency where the
// scenario reports it.
//
//	go run ./cmd/benchchart [-o docs/charts] [-format svg] docs/bench/results.txt
//
// It reads the suite's names (Pool/scenario=S/pool=P/limit=L-GOMAXPROCS) with benchfmt,
// takes each benchmark's median over the runs (benchstat's centre), and plots one row per
// pool, one marker per limit, on a log scale (blocking tasks at limit 1 and empty tasks
// differ by four orders of magnitude). Files are named S-gomaxprocsN-ns.svg and
// S-gomaxprocsN-p99.svg.
package main

import (
	"flag"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// key identifies one chart.
type key struct {
	scenario string
	procs    int
	unit     string // "sec/op" or "p99-sec"
}

// series is one chart's data: pool -> limit -> values.
type series struct {
	pools  []string
	limits []int
	values map[string]map[int][]float64
}

var nameRE = regexp.MustCompile(`^Pool/scenario=([^/]+)/pool=([^/]+)/limit=(\d+)(?:-(\d+))?$`)

func main() {
	outDir := flag.String("o", "docs/charts", "output directory")
	format := flag.String("format", "svg", "image format: svg, png or pdf")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: benchchart [-o DIR] [-format svg] RESULTS\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	charts, order, err := read(flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchchart: %v\n", err)
		os.Exit(2)
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "benchchart: %v\n", err)
		os.Exit(1)
	}
	for _, k := range order {
		metric := "ns"
		if k.unit != "sec/op" {
			metric = "p99"
		}
		path := filepath.Join(*outDir, fmt.Sprintf("%s-gomaxprocs%d-%s.%s", k.scenario, k.procs, metric, *format))
		if err := draw1(charts[k], k, path); err != nil {
			fmt.Fprintf(os.Stderr, "benchchart: %s: %v\n", path, err)
			os.Exit(1)
		}
		fmt.Println(path)
	}
}

func read(path string) (map[key]*series, []key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	charts := map[key]*series{}
	var order []key
	r := benchfmt.NewReader(f, path)
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			return nil, nil, rec
		case *benchfmt.Result:
			m := nameRE.FindStringSubmatch(string(rec.Name.Full()))
			if m == nil {
				continue
			}
			limit, _ := strconv.Atoi(m[3])
			procs := 1 // the testing package leaves out "-1"
			if m[4] != "" {
				procs, _ = strconv.Atoi(m[4])
			}
			for _, v := range rec.Values {
				if v.Unit != "sec/op" && v.Unit != "p99-sec" {
					continue
				}
				k := key{m[1], procs, v.Unit}
				s, ok := charts[k]
				if !ok {
					s = &series{values: map[string]map[int][]float64{}}
					charts[k] = s
					order = append(order, k)
				}
				if _, ok := s.values[m[2]]; !ok {
					s.pools = append(s.pools, m[2])
					s.values[m[2]] = map[int][]float64{}
				}
				if !slices.Contains(s.limits, limit) {
					s.limits = append(s.limits, limit)
				}
				s.values[m[2]][limit] = append(s.values[m[2]][limit], v.Value*1e9)
			}
		}
	}
	if err := r.Err(); err != nil {
		return nil, nil, err
	}
	if len(order) == 0 {
		return nil, nil, fmt.Errorf("%s: no BenchmarkPool results", path)
	}
	slices.SortStableFunc(order, func(a, b key) int {
		if c := strings.Compare(a.unit, b.unit); c != 0 {
			return -c // sec/op first
		}
		return a.procs - b.procs
	})
	return charts, order, nil
}

func median(v []float64) float64 {
	s := benchmath.NewSample(v, &benchmath.DefaultThresholds)
	return benchmath.AssumeNothing.Summary(s, 0.95).Center
}

func draw1(s *series, k key, path string) error {
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
			m := median(vals)
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
