package stress

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/props"
)

// shape is what the generator may use for a subject: only what its traits allow.
type shape struct {
	panics     bool // tasks may panic (Traits.Panics != Crashes)
	goexits    bool // tasks may call runtime.Goexit (Traits.Goexit == GoexitHandled)
	resizes    bool // the pool is a pools.Resizer
	waitsInRun bool // actors may call Wait and Close while others submit (!NoSubmitDuringWait)
}

func shapeOf(t harness.Traits, p pools.Pool) shape {
	_, resizes := p.(pools.Resizer)
	return shape{
		panics:     t.Panics != props.Crashes,
		goexits:    t.Goexit == props.GoexitHandled,
		resizes:    resizes,
		waitsInRun: !t.NoSubmitDuringWait,
	}
}

// Lifetime is one pool's life in a stress run: the schedule, and the settings it ran with.
// Everything in it follows from Seed and the subject's traits.
type Lifetime struct {
	Seed     uint64             // replays this lifetime (see the package doc)
	Scenario string             // the shape the schedule was drawn from: burst, close-race, ...
	Procs    int                // GOMAXPROCS while the pool lived
	Config   harness.RealConfig // Unit, Together and Spin drawn; Grace, Horizon, LeakWait from options
	Schedule harness.Schedule
}

// Settings renders the lifetime's settings on one line.
func (l Lifetime) Settings() string {
	return fmt.Sprintf("seed=%d scenario=%s GOMAXPROCS=%d unit=%v together=%t spin=%t tasks=%d",
		l.Seed, l.Scenario, l.Procs, l.Config.Unit, l.Config.Together, l.Config.Spin, l.Schedule.Tasks())
}

// rngFor returns the random source of the lifetime with seed: consecutive seeds give
// unrelated streams.
func rngFor(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(mix(seed), mix(seed^0x9e3779b97f4a7c15)))
}

// mix is splitmix64's finalizer.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// gen draws schedules for one lifetime.
type gen struct {
	r  *rand.Rand
	sh shape
	sc harness.Schedule
	id int // the last task id handed out
}

// drawLifetime draws the lifetime with seed for a subject of shape sh.
func drawLifetime(seed uint64, sh shape) Lifetime {
	g := &gen{r: rngFor(seed), sh: sh}
	l := Lifetime{Seed: seed}
	// One processor finds no check-then-act window (only preemption could split one), so
	// it gets one lifetime in eight; the rest spread over 2..2*NumCPU, more processors than
	// cores letting the OS preempt a thread inside a window too.
	l.Procs = 1
	if n := 2 * runtime.NumCPU(); n > 1 && g.r.IntN(8) != 0 {
		l.Procs = 2 + g.r.IntN(n-1)
	}
	switch g.r.IntN(10) {
	case 0, 1, 2, 3:
		l.Config.Unit = time.Microsecond
	case 4, 5, 6, 7:
		l.Config.Unit = 10 * time.Microsecond
	default:
		l.Config.Unit = 100 * time.Microsecond
	}
	l.Config.Together = g.r.IntN(4) != 0
	l.Config.Spin = g.r.IntN(2) == 0
	l.Scenario = g.schedule()
	g.calmAfterClose()
	l.Schedule = g.sc
	return l
}

// calmAfterClose keeps to contexts that end before their Submit begins (or never) in a
// schedule where an actor closes the pool: a Submit that begins after Close returned and
// whose ctx ends during the call may return ctx.Err(), which the close property accepts
// only for a ctx that had ended before the Submit began; in virtual time no ctx ends during
// a Submit that does not block, in real time one may, and a correct pool would fail.
func (g *gen) calmAfterClose() {
	closes := false
	for _, ph := range g.sc.Phases {
		for _, a := range ph.Actors {
			for _, st := range a.Steps {
				closes = closes || st.Op == harness.OpClose
			}
		}
	}
	if !closes {
		return
	}
	for _, ph := range g.sc.Phases {
		for _, a := range ph.Actors {
			for i := range a.Steps {
				if k := a.Steps[i].Ctx.Kind; k == harness.CtxCancel || k == harness.CtxTimeout {
					a.Steps[i].Ctx = harness.Ctx{Kind: harness.CtxDone}
				}
			}
		}
	}
}

// schedule fills g.sc and returns the scenario's name. Most scenarios start with a burst
// onto the fresh pool: most pool bugs live in a pool's first moments.
func (g *gen) schedule() string {
	g.sc.Limit = g.limit()
	g.sc.CloseTwice = g.r.IntN(3) == 0
	scenarios := []struct {
		name   string
		weight int
		ok     bool
		draw   func()
	}{
		{"burst", 15, true, g.bursts},
		{"rebursts", 30, true, g.rebursts},
		{"sustained", 10, true, g.sustained},
		{"close-race", 10, g.sh.waitsInRun, func() { g.race(harness.OpClose) }},
		{"wait-race", 10, g.sh.waitsInRun, func() { g.race(harness.OpWait) }},
		{"cancel-storm", 10, true, g.cancelStorm},
		{"resize", 10, g.sh.resizes, g.resizeRace},
		{"mixed", 5, true, g.mixed},
	}
	total := 0
	for _, s := range scenarios {
		if s.ok {
			total += s.weight
		}
	}
	pick := g.r.IntN(total)
	for _, s := range scenarios {
		if !s.ok {
			continue
		}
		if pick < s.weight {
			s.draw()
			return s.name
		}
		pick -= s.weight
	}
	panic("unreachable")
}

// limit draws a pool limit: small limits put every submitter at the boundary.
func (g *gen) limit() int {
	if g.r.IntN(8) == 0 {
		return 5 + g.r.IntN(4)
	}
	return 1 + g.r.IntN(4)
}

func (g *gen) pct(p int) bool { return g.r.IntN(100) < p }

// task draws a very short task: mostly no hold at all, sometimes a few units, yielding a
// few times; panicking or calling runtime.Goexit only where the traits allow.
func (g *gen) task() harness.Task {
	g.id++
	t := harness.Task{ID: g.id}
	if g.pct(35) {
		t.Hold = time.Duration(1+g.r.IntN(4)) * time.Millisecond
	}
	if g.pct(60) {
		t.Yields = g.r.IntN(4)
	}
	switch {
	case g.sh.panics && g.pct(6):
		t.End = props.Panic
	case g.sh.goexits && g.pct(4):
		t.End = props.Goexit
	}
	return t
}

// ctx draws a Submit's context; storm raises the share of contexts that end.
func (g *gen) ctx(storm bool) harness.Ctx {
	p := 15
	if storm {
		p = 75
	}
	if !g.pct(p) {
		return harness.Ctx{}
	}
	after := time.Duration(g.r.IntN(4)) * time.Millisecond
	switch g.r.IntN(3) {
	case 0:
		return harness.Ctx{Kind: harness.CtxCancel, After: after}
	case 1:
		return harness.Ctx{Kind: harness.CtxTimeout, After: after}
	default:
		return harness.Ctx{Kind: harness.CtxDone}
	}
}

func (g *gen) submit(delay time.Duration, storm bool) harness.Step {
	return harness.Step{Delay: delay, Op: harness.OpSubmit, Task: g.task(), Ctx: g.ctx(storm)}
}

// delay draws a short pause before a step: mostly none.
func (g *gen) delay() time.Duration {
	if g.pct(60) {
		return 0
	}
	return time.Duration(1+g.r.IntN(3)) * time.Millisecond
}

// burst is a phase of many submitters, one to three submits each, released together.
func (g *gen) burst(storm bool) harness.Phase {
	var ph harness.Phase
	n := g.sc.Limit + 1 + g.r.IntN(3*g.sc.Limit+6)
	for range n {
		var a harness.Actor
		for range 1 + g.r.IntN(3) {
			a.Steps = append(a.Steps, g.submit(0, storm))
		}
		ph.Actors = append(ph.Actors, a)
	}
	return ph
}

// then draws what the driver does after a phase: mostly nothing, or a Wait.
func (g *gen) then(ph *harness.Phase) {
	switch g.r.IntN(6) {
	case 0, 1:
		ph.Then = harness.OpWait
	case 2:
		if g.sh.resizes {
			ph.Then, ph.Limit = harness.OpResize, 1+g.r.IntN(6)
		}
	}
}

// bursts: one to three bursts, the first onto the fresh pool.
func (g *gen) bursts() {
	for range 1 + g.r.IntN(3) {
		ph := g.burst(false)
		g.then(&ph)
		g.sc.Phases = append(g.sc.Phases, ph)
	}
}

// race: submitters onto a fresh pool while one or two actors call op (Close or Wait)
// after a pause of zero to a few units.
func (g *gen) race(op harness.Op) {
	ph := g.burst(false)
	for range 1 + g.r.IntN(2) {
		st := harness.Step{Delay: time.Duration(g.r.IntN(4)) * time.Millisecond, Op: op}
		a := harness.Actor{Steps: []harness.Step{st}}
		// Put the racer anywhere among the submitters, so it is released in the crowd.
		i := g.r.IntN(len(ph.Actors) + 1)
		ph.Actors = append(ph.Actors[:i], append([]harness.Actor{a}, ph.Actors[i:]...)...)
	}
	if op == harness.OpWait && g.pct(50) {
		// Submitters keep coming while the Wait runs.
		for i := range ph.Actors {
			if ph.Actors[i].Steps[0].Op == harness.OpSubmit {
				ph.Actors[i].Steps = append(ph.Actors[i].Steps, g.submit(g.delay(), false))
			}
		}
	}
	g.sc.Phases = append(g.sc.Phases, ph)
	if op == harness.OpWait && g.pct(50) {
		ph := g.burst(false)
		g.then(&ph)
		g.sc.Phases = append(g.sc.Phases, ph)
	}
}

// cancelStorm fills the pool with tasks that hold their slots until a gate opens, then
// sends many submitters whose contexts end around the moment the gate opens.
func (g *gen) cancelStorm() {
	g.sc.Gates = []time.Duration{time.Duration(1+g.r.IntN(4)) * time.Millisecond}
	var fill harness.Phase
	for range g.sc.Limit {
		st := g.submit(0, false)
		st.Ctx = harness.Ctx{}
		st.Task.Gate = 1
		fill.Actors = append(fill.Actors, harness.Actor{Steps: []harness.Step{st}})
	}
	storm := g.burst(true)
	// Fill and storm in one phase: the storm races the fill for the slots too.
	fill.Actors = append(fill.Actors, storm.Actors...)
	g.sc.Phases = append(g.sc.Phases, fill)
	if g.pct(50) {
		ph := g.burst(true)
		g.then(&ph)
		g.sc.Phases = append(g.sc.Phases, ph)
	}
}

// resizeRace: submitters while an actor resizes the pool up and down.
func (g *gen) resizeRace() {
	ph := g.burst(false)
	var a harness.Actor
	for range 1 + g.r.IntN(4) {
		a.Steps = append(a.Steps, harness.Step{Delay: g.delay(), Op: harness.OpResize, Limit: 1 + g.r.IntN(6)})
	}
	ph.Actors = append(ph.Actors, a)
	g.then(&ph)
	g.sc.Phases = append(g.sc.Phases, ph)
}

// mixed: actors that each submit, wait, close and resize at chosen moments.
func (g *gen) mixed() {
	for range 1 + g.r.IntN(2) {
		var ph harness.Phase
		for range 2 + g.r.IntN(6) {
			var a harness.Actor
			for range 1 + g.r.IntN(5) {
				delay := g.delay()
				var st harness.Step
				switch k := g.r.IntN(20); {
				case k == 0 && g.sh.waitsInRun:
					st = harness.Step{Delay: delay, Op: harness.OpWait}
				case k == 1 && g.sh.waitsInRun:
					st = harness.Step{Delay: delay, Op: harness.OpClose}
				case k == 2 && g.sh.resizes:
					st = harness.Step{Delay: delay, Op: harness.OpResize, Limit: 1 + g.r.IntN(6)}
				default:
					st = g.submit(delay, g.pct(20))
				}
				a.Steps = append(a.Steps, st)
			}
			ph.Actors = append(ph.Actors, a)
		}
		g.then(&ph)
		g.sc.Phases = append(g.sc.Phases, ph)
	}
}

// rebursts: many bursts one after another, each onto an idle pool (a Wait between them):
// the moments just after a pool is made or drained, many times in one lifetime.
func (g *gen) rebursts() {
	for range 4 + g.r.IntN(12) {
		ph := g.burst(false)
		ph.Then = harness.OpWait
		g.sc.Phases = append(g.sc.Phases, ph)
	}
}

// sustained: a few actors that each submit many very short tasks back to back, so
// re-arriving submitters race the ones a freed slot wakes, again and again.
func (g *gen) sustained() {
	var ph harness.Phase
	for range 2 + g.r.IntN(7) {
		var a harness.Actor
		for range 5 + g.r.IntN(26) {
			st := g.submit(0, false)
			st.Task.Hold = time.Duration(g.r.IntN(2)) * time.Millisecond
			a.Steps = append(a.Steps, st)
		}
		ph.Actors = append(ph.Actors, a)
	}
	g.then(&ph)
	g.sc.Phases = append(g.sc.Phases, ph)
}
