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
	cases := []struct {
		name string
		new  func(int) pools.Pool
		prop string // a property that must fail
	}{
		{"new-returns-nil", func(int) pools.Pool { return nil }, "max-concurrency"},
		{"new-panics", func(int) pools.Pool { panic("hostile New") }, "wait"},
		{"submit-panics", func(int) pools.Pool { return &hostile{submitPanics: true} }, "exactly-once"},
		{"tasks-never-start", func(int) pools.Pool { return &hostile{neverStarts: true} }, "exactly-once"},
		{"close-never-returns", func(int) pools.Pool { return &hostile{closeBlocks: make(chan struct{})} }, "close"},
		{"close-blocks-on-mutex", func(int) pools.Pool { return &hostile{closeMutex: locked} }, "close"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := harness.Subject{Name: c.name, New: c.new}
			rep := explore(t, s, harness.Properties(c.prop), harness.Runs(20),
				harness.Watchdog(500*time.Millisecond))
			if len(rep.Results) != 1 || rep.Results[0].Verdict != harness.Fail {
				t.Fatalf("Explore(%s) = %+v, want %s to fail", c.name, rep.Results, c.prop)
			}
			t.Logf("reported: %s", rep.Results[0].Reason)
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
