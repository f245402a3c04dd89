package benchgate

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const usage = `usage: benchgate [flags] OLD NEW

benchgate compares two Go benchmark files (go test -bench output; run each side with
-count=10 or more) with benchstat's statistics and fails on a regression:
  time (and other non-allocation units): median worse by more than -threshold at p <= -alpha;
  B/op, allocs/op: any significant increase, or any increase when every run of each side agrees.

Exit status: 0 no regression, 1 regression, 2 cannot judge (usage, malformed/empty input,
no benchmark in common, too few runs).

Flags:
`

// Main runs the benchgate command with args (without the program name), writing the
// table to stdout and errors to stderr, and returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchgate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	alpha := fs.Float64("alpha", 0.05, "significance level of the Mann-Whitney U test")
	threshold := fs.String("threshold", "10%", "fail when a time median is worse by more than this (\"10%\" or \"0.1\")")
	confidence := fs.Float64("confidence", 0.95, "confidence level of the intervals shown")
	units := fs.String("units", strings.Join(DefaultUnits, ","), "comma-separated units to gate (ns/op is read as sec/op), or \"all\"")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 2 {
		fmt.Fprintf(stderr, "benchgate: want 2 files, OLD and NEW; got %d\n", fs.NArg())
		fs.Usage()
		return 2
	}
	thr, err := parseFraction(*threshold)
	if err != nil {
		fmt.Fprintf(stderr, "benchgate: -threshold: %v\n", err)
		return 2
	}
	if *alpha <= 0 || *alpha >= 1 {
		fmt.Fprintf(stderr, "benchgate: -alpha %v: want 0 < alpha < 1\n", *alpha)
		return 2
	}
	if *confidence <= 0 || *confidence >= 1 {
		fmt.Fprintf(stderr, "benchgate: -confidence %v: want 0 < confidence < 1\n", *confidence)
		return 2
	}
	var us []string
	for _, u := range strings.Split(*units, ",") {
		if u = strings.TrimSpace(u); u != "" {
			us = append(us, u)
		}
	}
	if len(us) == 0 {
		fmt.Fprintf(stderr, "benchgate: -units: empty\n")
		return 2
	}
	oldSet, err := ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "benchgate: %v\n", err)
		return 2
	}
	newSet, err := ReadFile(fs.Arg(1))
	if err != nil {
		fmt.Fprintf(stderr, "benchgate: %v\n", err)
		return 2
	}
	rep, err := Compare(oldSet, newSet, Options{Alpha: *alpha, Threshold: thr, Confidence: *confidence, Units: us})
	if err != nil {
		fmt.Fprintf(stderr, "benchgate: %v\n", err)
		return 2
	}
	rep.WriteTable(stdout)
	return rep.ExitCode()
}

// parseFraction parses "10%" as 0.10 and "0.1" as 0.1.
func parseFraction(s string) (float64, error) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		return 0, fmt.Errorf("%q: want a percentage such as 10%% or a fraction such as 0.1", s)
	}
	if pct {
		f /= 100
	}
	if f < 0 {
		return 0, fmt.Errorf("%q: must not be negative", s)
	}
	if f == 0 {
		// Options treats 0 as "default"; a zero threshold is asked for with a tiny one.
		f = zeroThreshold
	}
	return f, nil
}

// zeroThreshold stands for a threshold of zero: any significant worsening fails.
const zeroThreshold = 1e-12
