package core

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/props"
)

// runBubble runs drive in a testing/synctest bubble of t, watched in real time (see
// Limits), and returns its trace: base with the recorded events, and what drive filled into
// res (a setup failure, a hang, leaks, switches). drive gets the run's recorder, made inside
// the bubble so that its clock is virtual. abandoned, if not nil, is called with the trace
// of a run given up in real time. Every virtual-time engine runs on it.
func runBubble(t *testing.T, lim Limits, base props.Trace, drive func(rec *recorder, res *props.Trace),
	abandoned func(tr *props.Trace)) (*props.Trace, func()) {
	lim = lim.withDefaults()
	type started struct {
		rec    *recorder
		bubble string
	}
	ready := make(chan started, 1)
	finished := make(chan any, 1)
	res := &props.Trace{}
	go func() {
		defer func() { finished <- recover() }()
		synctest.Test(t, func(*testing.T) {
			rec := newRecorder(time.Millisecond)
			ready <- started{rec, bubbleOf(self().header)}
			drive(rec, res)
		})
	}()
	st := <-ready
	trace := func() *props.Trace {
		tr := base
		tr.Mode = props.Virtual
		tr.Events = st.rec.snapshot()
		return &tr
	}
	watchdog := time.NewTimer(lim.Watchdog)
	defer watchdog.Stop()
	tick := time.NewTicker(lim.Stall / 5)
	defer tick.Stop()
	w := watcher{rec: st.rec, bubble: st.bubble, stall: lim.Stall}
	w.moved()
	abandon := func(why string) (*props.Trace, func()) {
		tr := trace()
		tr.Hang = &props.Hang{At: st.rec.lastAt(), Why: why}
		if abandoned != nil {
			abandoned(tr)
		}
		return tr, func() {
			if tr.Hang.Stacks == "" {
				tr.Hang.Stacks = joinStacks(inBubble(st.bubble, -1))
			}
		}
	}
	for {
		select {
		case p := <-finished:
			tr := trace()
			tr.Failure, tr.Hang, tr.Leaked, tr.Switches = res.Failure, res.Hang, res.Leaked, res.Switches
			if p != nil && !expectedBubblePanic(p) && tr.Failure == "" {
				tr.Failure = fmt.Sprintf("the run panicked: %v", p)
			}
			return tr, func() {}
		case <-watchdog.C:
			return abandon(props.HangWatchdog)
		case <-tick.C:
			if why := w.examine(); why != "" {
				return abandon(why)
			}
		}
	}
}

// drivePhases runs phases one after another: the actors of a phase concurrently (run is
// called with the phase, the actor's index in it, and its number, counted from 1 across
// phases), then, once all of them are done, after, which returns false to stop. It reports
// whether the run got through every phase; actors that outlive the horizon record a hang
// in tr.
func drivePhases[P any](rec *recorder, tr *props.Trace, phases []P, actors func(P) int,
	run func(ph P, i, actor int), after func(P) bool) bool {
	id := 0
	for _, ph := range phases {
		n := actors(ph)
		done := make(chan struct{}, n)
		for i := range n {
			id++
			actor := id
			go func() {
				defer func() { done <- struct{}{} }()
				run(ph, i, actor)
			}()
		}
		if !awaitAll(rec, done, n, virtualHorizon, tr) || !after(ph) {
			return false
		}
	}
	return true
}

// awaitAll waits for n signals on done, or records a hang in tr once horizon passes first.
func awaitAll(rec *recorder, done <-chan struct{}, n int, horizon time.Duration, tr *props.Trace) bool {
	timer := time.NewTimer(horizon)
	defer timer.Stop()
	for range n {
		select {
		case <-done:
		case <-timer.C:
			tr.Hang = &props.Hang{At: rec.now(), Why: props.HangDeadlock}
			return false
		}
	}
	return true
}
