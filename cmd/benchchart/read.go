package main

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"

	"golang.org/x/perf/benchfmt"
)

// row identifies one benchmark of the suite apart from its pool: a table row.
type row struct {
	scenario string
	limit    int
	procs    int // GOMAXPROCS: the name's -N suffix, 1 without one
}

// results is every BenchmarkPool value of a file: row -> pool -> unit -> one value per run,
// in file order. Units are benchfmt's tidied ones: sec/op, p99-sec, B/op, ...
type results struct {
	rounds []round  // scripts/bench.sh's rounds, in file order
	rows   []row    // in first-seen order
	pools  []string // in first-seen order: the suite's, so ours first and the floors last
	values map[row]map[string]map[string][]float64
}

// round is the configuration scripts/bench.sh writes before each round's results.
type round struct {
	round, order, loadBefore, loadAfter, othersCPU string
}

var nameRE = regexp.MustCompile(`^Pool/scenario=([^/]+)/pool=([^/]+)/limit=(\d+)(?:-(\d+))?$`)

// read reads a benchfmt file of the suite (configuration lines, such as scripts/bench.sh's
// per-round load figures, are allowed and ignored). Other benchmarks are skipped; a
// malformed line is an error, and so is a file without a BenchmarkPool result.
func read(path string) (*results, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res := &results{values: map[row]map[string]map[string][]float64{}}
	r := benchfmt.NewReader(f, path)
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			return nil, rec
		case *benchfmt.Result:
			m := nameRE.FindStringSubmatch(string(rec.Name.Full()))
			if m == nil {
				continue
			}
			limit, err := strconv.Atoi(m[3])
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %v", path, rec.Name.Full(), err)
			}
			procs := 1 // the testing package leaves out "-1"
			if m[4] != "" {
				if procs, err = strconv.Atoi(m[4]); err != nil {
					return nil, fmt.Errorf("%s: %s: %v", path, rec.Name.Full(), err)
				}
			}
			res.add(row{m[1], limit, procs}, m[2], rec.Values)
			res.noteRound(rec)
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if len(res.rows) == 0 {
		return nil, fmt.Errorf("%s: no BenchmarkPool results", path)
	}
	return res, nil
}

func (res *results) add(rw row, pool string, vals []benchfmt.Value) {
	byPool, ok := res.values[rw]
	if !ok {
		byPool = map[string]map[string][]float64{}
		res.values[rw] = byPool
		res.rows = append(res.rows, rw)
	}
	if !slices.Contains(res.pools, pool) {
		res.pools = append(res.pools, pool)
	}
	byUnit, ok := byPool[pool]
	if !ok {
		byUnit = map[string][]float64{}
		byPool[pool] = byUnit
	}
	for _, v := range vals {
		byUnit[v.Unit] = append(byUnit[v.Unit], v.Value)
	}
}

// get returns the values of pool in rw for unit, or nil.
func (res *results) get(rw row, pool, unit string) []float64 {
	return res.values[rw][pool][unit]
}

// noteRound records the round configuration of rec if it starts a new round.
func (res *results) noteRound(rec *benchfmt.Result) {
	var r round
	for _, c := range rec.Config {
		v := string(c.Value)
		switch c.Key {
		case "round":
			r.round = v
		case "order":
			r.order = v
		case "load-before":
			r.loadBefore = v
		case "load-after":
			r.loadAfter = v
		case "others-cpu":
			r.othersCPU = v
		}
	}
	if r.round == "" || len(res.rounds) > 0 && res.rounds[len(res.rounds)-1].round == r.round {
		return
	}
	res.rounds = append(res.rounds, r)
}
