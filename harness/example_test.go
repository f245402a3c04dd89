package harness_test

import (
	"testing"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
)

// A pool author's whole test: one call. Each property becomes a subtest
// (TestWorkers/max-concurrency, ...), and a failure prints a shrunk counterexample and the
// go test line that replays it.
func ExampleCheck() {
	TestWorkers := func(t *testing.T) {
		harness.Check(t, harness.Subject{
			Name: "workers",
			New: func(limit int) pools.Pool {
				p, err := pools.NewWorkers(limit, pools.WithQueue(4))
				if err != nil {
					panic(err) // limit < 1: the harness never asks for one
				}
				return p
			},
			// A queue of 4: Submit returns once its task is queued, not started.
			Traits: harness.Traits{Queue: 4},
		})
	}
	_ = TestWorkers
}

// Explore returns the findings as data instead of failing the test.
func ExampleExplore() {
	TestReport := func(t *testing.T) {
		rep, err := harness.Explore(t, harness.Subject{
			Name: "channel",
			New: func(limit int) pools.Pool {
				p, err := pools.NewChannel(limit)
				if err != nil {
					panic(err)
				}
				return p
			},
		}, harness.Properties("max-concurrency", "liveness"), harness.Runs(50))
		if err != nil {
			t.Fatal(err) // a bad call: an unknown property, Runs(0), ...
		}
		if err := rep.Err(); err != nil {
			t.Error(err)
		}
	}
	_ = TestReport
}
