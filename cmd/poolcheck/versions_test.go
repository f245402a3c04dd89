package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/poolcheck/poolcheck/internal/cli"
)

// skipIfNoProxy skips when the rebuilt command says the module proxy cannot be reached: the
// release cannot be fetched, which is the environment's limit, not the command's.
func skipIfNoProxy(t *testing.T, stderr string) {
	t.Helper()
	if strings.Contains(stderr, "module proxy cannot be reached") || strings.Contains(stderr, "the go command is not available") {
		t.Skipf("skipped: the go command or the module proxy is unavailable, so no release can be fetched:\n%s", stderr)
	}
}

// pinned returns the version go.mod requires of module.
func pinned(t *testing.T, module string) string {
	t.Helper()
	data, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range mf.Require {
		if r.Mod.Path == module {
			return r.Mod.Version
		}
	}
	t.Fatalf("go.mod does not require %s", module)
	return ""
}

// TestPoolAtVersion builds the command with an older release of one library through the
// module proxy (pond v1.9.1, one release before the pinned v1.9.2: the build recompiles
// only pond and what imports it) and checks that the report is of that release, with the
// catalogue's findings, which are for the pinned release, left out; then the errors, which
// cost no exploration.
func TestPoolAtVersion(t *testing.T) {
	exe := build(t)
	const module, older = "github.com/alitto/pond", "v1.9.1"
	pin := pinned(t, module)
	if pin == older {
		t.Fatalf("go.mod pins %s %s: pick another older release for this test", module, older)
	}

	t.Run("pinned", func(t *testing.T) {
		stdout, stderr, code := run(t, exe, "-pool", "pond-v1", "-property", "max-concurrency", "-runs", "20", "-json", "-quiet")
		if code != cli.ExitOK {
			t.Fatalf("exit %d; stderr:\n%s", code, stderr)
		}
		if p := decode(t, stdout).Pools[0]; p.Module != module || p.Version != pin || p.Pinned != pin || !strings.HasPrefix(p.Doc, module+" "+pin+" ") {
			t.Errorf("pool = %+v, want %s at the pinned %s", p, module, pin)
		}
	})

	t.Run("older release", func(t *testing.T) {
		stdout, stderr, code := run(t, exe, "-pool", "pond-v1@"+older, "-property", "max-concurrency,exactly-once,work-conserving",
			"-runs", "200", "-json", "-quiet")
		skipIfNoProxy(t, stderr)
		if code != cli.ExitOK && code != cli.ExitFail {
			t.Fatalf("exit %d, want a report (0 or 1); stderr:\n%s", code, stderr)
		}
		doc := decode(t, stdout)
		p := doc.Pools[0]
		if p.Version != older || p.Pinned != pin || !strings.HasPrefix(p.Doc, module+" "+older+" ") {
			t.Errorf("pool = %+v, want %s built at %s (pinned %s)", p, module, older, pin)
		}
		for _, r := range doc.Results {
			if r.Finding != nil {
				t.Errorf("%s: the finding %q of the pinned release is reported at %s", r.Property, r.Finding.Summary, older)
			}
			switch {
			case r.Property != "work-conserving" && r.Verdict != "pass":
				t.Errorf("%s at %s: %s (%s), want pass", r.Property, older, r.Verdict, r.Reason)
			case r.Verdict == "fail" && (!r.Counts || !strings.Contains(r.Replay, "-pool pond-v1@"+older+" ")):
				t.Errorf("%s at %s: a failure with counts=%v and replay %q; want it counted, replayed at %s", r.Property, older, r.Counts, r.Replay, older)
			}
		}
	})

	// -history with the default -runs and -shrink: each rebuilt command keeps its family's
	// defaults (a -runs 0 forwarded to it was once refused, and every release "not checked").
	t.Run("history", func(t *testing.T) {
		stdout, stderr, code := run(t, exe, "-history", "pond-v1@"+older+","+pin, "-property", "max-concurrency", "-budget", "200ms", "-quiet")
		skipIfNoProxy(t, stderr)
		if code != cli.ExitOK && code != cli.ExitFail {
			t.Fatalf("exit %d, want a table (0 or 1); stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
		}
		for _, v := range []string{older, pin} {
			row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(v) + `( \(pinned\))?\s+(\S+)\s+(\S+.*)$`).FindStringSubmatch(stdout)
			if row == nil || (row[2] != "pass" && !strings.HasPrefix(row[2], "FAIL")) {
				t.Errorf("no checked row for %s (%q):\n%s", v, row, stdout)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			dir  string // "" = the test's directory, inside the source tree
			want []string
		}{
			{[]string{"-pool", "pond-v1@v1.9.99"}, "", []string{"does not serve github.com/alitto/pond@v1.9.99", "go list -m -versions github.com/alitto/pond"}},
			{[]string{"-pool", "pond-v2@v2.1.6"}, "", []string{"do not compile against github.com/alitto/pond/v2 v2.1.6", "written for the pinned", "pondv2.go"}},
			{[]string{"-pool", "pond-v1@" + older}, t.TempDir(), []string{"clone of github.com/poolcheck/poolcheck"}},
			{[]string{"-history", "pond-v1@v1.9.1..v1.9.2"}, t.TempDir(), []string{"clone of github.com/poolcheck/poolcheck"}},
		} {
			stdout, stderr, code := runIn(t, tc.dir, exe, tc.args...)
			skipIfNoProxy(t, stderr)
			if code != cli.ExitUsage || stdout != "" {
				t.Errorf("%v: exit %d, stdout %q; want exit %d and nothing on stdout\n%s", tc.args, code, stdout, cli.ExitUsage, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, stderr)
				}
			}
		}
	})
}
