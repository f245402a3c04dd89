package core

import (
	"runtime"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/props"
)

// leakCheck finds the goroutines a pool left behind in a run's synctest bubble: the one
// mechanism behind no-leak, resource-no-leak and retry-no-leak. It is made inside the
// bubble by the goroutine that drives the run, which it never counts.
type leakCheck struct {
	rec    *recorder
	self   int    // the driving goroutine's id
	bubble string // its bubble's tag
	count  int    // goroutines in the process just before the pool was made
}

func newLeakCheck(rec *recorder) *leakCheck {
	me := self()
	return &leakCheck{rec: rec, self: me.id, bubble: bubbleOf(me.header)}
}

// begin counts the goroutines just before the pool is made.
func (l *leakCheck) begin() { l.count = runtime.NumGoroutine() }

// leaks returns the stacks of the bubble's goroutines that are not the harness's own. Call
// it once the pool is closed, its work done and exiting goroutines settled: what remains
// then stays. It walks every stack only when runtime.NumGoroutine says there are more
// goroutines than when the pool was made.
func (l *leakCheck) leaks() []string {
	if runtime.NumGoroutine() <= l.count {
		return nil // the common case, found without walking every stack
	}
	l.rec.working(true)
	defer l.rec.working(false)
	var out []string
	for _, g := range inBubble(l.bubble, l.self) {
		if !harnessOwned(g) {
			out = append(out, g.stack)
		}
	}
	return out
}

// leftBehind ends a resource or retrying pool's run after its final Close: it waits until
// every Create or attempt the pool began has returned (or records a hang in tr once the
// horizon passes first), ends the run's contexts, lets goroutines that are only exiting
// exit (synctest.Wait), and records in tr the goroutines the pool left behind.
func leftBehind(rec *recorder, lc *leakCheck, c *ctxs, tr *props.Trace) {
	timer := time.NewTimer(virtualHorizon)
	defer timer.Stop()
	for !rec.idle() {
		select {
		case <-rec.ended:
		case <-timer.C:
			tr.Hang = &props.Hang{At: rec.now(), Why: props.HangDeadlock}
			return
		}
	}
	c.stopAll()
	synctest.Wait()
	tr.Leaked = lc.leaks()
}
