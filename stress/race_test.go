package stress_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/internal/isolate"
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/stress"
)

// racyPool is a channel semaphore that keeps every property and has one data race: Submit
// reads closed without the lock, as a "fast path", while Close writes it under the lock.
// Only the race detector sees it.
type racyPool struct {
	sem    chan struct{} // one token per running task; capacity limit
	mu     sync.Mutex
	idle   *sync.Cond // signalled when n drops to zero
	n      int        // accepted or admitting, not finished
	closed bool
}

func newRacyPool(limit int) pools.Pool {
	p := &racyPool{sem: make(chan struct{}, limit)}
	p.idle = sync.NewCond(&p.mu)
	return p
}

func (p *racyPool) Submit(ctx context.Context, task func()) error {
	if p.closed { // BUG: read without the lock
		return pools.ErrClosed
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return pools.ErrClosed
	}
	p.n++
	p.mu.Unlock()
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		p.done()
		return ctx.Err()
	}
	go func() {
		defer p.done()
		defer func() { <-p.sem }()
		defer func() { _ = recover() }()
		task()
	}()
	return nil
}

func (p *racyPool) done() {
	p.mu.Lock()
	p.n--
	if p.n == 0 {
		p.idle.Broadcast()
	}
	p.mu.Unlock()
}

func (p *racyPool) Wait() {
	p.mu.Lock()
	for p.n > 0 {
		p.idle.Wait()
	}
	p.mu.Unlock()
}

func (p *racyPool) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.Wait()
}

const fixtureEnv = "POOLCHECK_STRESS_RACE_FIXTURE"

// TestRaceFixture stresses racyPool; it runs only as the child of TestRaceReported, since
// under -race it fails by design.
func TestRaceFixture(t *testing.T) {
	if os.Getenv(fixtureEnv) == "" {
		t.Skip("run by TestRaceReported")
	}
	stress.Check(t, harness.Subject{Name: "racy-closed-flag", New: newRacyPool}, stress.StopOnFailure())
}

// TestRaceReported proves that a data race in a pool fails the stress test with the race
// detector's report, the pool's name, the lifetime's seed and a replay line.
func TestRaceReported(t *testing.T) {
	if !stress.RaceEnabled {
		t.Skip("needs -race")
	}
	if os.Getenv(fixtureEnv) != "" {
		t.Skip("in the child")
	}
	oc, err := isolate.Run(isolate.Spec{Path: os.Args[0], Args: []string{"-test.run=^TestRaceFixture$", "-test.v"},
		Env: []string{fixtureEnv + "=1", stress.EnvDuration + "=60s"}})
	if err != nil {
		t.Fatal(err)
	}
	text := oc.Output
	if oc.Exit == "" {
		t.Fatalf("the racy pool passed:\n%s", text)
	}
	if len(oc.Races) == 0 || !strings.Contains(oc.Races[0], "(*racyPool).Submit") || !strings.Contains(oc.Races[0], "(*racyPool).Close") {
		t.Errorf("the race detector's reports do not name the racy Submit and Close: %q", oc.Races)
	}
	for _, want := range []string{
		`data race: the race detector reported (above) during lifetime`,
		`of pool "racy-closed-flag"`,
		"settings: seed=",
		"replay: " + stress.EnvSeed + "=",
		"--- FAIL: TestRaceFixture",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the child's output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("child output:\n%s", text)
	}
}
