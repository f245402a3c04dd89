package core

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/props"
)

// virtualHorizon is how much virtual time a call may block before the run counts as hung.
// Schedules last milliseconds, so ten seconds of virtual time is only reached by a pool that
// is stuck (time jumps there at once when every goroutine is blocked).
const virtualHorizon = 10 * time.Second

// Limits bound one virtual-time run in real time.
type Limits struct {
	// Watchdog is the most real time a run may take (default 10s); a run past it is
	// abandoned as hung ("watchdog").
	Watchdog time.Duration
	// Stall is how long the run may record nothing, in real time, before it is examined
	// (default 250ms): if the bubble's goroutines keep running while virtual time stands
	// still, the pool busy-waits ("busy-wait"); if none can run and one waits on a
	// sync.Mutex, which synctest cannot see, it is a mutex deadlock ("mutex deadlock").
	// Either way the run is abandoned at once instead of at the Watchdog.
	Stall time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.Watchdog <= 0 {
		l.Watchdog = 10 * time.Second
	}
	if l.Stall <= 0 {
		l.Stall = 250 * time.Millisecond
	}
	return l
}

// Abandoned reports whether a run ended by being given up in real time (watchdog,
// busy-wait, mutex deadlock): its goroutines stay in the process, and a spinning one keeps
// a CPU busy, so an exploration should go no further in this process.
func Abandoned(tr *props.Trace) bool {
	return tr.Hang != nil && tr.Hang.Why != props.HangDeadlock && tr.Hang.Why != props.HangTimeout
}

// RunVirtual runs sc against a fresh pool of s inside a testing/synctest bubble, watched in
// real time (see Limits). It never fails t and never takes longer than the Watchdog. With a
// policy, the bubble's instrumented goroutines run one at a time in the order it chooses
// (package interleave), and the trace records the switches.
//
// Stacks are costly to collect (runtime.Stack(all) walks every goroutine in the process,
// and a hung bubble's goroutines stay parked there for good), so a hung trace's
// Hang.Stacks is empty; the returned details fills it in, for the run that is reported. It
// works after the fact because stuck goroutines stay stuck. Leaks are first counted with
// runtime.NumGoroutine, and their stacks collected only when the count says there are some
// (leakCheck).
func RunVirtual(t *testing.T, s Subject, sc Schedule, lim Limits, pol *interleave.Policy) (tr *props.Trace, details func()) {
	var ctl atomic.Pointer[interleave.Run] // set in the bubble; the watcher may abandon it
	base := props.Trace{Pool: s.Name, Limit: sc.Limit, Traits: s.Traits}
	abandoned := func(tr *props.Trace) {
		if c := ctl.Load(); c != nil {
			c.Abandon() // deactivated without touching the bubble, so the next run can start
			tr.Switches = switchLines(c.Log())
		}
	}
	return runBubble(t, lim, base, func(rec *recorder, res *props.Trace) {
		lc := newLeakCheck(rec)
		var r *run
		eng := engine{
			unit:    time.Millisecond,
			horizon: virtualHorizon,
			begin:   lc.begin,
			stuck:   func() string { return "" },
			leaks:   lc.leaks,
			settle:  synctest.Wait,
		}
		if pol != nil {
			c, err := interleave.Start(*pol)
			if err != nil {
				res.Failure = "poolcheck: cannot control the interleaving: " + err.Error()
				return
			}
			// Started before the pool exists, so the leak check counts the controller among
			// the harness's goroutines.
			ctl.Store(c)
			eng.spawn, eng.settle = interleave.Go, c.Settle
			rec.point = interleave.Point
			defer func() { res.Switches = switchLines(c.Stop()) }()
		}
		r = newRun(s, sc, eng, rec)
		r.drive(res)
	}, abandoned)
}

// watcher looks at a running bubble from outside, in real time.
type watcher struct {
	rec    *recorder
	bubble string
	stall  time.Duration

	progress int64         // rec.progress when the run last moved
	since    time.Time     // when it last moved
	cpu      time.Duration // the process's CPU time then
	sampling time.Duration // CPU time spent since then walking stacks, which is the watcher's own
	blocked  string        // the stuck goroutines' states at the last look, if none could run
}

func (w *watcher) moved() {
	w.progress, w.since, w.cpu, w.sampling, w.blocked = w.rec.progress.Load(), time.Now(), cpuTime(), 0, ""
}

// examine returns why the run must be given up, or "" while it may still move. It errs on
// the side of waiting: a run given up wrongly would be a false failure, while one that
// waits too long only reaches the Watchdog.
func (w *watcher) examine() string {
	if w.rec.progress.Load() != w.progress || w.rec.busy.Load() {
		w.moved()
		return ""
	}
	still := time.Since(w.since)
	if still < w.stall {
		return ""
	}
	used := cpuTime() - w.cpu - w.sampling
	before := cpuTime()
	gs := inBubble(w.bubble, -1)
	w.sampling += cpuTime() - before
	var runnable, mutex, other int
	var states []string
	for _, g := range gs {
		state := stateOf(g.header)
		states = append(states, state)
		switch {
		case state == "running" || state == "runnable":
			runnable++
		case strings.HasPrefix(state, "sync.Mutex.Lock") || strings.HasPrefix(state, "sync.RWMutex."):
			mutex++
		case !strings.Contains(state, "(durable)"):
			other++ // a syscall, a GC assist, a preemption: a state that passes
		}
	}
	if runnable > 0 {
		w.blocked = ""
		// Goroutines keep running while virtual time stands still and nothing is recorded:
		// a pool that polls. Burnt CPU (ours, not the watcher's) tells it from a machine
		// too loaded to run us; after eight Stalls a correct run would have moved however
		// loaded the machine.
		if cpuKnown && used >= still/2 || still >= 8*w.stall {
			return props.HangBusyWait
		}
		return ""
	}
	if mutex == 0 || other > 0 {
		return "" // durably blocked (virtual time is about to move), or in passing
	}
	// Every goroutine is durably blocked or waits on a mutex: nobody is left to unlock it.
	// Look twice, one tick apart, so a snapshot taken mid-hand-off is not mistaken for a
	// deadlock.
	sig := strings.Join(states, ";")
	if w.blocked == sig {
		return props.HangMutex
	}
	w.blocked = sig
	return ""
}

// switchLines renders a controlled run's switches, one line each.
func switchLines(l interleave.Log) []string {
	out := make([]string, 0, len(l.Switches))
	for _, sw := range l.Switches {
		from := sw.From
		if from == "" {
			from = "-"
		}
		out = append(out, fmt.Sprintf("step %d: %s -> %s at %s (%s)", sw.Step, from, sw.To, sw.Pos, sw.Why))
	}
	return out
}

// stateOf returns the state of a goroutine header: "runnable" from
// "goroutine 7 [runnable, synctest bubble 1]:".
func stateOf(header string) string {
	_, rest, _ := strings.Cut(header, "[")
	state, _, _ := strings.Cut(rest, ",")
	return strings.TrimSuffix(strings.TrimSpace(state), "]:")
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
