package stress

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/poolcheck/poolcheck/internal/core"
	"github.com/poolcheck/poolcheck/props"
)

// Lifetime is one pool's life in a stress run: the schedule, and the settings it ran with.
// Everything in it follows from Seed and the subject's traits.
type Lifetime struct {
	Seed     uint64 // replays this lifetime (see the package doc)
	Scenario string // the shape the schedule was drawn from: burst, close-race, ...
	Procs    int    // GOMAXPROCS while the pool lived

	config   core.RealConfig // Unit, Together and Spin drawn; Grace, Horizon, LeakWait from options
	schedule core.Schedule
}

// Settings renders the lifetime's settings on one line.
func (l Lifetime) Settings() string {
	return fmt.Sprintf("seed=%d scenario=%s GOMAXPROCS=%d unit=%v together=%t spin=%t tasks=%d",
		l.Seed, l.Scenario, l.Procs, l.config.Unit, l.config.Together, l.config.Spin, l.schedule.Tasks())
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
	sh core.Shape
	sc core.Schedule
	id int // the last task id handed out
}

// drawLifetime draws the lifetime with seed for a subject of shape sh.
func drawLifetime(seed uint64, sh core.Shape) Lifetime {
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
		l.config.Unit = time.Microsecond
	case 4, 5, 6, 7:
		l.config.Unit = 10 * time.Microsecond
	default:
		l.config.Unit = 100 * time.Microsecond
	}
	l.config.Together = g.r.IntN(4) != 0
	l.config.Spin = g.r.IntN(2) == 0
	l.Scenario = g.schedule()
	l.schedule = g.sc
	return l
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
		{"close-race", 10, g.sh.WaitsInRun, func() { g.race(core.OpClose) }},
		{"wait-race", 10, g.sh.WaitsInRun, func() { g.race(core.OpWait) }},
		{"cancel-storm", 10, true, g.cancelStorm},
		{"resize", 10, g.sh.Resizes, g.resizeRace},
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
func (g *gen) task() core.Task {
	g.id++
	t := core.Task{ID: g.id}
	if g.pct(35) {
		t.Hold = time.Duration(1+g.r.IntN(4)) * time.Millisecond
	}
	if g.pct(60) {
		t.Yields = g.r.IntN(4)
	}
	switch {
	case g.sh.Panics && g.pct(6):
		t.End = props.Panic
	case g.sh.Goexits && g.pct(4):
		t.End = props.Goexit
	}
	return t
}

// ctx draws a Submit's context; storm raises the share of contexts that end.
func (g *gen) ctx(storm bool) core.Ctx {
	p := 15
	if storm {
		p = 75
	}
	if !g.pct(p) {
		return core.Ctx{}
	}
	after := time.Duration(g.r.IntN(4)) * time.Millisecond
	switch g.r.IntN(3) {
	case 0:
		return core.Ctx{Kind: core.CtxCancel, After: after}
	case 1:
		return core.Ctx{Kind: core.CtxTimeout, After: after}
	default:
		return core.Ctx{Kind: core.CtxDone}
	}
}

func (g *gen) submit(delay time.Duration, storm bool) core.Step {
	return core.Step{Delay: delay, Op: core.OpSubmit, Task: g.task(), Ctx: g.ctx(storm)}
}

// delay draws a short pause before a step: mostly none.
func (g *gen) delay() time.Duration {
	if g.pct(60) {
		return 0
	}
	return time.Duration(1+g.r.IntN(3)) * time.Millisecond
}

// burst is a phase of many submitters, one to three submits each, released together. For
// a pools.TrySubmitter, one burst in four calls TrySubmit instead, which must never block.
func (g *gen) burst(storm bool) core.Phase {
	var ph core.Phase
	try := g.sh.Tries && g.pct(25)
	n := g.sc.Limit + 1 + g.r.IntN(3*g.sc.Limit+6)
	for range n {
		var a core.Actor
		for range 1 + g.r.IntN(3) {
			st := g.submit(0, storm)
			if try {
				st.Op, st.Ctx = core.OpTrySubmit, core.Ctx{}
			}
			a.Steps = append(a.Steps, st)
		}
		ph.Actors = append(ph.Actors, a)
	}
	return ph
}

// then draws what the driver does after a phase: mostly nothing, or a Wait.
func (g *gen) then(ph *core.Phase) {
	switch g.r.IntN(6) {
	case 0, 1:
		ph.Then = core.OpWait
	case 2:
		if g.sh.Resizes {
			ph.Then, ph.Limit = core.OpResize, 1+g.r.IntN(6)
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
func (g *gen) race(op core.Op) {
	ph := g.burst(false)
	for range 1 + g.r.IntN(2) {
		st := core.Step{Delay: time.Duration(g.r.IntN(4)) * time.Millisecond, Op: op}
		a := core.Actor{Steps: []core.Step{st}}
		// Put the racer anywhere among the submitters, so it is released in the crowd.
		i := g.r.IntN(len(ph.Actors) + 1)
		ph.Actors = append(ph.Actors[:i], append([]core.Actor{a}, ph.Actors[i:]...)...)
	}
	if op == core.OpWait && g.pct(50) {
		// Submitters keep coming while the Wait runs.
		for i := range ph.Actors {
			if ph.Actors[i].Steps[0].Op == core.OpSubmit {
				ph.Actors[i].Steps = append(ph.Actors[i].Steps, g.submit(g.delay(), false))
			}
		}
	}
	g.sc.Phases = append(g.sc.Phases, ph)
	if op == core.OpWait && g.pct(50) {
		ph := g.burst(false)
		g.then(&ph)
		g.sc.Phases = append(g.sc.Phases, ph)
	}
}

// cancelStorm fills the pool with tasks that hold their slots until a gate opens, then
// sends many submitters whose contexts end around the moment the gate opens.
func (g *gen) cancelStorm() {
	g.sc.Gates = []time.Duration{time.Duration(1+g.r.IntN(4)) * time.Millisecond}
	var fill core.Phase
	for range g.sc.Limit {
		st := g.submit(0, false)
		st.Ctx = core.Ctx{}
		st.Task.Gate = 1
		fill.Actors = append(fill.Actors, core.Actor{Steps: []core.Step{st}})
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
	var a core.Actor
	for range 1 + g.r.IntN(4) {
		a.Steps = append(a.Steps, core.Step{Delay: g.delay(), Op: core.OpResize, Limit: 1 + g.r.IntN(6)})
	}
	ph.Actors = append(ph.Actors, a)
	g.then(&ph)
	g.sc.Phases = append(g.sc.Phases, ph)
}

// mixed: actors that each submit, wait, close and resize at chosen moments.
func (g *gen) mixed() {
	for range 1 + g.r.IntN(2) {
		var ph core.Phase
		for range 2 + g.r.IntN(6) {
			var a core.Actor
			for range 1 + g.r.IntN(5) {
				delay := g.delay()
				var st core.Step
				switch k := g.r.IntN(20); {
				case k == 0 && g.sh.WaitsInRun:
					st = core.Step{Delay: delay, Op: core.OpWait}
				case k == 1 && g.sh.WaitsInRun:
					st = core.Step{Delay: delay, Op: core.OpClose}
				case k == 2 && g.sh.Resizes:
					st = core.Step{Delay: delay, Op: core.OpResize, Limit: 1 + g.r.IntN(6)}
				case k == 3 && g.sh.Tries:
					st = core.Step{Delay: delay, Op: core.OpTrySubmit, Task: g.task()}
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
		ph.Then = core.OpWait
		g.sc.Phases = append(g.sc.Phases, ph)
	}
}

// sustained: a few actors that each submit many very short tasks back to back, so
// re-arriving submitters race the ones a freed slot wakes, again and again.
func (g *gen) sustained() {
	var ph core.Phase
	for range 2 + g.r.IntN(7) {
		var a core.Actor
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
