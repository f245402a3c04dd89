// Command corpus measures the corpus of real bugs (catalog.Corpus): for each bug it builds
// poolcheck with the library at the buggy release and at the fixed one (through the module
// proxy, as poolcheck -pool ENTRY@VERSION does), explores the bug's property N times at each
// with fresh random seeds, and prints a Markdown table: how many explorations failed at the
// buggy release (the catch rate) and how many passed at the fixed one. scripts/corpus.sh
// runs it; docs/CORPUS.md quotes its output.
//
//	go run ./scripts/corpus [-n N] [-bugs a,b] [-runs R] [-budget D]
//
// Run it inside the source tree. Each exploration is one run of the rebuilt command with
// -pool ENTRY@VERSION -property PROPERTY -json (the command's defaults unless -runs or
// -budget say otherwise), in sequence, so timings are not skewed by each other.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/internal/cli"
)

func main() {
	n := flag.Int("n", 10, "explorations per release (`N` >= 1)")
	only := flag.String("bugs", "", "comma-separated bug `names` to measure (default: the whole corpus)")
	runs := flag.Int("runs", cli.DefaultRuns, "schedules per exploration")
	budget := flag.Duration("budget", cli.DefaultBudget, "wall-time cap per exploration")
	flag.Parse()
	if *n < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: corpus [-n N] [-bugs a,b] [-runs R] [-budget D]")
		os.Exit(2)
	}
	bugs, err := selectBugs(catalog.Corpus(), *only)
	if err != nil {
		fmt.Fprintf(os.Stderr, "corpus: %v\n", err)
		os.Exit(2)
	}
	settings := []string{"-runs", strconv.Itoa(*runs), "-budget", budget.String()}
	start := time.Now()
	var rows []row
	for _, b := range bugs {
		rows = append(rows, measure(b, *n, settings, os.Stderr))
	}
	write(os.Stdout, rows, *n, settings, time.Since(start))
	for _, r := range rows {
		if !r.verified() {
			os.Exit(1)
		}
	}
}

func selectBugs(all []catalog.RealBug, names string) ([]catalog.RealBug, error) {
	if names == "" {
		return all, nil
	}
	var out []catalog.RealBug
	for _, name := range strings.Split(names, ",") {
		i := slices.IndexFunc(all, func(b catalog.RealBug) bool { return b.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("unknown bug %q", name)
		}
		out = append(out, all[i])
	}
	return out, nil
}

// release is what N explorations of one release found.
type release struct {
	version       string
	fails, passes int    // explorations that failed and passed the property
	total         int    // explorations run
	firstFailure  string // the first failure's reason and replay line
	err           string // why the release could not be checked
}

type row struct {
	bug          catalog.RealBug
	buggy, fixed release
}

func (r row) verified() bool {
	return r.buggy.err == "" && r.fixed.err == "" && r.buggy.fails > 0 && r.fixed.passes == r.fixed.total && r.fixed.total > 0
}

func measure(b catalog.RealBug, n int, settings []string, progress io.Writer) row {
	p, ok := b.Pool()
	if !ok || p.Module == "" {
		return row{bug: b, buggy: release{err: "no catalogue pool " + b.Entry}, fixed: release{err: "no catalogue pool " + b.Entry}}
	}
	module := p.Module
	at := func(v string) release {
		rel := release{version: v}
		fmt.Fprintf(progress, "corpus: %s: building %s@%s\n", b.Name, module, v)
		versions := map[string]string{module: v}
		exe, remove, err := cli.Rebuild(context.Background(), versions)
		if err != nil {
			rel.err = err.Error()
			return rel
		}
		defer remove()
		for i := range n {
			fmt.Fprintf(progress, "corpus: %s: %s@%s exploration %d/%d\n", b.Name, b.Entry, v, i+1, n)
			verdict, detail, err := explore(exe, b, v, settings)
			if err != nil {
				rel.err = err.Error()
				return rel
			}
			rel.total++
			if verdict == "pass" {
				rel.passes++
			}
			if verdict == "fail" {
				rel.fails++
				if rel.firstFailure == "" {
					rel.firstFailure = detail
				}
			}
		}
		return rel
	}
	return row{bug: b, buggy: at(b.Buggy), fixed: at(b.Fixed)}
}

// explore runs the rebuilt command once on b's pool at release v and b's property and
// returns the verdict, and for a failure its reason and replay line.
func explore(exe string, b catalog.RealBug, v string, settings []string) (verdict, detail string, err error) {
	pool := b.Entry + "@" + v
	args := append([]string{"-pool", pool, "-property", b.Property, "-json", "-quiet"}, settings...)
	cmd := cli.RebuiltCommand(context.Background(), exe, args...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	runErr := cmd.Run()
	var exit interface{ ExitCode() int }
	if runErr != nil && (!errors.As(runErr, &exit) || exit.ExitCode() > cli.ExitFail) {
		return "", "", fmt.Errorf("poolcheck -pool %s: %v: %s", pool, runErr, strings.TrimSpace(stderr.String()))
	}
	var doc cli.Document
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Results) != 1 {
		return "", "", fmt.Errorf("poolcheck -pool %s wrote no report: %v %s", pool, err, strings.TrimSpace(stderr.String()))
	}
	r := doc.Results[0]
	return r.Verdict, r.Reason + "; replay: " + r.Replay, nil
}

func write(w io.Writer, rows []row, n int, settings []string, elapsed time.Duration) {
	fmt.Fprintf(w, "%d explorations per release, each `poolcheck -pool ENTRY@VERSION -property PROPERTY %s` with a random seed; %s in all.\n\n",
		n, strings.Join(settings, " "), elapsed.Round(time.Second))
	fmt.Fprintln(w, "| bug | entry | property | buggy release | fails (catch rate) | fixed release | passes | verified | upstream |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range rows {
		verified := "yes"
		if !r.verified() {
			verified = "**no**"
		}
		var links []string
		for _, u := range r.bug.Upstream {
			links = append(links, fmt.Sprintf("[%s](%s)", shortLink(u), u))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.bug.Name, r.bug.Entry, r.bug.Property,
			r.bug.Buggy, count(r.buggy, r.buggy.fails), r.bug.Fixed, count(r.fixed, r.fixed.passes), verified,
			strings.Join(links, " "))
	}
	fmt.Fprintln(w, "\nWhat each buggy release failed with (the first failure), and what could not be checked:")
	fmt.Fprintln(w)
	for _, r := range rows {
		fmt.Fprintf(w, "- **%s** (%s): %s\n", r.bug.Name, r.bug.Doc, cmp.Or(r.buggy.firstFailure, "no failure found"))
		for _, rel := range []release{r.buggy, r.fixed} {
			if rel.err != "" {
				fmt.Fprintf(w, "  - %s not checked: %s\n", rel.version, firstLine(rel.err))
			}
		}
	}
}

func count(r release, k int) string {
	if r.err != "" {
		return "not checked"
	}
	return fmt.Sprintf("%d/%d", k, r.total)
}

// shortLink is an upstream URL as "owner/repo#N" (or the URL's last part).
func shortLink(u string) string {
	parts := strings.Split(strings.TrimPrefix(u, "https://github.com/"), "/")
	if len(parts) >= 4 && (parts[2] == "issues" || parts[2] == "pull") {
		return parts[1] + "#" + parts[3]
	}
	if len(parts) >= 4 && parts[2] == "commit" && len(parts[3]) >= 7 {
		return parts[1] + "@" + parts[3][:7]
	}
	return parts[len(parts)-1]
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
