package harness_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
)

// hostile is a pool whose every method misbehaves in a way chosen by its fields; the
// harness must report it, never crash or hang on it.
type hostile struct {
	submitPanics bool          // Submit panics
	neverStarts  bool          // Submit accepts tasks and never runs them
	closeBlocks  chan struct{} // Close blocks on this channel forever
	closeMutex   *sync.Mutex   // Close blocks on this locked mutex forever (no virtual time)
}

func (h *hostile) Submit(ctx context.Context, task func()) error {
	if h.submitPanics {
		panic("hostile Submit")
	}
	if h.neverStarts {
		return nil
	}
	task()
	return nil
}

func (h *hostile) Wait() {}

func (h *hostile) Close() {
	if h.closeBlocks != nil {
		<-h.closeBlocks
	}
	if h.closeMutex != nil {
		h.closeMutex.Lock()
	}
}

func TestHostileSubjectsAreReported(t *testing.T) {
	locked := &sync.Mutex{}
	locked.Lock()
	// A Close that blocks for good is a close failure when nothing else is pending and a
	// liveness failure when a task is still blocked (on a gate virtual time cannot reach
	// once the run stands still): one of the two must fail.
	cases := []struct {
		name  string
		new   func(int) pools.Pool
		props []string // one of them must fail
	}{
		{"new-returns-nil", func(int) pools.Pool { return nil }, []string{"max-concurrency"}},
		{"new-panics", func(int) pools.Pool { panic("hostile New") }, []string{"wait"}},
		{"submit-panics", func(int) pools.Pool { return &hostile{submitPanics: true} }, []string{"exactly-once"}},
		{"tasks-never-start", func(int) pools.Pool { return &hostile{neverStarts: true} }, []string{"exactly-once"}},
		{"close-never-returns", func(int) pools.Pool { return &hostile{closeBlocks: make(chan struct{})} }, []string{"close", "liveness"}},
		{"close-blocks-on-mutex", func(int) pools.Pool { return &hostile{closeMutex: locked} }, []string{"close", "liveness"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := harness.Subject{Name: c.name, New: c.new}
			rep := explore(t, s, harness.Properties(c.props...), harness.Runs(20),
				harness.Watchdog(500*time.Millisecond))
			for _, r := range rep.Results {
				if r.Verdict == harness.Fail {
					t.Logf("reported: %s: %s", r.Property, r.Reason)
					return
				}
			}
			t.Fatalf("Explore(%s) = %+v, want one of %v to fail", c.name, rep.Results, c.props)
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
