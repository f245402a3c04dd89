package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/mod/semver"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/internal/gomod"
	"github.com/poolcheck/poolcheck/props"
)

// History is a -history request: one third-party entry checked at several releases of its
// library, each in a command rebuilt with that release.
type History struct {
	Entry  catalog.Pool
	Module string
	// From and To bound a range, both included: the releases the module proxy lists
	// between them, and From and To themselves (a proxy may list fewer releases than it
	// serves). Both are "" when List is set.
	From, To string
	// List is the releases named one by one (NAME@V1,V2,...), in semantic version order.
	List []string
}

// parseHistory parses NAME@V1..V2 or NAME@V1,V2,... against entries.
func parseHistory(spec string, entries []catalog.Pool) (*History, error) {
	name, versions, ok := strings.Cut(spec, "@")
	if !ok || versions == "" {
		return nil, usageErrorf("-history %q: want NAME@V1..V2 or NAME@V1,V2,... (for example ants@v2.10.0..v2.12.1)", spec)
	}
	i := slices.IndexFunc(entries, func(e catalog.Pool) bool { return e.Name == name })
	if i < 0 {
		return nil, usageErrorf("-history: unknown pool %q (see -list -kind third-party)", name)
	}
	h := &History{Entry: entries[i]}
	var err error
	if h.Module, err = libraryOf(h.Entry, "-history"); err != nil {
		return nil, err
	}
	check := func(v string) error {
		if why := checkVersion(v); why != "" {
			return usageErrorf("-history %s: %s", spec, why)
		}
		return nil
	}
	if from, to, isRange := strings.Cut(versions, ".."); isRange {
		if err := errors.Join(check(from), check(to)); err != nil {
			return nil, err
		}
		if semver.Compare(from, to) > 0 {
			return nil, usageErrorf("-history %s: the range is empty (%s is after %s)", spec, from, to)
		}
		h.From, h.To = from, to
		return h, nil
	}
	for _, v := range splitList(versions) {
		if err := check(v); err != nil {
			return nil, err
		}
		h.List = append(h.List, v)
	}
	semver.Sort(h.List)
	return h, nil
}

// Releases returns the releases to check, in semantic version order, given the releases
// the module proxy lists (used only for a range).
func (h *History) Releases(listed []string) []string {
	if h.List != nil {
		return h.List
	}
	out := []string{h.From, h.To}
	for _, v := range listed {
		if semver.Compare(v, h.From) > 0 && semver.Compare(v, h.To) < 0 {
			out = append(out, v)
		}
	}
	semver.Sort(out)
	return slices.Compact(out)
}

// historyRow is one release: the report of the command rebuilt with it, or why there is none.
type historyRow struct {
	version string
	doc     *Document // nil when not built or not run
	exit    int       // the rebuilt command's exit status
	note    string    // why doc is nil: it does not compile, it crashed
}

// cell is the row's text for property id: pass, FAIL (with the catalogue's verdict at the
// pinned release), n/a, ERROR, or "-" when the release was not checked.
func (r historyRow) cell(id string) string {
	if r.doc == nil {
		return "-"
	}
	for _, res := range r.doc.Results {
		if res.Property != id {
			continue
		}
		switch res.Verdict {
		case "pass":
			if res.Finding != nil {
				return "pass*"
			}
			return "pass"
		case "skip":
			return "n/a"
		case "fail":
			if res.Finding != nil {
				return "FAIL:" + verdictTag(catalog.Verdict(res.Finding.Verdict))
			}
			return "FAIL"
		default:
			return "ERROR"
		}
	}
	return "-"
}

// settingsArgs are the flags that carry cfg's exploration settings to a rebuilt command;
// -runs and -shrink only when they were set, so that each family keeps its own default.
func settingsArgs(cfg *Config) []string {
	args := []string{"-budget", cfg.Budget.String(), "-seed", strconv.FormatUint(cfg.Seed, 10), "-parallel", strconv.Itoa(cfg.Parallel)}
	if cfg.Runs > 0 {
		args = append(args, "-runs", strconv.Itoa(cfg.Runs))
	}
	if cfg.Shrink > 0 {
		args = append(args, "-shrink", cfg.Shrink.String())
	}
	if len(cfg.Properties) < len(props.All()) {
		args = append(args, "-property", strings.Join(propertyIDs(cfg.Properties), ","))
	}
	return args
}

// RunHistory checks cfg.History's entry at each of its releases, each in the command rebuilt
// with that release (as -pool NAME@VERSION does), writes the release × property table,
// what changed between releases and every failure's replay line, and returns the exit
// status: ExitFail if a failure counts at some release, ExitInternal if a rebuilt command
// crashed, ExitUsage if no release could be checked, ExitOK otherwise.
func RunHistory(cfg *Config, stdout, stderr io.Writer) int {
	h := cfg.History
	fail := func(err error) int { fmt.Fprintf(stderr, "poolcheck: -history: %v\n", err); return ExitUsage }
	goCmd, root, err := SourceTree()
	if err != nil {
		return fail(err)
	}
	ctx := context.Background()
	var listed []string
	if h.List == nil {
		lctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		listed, err = gomod.Versions(lctx, goCmd, root, h.Module)
		cancel()
		var pe *gomod.ProxyError
		if errors.As(err, &pe) && pe.Unreachable() {
			return fail(fmt.Errorf("the module proxy cannot be reached to list the releases of %s: check the network or GOPROXY (%s)", h.Module, gomod.OneLine(pe.Msg)))
		} else if err != nil {
			return fail(err)
		}
	}
	releases := h.Releases(listed)
	for _, v := range releases {
		if err := fetch(ctx, goCmd, root, map[string]string{h.Module: v}); err != nil {
			return fail(err)
		}
	}
	tmp, err := os.MkdirTemp("", "poolcheck-history")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(tmp)
	rows := make([]historyRow, len(releases))
	for i, v := range releases {
		if cfg.Progress {
			fmt.Fprintf(stderr, "[%d/%d] %s@%s: building and checking\n", i+1, len(releases), h.Entry.Name, v)
		}
		rows[i] = checkRelease(ctx, cfg, goCmd, root, filepath.Join(tmp, v), v)
	}
	writeHistory(stdout, cfg, releases, rows)
	code, checked := ExitOK, 0
	for _, r := range rows {
		if r.doc != nil {
			checked++
		}
		if r.exit == ExitInternal {
			code = ExitInternal
		} else if r.exit == ExitFail && code == ExitOK {
			code = ExitFail
		}
	}
	if checked == 0 && code == ExitOK {
		return ExitUsage
	}
	return code
}

// checkRelease builds the command with h's module at release v in dir and runs it on h's
// entry with -json.
func checkRelease(ctx context.Context, cfg *Config, goCmd, root, dir, v string) historyRow {
	h := cfg.History
	row := historyRow{version: v}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		row.note, row.exit = err.Error(), ExitInternal
		return row
	}
	exe, err := build(ctx, goCmd, root, dir, map[string]string{h.Module: v})
	var ce *CompileError
	switch {
	case errors.As(err, &ce):
		row.note = ce.Error() + ": " + gomod.OneLine(ce.FirstErrors(2))
		return row
	case err != nil:
		row.note, row.exit = err.Error(), ExitInternal
		return row
	}
	args := append([]string{"-pool", h.Entry.Name + "@" + v, "-json", "-quiet"}, settingsArgs(cfg)...)
	cmd := RebuiltCommand(ctx, exe, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	row.exit = exitStatus(cmd.Run(), &errb)
	if row.exit == ExitUsage { // the adapter cannot run at this release (ProbeAdapters)
		row.note, row.exit = gomod.OneLine(strings.TrimPrefix(errb.String(), "poolcheck: ")), ExitOK
		return row
	}
	var doc Document
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Pools) != 1 {
		row.note, row.exit = "the rebuilt command wrote no report: "+gomod.OneLine(errb.String()), ExitInternal
		return row
	}
	if got := doc.Pools[0].Version; got != v {
		row.note, row.exit = fmt.Sprintf("internal error: the rebuilt command reports %s at %s, not %s", h.Module, got, v), ExitInternal
		return row
	}
	row.doc = &doc
	return row
}

// writeHistory writes the release × property table, the changes and the failures.
func writeHistory(w io.Writer, cfg *Config, releases []string, rows []historyRow) {
	h := cfg.History
	which := "the releases named"
	if h.List == nil {
		which = fmt.Sprintf("the releases from %s to %s that the module proxy lists, both ends included", h.From, h.To)
	}
	pinned := catalog.VersionOf(h.Module).Pinned
	fmt.Fprintf(w, "poolcheck -history: %s (%s) at %d releases of %s: %s; %s\n\n",
		h.Entry.Name, h.Entry.Kind, len(releases), h.Module, which, budgetText(cfg))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "release")
	for _, p := range cfg.Properties {
		fmt.Fprint(tw, "\t"+p.ID)
	}
	fmt.Fprintln(tw, "\tstatus")
	for _, r := range rows {
		label := r.version
		if r.version == pinned {
			label += " (pinned)"
		}
		fmt.Fprint(tw, label)
		for _, p := range cfg.Properties {
			fmt.Fprint(tw, "\t"+r.cell(p.ID))
		}
		status := "not checked"
		if r.doc != nil {
			status = statusCell(r.doc.Pools[0].Status)
		}
		fmt.Fprintln(tw, "\t"+status)
	}
	tw.Flush()
	fmt.Fprintf(w, "\npass: no schedule broke the rule. FAIL: a counterexample was found. n/a: a declared trait excuses it.\n"+
		"-: not checked. At the pinned release %s a failure carries the catalogue's verdict (FAIL:bug, FAIL:weak, ...);\n"+
		"at any other release the catalogue classifies nothing, so a failure is plain FAIL and counts.\n", pinned)
	for _, r := range rows {
		if r.note != "" {
			fmt.Fprintf(w, "  %s not checked: %s\n", r.version, r.note)
		}
	}
	fmt.Fprintln(w, "\nChanges (a failure is found by a bounded search: a pass means none was found):")
	changed := false
	for _, p := range cfg.Properties {
		cells := make([]string, len(rows))
		for i, r := range rows {
			cells[i] = r.cell(p.ID)
		}
		if c := Changes(releases, cells); c != "" {
			fmt.Fprintf(w, "  %s: %s\n", p.ID, c)
			changed = true
		}
	}
	if !changed {
		fmt.Fprintln(w, "  none: no property fails at any release checked")
	}
	var failures []string
	for _, r := range rows {
		if r.doc == nil {
			continue
		}
		for _, res := range r.doc.Results {
			if res.Verdict == "fail" || res.Verdict == "error" {
				failures = append(failures, fmt.Sprintf("  %s %s: %s\n    replay: %s", r.version, res.Property, oneLine(res.Reason), replayOrNone(res.Replay)))
			}
		}
	}
	if len(failures) > 0 {
		fmt.Fprintln(w, "\nFailures:")
		fmt.Fprintln(w, strings.Join(failures, "\n"))
	}
}

func replayOrNone(replay string) string {
	if replay == "" {
		return "(none: the exploring process crashed)"
	}
	return replay
}

// Changes describes, for one property, how its cells (in release order) change: the first
// release checked that fails, each release where a failure appears after a pass
// ("introduced") and where a pass follows a failure ("fixed"). Cells that are neither pass
// nor FAIL (n/a, -, ERROR) are skipped. It returns "" when no release fails.
func Changes(releases, cells []string) string {
	var parts []string
	prev, prevV, failed := "", "", false
	for i, c := range cells {
		var st string
		switch {
		case c == "pass" || c == "pass*":
			st = "pass"
		case strings.HasPrefix(c, "FAIL"):
			st, failed = "fail", true
		default:
			continue
		}
		v := releases[i]
		switch {
		case prev == "" && st == "fail":
			parts = append(parts, "fails at "+v+", the first release checked")
		case prev == "pass" && st == "fail":
			parts = append(parts, fmt.Sprintf("introduced in %s (passes at %s)", v, prevV))
		case prev == "fail" && st == "pass":
			parts = append(parts, fmt.Sprintf("fixed in %s (fails at %s)", v, prevV))
		}
		prev, prevV = st, v
	}
	if !failed {
		return ""
	}
	if prev == "fail" {
		parts = append(parts, "still fails at "+prevV+", the last release checked")
	}
	return strings.Join(parts, "; ")
}
