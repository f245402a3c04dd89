package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// The catalogue of these tests: never explored, only named.
var testEntries = []catalog.Entry{
	{Subject: harness.Subject{Name: "good"}, Kind: catalog.Ours, Doc: "a correct pool"},
	{Subject: harness.Subject{Name: "lib", Traits: harness.Traits{IgnoresCtx: true, Queue: harness.Unbounded}},
		Kind: catalog.ThirdParty, Doc: "a library"},
	{Subject: harness.Subject{Name: "herd"}, Kind: catalog.Broken, Breaks: "max-concurrency", Doc: "if, not for"},
	{Subject: harness.Subject{Name: "racy"}, Kind: catalog.Broken, Breaks: "max-concurrency", StressOnly: true, Doc: "narrow"},
	{Subject: harness.Subject{Name: "sneaky"}, Kind: catalog.Broken, Breaks: "wait", Doc: "not caught"},
}

func parse(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	return Parse(args, testEntries, io.Discard)
}

func TestParseDefaults(t *testing.T) {
	cfg, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Entries) != len(testEntries) || len(cfg.Properties) != len(props.All()) {
		t.Errorf("default selection = %d pools, %d properties; want all %d and %d",
			len(cfg.Entries), len(cfg.Properties), len(testEntries), len(props.All()))
	}
	if cfg.Runs != DefaultRuns || cfg.Budget != DefaultBudget || cfg.Shrink != DefaultShrink || cfg.Seed != 0 ||
		cfg.JSON || cfg.List || cfg.Verbose || !cfg.Progress {
		t.Errorf("defaults = %+v", cfg)
	}
}

func TestParseSelection(t *testing.T) {
	cfg, err := parse(t, "-pool", "herd, good,herd", "-property", "wait,max-concurrency",
		"-runs", "7", "-budget", "0", "-seed", "18446744073709551615", "-json", "-v")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range cfg.Entries {
		names = append(names, e.Name)
	}
	if want := []string{"good", "herd"}; !slices.Equal(names, want) {
		t.Errorf("pools = %v, want %v (catalogue order, no duplicates)", names, want)
	}
	if got, want := propertyIDs(cfg.Properties), []string{"max-concurrency", "wait"}; !slices.Equal(got, want) {
		t.Errorf("properties = %v, want %v (props.All order)", got, want)
	}
	if cfg.Runs != 7 || cfg.Budget != 0 || cfg.Seed != 18446744073709551615 || !cfg.JSON || !cfg.Verbose {
		t.Errorf("config = %+v", cfg)
	}

	cfg, err = parse(t, "-kind", "broken")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cfg.Entries {
		if e.Kind != catalog.Broken {
			t.Errorf("-kind broken selected %s of kind %s", e.Name, e.Kind)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // in the message
	}{
		{[]string{"-pool", "nope"}, `unknown pool "nope" (known: good, lib, herd, racy, sneaky`},
		{[]string{"-property", "fast"}, `unknown property "fast" (known: max-concurrency,`},
		{[]string{"-kind", "mine"}, `unknown -kind "mine"`},
		{[]string{"-budget", "-1s"}, "-budget must not be negative"},
		{[]string{"-budget", "soon"}, `invalid value "soon" for flag -budget`},
		{[]string{"-runs", "0"}, "-runs must be at least 1"},
		{[]string{"-runs", "-5"}, "-runs must be at least 1"},
		{[]string{"-shrink", "0s"}, "-shrink must be positive"},
		{[]string{"-parallel", "0"}, "-parallel must be at least 1"},
		{[]string{"-seed", "-1"}, "-seed must be an unsigned 64-bit integer"},
		{[]string{"-frobnicate"}, "flag provided but not defined: -frobnicate"},
		{[]string{"good"}, `unexpected argument "good"`},
		{[]string{"-pool", "good", "-kind", "broken"}, `pool "good" is of kind ours, not broken`},
	} {
		_, err := parse(t, tc.args...)
		var ue *UsageError
		if !errors.As(err, &ue) {
			t.Errorf("Parse(%q) = %v, want a *UsageError", tc.args, err)
			continue
		}
		if !strings.Contains(ue.Msg, tc.want) {
			t.Errorf("Parse(%q) = %q, want it to contain %q", tc.args, ue.Msg, tc.want)
		}
	}
}

func TestParseEmptyKind(t *testing.T) {
	_, err := Parse([]string{"-kind", "broken"}, testEntries[:2], io.Discard)
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "no pool of kind broken") {
		t.Errorf("Parse(-kind broken) on a catalogue without broken pools = %v, want a usage error", err)
	}
}

func TestParseHelp(t *testing.T) {
	var stderr bytes.Buffer
	_, err := Parse([]string{"-h"}, testEntries, &stderr)
	if !errors.Is(err, ErrHelp) {
		t.Fatalf("Parse(-h) = %v, want ErrHelp", err)
	}
	for _, want := range []string{UsageLine, "Exit status", "-budget", "-json", "-property"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("-h output lacks %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stderr.String(), "test.") || strings.Contains(stderr.String(), "rapid.") {
		t.Errorf("-h shows testing's or rapid's flags:\n%s", stderr.String())
	}
}

func TestTraits(t *testing.T) {
	for _, tc := range []struct {
		tr   harness.Traits
		want []string
	}{
		{harness.Traits{}, []string{}},
		{harness.Traits{Queue: harness.Unbounded, IgnoresCtx: true}, []string{"Queue=Unbounded", "IgnoresCtx"}},
		{harness.Traits{Queue: 4, Rejects: true, Panics: harness.Crashes, Goexit: harness.GoexitUnsupported},
			[]string{"Queue=4", "Rejects", "Panics=Crashes", "Goexit=Unsupported"}},
	} {
		if got := Traits(tc.tr); !slices.Equal(got, tc.want) {
			t.Errorf("Traits(%+v) = %q, want %q", tc.tr, got, tc.want)
		}
	}
}

// fakeReports gives each test pool a verdict per property: "good" and "lib" pass (lib's
// cancel is excused), "herd" fails max-concurrency (caught), "racy" passes everything
// (stress-only: expected), "sneaky" passes wait (a harness miss).
func fakeResult(e catalog.Entry, p props.Property) harness.Result {
	r := harness.Result{Property: p.ID, Verdict: harness.Pass, Runs: 42, Elapsed: 3 * time.Millisecond}
	if why := p.Excused(e.Traits); why != "" {
		r.Verdict, r.Reason = harness.Skip, "not applicable: Traits."+why
	}
	if e.Name == "herd" && p.ID == "max-concurrency" {
		r.Verdict, r.Reason, r.Seed = harness.Fail, "task 3 started while 1 others ran: 2 running, limit 1", 99
		r.Counterexample = &harness.Counterexample{Schedule: "limit 1", Limit: 1, Shrunk: true}
		r.Replay = ReplayCommand(e.Name, p.ID, r.Seed)
	}
	return r
}

// perPool makes a Checker of a verdict per pool and property.
func perPool(cfg *Config, f func(catalog.Entry, props.Property) harness.Result) Checker {
	return func(e catalog.Entry) *harness.Report {
		rep := &harness.Report{Subject: e.Name}
		for _, p := range cfg.Properties {
			rep.Results = append(rep.Results, f(e, p))
		}
		return rep
	}
}

func outcomes(cfg *Config, f func(catalog.Entry, props.Property) harness.Result) []Outcome {
	return Explore(cfg, perPool(cfg, f), Streams{Stdout: io.Discard, Stderr: io.Discard})
}

func TestExitCode(t *testing.T) {
	cfg, _ := parse(t)
	outs := outcomes(cfg, fakeResult)
	if got := ExitCode(outs); got != ExitOK {
		t.Errorf("ExitCode with only broken pools failing = %d, want %d", got, ExitOK)
	}
	for _, name := range []string{"good", "lib"} {
		failing := func(e catalog.Entry, p props.Property) harness.Result {
			r := fakeResult(e, p)
			if e.Name == name && p.ID == "wait" {
				r.Verdict, r.Reason = harness.Fail, "Wait returned early"
			}
			return r
		}
		if got := ExitCode(outcomes(cfg, failing)); got != ExitFail {
			t.Errorf("ExitCode with %s failing = %d, want %d", name, got, ExitFail)
		}
	}
	if got := ExitCode(nil); got != ExitOK {
		t.Errorf("ExitCode(nil) = %d, want %d", got, ExitOK)
	}
}

func TestJSONShape(t *testing.T) {
	cfg, _ := parse(t, "-json")
	outs := outcomes(cfg, fakeResult)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, Build(cfg, outs, time.Second)); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("more than one JSON value written")
	}
	for _, key := range []string{"schema", "settings", "properties", "pools", "results", "summary", "unstable"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("JSON lacks %q", key)
		}
	}
	results := doc["results"].([]any)
	if want := len(testEntries) * len(props.All()); len(results) != want {
		t.Fatalf("%d results, want %d", len(results), want)
	}
	order := map[string]int{}
	for i, id := range props.IDs() {
		order[id] = i
	}
	prevPool, prevProp := "", -1
	for _, x := range results {
		r := x.(map[string]any)
		pool, prop, verdict := r["pool"].(string), r["property"].(string), r["verdict"].(string)
		for _, k := range []string{"pool", "kind", "property", "verdict", "reason"} {
			if _, ok := r[k]; !ok {
				t.Errorf("result %s/%s lacks %q", pool, prop, k)
			}
		}
		if !slices.Contains([]string{"pass", "fail", "skip"}, verdict) {
			t.Errorf("result %s/%s: verdict %q", pool, prop, verdict)
		}
		_, hasReplay := r["replay"]
		if hasReplay != (verdict == "fail") {
			t.Errorf("result %s/%s (%s): replay present = %v", pool, prop, verdict, hasReplay)
		}
		for _, k := range []string{"runs", "elapsed", "elapsed_seconds"} {
			if _, ok := r[k]; ok {
				t.Errorf("result %s/%s has unstable field %q outside \"unstable\"", pool, prop, k)
			}
		}
		if pool < prevPool || pool == prevPool && order[prop] <= prevProp {
			t.Errorf("results not sorted by pool, then property: %s/%s after %s", pool, prop, prevPool)
		}
		prevPool, prevProp = pool, order[prop]
		if pool == "herd" && prop == "max-concurrency" {
			if verdict != "fail" || r["expected"] != "fail" || r["seed"] != float64(99) ||
				r["replay"] != "go run ./cmd/poolcheck -pool herd -property max-concurrency -seed 99" ||
				!strings.Contains(r["timeline"].(string), "schedule (shrunk)") {
				t.Errorf("herd/max-concurrency = %v", r)
			}
		}
		if pool == "racy" && prop == "max-concurrency" && r["expected"] != "fail-stress-only" {
			t.Errorf("racy/max-concurrency expected = %v, want fail-stress-only", r["expected"])
		}
		if pool == "lib" && prop == "cancel" && (verdict != "skip" || r["reason"] != "not applicable: Traits.IgnoresCtx") {
			t.Errorf("lib/cancel = %v", r)
		}
	}
	sum := doc["summary"].(map[string]any)
	want := map[string]any{"exit": float64(0), "pools": float64(5), "fail": float64(1),
		"failed": []any{}, "caught": []any{"herd"}, "missed": []any{"sneaky"}, "missed_stress_only": []any{"racy"}}
	for k, v := range want {
		if got, _ := json.Marshal(sum[k]); string(got) != mustJSON(v) {
			t.Errorf("summary.%s = %s, want %s", k, got, mustJSON(v))
		}
	}
	status := map[string]string{}
	for _, x := range doc["pools"].([]any) {
		p := x.(map[string]any)
		status[p["pool"].(string)] = p["status"].(string)
	}
	wantStatus := map[string]string{"good": "ok", "lib": "ok", "herd": "caught", "racy": "missed-stress-only", "sneaky": "missed"}
	for k, v := range wantStatus {
		if status[k] != v {
			t.Errorf("pool %s status = %q, want %q", k, status[k], v)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Two runs that differ only in timing write the same document outside "unstable".
func TestJSONStable(t *testing.T) {
	cfg, _ := parse(t, "-json")
	slow := func(e catalog.Entry, p props.Property) harness.Result {
		r := fakeResult(e, p)
		r.Runs, r.Elapsed = 7, time.Second
		return r
	}
	a, b := Build(cfg, outcomes(cfg, fakeResult), time.Second), Build(cfg, outcomes(cfg, slow), time.Minute)
	a.Unstable, b.Unstable = nil, nil
	if mustJSON(a) != mustJSON(b) {
		t.Errorf("documents differ outside \"unstable\":\n%s\n%s", mustJSON(a), mustJSON(b))
	}
}

func TestText(t *testing.T) {
	cfg, _ := parse(t)
	var out bytes.Buffer
	WriteText(&out, cfg, outcomes(cfg, fakeResult), 1500*time.Millisecond)
	text := out.String()
	for _, want := range []string{
		"5 pools × 8 properties",
		"concurrency", "max-", "work-", "conserving", // split headers
		"ours (must pass):",
		"broken corpus (expected to fail; never affects the exit status):",
		"[FAIL]", "[pass]",
		"caught", "MISSED (harness miss!)", "missed (stress-only)",
		"cancel: lib (Traits.IgnoresCtx)",
		"herd  max-concurrency  task 3 started while 1 others ran: 2 running, limit 1  (broken corpus: expected)",
		"--- FAIL (broken corpus: caught, as expected): herd / max-concurrency",
		"rule: never more than limit tasks running at once",
		"replay: go run ./cmd/poolcheck -pool herd -property max-concurrency -seed 99",
		"!! HARNESS MISS: sneaky was NOT caught on wait",
		"stress-only, not caught, as expected",
		"OK: all 2 pools that claim to be correct passed.",
		"Exit status 0.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	// The matrix: one row per pool, pass/FAIL/n/a in the property columns.
	var herdRow, libRow string
	for _, l := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(l, "  herd ") && herdRow == "":
			herdRow = l
		case strings.HasPrefix(l, "  lib ") && libRow == "":
			libRow = l
		}
	}
	if f := strings.Fields(herdRow); len(f) != 10 || f[1] != "[FAIL]" || f[2] != "pass" || f[9] != "caught" {
		t.Errorf("herd row = %q", herdRow)
	}
	if f := strings.Fields(libRow); len(f) != 10 || f[6] != "n/a" || f[9] != "ok" {
		t.Errorf("lib row = %q", libRow)
	}
}

func TestTextFailure(t *testing.T) {
	cfg, _ := parse(t, "-pool", "good,lib", "-property", "wait,cancel", "-v")
	failing := func(e catalog.Entry, p props.Property) harness.Result {
		r := fakeResult(e, p)
		if e.Name == "good" && p.ID == "wait" {
			r.Verdict, r.Reason, r.Seed = harness.Fail, "Wait (call 1) returned while task 2 ran\nmore detail", 5
			r.Replay = ReplayCommand(e.Name, p.ID, 5)
		}
		return r
	}
	var out bytes.Buffer
	WriteText(&out, cfg, outcomes(cfg, failing), time.Second)
	text := out.String()
	for _, want := range []string{
		"FAILED: 1 of 2 pools that claim to be correct have a failure that counts (a bug, a bug fixed upstream but not released, or a failure the catalogue does not know): good.",
		"--- FAIL: good / wait",
		"  good  wait  Wait (call 1) returned while task 2 ran\n", // one line in the list
		"Schedules run and wall time per property", "42/3ms",
		"Exit status 1.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

func TestRunProgressAndJSON(t *testing.T) {
	cfg, _ := parse(t, "-pool", "good,herd", "-property", "max-concurrency,wait", "-json", "-parallel", "1")
	var stdout, stderr bytes.Buffer
	code := Run(cfg, perPool(cfg, fakeResult), Streams{Stdout: &stdout, Stderr: &stderr})
	if code != ExitOK {
		t.Errorf("Run = %d, want %d", code, ExitOK)
	}
	wantProgress := "[1/2] checking good\n[2/2] checking herd\n"
	if stderr.String() != wantProgress {
		t.Errorf("progress =\n%s\nwant\n%s", stderr.String(), wantProgress)
	}
	var doc Document
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout.String())
	}
	if len(doc.Results) != 4 || doc.Summary.Exit != ExitOK {
		t.Errorf("document = %+v", doc)
	}

	cfg.Progress = false
	stderr.Reset()
	failing := func(e catalog.Entry, p props.Property) harness.Result {
		r := fakeResult(e, p)
		if e.Name == "good" {
			r.Verdict = harness.Fail
		}
		return r
	}
	if code := Run(cfg, perPool(cfg, failing), Streams{Stdout: io.Discard, Stderr: &stderr}); code != ExitFail {
		t.Errorf("Run with a failing ours pool = %d, want %d", code, ExitFail)
	}
	if stderr.Len() != 0 {
		t.Errorf("-quiet still wrote progress: %q", stderr.String())
	}
}

func TestChildArgsParse(t *testing.T) {
	cfg, _ := parse(t, "-runs", "9", "-budget", "1s", "-seed", "12", "-shrink", "2s")
	child, err := parse(t, ChildArgs(cfg, "herd")...)
	if err != nil {
		t.Fatal(err)
	}
	if len(child.Entries) != 1 || child.Entries[0].Name != "herd" || len(child.Properties) != len(cfg.Properties) ||
		child.Runs != 9 || child.Budget != time.Second ||
		child.Seed != 12 || child.Shrink != 2*time.Second || child.Progress {
		t.Errorf("child config = %+v", child)
	}
}

func TestReplayCommandQuotes(t *testing.T) {
	if got, want := ReplayCommand("a b", "wait", 3), "go run ./cmd/poolcheck -pool 'a b' -property wait -seed 3"; got != want {
		t.Errorf("ReplayCommand = %q, want %q", got, want)
	}
}
