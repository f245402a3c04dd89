package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// ChildEnv is set (to "1") in the environment of the process that checks one pool on one
// property for the command (see Subprocess).
const ChildEnv = "POOLCHECK_CHILD"

// childTag starts the one line a child writes to its stdout: its result.
const childTag = `{"poolcheck_child":`

// childLine is that line.
type childLine struct {
	Version int            `json:"poolcheck_child"`
	Result  harness.Result `json:"result"`
}

// WriteChildResult writes r as the child's answer to its parent.
func WriteChildResult(w io.Writer, r harness.Result) error {
	b, err := json.Marshal(childLine{Version: 1, Result: r})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// readChildResult finds the result line in a child's stdout.
func readChildResult(out []byte) (harness.Result, bool) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte(childTag)) {
			continue
		}
		var cl childLine
		if json.Unmarshal(line, &cl) == nil && cl.Version == 1 {
			return cl.Result, true
		}
	}
	return harness.Result{}, false
}

// ChildArgs is the command line of the child that checks pool on property under cfg.
func ChildArgs(cfg *Config, pool, property string) []string {
	return []string{
		"-pool", pool, "-property", property,
		"-runs", strconv.Itoa(cfg.Runs), "-budget", cfg.Budget.String(),
		"-shrink", cfg.Shrink.String(), "-seed", strconv.FormatUint(cfg.Seed, 10), "-quiet",
	}
}

// TestingArgs are the flags the child gives package testing (and rapid, through
// flag.CommandLine) before it runs its one test: quiet, no timeout of testing's own, and
// cfg's cap on shrinking (a flag set on the command line wins over the harness's default).
func TestingArgs(cfg *Config) []string {
	return []string{"-test.v=false", "-test.timeout=0", "-test.count=1",
		"-rapid.shrinktime=" + cfg.Shrink.String()}
}

// Subprocess returns a Checker that checks each pool × property in a fresh process: exe
// (this command) with ChildEnv=1 and ChildArgs. A fresh process per check keeps the
// goroutines a hung pool leaves parked from slowing the checks after it, and turns a pool
// that crashes the process into a failure of the property being explored. When verbose
// is not nil, each child's stderr is copied there.
func Subprocess(cfg *Config, exe string, verbose io.Writer) Checker {
	return func(e catalog.Entry, p props.Property) harness.Result {
		ctx := context.Background()
		var limit time.Duration
		if cfg.Budget > 0 {
			// Exploring stops at the budget; shrinking at cfg.Shrink; the rest is process
			// start, the probe, and at worst a few watchdog-length hung runs.
			limit = cfg.Budget + cfg.Shrink + 2*time.Minute
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, limit)
			defer cancel()
		}
		cmd := exec.CommandContext(ctx, exe, ChildArgs(cfg, e.Name, p.ID)...)
		cmd.Env = append(os.Environ(), ChildEnv+"=1")
		var stdout bytes.Buffer
		stderr := &tail{max: 256 << 10}
		cmd.Stdout = &stdout
		cmd.Stderr = stderr
		if verbose != nil {
			cmd.Stderr = io.MultiWriter(stderr, verbose)
		}
		start := time.Now()
		err := cmd.Run()
		if r, ok := readChildResult(stdout.Bytes()); ok && err == nil {
			return r
		}
		r := harness.Result{Property: p.ID, Verdict: harness.Fail, Elapsed: time.Since(start), Seed: cfg.Seed,
			Replay: ReplayCommand(e.Name, p.ID, cfg.Seed)}
		var exit *exec.ExitError
		switch {
		case ctx.Err() != nil:
			r.Reason = fmt.Sprintf("the exploration did not finish within %v and was killed", limit)
		case errors.As(err, &exit):
			r.Reason = fmt.Sprintf("the process exploring this property crashed (%v): %s", exit.ProcessState, crashLine(stderr.String()))
		case err != nil:
			r.Reason = fmt.Sprintf("poolcheck: could not run the exploration: %v", err)
		default:
			r.Reason = "poolcheck: the exploring process gave no result"
		}
		if s := strings.TrimSpace(stderr.String()); s != "" {
			r.Timeline = "stderr of the exploring process:\n" + firstLines(s, 60)
		}
		if cfg.Seed == 0 {
			r.Replay = fmt.Sprintf("go run ./cmd/poolcheck -pool %s -property %s   (no seed: the process ended before rapid reported one)",
				shellWord(e.Name), shellWord(p.ID))
		}
		return r
	}
}

// crashLine picks the line of a crashed process's stderr that says why.
func crashLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		for _, p := range []string{"panic:", "fatal error:", "poolcheck:"} {
			if strings.HasPrefix(l, p) {
				return l
			}
		}
	}
	if l := oneLine(s); l != "" {
		return l
	}
	return "no output"
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "\n")
}

// tail keeps the first and the last bytes written to it, up to max in all.
type tail struct {
	max  int
	head []byte
	buf  []byte
	cut  bool
}

func (t *tail) Write(p []byte) (int, error) {
	n := len(p)
	if len(t.head) < t.max/2 {
		k := min(len(p), t.max/2-len(t.head))
		t.head = append(t.head, p[:k]...)
		p = p[k:]
	}
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max/2; over > 0 {
		t.buf = t.buf[over:]
		t.cut = true
	}
	return n, nil
}

func (t *tail) String() string {
	if t.cut {
		return string(t.head) + "\n...\n" + string(t.buf)
	}
	return string(t.head) + string(t.buf)
}
