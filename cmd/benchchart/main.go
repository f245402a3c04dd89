// Command benchchart draws poolcheck's benchmark results as SVG dot plots, one chart per
// scenario and GOMAXPROCS for ns/op, and one for p99 Submit-to-start latency where the
// scenario reports it, and with -tables writes the markdown tables of docs/BENCH.md from
// the same file.
//
//	go run ./cmd/benchchart [-o docs/charts] [-format svg] [-tables FILE] [-alpha 0.05] [-firm 0.10] docs/bench/results.txt
//
// It reads the suite's names (Pool/scenario=S/pool=P/limit=L-GOMAXPROCS) with benchfmt,
// takes each benchmark's median over the runs (benchstat's centre), and plots one row per
// pool, one marker per limit, on a log scale (blocking tasks at limit 1 and empty tasks
// differ by four orders of magnitude). Files are named S-gomaxprocsN-ns.svg and
// S-gomaxprocsN-p99.svg.
//
// The tables have one column per pool, never a per-row best-of: medians with their 95%
// confidence intervals; each named design (-designs) divided by each third-party pool;
// every pool of ours divided by the chan-workers floor; B/op; p99; and the load of each
// round that scripts/bench.sh recorded. A ratio is printed only where the difference is
// established (Mann-Whitney U p < alpha and the two intervals apart), "~" elsewhere, and
// in parentheses unless it is also firm (both intervals within ±firm): each design's table
// is followed by a tally of its firm cells, the only ones a verdict should draw on.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/poolcheck/poolcheck/bench"
	"github.com/poolcheck/poolcheck/catalog"
)

func main() {
	outDir := flag.String("o", "docs/charts", "output directory of the charts")
	format := flag.String("format", "svg", "image format: svg, png or pdf")
	tablesPath := flag.String("tables", "", "also write the markdown tables to this file")
	alpha := flag.Float64("alpha", 0.05, "significance level of the tables' comparisons")
	firm := flag.Float64("firm", 0.10, "the widest interval (± relative to the median) of a firm cell")
	designs := flag.String("designs", "workers,channel,mutex,cond", "the designs compared with every third-party pool")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: benchchart [-o DIR] [-format svg] [-tables FILE] [-alpha A] [-firm F] [-designs LIST] RESULTS\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	switch *format {
	case "svg", "png", "pdf":
	default:
		fmt.Fprintf(os.Stderr, "benchchart: -format %q: want svg, png or pdf\n", *format)
		os.Exit(2)
	}
	if *alpha <= 0 || *alpha >= 1 {
		fmt.Fprintf(os.Stderr, "benchchart: -alpha %v: want a level between 0 and 1\n", *alpha)
		os.Exit(2)
	}
	if *firm <= 0 || math.IsInf(*firm, 0) || math.IsNaN(*firm) {
		fmt.Fprintf(os.Stderr, "benchchart: -firm %v: want a positive fraction such as 0.10\n", *firm)
		os.Exit(2)
	}
	res, err := read(flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchchart: %v\n", err)
		os.Exit(2)
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "benchchart: %v\n", err)
		os.Exit(1)
	}
	all, order := charts(res)
	for _, k := range order {
		metric := "ns"
		if k.unit != "sec/op" {
			metric = "p99"
		}
		path := filepath.Join(*outDir, fmt.Sprintf("%s-gomaxprocs%d-%s.%s", k.scenario, k.procs, metric, *format))
		if err := draw(all[k], k, path); err != nil {
			fmt.Fprintf(os.Stderr, "benchchart: %s: %v\n", path, err)
			os.Exit(1)
		}
		fmt.Println(path)
	}
	if *tablesPath != "" {
		var buf bytes.Buffer
		if err := writeTables(&buf, res, poolGroups(strings.Split(*designs, ",")), rule{alpha: *alpha, firm: *firm}); err != nil {
			fmt.Fprintf(os.Stderr, "benchchart: %v\n", err)
			os.Exit(1)
		}
		if err := os.WriteFile(*tablesPath, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "benchchart: %v\n", err)
			os.Exit(1)
		}
		fmt.Println(*tablesPath)
	}
}

// poolGroups sorts the suite's pools as the tables show them: the catalogue's own and
// bench's variants, the catalogue's third-party pools, and bench's floors.
func poolGroups(designs []string) groups {
	g := groups{designs: designs, floor: bench.ChanWorkers}
	for _, e := range catalog.Of(catalog.Ours) {
		g.ours = append(g.ours, e.Subject.Name)
	}
	for _, s := range bench.Variants() {
		g.ours = append(g.ours, s.Name)
	}
	for _, e := range catalog.Of(catalog.ThirdParty) {
		g.thirdParty = append(g.thirdParty, e.Subject.Name)
	}
	for _, s := range bench.References() {
		g.floors = append(g.floors, s.Name)
	}
	return g
}
