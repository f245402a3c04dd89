package harness_test

import (
	"context"
	"strings"
	"testing"
	"time"

	pondv2 "github.com/alitto/pond/v2"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/props"
)

// crashingWorkers runs tasks on limit worker goroutines that do not recover a task's
// panic, while the subject declares the zero Traits (panics recovered): the first
// panicking task kills the process that runs it.
type crashingWorkers struct {
	tasks chan func()
	done  chan struct{}
	quit  chan struct{}
}

func newCrashingWorkers(limit int) pools.Pool {
	p := &crashingWorkers{tasks: make(chan func()), done: make(chan struct{}, limit), quit: make(chan struct{})}
	for range limit {
		go func() {
			defer func() { p.done <- struct{}{} }()
			for {
				select {
				case f := <-p.tasks:
					f() // no recover
				case <-p.quit:
					return
				}
			}
		}()
	}
	return p
}

func (p *crashingWorkers) Submit(ctx context.Context, task func()) error {
	select {
	case p.tasks <- task:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
func (p *crashingWorkers) Wait() {}
func (p *crashingWorkers) Close() {
	close(p.quit)
	for range cap(p.done) {
		<-p.done
	}
}

// pondStopAndWait stops a pond v2 pool with StopAndWait in Close, which goes through pond's
// process-wide default pool: pools in two synctest bubbles of one process then share it.
type pondStopAndWait struct{ p pondv2.Pool }

func (p pondStopAndWait) Submit(ctx context.Context, task func()) error { return p.p.Go(task) }
func (p pondStopAndWait) Wait()                                         {}
func (p pondStopAndWait) Close()                                        { p.p.StopAndWait() }

// One test binary checks, in this order, a pool that busy-waits, one whose Close holds a
// mutex its finishing tasks need, one whose worker dies of a task's panic, one that shares
// process-wide state across bubbles, and then correct pools: every bad pool is reported
// with its cause and every correct one after them passes.
func TestHostilePoolsDoNotTakeTheSuiteDown(t *testing.T) {
	start := time.Now()
	lookup := func(name string) harness.Subject {
		e, ok := catalog.Lookup(name)
		if !ok {
			t.Fatalf("no pool %q in the catalogue", name)
		}
		return e.Subject
	}
	// A hang is reported with its cause: by the property its run broke, or, where the run
	// broke none, by the properties it left unjudged.
	hang := func(why string) func(*harness.Report) string {
		return func(rep *harness.Report) string {
			if err := rep.Err(); err == nil || !strings.Contains(err.Error(), why+":") {
				return "want the report to fail with a " + why + " hang"
			}
			return ""
		}
	}
	crash := func(kind, words string) func(*harness.Report) string {
		return func(rep *harness.Report) string {
			if rep.Crash == nil || rep.Crash.Kind != kind || !strings.Contains(rep.Crash.Reason, words) {
				return "want a " + kind + " crash saying " + words
			}
			for _, r := range rep.Results {
				if r.Verdict == harness.Pass {
					return "a property passed though the process crashed"
				}
			}
			return ""
		}
	}
	passes := func(rep *harness.Report) string {
		if err := rep.Err(); err != nil {
			return "want a pass: " + err.Error()
		}
		return ""
	}
	cases := []struct {
		s     harness.Subject
		judge func(*harness.Report) string
	}{
		{lookup("broken-poll-yield"), hang(props.HangBusyWait)},
		{lookup("broken-close-holds-lock"), hang(props.HangMutex)},
		{harness.Subject{Name: "crashing-workers", New: newCrashingWorkers}, crash("panic", "not recovered")},
		{harness.Subject{Name: "pond-v2-stop-and-wait", New: func(n int) pools.Pool { return pondStopAndWait{pondv2.NewPool(n)} },
			Traits: harness.Traits{Queue: harness.Unbounded, Panics: harness.Crashes, IgnoresCtx: true}},
			crash("shared-state", "shares state across pools")},
		{lookup("channel"), passes},
		{lookup("workers"), passes},
		{lookup("mutex"), passes},
	}
	for _, c := range cases {
		began := time.Now()
		rep := explore(t, c.s)
		if why := c.judge(rep); why != "" {
			t.Errorf("%s: %s; got:\n%v\ncrash: %+v", c.s.Name, why, rep.Err(), rep.Crash)
			continue
		}
		cause := "passed"
		if err := rep.Err(); err != nil {
			cause, _, _ = strings.Cut(err.Error(), "\n")
		}
		t.Logf("%s (%v): %s", c.s.Name, time.Since(began).Round(time.Millisecond), cause)
	}
	t.Logf("the whole suite took %v", time.Since(start).Round(time.Millisecond))
}
