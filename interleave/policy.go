package interleave

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
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
// Drops adds change points that need no step count. At every contested step (the goroutine
// that ran last is parked and eligible, and so is another one) it drops below every other
// one with probability Drops/256 if the operation it just did was a read or a release (an
// atomic Load, an Unlock or RUnlock: where the windows of check-then-act races open, as
// the goroutine goes on to act on what it saw), and with a quarter of that after any
// other operation. The draws come from a stream of Seed's of their own, one per contested
// step. A run's length is not known when its policy is drawn and most of its steps are
// not contested, so change points drawn from a fixed range mostly fall where they change
// nothing; a rate lands a drop inside any short window with the same odds, however long
// the run. A lower Drops compares the same draws with lower thresholds: the run is the
// same up to the first drop it no longer makes, so a shrinker moving Drops toward 0 moves
// toward "no preemption".
//
// With Random set, each step instead releases an eligible goroutine drawn uniformly from
// Seed (a random walk); ChangePoints and Drops are then ignored.
//
// Strict priorities can starve: a goroutine spinning on a flag that a lower-priority one
// must clear would run for ever. Three rules keep every run finite and fair, as the Go
// scheduler is. A goroutine that yields (an instrumented runtime.Gosched) is not released
// at the next step if another one can be. A goroutine passed over for 128 steps in a row
// while eligible is released next, whatever its priority (a spin loop with no yield in
// it, such as a select on a closed channel until a flag is set, lets the goroutine it
// waits for run a step every 128). And after MaxSteps steps (0: DefaultMaxSteps) every
// step is a random draw, which releases each eligible goroutine infinitely often.
type Policy struct {
	Seed         uint64
	ChangePoints []int // steps (counted from 0) at which the last runner's priority drops
	Drops        int   // 0 to 256: the chance, in 256ths, of a drop at a contested step (see above)
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
	if p.Drops < 0 || p.Drops > 256 {
		return fmt.Errorf("interleave: Drops is %d, want 0 to 256", p.Drops)
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
	return fmt.Sprintf("interleave.Policy{Seed: %d, ChangePoints: %#v, Drops: %d, Random: %t, MaxSteps: %d}",
		p.Seed, p.ChangePoints, p.Drops, p.Random, p.MaxSteps)
}

// chooser applies a Policy. It is used under Run.mu only.
type chooser struct {
	p      Policy
	rng    *rand.Rand // random walks, select cases
	prio   map[*gstate]int64
	roles  map[string]int // first positions -> goroutines first seen there
	change map[int]bool   // steps with a change point
	depth  int64          // drops so far: each one goes below the last
}

func newChooser(p Policy) *chooser {
	c := &chooser{p: p, rng: rand.New(rand.NewPCG(p.Seed, 0x9e3779b97f4a7c15)),
		prio: map[*gstate]int64{}, roles: map[string]int{}, change: map[int]bool{}}
	for _, s := range p.ChangePoints {
		c.change[s] = true
	}
	return c
}

// draw is the policy's coin for the goroutine with role at its n-th release (-1: its
// priority): a hash of the seed, the role and n. A goroutine's role is where the
// controller first saw it parked and how many goroutines it had first seen there before
// ("pool.go:40 select#2"), which does not change when goroutines that first park
// elsewhere, or later, come or go. Because a goroutine's priority and drops depend on
// nothing else, a shrinker can remove the actors that play no part in a failure and keep
// it.
func draw(seed uint64, role string, n int) uint64 {
	h := fnv.New64a()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], seed)
	binary.LittleEndian.PutUint64(b[8:], uint64(n))
	h.Write(b[:])
	h.Write([]byte(role))
	x := h.Sum64() // splitmix64's finaliser: FNV's low bits are weak
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// readOrRelease reports whether the operation at pos ("file.go:12 Load", as the
// instrumenter names points) reads shared state or releases a lock.
func readOrRelease(pos string) bool {
	_, op, _ := strings.Cut(pos, " ")
	return strings.HasPrefix(op, "Load") || op == "Unlock" || op == "RUnlock"
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
	for _, g := range cands { // first sight, in name order
		if _, ok := c.prio[g]; !ok {
			g.role = g.pos + "#" + strconv.Itoa(c.roles[g.pos])
			c.roles[g.pos]++
			c.prio[g] = 1<<40 + int64(draw(c.p.Seed, g.role, -1)%(1<<40))
		}
	}
	drop := c.change[step] && last != nil
	if c.p.Drops > 0 && len(cands) > 1 && slices.Contains(cands, last) && !last.didOwn {
		u, th := draw(c.p.Seed, last.role, last.runs)%1024, uint64(4*c.p.Drops)
		if !readOrRelease(last.did) {
			th = uint64(c.p.Drops)
		}
		drop = drop || u < th
	}
	if drop {
		c.depth++
		c.prio[last] = -c.depth // below every initial priority, later drops lower
	}
	best := 0
	for i, g := range cands {
		if c.prio[g] > c.prio[cands[best]] {
			best = i
		}
	}
	return best, drop
}
