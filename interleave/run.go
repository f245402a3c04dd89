package interleave

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing/synctest"
)

// active is the Run the scheduling points report to, or nil: then every point returns at
// once after one atomic load.
var active atomic.Pointer[Run]

// Run is one controlled execution: from Start to Stop, the instrumented goroutines of one
// synctest bubble run one at a time, in the order its Policy chooses (see the package
// doc). A goroutine is controlled from the first scheduling point it reaches while the
// Run is active, or from its start if Go or an instrumented go statement started it.
type Run struct {
	policy Policy
	bubble string
	kick   chan struct{} // capacity 1: a goroutine parked or a Settle is waiting
	stopc  chan struct{} // closed by Stop
	done   chan struct{} // closed when the controller goroutine has returned

	mu       sync.Mutex // never held while blocking on a channel
	stopped  bool       // by Stop or Abandon: points no longer park
	closed   bool       // by Stop: stopc is closed, the parked are released
	gs       map[int64]*gstate
	tokens   map[uint64]string // fork token -> the child's name
	nextTok  uint64
	adopted  int
	choose   *chooser
	last     *gstate
	steps    int
	progress uint64 // releases of goroutines that were not retrying a lock
	switches []Switch
	settles  []chan struct{}
	pkgs     []string
	onces    map[any]int64 // *sync.Once -> the goroutine inside its Do
}

// gstate is what a Run knows of one controlled goroutine. Guarded by Run.mu.
type gstate struct {
	goid     int64
	name     string // "" until the controller first sees it parked
	parked   bool
	pos      string    // where it is parked: the operation it will do next
	did      string    // where it was parked when last released: the operation it did last
	runs     int       // times released
	role     string    // the policy's key for it (see draw)
	passed   int       // steps it was eligible and another goroutine was released
	wake     chan bool // capacity 1: true = go on controlled; false = the run stopped
	waitLock bool      // parked after a failed TryLock
	yielded  bool      // parked at a yield (runtime.Gosched)
	own      bool      // parked at a Point of uninstrumented code
	didOwn   bool      // released last from such a Point
	lockSeen uint64    // progress when that TryLock failed
	forks    int
}

// ErrActive is returned by Start while another Run is active.
var ErrActive = errors.New("interleave: a Run is already active (runs cannot overlap)")

// ErrNoBubble is returned by Start outside a testing/synctest bubble.
var ErrNoBubble = errors.New("interleave: Start must be called inside a testing/synctest bubble")

// Start activates a Run with policy p for the calling goroutine's synctest bubble and
// starts its controller goroutine in that bubble. The caller becomes controlled goroutine
// "0". Only one Run may be active in the process at a time. Start never blocks.
//
// The caller must call Stop, in the same bubble, before the bubble's function returns
// (defer it): the controller goroutine is part of the bubble. While the Run is active,
// goroutines of the bubble must not call synctest.Wait (use Settle); scheduling points
// reached outside the bubble are ignored.
func Start(p Policy) (*Run, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	id, bubble := current()
	if bubble == "" {
		return nil, ErrNoBubble
	}
	r := &Run{policy: p, bubble: bubble, kick: make(chan struct{}, 1),
		stopc: make(chan struct{}), done: make(chan struct{}),
		gs: map[int64]*gstate{}, tokens: map[uint64]string{}, choose: newChooser(p), onces: map[any]int64{}}
	r.gs[id] = &gstate{goid: id, name: "0", wake: make(chan bool, 1)}
	registeredMu.Lock()
	r.pkgs = slices.Clone(registered)
	registeredMu.Unlock()
	if !active.CompareAndSwap(nil, r) {
		return nil, ErrActive
	}
	go r.control()
	return r, nil
}

// Stop ends the run and returns its log. Every parked goroutine is released to run
// uncontrolled, scheduling points become no-ops again, and the controller goroutine has
// returned when Stop returns. Stop blocks only until the controller notices (at once, or
// once the bubble is idle). Calling Stop again returns the same log.
func (r *Run) Stop() Log {
	r.mu.Lock()
	if !r.closed {
		r.stopped, r.closed = true, true
		for _, g := range r.gs {
			if g.parked {
				g.parked = false
				g.wake <- false
			}
		}
		for _, s := range r.settles {
			close(s)
		}
		r.settles = nil
		active.CompareAndSwap(r, nil)
		close(r.stopc)
	}
	r.mu.Unlock()
	<-r.done
	return r.Log()
}

// Abandon deactivates the run without touching its bubble, for a watchdog outside the
// bubble that gave up on it (a bubble's channels cannot be used from outside it): later
// points return at once and a new Run may start, but goroutines parked now stay parked
// and the controller goroutine stays in the bubble until Stop is called in it, if ever.
// It never blocks.
func (r *Run) Abandon() {
	r.mu.Lock()
	r.stopped = true
	active.CompareAndSwap(r, nil)
	r.mu.Unlock()
}

// Log returns what the run recorded so far: the number of steps and every switch.
func (r *Run) Log() Log {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Log{Policy: r.policy, Steps: r.steps, Switches: slices.Clone(r.switches),
		Instrumented: slices.Clone(r.pkgs)}
}

// Settle blocks until the bubble is idle and no controlled goroutine can be released:
// every goroutine of the bubble is durably blocked and every controlled one is blocked
// outside a scheduling point (or has exited). It is the controlled run's synctest.Wait,
// which callers must use instead while the Run is active. After Stop it is synctest.Wait.
func (r *Run) Settle() {
	c := make(chan struct{})
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		<-r.done
		synctest.Wait()
		return
	}
	r.settles = append(r.settles, c)
	r.mu.Unlock()
	r.nudge()
	<-c
}

func (r *Run) nudge() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// control is the controller goroutine: one release per idle bubble.
func (r *Run) control() {
	defer close(r.done)
	for {
		synctest.Wait()
		r.mu.Lock()
		if r.stopped {
			r.mu.Unlock()
			return
		}
		g := r.next()
		if g == nil {
			for _, s := range r.settles {
				close(s)
			}
			r.settles = nil
			r.mu.Unlock()
			select {
			case <-r.kick:
			case <-r.stopc:
			}
			continue
		}
		g.parked = false
		r.mu.Unlock()
		g.wake <- true
	}
}

// next chooses the goroutine to release, records the step, and returns it, or nil when
// no parked goroutine is eligible. Called with r.mu held and the bubble idle.
func (r *Run) next() *gstate {
	var fresh, cands []*gstate
	for _, g := range r.gs {
		if !g.parked {
			continue
		}
		if g.name == "" {
			fresh = append(fresh, g)
		}
		if !g.waitLock || r.progress > g.lockSeen {
			cands = append(cands, g)
		}
	}
	// A goroutine that yielded lets any other go first.
	if i := slices.IndexFunc(cands, func(g *gstate) bool { return !g.yielded }); i >= 0 {
		cands = slices.DeleteFunc(cands, func(g *gstate) bool { return g.yielded })
	}
	// Goroutines no instrumented go statement started are named in creation order.
	slices.SortFunc(fresh, func(a, b *gstate) int { return int(a.goid - b.goid) })
	for _, g := range fresh {
		r.adopted++
		g.name = "a" + strconv.Itoa(r.adopted)
	}
	if len(cands) == 0 {
		return nil
	}
	slices.SortFunc(cands, func(a, b *gstate) int { return compareNames(a.name, b.name) })
	i, dropped := r.choose.pick(r.steps, cands, r.last)
	// Fairness: a goroutine passed over for maxPassed steps runs now, so that one spinning
	// on a flag (a select on a closed channel, an atomic load in a loop) cannot starve,
	// for ever, the lower-priority goroutine it waits for.
	starved := -1
	for j, c := range cands {
		if c.passed >= maxPassed && (starved < 0 || c.passed > cands[starved].passed) {
			starved = j
		}
	}
	if starved >= 0 {
		i = starved
	}
	for _, c := range cands {
		c.passed++
	}
	g := cands[i]
	g.passed = 0
	if g != r.last {
		sw := Switch{Step: r.steps, To: g.name, Pos: g.pos, Why: WhyPriority}
		switch {
		case r.last == nil:
			sw.Why = WhyFirst
		case starved >= 0:
			sw.Why = WhyStarved
		case !r.last.parked:
			sw.Why = WhyBlocked
		case dropped:
			sw.Why = WhyChangePoint
		case r.policy.Random:
			sw.Why = WhyRandom
		}
		if r.last != nil {
			sw.From = r.last.name
		}
		r.switches = append(r.switches, sw)
	}
	if !g.waitLock {
		r.progress++
	}
	r.last = g
	g.did, g.didOwn = g.pos, g.own
	g.runs++
	r.steps++
	return g
}

// maxPassed is how many steps in a row an eligible goroutine may be passed over before
// it is released (see next). Short windows need a goroutine held for a few steps, not
// hundreds; a goroutine spinning on a flag needs the one it waits for to run a few steps.
const maxPassed = 128

// compareNames orders goroutine names ("0", "0.1", "a2.0.3") by their dot-separated
// parts, numerically where both parts are numbers.
func compareNames(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil {
			return na - nb
		}
		return strings.Compare(pa[i], pb[i])
	}
	return len(pa) - len(pb)
}

// parkKind says why a goroutine parks.
type parkKind int

const (
	atPoint   parkKind = iota
	lockRetry          // after a failed TryLock: not released before another goroutine progressed
	yielding           // at runtime.Gosched: not released next if another goroutine can be
	ownPoint           // at a Point: ordered by priority, never dropped right after
)

// park is a scheduling point of the calling goroutine: it blocks until the controller
// releases it, and reports whether it is still controlled.
func (r *Run) park(pos string, kind parkKind) bool {
	id, bubble := current()
	if bubble != r.bubble {
		return false
	}
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return false
	}
	g := r.gs[id]
	if g == nil {
		g = &gstate{goid: id, wake: make(chan bool, 1)}
		r.gs[id] = g
	}
	g.parked, g.pos, g.waitLock, g.yielded, g.own = true, pos, kind == lockRetry, kind == yielding, kind == ownPoint
	if kind == lockRetry {
		g.lockSeen = r.progress
	}
	r.mu.Unlock()
	r.nudge()
	return <-g.wake
}

// fork reserves a name for a goroutine the caller is about to start, and returns the
// token the child claims with enter (0: the caller is not controlled).
func (r *Run) fork() uint64 {
	id, bubble := current()
	if bubble != r.bubble {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	parent := r.gs[id]
	if r.stopped || parent == nil || parent.name == "" {
		return 0
	}
	r.nextTok++
	r.tokens[r.nextTok] = parent.name + "." + strconv.Itoa(parent.forks)
	parent.forks++
	return r.nextTok
}

// enter makes the calling goroutine the child reserved by tok.
func (r *Run) enter(tok uint64) {
	id, _ := current()
	r.mu.Lock()
	defer r.mu.Unlock()
	name, ok := r.tokens[tok]
	if !ok || r.stopped {
		return
	}
	delete(r.tokens, tok)
	r.gs[id] = &gstate{goid: id, name: name, wake: make(chan bool, 1)}
}

func (r *Run) onceEnter(o any) bool {
	id, bubble := current()
	if bubble != r.bubble {
		return true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.onces[o]; ok && h != id && !r.stopped {
		return false
	}
	r.onces[o] = id
	return true
}

func (r *Run) onceLeave(o any) {
	id, _ := current()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.onces[o] == id {
		delete(r.onces, o)
	}
}

// pickCase draws the case a seeded select of n cases tries first (-1 once stopped).
func (r *Run) pickCase(n int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped || n <= 0 {
		return -1
	}
	return r.choose.rng.IntN(n)
}
