package cli

import (
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	poolspkg "github.com/poolcheck/poolcheck/pools"
)

// The catalogue of the version tests: two entries of one library, one of another, one of ours.
var versionEntries = []catalog.Entry{
	{Subject: harness.Subject{Name: "ours"}, Kind: catalog.Ours},
	{Subject: harness.Subject{Name: "lib"}, Kind: catalog.ThirdParty, Module: "example.com/lib"},
	{Subject: harness.Subject{Name: "lib-nb"}, Kind: catalog.ThirdParty, Module: "example.com/lib"},
	{Subject: harness.Subject{Name: "other"}, Kind: catalog.ThirdParty, Module: "example.com/other/v2"},
	{Subject: harness.Subject{Name: "nomodule"}, Kind: catalog.ThirdParty},
}

func parseVersions(args ...string) (*Config, error) {
	return Parse(args, pools(versionEntries, nil, nil), io.Discard)
}

func TestParsePoolAtVersion(t *testing.T) {
	cfg, err := parseVersions("-pool", "lib@v1.2.3,lib-nb@v1.2.3,other@v2.0.0-rc.1,ours")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"example.com/lib": "v1.2.3", "example.com/other/v2": "v2.0.0-rc.1"}
	if !maps.Equal(cfg.Versions, want) {
		t.Errorf("Versions = %v, want %v", cfg.Versions, want)
	}
	var names []string
	for _, e := range cfg.Entries {
		names = append(names, e.Name)
	}
	if want := []string{"ours", "lib", "lib-nb", "other"}; !slices.Equal(names, want) {
		t.Errorf("pools = %v, want %v", names, want)
	}
	if cfg, err := parseVersions("-pool", "lib"); err != nil || len(cfg.Versions) != 0 {
		t.Errorf("-pool lib: Versions = %v, %v; want none", cfg.Versions, err)
	}
}

func TestParsePoolAtVersionErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-pool", "ours@v1.0.0"}, "is of kind ours; only a third-party"},
		{[]string{"-pool", "nomodule@v1.0.0"}, "only a third-party"},
		{[]string{"-pool", "nosuch@v1.0.0"}, `unknown pool "nosuch"`},
		{[]string{"-pool", "lib@"}, "an empty version"},
		{[]string{"-pool", "lib@1.2.3"}, "not a semantic version"},
		{[]string{"-pool", "lib@latest"}, "not a semantic version"},
		{[]string{"-pool", "lib@v1.2"}, "not a full version: write v1.2.0"},
		{[]string{"-pool", "lib@v1.2.3,lib-nb@v1.2.4"}, "at both v1.2.3 and v1.2.4"},
		{[]string{"-pool", "lib@v1.2.3,lib@v1.2.4"}, "at both v1.2.3 and v1.2.4"},
		{[]string{"-pool", "lib@v1.2.3", "-interleave"}, "does not combine with -interleave"},
	} {
		_, err := parseVersions(tc.args...)
		var usage *UsageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want a usage error containing %q", tc.args, err, tc.want)
		}
	}
}

func TestParseHistory(t *testing.T) {
	cfg, err := parseVersions("-history", "lib@v1.0.0..v1.3.0", "-property", "wait", "-runs", "9")
	if err != nil {
		t.Fatal(err)
	}
	h := cfg.History
	if h == nil || h.Entry.Name != "lib" || h.Module != "example.com/lib" || h.From != "v1.0.0" || h.To != "v1.3.0" || h.List != nil {
		t.Fatalf("History = %+v", h)
	}
	if len(cfg.Entries) != 1 || cfg.Entries[0].Name != "lib" {
		t.Errorf("Entries = %v, want only lib", cfg.Entries)
	}
	// The proxy's list may hold releases outside the range, pre-releases, and miss the ends.
	listed := []string{"v0.9.0", "v1.1.0", "v1.2.0-rc.1", "v1.2.0", "v1.4.0"}
	if got, want := h.Releases(listed), []string{"v1.0.0", "v1.1.0", "v1.2.0-rc.1", "v1.2.0", "v1.3.0"}; !slices.Equal(got, want) {
		t.Errorf("Releases = %v, want %v", got, want)
	}
	cfg, err = parseVersions("-history", "lib@v1.3.0,v1.0.0,v1.10.0,v1.3.0")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.History.Releases([]string{"v1.1.0"}), []string{"v1.0.0", "v1.3.0", "v1.10.0"}; !slices.Equal(got, want) {
		t.Errorf("Releases of a list = %v, want %v (semantic order, no duplicates, the proxy's list unused)", got, want)
	}
	if cfg, err := parseVersions("-history", "lib@v1.2.0..v1.2.0"); err != nil || !slices.Equal(cfg.History.Releases(nil), []string{"v1.2.0"}) {
		t.Errorf("a one-release range: %v, %v", cfg, err)
	}
}

func TestParseHistoryErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-history", "lib"}, "want NAME@V1..V2"},
		{[]string{"-history", "lib@"}, "want NAME@V1..V2"},
		{[]string{"-history", "nosuch@v1.0.0..v1.1.0"}, `unknown pool "nosuch"`},
		{[]string{"-history", "ours@v1.0.0..v1.1.0"}, "only a third-party"},
		{[]string{"-history", "lib@v1.1.0..v1.0.0"}, "the range is empty"},
		{[]string{"-history", "lib@v1.0.0..2"}, "not a semantic version"},
		{[]string{"-history", "lib@v1.0.0,,x"}, "not a semantic version"},
		{[]string{"-history", "lib@v1.0.0..v1.1.0", "-pool", "lib"}, "does not combine"},
		{[]string{"-history", "lib@v1.0.0..v1.1.0", "-json"}, "does not combine"},
	} {
		_, err := parseVersions(tc.args...)
		var usage *UsageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want a usage error containing %q", tc.args, err, tc.want)
		}
	}
}

func TestChanges(t *testing.T) {
	rs := []string{"v1", "v2", "v3", "v4", "v5"}
	for _, tc := range []struct {
		cells []string
		want  string
	}{
		{[]string{"pass", "pass", "n/a", "pass*", "-"}, ""},
		{[]string{"pass", "FAIL", "FAIL", "pass", "pass"}, "introduced in v2 (passes at v1); fixed in v4 (fails at v3)"},
		{[]string{"FAIL", "pass", "pass", "pass", "pass"}, "fails at v1, the first release checked; fixed in v2 (fails at v1)"},
		{[]string{"pass", "-", "FAIL:bug", "ERROR", "-"}, "introduced in v3 (passes at v1); still fails at v3, the last release checked"},
		{[]string{"-", "FAIL", "pass", "FAIL", "pass"}, "fails at v2, the first release checked; fixed in v3 (fails at v2); introduced in v4 (passes at v3); fixed in v5 (fails at v4)"},
	} {
		if got := Changes(rs, tc.cells); got != tc.want {
			t.Errorf("Changes(%v) = %q, want %q", tc.cells, got, tc.want)
		}
	}
}

func TestHistoryCells(t *testing.T) {
	doc := &Document{Results: []ResultDoc{
		{Property: "wait", Verdict: "pass"},
		{Property: "close", Verdict: "fail"},
		{Property: "liveness", Verdict: "fail", Finding: &FindingDoc{Verdict: string(catalog.Weakness)}},
		{Property: "no-leak", Verdict: "pass", Finding: &FindingDoc{Verdict: string(catalog.Bug)}},
		{Property: "cancel", Verdict: "skip"},
		{Property: "exactly-once", Verdict: "error"},
	}}
	row := historyRow{version: "v1", doc: doc}
	for id, want := range map[string]string{
		"wait": "pass", "close": "FAIL", "liveness": "FAIL:weak", "no-leak": "pass*", "cancel": "n/a",
		"exactly-once": "ERROR", "max-concurrency": "-",
	} {
		if got := row.cell(id); got != want {
			t.Errorf("cell(%s) = %q, want %q", id, got, want)
		}
	}
	if got := (historyRow{version: "v0", note: "does not compile"}).cell("wait"); got != "-" {
		t.Errorf("a release not built: cell = %q, want -", got)
	}
}

func TestSettingsArgsRoundTrip(t *testing.T) {
	cfg, err := parseVersions("-history", "lib@v1.0.0..v1.1.0", "-property", "wait,close", "-runs", "9",
		"-budget", "1.5s", "-shrink", "2s", "-seed", "42", "-parallel", "3")
	if err != nil {
		t.Fatal(err)
	}
	back, err := parseVersions(append([]string{"-pool", "lib@v1.0.0"}, settingsArgs(cfg)...)...)
	if err != nil {
		t.Fatal(err)
	}
	if back.Runs != 9 || back.Budget != cfg.Budget || back.Shrink != cfg.Shrink || back.Seed != 42 || back.Parallel != 3 ||
		!slices.Equal(propertyIDs(back.Properties), []string{"wait", "close"}) {
		t.Errorf("settings did not survive: %+v", back)
	}
	// Without -runs and -shrink, the rebuilt command keeps each family's defaults.
	cfg, err = parseVersions("-history", "lib@v1.0.0..v1.1.0")
	if err != nil {
		t.Fatal(err)
	}
	back, err = parseVersions(append([]string{"-pool", "lib@v1.0.0"}, settingsArgs(cfg)...)...)
	if err != nil {
		t.Fatalf("the default settings do not parse back: %v", err)
	}
	if back.Runs != 0 || back.Shrink != 0 {
		t.Errorf("default settings became explicit: runs %d, shrink %v", back.Runs, back.Shrink)
	}
}

func TestSourceTreeOutsideAClone(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("GOFLAGS", "")
	_, _, err := SourceTree()
	if err == nil || !strings.Contains(err.Error(), "clone of "+ModulePath) {
		t.Errorf("SourceTree outside the source tree = %v, want an error saying to run inside a clone", err)
	}
}

func TestCompileErrorSaysWhatToDo(t *testing.T) {
	e := &CompileError{Versions: map[string]string{"example.com/lib": "v0.1.0"},
		Output: "# " + ModulePath + "/pkg\na.go:1:2: x undefined\na.go:2:2: y undefined\na.go:3:2: z undefined\n"}
	if msg := e.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "example.com/lib v0.1.0") ||
		!strings.Contains(msg, "written for the pinned") {
		t.Errorf("Error() = %q: want one line naming the release and the pinned version", msg)
	}
	if got, want := e.FirstErrors(2), "  # "+ModulePath+"/pkg\n  a.go:1:2: x undefined\n  ..."; got != want {
		t.Errorf("FirstErrors(2) = %q, want %q", got, want)
	}
	e.Output = "# " + ModulePath + "/pools/thirdparty\npools/thirdparty/lib.go:1:2: x undefined\n"
	if msg := e.Error(); !strings.Contains(msg, "the adapters do not compile") {
		t.Errorf("an error in our adapters: Error() = %q", msg)
	}
	e.Output = "# example.com/lib\n/mod/example.com/lib@v0.1.0/lib.go:1:2: cannot use generic type\n"
	if msg := e.Error(); !strings.Contains(msg, "example.com/lib v0.1.0 does not compile with this module's other requirements") {
		t.Errorf("an error in the library itself: Error() = %q", msg)
	}
}

func TestProbeAdapters(t *testing.T) {
	made := 0
	ok := catalog.Entry{Subject: harness.Subject{Name: "lib", New: func(limit int) poolspkg.Pool {
		made++
		p, err := poolspkg.NewChannel(limit)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}}, Kind: catalog.ThirdParty, Module: "example.com/lib"}
	broken := catalog.Entry{Subject: harness.Subject{Name: "old", New: func(int) poolspkg.Pool { panic("this release lacks X") }},
		Kind: catalog.ThirdParty, Module: "example.com/old"}
	cfg := &Config{Entries: []catalog.Pool{ok.Pool(), broken.Pool()}, Versions: map[string]string{"example.com/lib": "v1.0.0"}}
	if err := ProbeAdapters(cfg); err != nil || made != 1 {
		t.Errorf("ProbeAdapters = %v after %d pools made; want nil after 1 (old is at its pinned release: not probed)", err, made)
	}
	cfg.Versions["example.com/old"] = "v0.1.0"
	err := ProbeAdapters(cfg)
	if err == nil || !strings.Contains(err.Error(), "the adapter of old cannot run against example.com/old v0.1.0") ||
		!strings.Contains(err.Error(), "this release lacks X") {
		t.Errorf("ProbeAdapters with a constructor that panics = %v", err)
	}
}
