package harness

import (
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/props"
)

// virtualHorizon is how much virtual time a call may block before the run counts as hung.
// Schedules last milliseconds, so an hour of virtual time is only reached by a pool that
// is stuck (time jumps there at once when every goroutine is blocked).
const virtualHorizon = time.Hour

// runVirtual runs sc against a fresh pool of s inside a testing/synctest bubble, under a
// real-time watchdog. It never fails t and never hangs longer than watchdog.
func runVirtual(t *testing.T, s Subject, sc Schedule, watchdog time.Duration) *props.Trace {
	type started struct {
		r      *run
		bubble string
	}
	ready := make(chan started, 1)
	finished := make(chan any, 1)
	tr := &props.Trace{}
	go func() {
		defer func() { finished <- recover() }()
		synctest.Test(t, func(*testing.T) {
			me := self()
			bubble := bubbleOf(me.header)
			inBubble := func(keep func(goroutine) bool) []goroutine {
				var out []goroutine
				for _, g := range goroutines() {
					if g.id != me.id && bubbleOf(g.header) == bubble && keep(g) {
						out = append(out, g)
					}
				}
				return out
			}
			r := newRun(s, sc, engine{
				unit:    time.Millisecond,
				horizon: virtualHorizon,
				stuck: func() string {
					return joinStacks(inBubble(func(g goroutine) bool {
						return !strings.Contains(g.header, "[synctest.Run")
					}))
				},
				leaks: func() []string {
					var out []string
					for _, g := range inBubble(func(g goroutine) bool { return !harnessOwned(g) }) {
						out = append(out, g.stack)
					}
					return out
				},
				settle: synctest.Wait,
			})
			ready <- started{r, bubble}
			r.drive(tr)
		})
	}()
	st := <-ready
	timer := time.NewTimer(watchdog)
	defer timer.Stop()
	out := &props.Trace{}
	select {
	case p := <-finished:
		out = st.r.trace(props.Virtual)
		out.Failure, out.Hang, out.Leaked = tr.Failure, tr.Hang, tr.Leaked
		if p != nil && !expectedBubblePanic(p) && out.Failure == "" {
			out.Failure = fmt.Sprintf("the run panicked: %v", p)
		}
	case <-timer.C:
		// A goroutine blocked on a sync.Mutex never lets virtual time advance. The bubble
		// is abandoned (its goroutines stay parked in the process) and tr is not read: the
		// bubble may still write it.
		var stuck []goroutine
		for _, g := range goroutines() {
			if bubbleOf(g.header) == st.bubble {
				stuck = append(stuck, g)
			}
		}
		out = st.r.trace(props.Virtual)
		out.Hang = &props.Hang{At: st.r.rec.now(), Why: "watchdog", Stacks: joinStacks(stuck)}
	}
	return out
}

// expectedBubblePanic reports whether p is synctest's report of goroutines left blocked in
// the bubble: the harness has already recorded them as a hang or a leak.
func expectedBubblePanic(p any) bool {
	return strings.Contains(fmt.Sprint(p), "deadlock")
}
