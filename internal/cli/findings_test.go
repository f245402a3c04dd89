package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// A catalogue of third-party pools with findings of every verdict; never explored.
var findingEntries = pools([]catalog.Entry{
	{Subject: harness.Subject{Name: "good"}, Kind: catalog.Ours},
	{Subject: harness.Subject{Name: "lib-bug"}, Kind: catalog.ThirdParty, Findings: map[string]catalog.Finding{
		"liveness": {Verdict: catalog.Bug, Severity: catalog.Hang, Summary: "a Submit hangs",
			Upstream: []string{"https://github.com/example/lib/issues/1"}, ConfirmedBy: "TestFindingHang",
			Reproducer: "findings/testdata/lib-hang"},
	}},
	{Subject: harness.Subject{Name: "lib-fixed"}, Kind: catalog.ThirdParty, Findings: map[string]catalog.Finding{
		"liveness": {Verdict: catalog.FixedUpstream, Severity: catalog.Hang, Summary: "a Go hangs after a panic", ConfirmedBy: "TestFindingPanic"},
	}},
	{Subject: harness.Subject{Name: "lib-weak"}, Kind: catalog.ThirdParty, Findings: map[string]catalog.Finding{
		"work-conserving": {Verdict: catalog.Weakness, Severity: catalog.Delay, Summary: "a task waits behind a busy worker",
			ConfirmedBy: "TestFindingIdle", DependsOn: "the scheduler"},
		"max-concurrency": {Verdict: catalog.UndeclaredTrait, Severity: catalog.OverLimit, Summary: "lazy shrink", ConfirmedBy: "TestFindingShrink"},
	}},
	{Subject: harness.Subject{Name: "lib-new"}, Kind: catalog.ThirdParty},
	{Subject: harness.Subject{Name: "herd"}, Kind: catalog.Broken, Breaks: "max-concurrency"},
}, []catalog.ResourceEntry{
	{ResourceSubject: harness.ResourceSubject{Name: "res-weak"}, Kind: catalog.ThirdParty, Findings: map[string]catalog.Finding{
		"resource-work-conserving": {Verdict: catalog.Weakness, Severity: catalog.Delay, Summary: "opens one at a time", ConfirmedBy: "TestFindingSerial"},
	}},
}, []catalog.RetryEntry{
	{RetrySubject: harness.RetrySubject{Name: "retry-bug"}, Kind: catalog.ThirdParty, Findings: map[string]catalog.Finding{
		"retry-cancel": {Verdict: catalog.Bug, Severity: catalog.Hang, Summary: "sleeps through cancel", ConfirmedBy: "TestFindingSleep", Reproducer: "findings/testdata/x"},
	}},
})

// failOn returns a verdict function failing the named pool × property pairs ("pool/property").
func failOn(pairs ...string) func(catalog.Pool, props.Property) harness.Result {
	return func(e catalog.Pool, p props.Property) harness.Result {
		r := harness.Result{Property: p.ID, Verdict: harness.Pass, Runs: 1}
		for _, pair := range pairs {
			if pair == e.Name+"/"+p.ID {
				r.Verdict, r.Reason, r.Seed = harness.Fail, "it broke", 7
				r.Replay = ReplayCommand(e.Name, p.ID, 7)
			}
		}
		return r
	}
}

func findingOutcomes(t *testing.T, pairs ...string) (*Config, []Outcome) {
	t.Helper()
	cfg, err := Parse(nil, findingEntries, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, outcomes(cfg, failOn(pairs...))
}

func TestExitCountsBugsOnly(t *testing.T) {
	for _, c := range []struct {
		fails []string
		want  int
	}{
		{nil, ExitOK},
		{[]string{"herd/max-concurrency"}, ExitOK},
		{[]string{"lib-weak/work-conserving", "lib-weak/max-concurrency"}, ExitOK},
		{[]string{"lib-bug/work-conserving"}, ExitFail}, // not the catalogued property: unknown, counts
		{[]string{"lib-bug/liveness"}, ExitFail},
		{[]string{"lib-fixed/liveness"}, ExitFail},
		{[]string{"lib-new/wait"}, ExitFail},
		{[]string{"good/wait"}, ExitFail},
		{[]string{"res-weak/resource-work-conserving"}, ExitOK},
		{[]string{"res-weak/resource-no-leak"}, ExitFail}, // not catalogued: counts
		{[]string{"retry-bug/retry-cancel"}, ExitFail},
		{[]string{"herd/max-concurrency", "res-weak/resource-work-conserving"}, ExitOK},
	} {
		_, outs := findingOutcomes(t, c.fails...)
		if got := ExitCode(outs); got != c.want {
			t.Errorf("ExitCode with %v failing = %d, want %d", c.fails, got, c.want)
		}
	}
}

func TestFindingsInJSON(t *testing.T) {
	cfg, outs := findingOutcomes(t, "lib-bug/liveness", "lib-weak/work-conserving", "lib-new/wait")
	var buf bytes.Buffer
	if err := WriteJSON(&buf, Build(cfg, outs, time.Second)); err != nil {
		t.Fatal(err)
	}
	var doc Document
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != 3 {
		t.Errorf("schema %d, want 3", doc.Schema)
	}
	status := map[string]Status{}
	for _, p := range doc.Pools {
		status[p.Pool] = p.Status
	}
	for pool, want := range map[string]Status{"good": StatusOK, "lib-bug": StatusFailed, "lib-fixed": StatusOK,
		"lib-weak": StatusNotABug, "lib-new": StatusFailed, "herd": StatusMissed} {
		if status[pool] != want {
			t.Errorf("%s: status %q, want %q", pool, status[pool], want)
		}
	}
	if s := doc.Summary; s.Exit != ExitFail || s.Counted != 2 || strings.Join(s.Failed, ",") != "lib-bug,lib-new" ||
		strings.Join(s.NotABug, ",") != "lib-weak" {
		t.Errorf("summary = %+v", s)
	}
	for _, r := range doc.Results {
		switch r.Pool + "/" + r.Property {
		case "lib-bug/liveness":
			if !r.Counts || r.Finding == nil || r.Finding.Verdict != "bug" || r.Finding.Severity != "hang" ||
				!r.Finding.Counts || r.Finding.Reproducer != "findings/testdata/lib-hang" || len(r.Finding.Upstream) != 1 {
				t.Errorf("lib-bug/liveness = %+v, finding %+v", r, r.Finding)
			}
		case "lib-weak/work-conserving":
			if r.Counts || r.Finding == nil || r.Finding.Verdict != "weakness" || r.Finding.Counts || r.Finding.DependsOn != "the scheduler" {
				t.Errorf("lib-weak/work-conserving = %+v, finding %+v", r, r.Finding)
			}
		case "lib-weak/max-concurrency": // passed this run: the finding is still named
			if r.Verdict != "pass" || r.Counts || r.Finding == nil || r.Finding.Verdict != "undeclared-trait" {
				t.Errorf("lib-weak/max-concurrency = %+v", r)
			}
		case "lib-new/wait":
			if !r.Counts || r.Finding != nil {
				t.Errorf("lib-new/wait = %+v", r)
			}
		default:
			if r.Counts {
				t.Errorf("%s/%s counts: %+v", r.Pool, r.Property, r)
			}
		}
	}
}

func TestFindingsInText(t *testing.T) {
	cfg, outs := findingOutcomes(t, "lib-bug/liveness", "lib-fixed/liveness", "lib-weak/work-conserving", "lib-new/wait", "herd/max-concurrency")
	var out bytes.Buffer
	WriteText(&out, cfg, outs, time.Second)
	text := out.String()
	cells := map[string][]string{}
	for _, l := range strings.Split(text, "\n") {
		if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(l, "  ") {
			if _, dup := cells[f[0]]; !dup {
				cells[f[0]] = f[1:]
			}
		}
	}
	ids := props.IDs()
	col := func(id string) int {
		for i, x := range ids {
			if x == id {
				return i
			}
		}
		t.Fatalf("no property %s", id)
		return -1
	}
	for _, c := range []struct{ pool, property, want string }{
		{"lib-bug", "liveness", "FAIL:bug"},
		{"lib-fixed", "liveness", "FAIL:fixed"},
		{"lib-weak", "work-conserving", "FAIL:weak"},
		{"lib-weak", "max-concurrency", "pass*"},
		{"lib-new", "wait", "FAIL:new"},
		{"good", "wait", "pass"},
		{"herd", "max-concurrency", "[FAIL]"},
	} {
		if row := cells[c.pool]; len(row) <= col(c.property) || row[col(c.property)] != c.want {
			t.Errorf("%s / %s cell: row %q, want %q", c.pool, c.property, row, c.want)
		}
	}
	if row := cells["lib-weak"]; row[len(row)-3] != "not" || row[len(row)-1] != "bug" {
		t.Errorf("lib-weak status: row %q, want \"not a bug\"", row)
	}
	for _, want := range []string{
		"FAIL:bug    a bug: a promise the library makes",
		"FAIL:trait  an undeclared trait",
		"Findings (known third-party failures",
		"  liveness on lib-bug (FAIL): bug, hang (counts)\n    a Submit hangs\n    upstream: https://github.com/example/lib/issues/1\n" +
			"    confirmed by pools/thirdparty TestFindingHang (deterministic)\n    standalone reproducer and patch: findings/testdata/lib-hang\n",
		"  liveness on lib-fixed (FAIL): bug fixed upstream, not released, hang (counts)",
		"  max-concurrency on lib-weak (pass): undeclared trait, over the limit (does not count)",
		"  work-conserving on lib-weak (FAIL): weakness, delay (does not count)",
		"confirmed by pools/thirdparty TestFindingIdle (depends on the scheduler)",
		"--- FAIL (bug: counts): lib-bug / liveness",
		"--- FAIL (weakness: does not count): lib-weak / work-conserving",
		"--- FAIL (not a catalogued finding: counts as a bug): lib-new / wait",
		"it broke  (weakness: does not count)\n",
		"FAILED: 3 of 7 pools that claim to be correct have a failure that counts",
		"Not counted: 1 fail only on catalogued weaknesses or undeclared traits: lib-weak.",
		"Exit status 1.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}

	_, outs = findingOutcomes(t, "lib-weak/work-conserving")
	out.Reset()
	WriteText(&out, cfg, outs, time.Second)
	if text := out.String(); !strings.Contains(text, "OK: no failure that counts among the 7 pools that claim to be correct.") ||
		!strings.Contains(text, "Exit status 0.") {
		t.Errorf("with only a weakness failing:\n%s", text)
	}
}
