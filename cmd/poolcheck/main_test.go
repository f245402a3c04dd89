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
		for _, args := range [][]string{{"-pool", "no-such-pool"}, {"-property", "speed"}, {"-budget", "-1s"}, {"-kind", "mine"}} {
			stdout, stderr, code := run(t, exe, args...)
			if code != cli.ExitUsage || stdout != "" || !strings.Contains(stderr, cli.UsageLine) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and the usage line", args, code, stdout, stderr, cli.ExitUsage)
			}
		}
	})

	t.Run("list", func(t *testing.T) {
		stdout, _, code := run(t, exe, "-list")
		if code != cli.ExitOK || !strings.Contains(stdout, pool) || !strings.Contains(stdout, "max-concurrency: ") {
			t.Errorf("-list: exit %d\n%s", code, stdout)
		}
	})
}

// A broken pool is caught, does not fail the command, and its replay line reproduces it.
func TestCommandReplay(t *testing.T) {
	var entry catalog.Entry
	for _, e := range catalog.Of(catalog.Broken) {
		if e.Breaks == "max-concurrency" && !e.StressOnly && e.Traits.Queue == 0 {
			entry = e
			break
		}
	}
	if entry.Name == "" {
		t.Skip("the catalogue has no broken pool that breaks max-concurrency")
	}
	exe := build(t)
	stdout, stderr, code := run(t, exe, "-pool", entry.Name, "-property", "max-concurrency", "-json", "-quiet")
	if code != cli.ExitOK {
		t.Fatalf("exit %d, want %d (the broken corpus never fails the command); stderr:\n%s", code, cli.ExitOK, stderr)
	}
	doc := decode(t, stdout)
	if len(doc.Results) != 1 || doc.Results[0].Verdict != "fail" || doc.Results[0].Expected != "fail" ||
		doc.Pools[0].Status != cli.StatusCaught {
		t.Fatalf("document = %+v", doc)
	}
	first := doc.Results[0]
	want := "go run ./cmd/poolcheck -pool " + entry.Name + " -property max-concurrency -seed "
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
