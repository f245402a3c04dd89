package core

import (
	"time"

	"pgregory.net/rapid"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/props"
)

// Shape is what the generator may use for a subject: only what its traits allow.
type Shape struct {
	Panics     bool // tasks may panic (Traits.Panics is not Crashes)
	Goexits    bool // tasks may call runtime.Goexit (Traits.Goexit is GoexitHandled)
	Resizes    bool // the pool is a pools.Resizer
	Tries      bool // the pool is a pools.TrySubmitter
	WaitsInRun bool // Wait and Close may overlap Submits (not Traits.NoSubmitDuringWait)
	// Instants lets tasks hold their slot for no time at all, so many things happen at one
	// virtual instant. Only where a policy orders the goroutines (the Controlled engine):
	// otherwise the Go scheduler decides that order, and a failure would not repeat.
	Instants bool
}

// ShapeOf is the Shape of a subject with traits t whose pools are like p.
func ShapeOf(t props.Traits, p pools.Pool) Shape {
	_, resizes := p.(pools.Resizer)
	_, tries := p.(pools.TrySubmitter)
	return Shape{
		Panics:     t.Panics != props.Crashes,
		Goexits:    t.Goexit == props.GoexitHandled,
		Resizes:    resizes,
		Tries:      tries,
		WaitsInRun: !t.NoSubmitDuringWait,
	}
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// Draw draws a schedule: a small limit, one to three phases, each either a burst
// (more submitters than slots, released together onto the pool, maybe raced by a Wait or
// by one or two Closes while they are blocked) or a mix of actors that
// submit, wait, close and resize at chosen moments; tasks that hold their slot for a few
// milliseconds or until a shared gate opens, yield, panic or call runtime.Goexit; contexts
// that are cancelled, time out, or are done already.
func Draw(t *rapid.T, sh Shape) Schedule {
	sc := Schedule{Limit: rapid.IntRange(1, 4).Draw(t, "limit")}
	// millis draws a duration of lo to hi milliseconds. A controlled run interleaves only
	// the goroutines that are runnable at one virtual instant, so under Instants half the
	// schedules squeeze every duration into lo to lo+2: submits, task ends, ctx ends and
	// gates then fall on the same instants far more often.
	squeeze := sh.Instants && rapid.Bool().Draw(t, "squeezed durations")
	millis := func(lo, hi int, label string) time.Duration {
		if squeeze {
			hi = min(hi, lo+2)
		}
		return ms(rapid.IntRange(lo, hi).Draw(t, label))
	}
	for range rapid.IntRange(0, 3).Draw(t, "gates") {
		sc.Gates = append(sc.Gates, millis(1, 12, "gate opens at ms"))
	}
	id := 0
	nextTask := func() Task {
		id++
		shortest := 1
		if sh.Instants {
			shortest = 0
		}
		tk := Task{ID: id, Hold: millis(shortest, 6, "hold ms")}
		if len(sc.Gates) > 0 && rapid.IntRange(0, 3).Draw(t, "on a gate") == 3 {
			tk.Gate = rapid.IntRange(1, len(sc.Gates)).Draw(t, "gate")
		}
		tk.Yields = rapid.IntRange(0, 2).Draw(t, "yields")
		switch rapid.IntRange(0, 9).Draw(t, "end") {
		case 8:
			if sh.Panics {
				tk.End = props.Panic
			}
		case 9:
			if sh.Goexits {
				tk.End = props.Goexit
			}
		}
		return tk
	}
	nextCtx := func() Ctx {
		switch rapid.IntRange(0, 9).Draw(t, "ctx") {
		case 6, 7:
			return Ctx{Kind: CtxCancel, After: millis(1, 5, "cancel after ms")}
		case 8:
			return Ctx{Kind: CtxTimeout, After: millis(1, 5, "timeout after ms")}
		case 9:
			return Ctx{Kind: CtxDone}
		}
		return Ctx{}
	}
	for range rapid.IntRange(1, 3).Draw(t, "phases") {
		var ph Phase
		if kind := rapid.IntRange(0, 3).Draw(t, "phase kind"); kind > 0 {
			// A burst: limit+1 to 2*limit+3 submitters at once, onto a fresh or busy pool, so
			// several are blocked when a slot frees (more than the slots that free together).
			try := sh.Tries && rapid.IntRange(0, 3).Draw(t, "burst tries") == 3
			for range sc.Limit + rapid.IntRange(1, sc.Limit+3).Draw(t, "burst excess") {
				st := Step{Op: OpSubmit, Task: nextTask()}
				if try {
					st.Op = OpTrySubmit
				} else {
					st.Ctx = nextCtx()
				}
				ph.Actors = append(ph.Actors, Actor{Steps: []Step{st}})
			}
			// A racer: a Wait or Close arrives while the burst's submitters are blocked; a
			// closing racer may have a second one, so that two Closes overlap.
			if kind >= 2 && sh.WaitsInRun {
				st := Step{Delay: millis(0, 3, "racer delay ms"), Op: OpWait}
				if rapid.Bool().Draw(t, "racer closes") {
					st.Op = OpClose
				}
				ph.Actors = append(ph.Actors, Actor{Steps: []Step{st}})
				if st.Op == OpClose && rapid.IntRange(0, 2).Draw(t, "second closer") == 2 {
					st.Delay = millis(0, 3, "second closer delay ms")
					ph.Actors = append(ph.Actors, Actor{Steps: []Step{st}})
				}
			}
		} else {
			for range rapid.IntRange(1, 4).Draw(t, "actors") {
				var a Actor
				for range rapid.IntRange(1, 4).Draw(t, "steps") {
					st := Step{Delay: millis(0, 3, "delay ms")}
					switch k := rapid.IntRange(0, 15).Draw(t, "op"); {
					case k == 13 && sh.WaitsInRun:
						st.Op = OpWait
					case k == 14 && sh.WaitsInRun:
						st.Op = OpClose
					case k == 12 && sh.Tries:
						st.Op, st.Task = OpTrySubmit, nextTask()
					case k == 15 && sh.Resizes:
						st.Op, st.Limit = OpResize, rapid.IntRange(1, 5).Draw(t, "resize to")
					default:
						st.Op, st.Task, st.Ctx = OpSubmit, nextTask(), nextCtx()
					}
					a.Steps = append(a.Steps, st)
				}
				ph.Actors = append(ph.Actors, a)
			}
		}
		switch rapid.IntRange(0, 7).Draw(t, "then") {
		case 4, 5:
			ph.Then = OpWait
		case 6:
			ph.Then = OpClose
		case 7:
			if sh.Resizes {
				ph.Then, ph.Limit = OpResize, rapid.IntRange(1, 5).Draw(t, "then resize to")
			}
		}
		sc.Phases = append(sc.Phases, ph)
	}
	sc.CloseTwice = rapid.Bool().Draw(t, "close twice")
	return sc
}
