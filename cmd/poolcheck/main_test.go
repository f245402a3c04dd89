package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/internal/cli"
)

// The command end to end, on one fast pool: it builds poolcheck, runs it, and checks the
// JSON on stdout and the exit status. The whole catalogue is never run here (too slow).

func build(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	exe := filepath.Join(t.TempDir(), "poolcheck")
	if out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

func run(t *testing.T, exe string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runIn(t, "", exe, args...)
}

// runIn runs exe with args in dir ("" = the test's directory).
func runIn(t *testing.T, dir, exe string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(exe, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func decode(t *testing.T, stdout string) cli.Document {
	t.Helper()
	var doc cli.Document
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON value:\n%s", stdout)
	}
	return doc
}

func TestCommand(t *testing.T) {
	exe := build(t)
	ours := catalog.Of(catalog.Ours)
	if len(ours) == 0 {
		t.Skip("the catalogue has no pool of our own")
	}
	pool := ours[0].Name

	t.Run("json", func(t *testing.T) {
		stdout, stderr, code := run(t, exe, "-pool", pool, "-property", "max-concurrency,wait", "-runs", "50", "-json")
		if code != cli.ExitOK {
			t.Fatalf("exit %d, want %d; stderr:\n%s", code, cli.ExitOK, stderr)
		}
		doc := decode(t, stdout)
		if len(doc.Results) != 2 || doc.Results[0].Pool != pool || doc.Results[0].Property != "max-concurrency" ||
			doc.Results[1].Property != "wait" || doc.Summary.Exit != cli.ExitOK {
			t.Errorf("document = %+v", doc)
		}
		for _, r := range doc.Results {
			if r.Verdict != "pass" {
				t.Errorf("%s/%s: %s: %s", r.Pool, r.Property, r.Verdict, r.Reason)
			}
		}
		if !strings.Contains(stderr, "[1/1] checking "+pool) {
			t.Errorf("stderr lacks progress:\n%s", stderr)
		}
	})

	t.Run("usage", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"-pool", "no-such-pool"}, `unknown pool "no-such-pool"`},
			{[]string{"-property", "speed"}, `unknown property "speed"`},
			{[]string{"-budget", "-1s"}, "-budget must not be negative"},
			{[]string{"-kind", "mine"}, `unknown -kind "mine"`},
			{[]string{"-pool", "shared", "-property", "wait"}, `pool "shared" is one of the resource pools: none of -property wait applies to it`},
			{[]string{"-pool", "retry", "-property", "exclusive,no-leak"}, `pool "retry" is one of the retrying pools`},
			{[]string{"-pool", "shared,no-such-pool"}, `unknown pool "no-such-pool"`},
		} {
			stdout, stderr, code := run(t, exe, tc.args...)
			if code != cli.ExitUsage || stdout != "" || !strings.Contains(stderr, cli.UsageLine) || !strings.Contains(stderr, tc.want) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, %q and the usage line", tc.args, code, stdout, stderr, cli.ExitUsage, tc.want)
			}
		}
	})

	t.Run("list", func(t *testing.T) {
		stdout, _, code := run(t, exe, "-list")
		for _, want := range []string{pool, "max-concurrency: ", "shared ", "database-sql", "failsafe-go", "broken-watcher-leak",
			"exclusive: ", "resource-no-leak: ", "retry-no-leak: ", "backoff: "} {
			if code != cli.ExitOK || !strings.Contains(stdout, want) {
				t.Errorf("-list: exit %d, lacks %q\n%s", code, want, stdout)
			}
		}
	})
}

// A resource pool and a retrying pool, checked by the command on properties of three
// families at once: each on its own family's, in one document.
func TestCommandResourceAndRetryPools(t *testing.T) {
	exe := build(t)
	stdout, stderr, code := run(t, exe, "-pool", "shared,retry", "-property", "exclusive,resource-no-leak,backoff,retry-no-leak,wait",
		"-runs", "50", "-json", "-quiet")
	if code != cli.ExitOK {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, cli.ExitOK, stderr)
	}
	doc := decode(t, stdout)
	got := map[string]string{}
	for _, r := range doc.Results {
		got[r.Pool+"/"+r.Property] = r.Family + " " + r.Verdict
	}
	want := map[string]string{"shared/exclusive": "resource pass", "shared/resource-no-leak": "resource pass",
		"retry/backoff": "retry pass", "retry/retry-no-leak": "retry pass"}
	if len(got) != len(want) {
		t.Errorf("results %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if doc.Schema != cli.Schema || doc.Settings.RunsByFamily["resource"] != 50 || len(doc.Properties) != 5 {
		t.Errorf("schema %d, settings %+v, %d properties", doc.Schema, doc.Settings, len(doc.Properties))
	}

	stdout, _, code = run(t, exe, "-pool", "shared,retry", "-property", "exclusive,backoff", "-runs", "20", "-quiet")
	for _, w := range []string{"Resource pools (pools/resource):", "Retrying pools (pools/retry):", "1 resource pool × 1 property, 1 retrying pool × 1"} {
		if code != cli.ExitOK || !strings.Contains(stdout, w) {
			t.Errorf("text: exit %d, lacks %q:\n%s", code, w, stdout)
		}
	}
}

// A broken pool of each family is caught, does not fail the command, and its replay line
// reproduces it.
func TestCommandReplay(t *testing.T) {
	exe := build(t)
	var task catalog.Entry
	for _, e := range catalog.Of(catalog.Broken) {
		if e.Breaks == "max-concurrency" && !e.StressOnly && e.Traits.Queue == 0 {
			task = e
			break
		}
	}
	if task.Name == "" {
		t.Fatal("the catalogue has no broken pool that breaks max-concurrency")
	}
	for name, breaks := range map[string]string{task.Name: "max-concurrency",
		"broken-over-max": "bounded", "broken-resource-ticker-leak": "resource-no-leak",
		"broken-one-too-many": "attempts-bounded", "broken-watcher-leak": "retry-no-leak"} {
		t.Run(name, func(t *testing.T) { replays(t, exe, name, breaks) })
	}
}

// replays checks that the command catches pool on property breaks, and that the printed
// replay line fails it again with the same seed.
func replays(t *testing.T, exe, pool, breaks string) {
	t.Helper()
	stdout, stderr, code := run(t, exe, "-pool", pool, "-property", breaks, "-json", "-quiet")
	if code != cli.ExitOK {
		t.Fatalf("exit %d, want %d (the broken corpus never fails the command); stderr:\n%s", code, cli.ExitOK, stderr)
	}
	doc := decode(t, stdout)
	if len(doc.Results) != 1 || doc.Results[0].Verdict != "fail" || doc.Results[0].Expected != "fail" ||
		doc.Pools[0].Status != cli.StatusCaught {
		t.Fatalf("document = %+v", doc)
	}
	first := doc.Results[0]
	want := "go run ./cmd/poolcheck -pool " + pool + " -property " + breaks + " -seed "
	if !strings.HasPrefix(first.Replay, want) || first.Seed == 0 {
		t.Fatalf("replay = %q, seed %d", first.Replay, first.Seed)
	}
	args := strings.Fields(strings.TrimPrefix(first.Replay, "go run ./cmd/poolcheck "))
	stdout, stderr, code = run(t, exe, append(args, "-json", "-quiet")...)
	if code != cli.ExitOK {
		t.Fatalf("replay: exit %d; stderr:\n%s", code, stderr)
	}
	again := decode(t, stdout).Results[0]
	if again.Verdict != "fail" || again.Seed != first.Seed {
		t.Errorf("replay of seed %d: %s with seed %d (%s), want the same failure", first.Seed, again.Verdict, again.Seed, again.Reason)
	}
}
