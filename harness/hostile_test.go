package harness_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
)

// hostile is a pool whose every method misbehaves in a way chosen by its fields; the
// harness must report it, never crash or hang on it.
type hostile struct {
	submitPanics  bool          // Submit panics
	submitGoexits bool          // Submit calls runtime.Goexit on the caller's goroutine
	neverStarts   bool          // Submit accepts tasks and never runs them
	noisy         bool          // Submit writes to the original stdout, without a newline
	waitFatal     bool          // Wait calls log.Fatal
	closeBlocks   chan struct{} // Close blocks on this channel forever
	closeMutex    *sync.Mutex   // Close blocks on this locked mutex forever (no virtual time)
	closeExits    bool          // Close ends the process with status 0
}

// stdout is the process's standard output before the harness redirects os.Stdout.
var stdout = os.Stdout

func (h *hostile) Submit(ctx context.Context, task func()) error {
	switch {
	case h.submitPanics:
		panic("hostile Submit")
	case h.submitGoexits:
		runtime.Goexit()
	case h.noisy:
		fmt.Fprint(stdout, "hostile noise")
	case h.neverStarts:
		return nil
	}
	task() // in the caller's goroutine: more than limit at once
	return nil
}

func (h *hostile) Wait() {
	if h.waitFatal {
		log.Fatal("hostile Wait gives up")
	}
}

func (h *hostile) Close() {
	if h.closeBlocks != nil {
		<-h.closeBlocks
	}
	if h.closeMutex != nil {
		h.closeMutex.Lock()
	}
	if h.closeExits {
		os.Exit(0)
	}
}

type hostileCase struct {
	name  string
	new   func(int) pools.Pool
	props []string // one of them must fail
	why   string   // what its reason must say, if not ""; it may then be not judged (Error)
}

func TestHostileSubjectsAreReported(t *testing.T) {
	locked := &sync.Mutex{}
	locked.Lock()
	// A Close that blocks for good is a close failure when nothing else is pending, a
	// liveness failure when a task is still blocked (on a gate virtual time cannot reach
	// once the run stands still), and a cancel failure when the Submit running that task
	// inline has seen its ctx end: one of the three must fail. What ends the process can be
	// reported only from a child process.
	isolated := os.Getenv(harness.EnvInProcess) != "1"
	cases := []hostileCase{
		{"new-returns-nil", func(int) pools.Pool { return nil }, []string{"max-concurrency"}, ""},
		{"new-panics", func(int) pools.Pool { panic("hostile New") }, []string{"wait"}, ""},
		{"submit-panics", func(int) pools.Pool { return &hostile{submitPanics: true} }, []string{"exactly-once"}, ""},
		{"tasks-never-start", func(int) pools.Pool { return &hostile{neverStarts: true} }, []string{"exactly-once"}, ""},
		{"close-never-returns", func(int) pools.Pool { return &hostile{closeBlocks: make(chan struct{})} }, []string{"close", "liveness", "cancel"}, ""},
		{"close-blocks-on-mutex", func(int) pools.Pool { return &hostile{closeMutex: locked} }, []string{"close", "liveness", "cancel"}, ""},
		{"submit-goexits", func(int) pools.Pool { return &hostile{submitGoexits: true} }, []string{"exactly-once"}, "runtime.Goexit"},
		{"new-blocks", func(int) pools.Pool { select {} }, []string{"liveness"}, "New(1) did not return within 500ms"},
		// The results still arrive between the pool's noise.
		{"noise-on-stdout", func(int) pools.Pool { return &hostile{noisy: true} }, []string{"max-concurrency"}, "limit"},
	}
	if isolated {
		cases = append(cases, []hostileCase{
			{"close-exits", func(int) pools.Pool { return &hostile{closeExits: true} }, []string{"close"}, "os.Exit"},
			{"wait-log-fatal", func(int) pools.Pool { return &hostile{waitFatal: true} }, []string{"wait"}, "hostile Wait gives up"},
		}...)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := harness.Subject{Name: c.name, New: c.new}
			rep := explore(t, s, harness.Properties(c.props...), harness.Runs(20),
				harness.Watchdog(500*time.Millisecond))
			for _, r := range rep.Results {
				if r.Verdict == harness.Fail && c.why == "" ||
					(r.Verdict == harness.Fail || r.Verdict == harness.Error) && c.why != "" && strings.Contains(r.Reason, c.why) {
					t.Logf("reported: %s: %s", r.Property, r.Reason)
					return
				}
			}
			t.Fatalf("Explore(%s) = %+v, want one of %v to fail (saying %q)", c.name, rep.Results, c.props, c.why)
		})
	}
}

func TestBadCallsAreErrors(t *testing.T) {
	ok := harness.Subject{Name: "x", New: func(int) pools.Pool { return nil }}
	cases := []struct {
		name string
		s    harness.Subject
		opts []harness.Option
	}{
		{"unknown-property", ok, []harness.Option{harness.Properties("no-such-property")}},
		{"zero-runs", ok, []harness.Option{harness.Runs(0)}},
		{"negative-budget", ok, []harness.Option{harness.Budget(-time.Second)}},
		{"no-new", harness.Subject{Name: "x"}, nil},
		{"no-name", harness.Subject{New: ok.New}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := harness.Explore(t, c.s, c.opts...)
			if err == nil {
				t.Fatalf("Explore = %+v, nil; want an error", rep)
			}
			t.Log(err)
		})
	}
}
