// Package benchgate compares two Go benchmark files with the statistics of benchstat
// (golang.org/x/perf's benchfmt and benchmath: medians, order-statistic confidence
// intervals, two-sided Mann-Whitney U tests) and decides whether the second is a
// regression of the first. cmd/benchgate is its command; scripts/gate.sh its CI driver.
//
// The rules, per benchmark and unit (units are compared as benchfmt tidies them: ns/op is
// read as sec/op):
//
//   - Time and every other gated unit but allocations (sec/op, p99-sec, ...): a regression
//     is a median worse by more than Options.Threshold (default 10%) with p < alpha
//     (default 0.05). A significant change within the threshold is reported, not failed.
//   - Allocations (B/op and allocs/op) are strict: any significant increase of the median
//     fails, whatever its size; and so does any increase of the median when both sides are
//     stable (at least StableRuns runs a side, each side's values all equal), since
//     allocation counts are nearly deterministic and a 0 -> 1 allocs/op change in ten
//     identical runs is not noise even though the U test's p is only what n allows.
//     Beware that allocs/op is rounded down by the testing package: 16 B/op can show as
//     0 allocs/op, which is why B/op is gated too.
//   - Too few runs: at alpha 0.05 a side needs at least 4 runs for any difference to be
//     significant (the smallest p of the U test for n=3+3 is 0.1; 0.0286 for 4+4). A
//     benchmark without enough runs to reach alpha is "undecided", and the gate says so
//     instead of passing. Use 10 runs a side or more.
//
// Exit codes (Main): 0 no regression; 1 at least one regression; 2 the gate cannot judge:
// a usage error, an unreadable, malformed or empty file, no benchmark in common, or (with
// no regression found) too few runs to decide.
package benchgate

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/perf/benchfmt"
)

// Set is the benchmark results of one file: for each benchmark, for each unit, the values
// of every run in file order.
type Set struct {
	Name   string
	keys   []string // benchmark keys in first-seen order
	values map[string]map[string][]float64
	units  benchfmt.UnitMetadataMap
	pkgs   map[string]bool
}

// ReadFile reads a benchmark file; see Read.
func ReadFile(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses Go benchmark format from r (go test -bench output, with or without
// configuration lines). A malformed benchmark line is an error, not a skipped line: a gate
// must not judge a file it only half read. A file with no result at all is an error.
func Read(r io.Reader, name string) (*Set, error) {
	s := &Set{Name: name, values: map[string]map[string][]float64{}, pkgs: map[string]bool{}}
	br := benchfmt.NewReader(r, name)
	var errs []error
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			errs = append(errs, rec)
		case *benchfmt.Result:
			pkg := rec.GetConfig("pkg")
			s.pkgs[pkg] = true
			key := string(rec.Name.Full())
			if pkg != "" {
				key = pkg + "\x00" + key
			}
			byUnit, ok := s.values[key]
			if !ok {
				byUnit = map[string][]float64{}
				s.values[key] = byUnit
				s.keys = append(s.keys, key)
			}
			for _, v := range rec.Values {
				byUnit[v.Unit] = append(byUnit[v.Unit], v.Value)
			}
		}
	}
	if err := br.Err(); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		const most = 5
		if len(errs) > most {
			errs = append(errs[:most], fmt.Errorf("... and %d more malformed lines", len(errs)-most))
		}
		return nil, fmt.Errorf("%s: malformed benchmark lines:\n%w", name, errors.Join(errs...))
	}
	if len(s.keys) == 0 {
		return nil, fmt.Errorf("%s: no benchmark results (is it the output of go test -bench?)", name)
	}
	s.units = br.Units()
	return s, nil
}

// Len returns the number of distinct benchmarks in s.
func (s *Set) Len() int { return len(s.keys) }
