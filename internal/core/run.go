package core

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/props"
)

// engine is what differs between a Virtual and a Real run.
type engine struct {
	unit    time.Duration   // how long one schedule millisecond lasts
	horizon time.Duration   // how long a call may block before the run counts as hung
	begin   func()          // called just before the pool is made
	stuck   func() string   // the stacks worth showing when the run hangs
	leaks   func() []string // after the final Close: the goroutines the pool left behind
	settle  func()          // lets goroutines that are only exiting finish (Virtual: synctest.Wait)
	spawn   func(func())    // starts a goroutine of the harness's (nil: a go statement)
	// together makes the actors of a phase wait at a start line until all of them exist,
	// then releases them at once (Real runs only: see RealConfig.Together).
	together bool
	// spin makes pauses busy-wait on the clock instead of sleeping (Real runs only: see
	// RealConfig.Spin).
	spin bool
}

// run is one execution of a Schedule against a fresh pool.
type run struct {
	s    Subject
	sc   Schedule
	eng  engine
	rec  *recorder
	pool pools.Pool

	gates    []chan struct{}
	gateOnce []sync.Once
	calls    atomic.Int32
	changed  chan struct{} // a task started or ended (capacity 1: a doorbell)
	cancelMu sync.Mutex
	cancels  []context.CancelFunc
}

// newRun prepares a run of sc against a fresh pool of s, recording into rec (made where
// the run's clock is: inside the bubble for a virtual-time run).
func newRun(s Subject, sc Schedule, eng engine, rec *recorder) *run {
	r := &run{s: s, sc: sc, eng: eng, rec: rec, changed: make(chan struct{}, 1)}
	r.gates = make([]chan struct{}, len(sc.Gates))
	r.gateOnce = make([]sync.Once, len(sc.Gates))
	for i := range r.gates {
		r.gates[i] = make(chan struct{})
	}
	return r
}

// trace returns what the run recorded so far.
func (r *run) trace(mode props.Mode) *props.Trace {
	return &props.Trace{Pool: r.s.Name, Limit: r.sc.Limit, Traits: r.s.Traits, Mode: mode,
		Events: r.rec.snapshot()}
}

func (r *run) scale(d time.Duration) time.Duration { return d * r.eng.unit / time.Millisecond }

func (r *run) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	if r.eng.spin {
		// Busy-wait: the goroutine keeps its processor, so pauses far below the timer's
		// resolution last what they say (the loop is preemptible).
		for end := time.Now().Add(r.scale(d)); time.Now().Before(end); {
		}
		return
	}
	time.Sleep(r.scale(d))
}

// drive performs the whole schedule and fills tr: its hang, setup failure or leaks.
// It returns when the run is over or stuck.
func (r *run) drive(tr *props.Trace) {
	r.eng.begin()
	if p := guard(func() { r.pool = r.s.New(r.sc.Limit) }); p != nil {
		tr.Failure = "New(" + strconv.Itoa(r.sc.Limit) + ") panicked: " + p.String()
		return
	}
	if r.pool == nil {
		tr.Failure = "New(" + strconv.Itoa(r.sc.Limit) + ") returned nil"
		return
	}
	for i, at := range r.sc.Gates {
		time.AfterFunc(r.scale(at), func() { r.open(i) })
	}
	defer r.cancelAll()

	for pi, ph := range r.sc.Phases {
		done := make(chan struct{}, len(ph.Actors))
		var start chan struct{} // closed once every actor of the phase exists
		if r.eng.together {
			start = make(chan struct{})
		}
		for ai, a := range ph.Actors {
			id := actorID(r.sc, pi, ai)
			r.spawn(func() {
				defer func() { done <- struct{}{} }()
				if start != nil {
					<-start
				}
				for _, st := range a.Steps {
					r.sleep(st.Delay)
					r.step(id, st)
				}
			})
		}
		if start != nil {
			close(start)
		}
		for range ph.Actors {
			if !r.await(done, tr) {
				return
			}
		}
		if ph.Then != OpNone && !r.async(Step{Op: ph.Then, Limit: ph.Limit}, tr) {
			return
		}
	}
	for i := range r.gates {
		r.open(i)
	}
	if !r.async(Step{Op: OpClose}, tr) {
		return
	}
	if r.sc.CloseTwice && !r.async(Step{Op: OpClose}, tr) {
		return
	}
	// A pool that broke `close` may still run tasks: wait for them, so a leak report
	// blames only goroutines of the pool's own.
	for !r.rec.idle() {
		if !r.await(r.changed, tr) {
			return
		}
	}
	r.cancelAll()
	r.eng.settle()
	tr.Leaked = r.eng.leaks()
}

// async performs st as the harness (actor 0) and waits for it.
func (r *run) async(st Step, tr *props.Trace) bool {
	done := make(chan struct{}, 1)
	r.spawn(func() {
		defer func() { done <- struct{}{} }()
		r.step(0, st)
	})
	return r.await(done, tr)
}

// spawn starts f as one of the harness's goroutines: through the engine's spawn, so a
// controlled run names it after its parent, or with a go statement.
func (r *run) spawn(f func()) {
	if r.eng.spawn != nil {
		r.eng.spawn(f)
		return
	}
	go f()
}

// await waits for a signal on ch, or records a hang when the horizon passes first.
func (r *run) await(ch <-chan struct{}, tr *props.Trace) bool {
	timer := time.NewTimer(r.eng.horizon)
	defer timer.Stop()
	select {
	case <-ch:
		return true
	case <-timer.C:
		tr.Hang = &props.Hang{At: r.rec.now(), Why: props.HangDeadlock, Stacks: r.eng.stuck()}
		return false
	}
}

func (r *run) open(i int) { r.gateOnce[i].Do(func() { close(r.gates[i]) }) }

func (r *run) cancelAll() {
	r.cancelMu.Lock()
	defer r.cancelMu.Unlock()
	for _, c := range r.cancels {
		c()
	}
	r.cancels = nil
}

// step performs one scripted step as actor.
func (r *run) step(actor int, st Step) {
	switch st.Op {
	case OpSubmit:
		r.submit(actor, st)
	case OpWait:
		r.call(actor, props.WaitBegin, props.WaitEnd, 0, r.pool.Wait)
	case OpClose:
		r.call(actor, props.CloseBegin, props.CloseEnd, 0, r.pool.Close)
	case OpTrySubmit:
		r.trySubmit(actor, st)
	case OpResize:
		rs, ok := r.pool.(pools.Resizer)
		if !ok {
			return
		}
		var err error
		r.call(actor, props.ResizeBegin, props.ResizeEnd, st.Limit, func() { err = rs.Resize(st.Limit) })
		_ = err // a refused resize leaves the limit as it was: props treat it as in effect anyway
	}
}

// call records a Wait, Close or Resize call around f.
func (r *run) call(actor int, begin, end props.Kind, limit int, f func()) {
	id := int(r.calls.Add(1))
	r.rec.add(props.Event{Kind: begin, Actor: actor, Call: id, Limit: limit})
	ev := props.Event{Kind: end, Actor: actor, Call: id}
	r.ending(&ev, f)
}

// goexitErr is the Err of a call that never returned because the pool called
// runtime.Goexit on the caller's goroutine; its Outcome is Panicked.
const goexitErr = "runtime.Goexit on the caller's goroutine"

// ending runs f, which calls into the pool and fills in ev's outcome, then records ev. A
// panic in f is recorded as the call's Panicked outcome. If the pool calls runtime.Goexit
// on the caller's goroutine, nothing can stop the goroutine from unwinding: ev is recorded
// on the way, as a call that panicked with goexitErr.
func (r *run) ending(ev *props.Event, f func()) {
	returned := false
	defer func() {
		switch v := recover(); {
		case v != nil:
			ev.Outcome, ev.Err = props.Panicked, (&callPanicked{v}).String()
		case !returned:
			ev.Outcome, ev.Err = props.Panicked, goexitErr
		}
		r.rec.add(*ev)
	}()
	f()
	returned = true
}

func (r *run) submit(actor int, st Step) {
	ctx, ended := r.context(actor, st)
	id := st.Task.ID
	r.rec.add(props.Event{Kind: props.SubmitBegin, Actor: actor, Task: id})
	ev := props.Event{Kind: props.SubmitEnd, Actor: actor, Task: id}
	r.ending(&ev, func() {
		defer func() {
			if ctx.Err() == context.DeadlineExceeded {
				ended() // the timeout's end before the Submit's, however Submit ended
			}
		}()
		ev.Outcome, ev.Err = outcomeOf(r.pool.Submit(ctx, r.task(actor, st.Task)))
	})
}

// trySubmit calls TrySubmit, where the pool has it.
func (r *run) trySubmit(actor int, st Step) {
	ts, ok := r.pool.(pools.TrySubmitter)
	if !ok {
		return
	}
	id := st.Task.ID
	r.rec.add(props.Event{Kind: props.SubmitBegin, Actor: actor, Task: id, Try: true})
	ev := props.Event{Kind: props.SubmitEnd, Actor: actor, Task: id, Try: true, Outcome: props.Refused}
	r.ending(&ev, func() {
		if ts.TrySubmit(r.task(actor, st.Task)) {
			ev.Outcome = props.Accepted
		}
	})
}

// context makes the ctx for a Submit, and ended, which records its end as a CtxDone event
// (once, however often it is called). A timeout's end is recorded by a context.AfterFunc,
// which in real time may run after the Submit it ended returned: submit calls ended too, so
// a ctx error is never recorded before the ctx's end.
func (r *run) context(actor int, st Step) (ctx context.Context, ended func()) {
	var cancel context.CancelFunc
	switch st.Ctx.Kind {
	case CtxBackground:
		return context.Background(), func() {}
	case CtxTimeout:
		ctx, cancel = context.WithTimeout(context.Background(), r.scale(st.Ctx.After))
	default:
		ctx, cancel = context.WithCancel(context.Background())
	}
	r.cancelMu.Lock()
	r.cancels = append(r.cancels, cancel)
	r.cancelMu.Unlock()
	id := st.Task.ID
	// The scheduling point comes before the Once: a goroutine parked inside it would leave
	// the other caller blocked on the Once's mutex, which a synctest bubble cannot see.
	once := sync.OnceFunc(func() { r.rec.record(props.Event{Kind: props.CtxDone, Actor: actor, Task: id}) })
	ended = func() {
		r.rec.order(props.CtxDone)
		once()
	}
	controlled := r.eng.spawn != nil
	switch st.Ctx.Kind {
	case CtxDone:
		cancel()
		ended()
	case CtxCancel:
		if controlled {
			r.spawn(func() { r.cancelAfter(ctx, r.scale(st.Ctx.After), ended, cancel) })
			break
		}
		time.AfterFunc(r.scale(st.Ctx.After), func() {
			ended()
			cancel()
		})
	case CtxTimeout:
		if controlled {
			r.spawn(func() { r.noteTimeout(ctx, ended) })
			break
		}
		context.AfterFunc(ctx, func() {
			if ctx.Err() == context.DeadlineExceeded {
				ended()
			}
		})
	}
	return ctx, ended
}

// cancelAfter records the end of ctx and cancels it after d, unless it ends first (the
// run's end cancels every ctx). A controlled run uses it instead of a time.AfterFunc: the
// goroutines the runtime starts for timers that fire at one instant start in no fixed
// order, while this one is named after the actor that started it, so the policy orders it.
func (r *run) cancelAfter(ctx context.Context, d time.Duration, ended func(), cancel context.CancelFunc) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		ended()
		cancel()
	case <-ctx.Done():
	}
}

// noteTimeout records the end of ctx if its deadline ends it: a controlled run's
// context.AfterFunc (see cancelAfter).
func (r *run) noteTimeout(ctx context.Context, ended func()) {
	<-ctx.Done()
	if ctx.Err() == context.DeadlineExceeded {
		ended()
	}
}

// task returns the function submitted for t. It records its start and, before it
// panics or calls runtime.Goexit, its end.
func (r *run) task(actor int, t Task) func() {
	return func() {
		r.rec.add(props.Event{Kind: props.TaskStart, Actor: actor, Task: t.ID})
		r.ring()
		if t.Gate > 0 {
			<-r.gates[t.Gate-1]
		} else {
			r.sleep(t.Hold)
		}
		for range t.Yields {
			runtime.Gosched()
		}
		r.rec.add(props.Event{Kind: props.TaskEnd, Actor: actor, Task: t.ID, Exit: t.End})
		r.ring()
		switch t.End {
		case props.Panic:
			panic(taskPanic{t.ID})
		case props.Goexit:
			runtime.Goexit()
		}
	}
}

func (r *run) ring() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}
