package interleave

import (
	"fmt"
	"math/rand/v2"
)

// Policy says which parked goroutine a Run releases at each scheduling point. It is plain
// data, so a property-based generator can draw it and shrink it: the same Policy against
// the same code releases the same goroutines in the same order.
//
// The default is PCT (Burckhardt et al., ASPLOS 2010): every goroutine gets a random
// priority from Seed when the controller first sees it, the eligible goroutine with the
// highest priority runs, and at each step listed in ChangePoints the goroutine that ran
// last drops below every other one (later change points drop lower). With d-1 change
// points drawn uniformly from k steps, PCT finds a bug of depth d among n goroutines with
// probability at least 1/(n·k^(d-1)).
//
// With Random set, each step instead releases an eligible goroutine drawn uniformly from
// Seed (a random walk); ChangePoints are then ignored.
//
// Strict priorities can starve: a goroutine spinning on a flag that a lower-priority one
// must clear would run for ever. Two rules keep every run finite. A goroutine that yields
// (an instrumented runtime.Gosched) is not released at the next step if another one can
// be. And after MaxSteps steps (0: DefaultMaxSteps) every step is a random draw, which
// releases each eligible goroutine infinitely often.
type Policy struct {
	Seed         uint64
	ChangePoints []int // steps (counted from 0) at which the last runner's priority drops
	Random       bool
	MaxSteps     int
}

// DefaultMaxSteps is the steps after which a run with Policy.MaxSteps 0 picks at random.
const DefaultMaxSteps = 10000

// validate reports a Policy no Run can follow.
func (p Policy) validate() error {
	if p.MaxSteps < 0 {
		return fmt.Errorf("interleave: MaxSteps is %d, want 0 (the default) or more", p.MaxSteps)
	}
	for i, c := range p.ChangePoints {
		if c < 0 {
			return fmt.Errorf("interleave: change point %d is %d: steps count from 0", i, c)
		}
	}
	return nil
}

// String renders p as Go syntax, for replay lines.
func (p Policy) String() string {
	return fmt.Sprintf("interleave.Policy{Seed: %d, ChangePoints: %#v, Random: %t, MaxSteps: %d}",
		p.Seed, p.ChangePoints, p.Random, p.MaxSteps)
}

// chooser applies a Policy. It is used under Run.mu only.
type chooser struct {
	p      Policy
	rng    *rand.Rand
	prio   map[*gstate]int64
	change map[int]int // step -> how many change points fall on it before it (drop depth)
}

func newChooser(p Policy) *chooser {
	c := &chooser{p: p, rng: rand.New(rand.NewPCG(p.Seed, 0x9e3779b97f4a7c15)),
		prio: map[*gstate]int64{}, change: map[int]int{}}
	for i, s := range p.ChangePoints {
		if _, ok := c.change[s]; !ok {
			c.change[s] = i + 1
		}
	}
	return c
}

// pick returns the index in cands (sorted by name) of the goroutine to release at step,
// given the goroutine that ran last (nil if none), and whether last was dropped at a
// change point. cands is not empty.
func (c *chooser) pick(step int, cands []*gstate, last *gstate) (int, bool) {
	limit := c.p.MaxSteps
	if limit == 0 {
		limit = DefaultMaxSteps
	}
	if c.p.Random || step >= limit {
		return c.rng.IntN(len(cands)), false
	}
	for _, g := range cands { // first sight, in name order: deterministic priorities
		if _, ok := c.prio[g]; !ok {
			c.prio[g] = 1<<40 + c.rng.Int64N(1<<40)
		}
	}
	dropped := false
	if depth, ok := c.change[step]; ok && last != nil {
		c.prio[last] = int64(-depth) // below every initial priority, later drops lower
		dropped = true
	}
	best := 0
	for i, g := range cands {
		if c.prio[g] > c.prio[cands[best]] {
			best = i
		}
	}
	return best, dropped
}
