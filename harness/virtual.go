package harness

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/props"
)

// virtualHorizon is how much virtual time a call may block before the run counts as hung.
// Schedules last milliseconds, so ten seconds of virtual time is only reached by a pool that
// is stuck (time jumps there at once when every goroutine is blocked).
const virtualHorizon = 10 * time.Second

// runVirtual runs sc against a fresh pool of s inside a testing/synctest bubble, under a
// real-time watchdog. It never fails t and never hangs longer than watchdog.
//
// Stacks are costly to collect (runtime.Stack(all) walks every goroutine in the process,
// and a hung bubble's goroutines stay parked there for good), so a hung trace's
// Hang.Stacks is empty; the returned details fills it in, for the run that is reported. It
// works after the fact because stuck goroutines stay stuck. Leaks are first counted with
// runtime.NumGoroutine, and their stacks collected only when the count says there are some.
func runVirtual(t *testing.T, s Subject, sc Schedule, watchdog time.Duration) (tr *props.Trace, details func()) {
	type started struct {
		r      *run
		bubble string
	}
	ready := make(chan started, 1)
	finished := make(chan any, 1)
	res := &props.Trace{}
	go func() {
		defer func() { finished <- recover() }()
		synctest.Test(t, func(*testing.T) {
			me := self()
			bubble := bubbleOf(me.header)
			base := 0
			r := newRun(s, sc, engine{
				unit:    time.Millisecond,
				horizon: virtualHorizon,
				begin:   func() { base = runtime.NumGoroutine() },
				stuck:   func() string { return "" },
				leaks: func() []string {
					if runtime.NumGoroutine() <= base {
						return nil // the common case, found without walking every stack
					}
					var out []string
					for _, g := range inBubble(bubble, me.id) {
						if !harnessOwned(g) {
							out = append(out, g.stack)
						}
					}
					return out
				},
				settle: synctest.Wait,
			})
			ready <- started{r, bubble}
			r.drive(res)
		})
	}()
	st := <-ready
	timer := time.NewTimer(watchdog)
	defer timer.Stop()
	select {
	case p := <-finished:
		tr = st.r.trace(props.Virtual)
		tr.Failure, tr.Hang, tr.Leaked = res.Failure, res.Hang, res.Leaked
		if p != nil && !expectedBubblePanic(p) && tr.Failure == "" {
			tr.Failure = fmt.Sprintf("the run panicked: %v", p)
		}
	case <-timer.C:
		// A goroutine blocked on a sync.Mutex never lets virtual time advance. The bubble
		// is abandoned (its goroutines stay parked in the process) and res is not read:
		// the bubble may still write it.
		tr = st.r.trace(props.Virtual)
		tr.Hang = &props.Hang{At: st.r.rec.now(), Why: "watchdog"}
	}
	details = func() {
		if tr.Hang != nil && tr.Hang.Stacks == "" {
			tr.Hang.Stacks = joinStacks(inBubble(st.bubble, -1))
		}
	}
	return tr, details
}

// inBubble returns the goroutines of a synctest bubble, except the one with id skip and
// synctest's own.
func inBubble(bubble string, skip int) []goroutine {
	var out []goroutine
	for _, g := range goroutines() {
		if g.id != skip && bubbleOf(g.header) == bubble && !strings.Contains(g.header, "[synctest.Run") {
			out = append(out, g)
		}
	}
	return out
}

// expectedBubblePanic reports whether p is synctest's report of goroutines left blocked in
// the bubble: the harness has already recorded them as a hang or a leak.
func expectedBubblePanic(p any) bool {
	return strings.Contains(fmt.Sprint(p), "deadlock")
}
