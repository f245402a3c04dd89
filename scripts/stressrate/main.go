// Command stressrate measures package stress: how often its default run catches each broken
// pool that needs real parallelism, how long that takes, and how fast it runs correct pools
// (for sizing soaks). Run it with the race detector, as CI runs the stress tests:
//
//	go run -race ./scripts/stressrate                 # detection rates (50 runs a pool) and throughput
//	go run -race ./scripts/stressrate -runs 100 -pools broken-check-then-act
//	go run -race ./scripts/stressrate -survey         # one default run of every catalogue entry
//
// scripts/stress-rate.sh wraps it. Output is Markdown, for docs/STRESS.md.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/stress"
)

func main() {
	runs := flag.Int("runs", 50, "default stress runs per broken pool")
	budget := flag.Duration("duration", stress.DefaultDuration, "duration of one run: the default check's")
	poolList := flag.String("pools", "", "comma-separated catalogue names to measure (default: every broken pool that needs real parallelism)")
	throughput := flag.Duration("throughput", 5*time.Second, "time per correct pool for the throughput table (0: skip)")
	survey := flag.Bool("survey", false, "instead: one default run of every catalogue entry, every property's verdict")
	flag.Parse()
	log.SetFlags(0)
	if os.Getenv(stress.EnvDuration) != "" || os.Getenv(stress.EnvSeed) != "" || os.Getenv(stress.EnvRepeat) != "" {
		log.Fatalf("unset %s, %s and %s: they would override what this measures", stress.EnvDuration, stress.EnvSeed, stress.EnvRepeat)
	}
	fmt.Printf("go %s, %s/%s, NumCPU %d, race detector %v, %s\n\n", runtime.Version(), runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), raceEnabled, time.Now().Format(time.DateTime))
	if *survey {
		surveyAll(*budget)
		return
	}
	detection(selectPools(*poolList), *runs, *budget)
	if *throughput > 0 {
		speed(*throughput)
	}
}

func selectPools(list string) []catalog.Entry {
	if list == "" {
		var out []catalog.Entry
		for _, e := range catalog.Of(catalog.Broken) {
			if e.StressOnly || e.Breaks == "max-concurrency" {
				out = append(out, e)
			}
		}
		return out
	}
	var out []catalog.Entry
	for _, name := range strings.Split(list, ",") {
		e, ok := catalog.Lookup(strings.TrimSpace(name))
		if !ok {
			log.Fatalf("no catalogue entry %q", name)
		}
		out = append(out, e)
	}
	return out
}

// detection runs the default check (stopping at its first failure) runs times per pool.
func detection(entries []catalog.Entry, runs int, budget time.Duration) {
	fmt.Printf("## Detection: %d default runs (%v each, stopping at the first failure) per pool\n\n", runs, budget)
	fmt.Println("| pool | breaks | stress-only | caught | rate | by the property | by a race report | mean time to detection | median | max | mean lifetimes to detection |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, e := range entries {
		want := e.Breaks
		if want == "" {
			want = "any"
		}
		var (
			caught, byProp, byRace, lifetimes int
			times                             []time.Duration
		)
		for range runs {
			opts := []stress.Option{stress.Duration(budget), stress.StopOnFailure()}
			if e.Breaks != "" {
				opts = append(opts, stress.Properties(e.Breaks))
			}
			rep, err := stress.Run(e.Subject, opts...)
			if err != nil {
				log.Fatal(err)
			}
			if !rep.Failed() {
				continue
			}
			caught++
			times = append(times, rep.Elapsed)
			lifetimes += rep.Lifetimes
			if rep.Race != nil {
				byRace++
			}
			for _, r := range rep.Results {
				if r.Verdict == harness.Fail {
					byProp++
					break
				}
			}
		}
		mean, median, most := stats(times)
		perLife := "-"
		if caught > 0 {
			perLife = fmt.Sprintf("%.1f", float64(lifetimes)/float64(caught))
		}
		fmt.Printf("| %s | %s | %v | %d/%d | %.0f%% | %d | %d | %v | %v | %v | %s |\n", e.Name, want, e.StressOnly,
			caught, runs, 100*float64(caught)/float64(runs), byProp, byRace, mean, median, most, perLife)
	}
	fmt.Println()
}

func stats(ds []time.Duration) (mean, median, most time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	r := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	return r(sum / time.Duration(len(ds))), r(ds[len(ds)/2]), r(ds[len(ds)-1])
}

// speed stresses each correct pool for d and reports lifetimes and tasks per second.
func speed(d time.Duration) {
	fmt.Printf("## Throughput: each pool of our own stressed for %v\n\n", d)
	fmt.Println("| pool | lifetimes | tasks | lifetimes/s | tasks/s | verdict |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
	var lt, tk int
	var el time.Duration
	for _, e := range catalog.Of(catalog.Ours) {
		rep, err := stress.Run(e.Subject, stress.Duration(d))
		if err != nil {
			log.Fatal(err)
		}
		verdict := "pass"
		if err := rep.Err(); err != nil {
			verdict = "FAIL: " + strings.ReplaceAll(err.Error(), "\n", "; ")
		}
		lt, tk, el = lt+rep.Lifetimes, tk+rep.Tasks, el+rep.Elapsed
		fmt.Printf("| %s | %d | %d | %.0f | %.0f | %s |\n", e.Name, rep.Lifetimes, rep.Tasks,
			float64(rep.Lifetimes)/rep.Elapsed.Seconds(), float64(rep.Tasks)/rep.Elapsed.Seconds(), verdict)
	}
	fmt.Printf("| all | %d | %d | %.0f | %.0f | |\n\n", lt, tk, float64(lt)/el.Seconds(), float64(tk)/el.Seconds())
}

// surveyAll runs the default check once on every entry and prints every verdict.
func surveyAll(d time.Duration) {
	ids := []string{}
	for _, r := range mustRun(catalog.All()[0], d).Results {
		ids = append(ids, r.Property)
	}
	fmt.Printf("## Survey: one default run (%v) of every catalogue entry\n\n", d)
	fmt.Printf("| pool | kind | breaks | %s | race | lifetimes |\n", strings.Join(ids, " | "))
	fmt.Printf("|%s\n", strings.Repeat(" --- |", len(ids)+5))
	var notes []string
	for _, e := range catalog.All() {
		rep := mustRun(e, d)
		var cells []string
		for _, r := range rep.Results {
			cell := string(r.Verdict)
			if r.Verdict == harness.Fail {
				cell = "**FAIL**"
				notes = append(notes, fmt.Sprintf("- %s %s: %s (%s)", e.Name, r.Property, r.Reason, r.Failure.Settings()))
			}
			cells = append(cells, cell)
		}
		race := "-"
		if rep.Race != nil {
			race = "**RACE**"
			notes = append(notes, fmt.Sprintf("- %s: data race during lifetime %d (%s)", e.Name, rep.Race.Index, rep.Race.Settings()))
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %d |\n", e.Name, e.Kind, e.Breaks, strings.Join(cells, " | "), race, rep.Lifetimes)
	}
	fmt.Println()
	for _, n := range notes {
		fmt.Println(n)
	}
}

func mustRun(e catalog.Entry, d time.Duration) *stress.Report {
	rep, err := stress.Run(e.Subject, stress.Duration(d))
	if err != nil {
		log.Fatal(err)
	}
	return rep
}
