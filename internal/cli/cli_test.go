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

// The catalogue of these tests, of the three families: never explored, only named.
var testEntries = pools(
	[]catalog.Entry{
		{Subject: harness.Subject{Name: "good"}, Kind: catalog.Ours, Doc: "a correct pool"},
		{Subject: harness.Subject{Name: "lib", Traits: harness.Traits{IgnoresCtx: true, Queue: harness.Unbounded}},
			Kind: catalog.ThirdParty, Doc: "a library"},
		{Subject: harness.Subject{Name: "herd"}, Kind: catalog.Broken, Breaks: "max-concurrency", Doc: "if, not for"},
		{Subject: harness.Subject{Name: "racy"}, Kind: catalog.Broken, Breaks: "max-concurrency", StressOnly: true, Doc: "narrow"},
		{Subject: harness.Subject{Name: "sneaky"}, Kind: catalog.Broken, Breaks: "wait", Doc: "not caught"},
	},
	[]catalog.ResourceEntry{
		{ResourceSubject: harness.ResourceSubject{Name: "conns"}, Kind: catalog.Ours, Doc: "a connection pool"},
		{ResourceSubject: harness.ResourceSubject{Name: "sqlish", Traits: harness.ResourceTraits{CloseDoesNotWait: true, Slots: 2}},
			Kind: catalog.ThirdParty, Doc: "a library's pool"},
		{ResourceSubject: harness.ResourceSubject{Name: "sampler"}, Kind: catalog.Broken, Breaks: "resource-no-leak", Doc: "a ticker left behind"},
	},
	[]catalog.RetryEntry{
		{RetrySubject: harness.RetrySubject{Name: "retrier"}, Kind: catalog.Ours, Doc: "retries"},
		{RetrySubject: harness.RetrySubject{Name: "hasty"}, Kind: catalog.Broken, Breaks: "backoff", Doc: "no doubling"},
	})

// pools makes the Pools of a catalogue.
func pools(tasks []catalog.Entry, res []catalog.ResourceEntry, retries []catalog.RetryEntry) []catalog.Pool {
	var out []catalog.Pool
	for _, e := range tasks {
		out = append(out, e.Pool())
	}
	for _, e := range res {
		out = append(out, e.Pool())
	}
	for _, e := range retries {
		out = append(out, e.Pool())
	}
	return out
}

// named returns the names of ps.
func named(ps []catalog.Pool) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// allProperties is every property of every family, in family order.
func allProperties() []props.Property {
	var out []props.Property
	for _, f := range catalog.Families() {
		out = append(out, f.Properties()...)
	}
	return out
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
	if len(cfg.Entries) != len(testEntries) || len(cfg.Properties) != len(allProperties()) {
		t.Errorf("default selection = %d pools, %d properties; want all %d and %d",
			len(cfg.Entries), len(cfg.Properties), len(testEntries), len(allProperties()))
	}
	for _, f := range catalog.Families() {
		if got, want := propertyIDs(cfg.PropertiesOf(f)), propertyIDs(f.Properties()); !slices.Equal(got, want) {
			t.Errorf("properties of %s = %v, want %v", f.Title(), got, want)
		}
	}
	if cfg.Runs != 0 || cfg.RunsFor(catalog.TaskPools) != DefaultRuns || cfg.RunsFor(catalog.ResourcePools) != DefaultResourceRuns ||
		cfg.RunsFor(catalog.RetryPools) != DefaultResourceRuns || cfg.Budget != DefaultBudget || cfg.Shrink != 0 ||
		cfg.ShrinkFor(catalog.TaskPools) != DefaultShrink || cfg.ShrinkFor(catalog.ResourcePools) != DefaultResourceShrink ||
		cfg.ShrinkFor(catalog.RetryPools) != DefaultResourceShrink || cfg.Seed != 0 ||
		cfg.JSON || cfg.List || cfg.Verbose || !cfg.Progress {
		t.Errorf("defaults: runs %d, budget %v, shrink %v, seed %d, json %t, list %t, verbose %t, progress %t",
			cfg.Runs, cfg.Budget, cfg.Shrink, cfg.Seed, cfg.JSON, cfg.List, cfg.Verbose, cfg.Progress)
	}
	cfg, err = parse(t, "-runs", "7")
	if err != nil || cfg.RunsFor(catalog.TaskPools) != 7 || cfg.RunsFor(catalog.RetryPools) != 7 {
		t.Errorf("-runs 7: %v, runs for task and retrying pools %d and %d, want 7 for every family", err, cfg.RunsFor(catalog.TaskPools), cfg.RunsFor(catalog.RetryPools))
	}
}

func TestParseSelection(t *testing.T) {
	cfg, err := parse(t, "-pool", "herd, good,herd", "-property", "wait,max-concurrency",
		"-runs", "7", "-budget", "0", "-seed", "18446744073709551615", "-json", "-v")
	if err != nil {
		t.Fatal(err)
	}
	if names, want := named(cfg.Entries), []string{"good", "herd"}; !slices.Equal(names, want) {
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
		{[]string{"-pool", "nope"}, `unknown pool "nope" (known: good, lib, herd, racy, sneaky, conns, sqlish, sampler, retrier, hasty;`},
		{[]string{"-property", "fast"}, `unknown property "fast" (known: max-concurrency,`},
		{[]string{"-property", "fast"}, `work-conserving, submit-errors, queue-bound, exclusive, bounded,`},
		{[]string{"-property", "fast"}, `resource-work-conserving, attempts-bounded,`},
		{[]string{"-pool", "conns", "-property", "wait"}, `pool "conns" is one of the resource pools: none of -property wait applies to it (its properties: exclusive, bounded,`},
		{[]string{"-pool", "good", "-property", "backoff,exclusive"}, `pool "good" is one of the task pools: none of -property exclusive,backoff applies`},
		{[]string{"-pool", "good,retrier", "-property", "backoff"}, `pool "good" is one of the task pools`},
		{[]string{"-kind", "third-party", "-property", "backoff"}, `no pool of kind third-party of the catalogue is checked on -property backoff`},
		{[]string{"-pool", "sampler", "-kind", "ours"}, `pool "sampler" is of kind broken, not ours`},
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
	_, err := Parse([]string{"-kind", "broken"}, pools([]catalog.Entry{{Subject: harness.Subject{Name: "good"}, Kind: catalog.Ours}}, nil, nil), io.Discard)
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

// -pool finds a name in any catalogue, -kind applies to every family, and -property takes
// ids of any family: a pool is checked on those of its own, and a family none of them
// belongs to is left out.
func TestParseAcrossFamilies(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		pools []string
		ids   map[catalog.Family][]string
	}{
		{[]string{"-pool", "sampler,good,hasty"}, []string{"good", "sampler", "hasty"}, nil},
		{[]string{"-kind", "broken"}, []string{"herd", "racy", "sneaky", "sampler", "hasty"}, nil},
		{[]string{"-property", "wait,backoff"}, []string{"good", "lib", "herd", "racy", "sneaky", "retrier", "hasty"},
			map[catalog.Family][]string{catalog.TaskPools: {"wait"}, catalog.ResourcePools: nil, catalog.RetryPools: {"backoff"}}},
		{[]string{"-kind", "ours", "-property", "resource-no-leak,no-leak,retry-no-leak"}, []string{"good", "conns", "retrier"},
			map[catalog.Family][]string{catalog.TaskPools: {"no-leak"}, catalog.ResourcePools: {"resource-no-leak"}, catalog.RetryPools: {"retry-no-leak"}}},
		{[]string{"-pool", "conns,good", "-property", "exclusive,max-concurrency,bounded"}, []string{"good", "conns"},
			map[catalog.Family][]string{catalog.TaskPools: {"max-concurrency"}, catalog.ResourcePools: {"exclusive", "bounded"}}},
	} {
		cfg, err := parse(t, tc.args...)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.args, err)
			continue
		}
		if got := named(cfg.Entries); !slices.Equal(got, tc.pools) {
			t.Errorf("Parse(%q) pools = %v, want %v", tc.args, got, tc.pools)
		}
		for f, want := range tc.ids {
			if got := propertyIDs(cfg.PropertiesOf(f)); !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Errorf("Parse(%q) properties of %s = %v, want %v", tc.args, f.Title(), got, want)
			}
		}
	}
}

func TestTraits(t *testing.T) {
	for _, tc := range []struct {
		tr   any
		want []string
	}{
		{harness.Traits{}, []string{}},
		{harness.Traits{Queue: harness.Unbounded, IgnoresCtx: true}, []string{"Queue=Unbounded", "IgnoresCtx"}},
		{harness.Traits{Queue: 4, Rejects: true, Panics: harness.Crashes, Goexit: harness.GoexitUnsupported},
			[]string{"Queue=4", "Rejects", "Panics=Crashes", "Goexit=Unsupported"}},
		{harness.ResourceTraits{}, []string{}},
		{harness.ResourceTraits{Slots: 2, CloseDoesNotWait: true}, []string{"Slots=2", "CloseDoesNotWait"}},
		{harness.RetryTraits{CtxErrWins: true}, []string{"CtxErrWins"}},
		{nil, []string{}},
	} {
		if got := Traits(tc.tr); !slices.Equal(got, tc.want) {
			t.Errorf("Traits(%+v) = %q, want %q", tc.tr, got, tc.want)
		}
	}
}

// fakeResult gives each test pool a verdict per property: "good" and "lib" pass (lib's
// cancel is excused), "herd" fails max-concurrency (caught), "racy" passes everything
// (stress-only: expected), "sneaky" passes wait (a harness miss); the resource and
// retrying pools pass, but "sampler" fails resource-no-leak (caught) and "hasty" backoff
// (caught).
func fakeResult(e catalog.Pool, p props.Property) harness.Result {
	r := harness.Result{Property: p.ID, Verdict: harness.Pass, Runs: 42, Elapsed: 3 * time.Millisecond}
	if why := excused(e, p); why != "" {
		r.Verdict, r.Reason = harness.Skip, "not applicable: Traits."+why
	}
	if e.Name == "herd" && p.ID == "max-concurrency" || e.Name == "sampler" && p.ID == "resource-no-leak" ||
		e.Name == "hasty" && p.ID == "backoff" {
		r.Verdict, r.Reason, r.Seed = harness.Fail, "task 3 started while 1 others ran: 2 running, limit 1", 99
		r.Counterexample = &harness.Counterexample{Schedule: "limit 1", Limit: 1, Shrunk: true}
		r.Replay = ReplayCommand(e.Name, p.ID, r.Seed)
	}
	return r
}

// excused is the trait that excuses pool e from p, as the harness judges it.
func excused(e catalog.Pool, p props.Property) string {
	switch t := e.Traits.(type) {
	case props.Traits:
		return p.Excused(t)
	case props.ResourceTraits:
		return p.ExcusedResource(t)
	case props.RetryTraits:
		return p.ExcusedRetry(t)
	}
	return ""
}

// perPool makes a Checker of a verdict per pool and property of its family.
func perPool(cfg *Config, f func(catalog.Pool, props.Property) harness.Result) Checker {
	return func(e catalog.Pool) *harness.Report {
		rep := &harness.Report{Subject: e.Name}
		for _, p := range cfg.PropertiesOf(e.Family) {
			rep.Results = append(rep.Results, f(e, p))
		}
		return rep
	}
}

func outcomes(cfg *Config, f func(catalog.Pool, props.Property) harness.Result) []Outcome {
	return Explore(cfg, perPool(cfg, f), Streams{Stdout: io.Discard, Stderr: io.Discard})
}

func TestExitCode(t *testing.T) {
	cfg, _ := parse(t)
	outs := outcomes(cfg, fakeResult)
	if got := ExitCode(outs); got != ExitOK {
		t.Errorf("ExitCode with only broken pools failing = %d, want %d", got, ExitOK)
	}
	for _, pair := range []string{"good/wait", "lib/wait", "conns/resource-no-leak", "sqlish/exclusive", "retrier/backoff"} {
		failing := func(e catalog.Pool, p props.Property) harness.Result {
			r := fakeResult(e, p)
			if e.Name+"/"+p.ID == pair {
				r.Verdict, r.Reason = harness.Fail, "Wait returned early"
			}
			return r
		}
		if got := ExitCode(outcomes(cfg, failing)); got != ExitFail {
			t.Errorf("ExitCode with %s failing = %d, want %d", pair, got, ExitFail)
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
	if doc["schema"] != float64(3) {
		t.Errorf("schema = %v, want 3", doc["schema"])
	}
	results := doc["results"].([]any)
	want := 0
	family := map[string]catalog.Family{}
	for _, e := range testEntries {
		want += len(e.Family.Properties())
		family[e.Name] = e.Family
	}
	if len(results) != want {
		t.Fatalf("%d results, want %d (each pool on its family's properties)", len(results), want)
	}
	if n := len(doc["properties"].([]any)); n != len(allProperties()) {
		t.Errorf("%d properties, want %d", n, len(allProperties()))
	}
	for _, x := range doc["properties"].([]any) {
		p := x.(map[string]any)
		if f := familyOf(p["id"].(string)); p["family"] != string(f) || f == "" {
			t.Errorf("property %v: family %v, want %q", p["id"], p["family"], f)
		}
	}
	for _, x := range doc["pools"].([]any) {
		p := x.(map[string]any)
		if p["family"] != string(family[p["pool"].(string)]) {
			t.Errorf("pool %v: family %v, want %q", p["pool"], p["family"], family[p["pool"].(string)])
		}
	}
	prevPool, prevProp := "", -1
	for _, x := range results {
		r := x.(map[string]any)
		pool, prop, verdict := r["pool"].(string), r["property"].(string), r["verdict"].(string)
		if f := familyOf(prop); r["family"] != string(family[pool]) || f != family[pool] {
			t.Errorf("result %s/%s: family %v; the pool is a %s pool, the property of %s", pool, prop, r["family"], family[pool], f)
		}
		for _, k := range []string{"pool", "family", "kind", "property", "verdict", "reason"} {
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
		if pool < prevPool || pool == prevPool && propertyRank(prop) <= prevProp {
			t.Errorf("results not sorted by pool, then property: %s/%s after %s", pool, prop, prevPool)
		}
		prevPool, prevProp = pool, propertyRank(prop)
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
	wantSum := map[string]any{"exit": float64(0), "pools": float64(len(testEntries)), "fail": float64(3),
		"failed": []any{}, "caught": []any{"hasty", "herd", "sampler"}, "missed": []any{"sneaky"}, "missed_stress_only": []any{"racy"}}
	for k, v := range wantSum {
		if got, _ := json.Marshal(sum[k]); string(got) != mustJSON(v) {
			t.Errorf("summary.%s = %s, want %s", k, got, mustJSON(v))
		}
	}
	status := map[string]string{}
	for _, x := range doc["pools"].([]any) {
		p := x.(map[string]any)
		status[p["pool"].(string)] = p["status"].(string)
	}
	wantStatus := map[string]string{"good": "ok", "lib": "ok", "herd": "caught", "racy": "missed-stress-only", "sneaky": "missed",
		"conns": "ok", "sqlish": "ok", "sampler": "caught", "retrier": "ok", "hasty": "caught"}
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
	slow := func(e catalog.Pool, p props.Property) harness.Result {
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
		"5 task pools × 10 properties, 3 resource pools × 8, 2 retrying pools × 8;",
		"\nTask pools (pools.Pool):\n", "\nResource pools (pools/resource):\n", "\nRetrying pools (pools/retry):\n",
		"concurrency", "max-", "work-", "conserving", "resource-", "no-leak", "attempts-", // split headers
		"ours (must pass):",
		"broken corpus (expected to fail; never affects the exit status):",
		"[FAIL]", "[pass]",
		"caught", "MISSED (harness miss!)", "missed (stress-only)",
		"cancel: lib (Traits.IgnoresCtx)",
		"herd     max-concurrency   task 3 started while 1 others ran: 2 running, limit 1  (broken corpus: expected)",
		"--- FAIL (broken corpus: caught, as expected): herd / max-concurrency",
		"rule: never more than limit tasks running at once",
		"replay: go run ./cmd/poolcheck -pool herd -property max-concurrency -seed 99",
		"!! HARNESS MISS: sneaky was NOT caught on wait",
		"stress-only, not caught, as expected",
		"sampler  resource-no-leak  task 3 started", // the fake's reason, aligned with herd's
		"--- FAIL (broken corpus: caught, as expected): sampler / resource-no-leak",
		"rule: after Close returns and every holder has let go, no goroutine started by the pool remains",
		"replay: go run ./cmd/poolcheck -pool hasty -property backoff -seed 99",
		"OK: all 5 pools that claim to be correct passed.",
		"Broken corpus (a demonstration: expected to fail, never affects the exit status): 3 of 5 caught",
		"Checked 5 task pools × 10 properties, 3 resource pools × 8, 2 retrying pools × 8 in 1.5s. Exit status 0.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	// The matrix: one row per pool, pass/FAIL/n/a in the property columns.
	row := map[string][]string{}
	for _, l := range strings.Split(text, "\n") {
		if f := strings.Fields(l); strings.HasPrefix(l, "  ") && len(f) > 0 && row[f[0]] == nil {
			row[f[0]] = f
		}
	}
	if f := row["herd"]; len(f) != 12 || f[1] != "[FAIL]" || f[2] != "pass" || f[11] != "caught" {
		t.Errorf("herd row = %q", f)
	}
	if f := row["lib"]; len(f) != 12 || f[6] != "n/a" || f[11] != "ok" {
		t.Errorf("lib row = %q", f)
	}
	// resource-no-leak is the sixth resource property; backoff the third retry one.
	if f := row["sampler"]; len(f) != 10 || f[6] != "[FAIL]" || f[1] != "pass" || f[9] != "caught" {
		t.Errorf("sampler row = %q", f)
	}
	if f := row["hasty"]; len(f) != 10 || f[3] != "[FAIL]" || f[9] != "caught" {
		t.Errorf("hasty row = %q", f)
	}
	if f := row["sqlish"]; len(f) != 10 || f[9] != "ok" {
		t.Errorf("sqlish row = %q", f)
	}
	if strings.Index(text, "  herd ") > strings.Index(text, "  conns ") || strings.Index(text, "  conns ") > strings.Index(text, "  retrier ") {
		t.Error("the matrices are not in family order: task, resource, retrying")
	}
}

func TestTextFailure(t *testing.T) {
	cfg, _ := parse(t, "-pool", "good,lib", "-property", "wait,cancel", "-v")
	failing := func(e catalog.Pool, p props.Property) harness.Result {
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
	wantProgress := "[1/2] checking herd\n[2/2] checking good\n" // the broken corpus first: it takes longest
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
	failing := func(e catalog.Pool, p props.Property) harness.Result {
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
	cfg, _ := parse(t, "-runs", "9", "-budget", "1s", "-seed", "12", "-shrink", "2s", "-property", "wait,exclusive,bounded")
	for _, e := range cfg.Entries {
		child, err := parse(t, ChildArgs(cfg, e)...)
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if len(child.Entries) != 1 || child.Entries[0].Name != e.Name ||
			!slices.Equal(propertyIDs(child.Properties), propertyIDs(cfg.PropertiesOf(e.Family))) ||
			child.Runs != 9 || child.Budget != time.Second ||
			child.Seed != 12 || child.Shrink != 2*time.Second || child.Progress {
			t.Errorf("%s: child config = %+v", e.Name, child)
		}
	}
	cfg, _ = parse(t)
	for _, e := range cfg.Entries {
		child, err := parse(t, ChildArgs(cfg, e)...)
		if err != nil || child.Runs != DefaultRunsOf(e.Family) || child.Shrink != DefaultShrinkOf(e.Family) {
			t.Errorf("%s, a %s pool, without -runs and -shrink: child %v, runs %d, shrink %v; want its family's defaults %d and %v",
				e.Name, e.Family, err, child.Runs, child.Shrink, DefaultRunsOf(e.Family), DefaultShrinkOf(e.Family))
		}
		if got, want := TestingArgs(cfg, e)[3], "-rapid.shrinktime="+DefaultShrinkOf(e.Family).String(); got != want {
			t.Errorf("%s: testing args %q, want %q", e.Name, got, want)
		}
	}
	cfg, _ = parse(t, "-property", "wait,exclusive,bounded")
	if got := named(cfg.Entries); slices.Contains(got, "retrier") || !slices.Contains(got, "conns") {
		t.Errorf("pools checked on wait,exclusive,bounded = %v: want the task and resource pools only", got)
	}
}

// A pool whose exploring process crashed has every property of its family unjudged.
func TestCrashedReportHasItsFamilysProperties(t *testing.T) {
	cfg, _ := parse(t)
	for _, e := range cfg.Entries {
		rep := crashed(cfg, e, &harness.Crash{Kind: "died", Reason: "gone"})
		if got, want := len(rep.Results), len(e.Family.Properties()); got != want {
			t.Errorf("%s: %d results, want %d", e.Name, got, want)
		}
		for _, r := range rep.Results {
			if r.Verdict != harness.Error || familyOf(r.Property) != e.Family {
				t.Errorf("%s: %+v", e.Name, r)
			}
		}
	}
}

// -list names every pool of every family and every family's properties.
func TestList(t *testing.T) {
	var out bytes.Buffer
	WriteList(&out, testEntries)
	text := out.String()
	for _, want := range []string{"POOL  ", "FAMILY", "conns", "resource", "sqlish", "Slots=2 CloseDoesNotWait",
		"hasty", "retry", "breaks backoff: no doubling", "PROPERTY of task pools", "PROPERTY of resource pools",
		"PROPERTY of retrying pools", "max-concurrency: ", "resource-no-leak: ", "retry-no-leak: "} {
		if !strings.Contains(text, want) {
			t.Errorf("-list lacks %q:\n%s", want, text)
		}
	}
}

func TestReplayCommandQuotes(t *testing.T) {
	if got, want := ReplayCommand("a b", "wait", 3), "go run ./cmd/poolcheck -pool 'a b' -property wait -seed 3"; got != want {
		t.Errorf("ReplayCommand = %q, want %q", got, want)
	}
}
