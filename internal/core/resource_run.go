package core

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/poolcheck/poolcheck/pools/resource"
	"github.com/poolcheck/poolcheck/props"
)

// Conn is the resource the harness's factory makes: its ID numbers it from 1 in creation
// order, so traces can name it.
type Conn struct{ ID int }

// ResourceSubject is a resource pool under test (harness.ResourceSubject).
type ResourceSubject struct {
	Name   string
	New    func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn]
	Traits props.ResourceTraits
}

// errCreate is what a Create scheduled to fail returns.
var errCreate = errors.New("poolcheck: create fails on purpose")

// ProbeResource makes one pool to learn its optional capabilities, and reports a subject
// that cannot be run at all. The probe's pool is closed on a goroutine of its own.
func ProbeResource(s ResourceSubject) (sh ResourceShape, problem string) {
	if s.New == nil {
		return sh, "ResourceSubject.New is nil"
	}
	f := resource.Factory[*Conn]{
		Create:  func(context.Context) (*Conn, error) { return &Conn{}, nil },
		Destroy: func(*Conn) {},
	}
	var p resource.Pool[*Conn]
	if pv := guard(func() { p = s.New(1, f) }); pv != nil {
		return sh, "New(1) panicked: " + pv.String()
	}
	if p == nil {
		return sh, "New(1) returned nil"
	}
	go guard(p.Close)
	_, sh.Discards = p.(resource.Discarder[*Conn])
	return sh, ""
}

// ResourceVirtual is the virtual-time engine of resource pools.
type ResourceVirtual struct {
	T       *testing.T
	Subject ResourceSubject
	Shape   ResourceShape
	Limits  Limits
}

// Draw draws a ResourceSchedule.
func (v ResourceVirtual) Draw(t *rapid.T) Scenario { return DrawResource(t, v.Shape) }

// Run runs the ResourceSchedule s in virtual time.
func (v ResourceVirtual) Run(s Scenario) (*props.Trace, func()) {
	sc := s.(ResourceSchedule)
	base := props.Trace{Pool: v.Subject.Name, Limit: sc.Max, Resource: v.Subject.Traits}
	return runBubble(v.T, v.Limits, base, func(rec *recorder, res *props.Trace) {
		r := &resourceRun{s: v.Subject, sc: sc, rec: rec, ctxs: ctxs{rec: rec}, leaks: newLeakCheck(rec)}
		r.drive(res)
	}, nil)
}

// resourceRun is one execution of a ResourceSchedule against a fresh pool.
type resourceRun struct {
	s    ResourceSubject
	sc   ResourceSchedule
	rec  *recorder
	pool resource.Pool[*Conn]

	creates, conns, calls atomic.Int32
	ctxs                  ctxs
	leaks                 *leakCheck
}

// drive performs the whole schedule and fills tr: its hang, setup failure or leaks.
func (r *resourceRun) drive(tr *props.Trace) {
	f := resource.Factory[*Conn]{Create: r.create, Destroy: r.destroy}
	r.leaks.begin()
	if p := guard(func() { r.pool = r.s.New(r.sc.Max, f) }); p != nil {
		tr.Failure = "New(" + strconv.Itoa(r.sc.Max) + ") panicked: " + p.String()
		return
	}
	if r.pool == nil {
		tr.Failure = "New(" + strconv.Itoa(r.sc.Max) + ") returned nil"
		return
	}
	defer r.ctxs.stopAll()
	ok := drivePhases(r.rec, tr, r.sc.Phases, func(ph ResourcePhase) int { return len(ph.Actors) },
		func(ph ResourcePhase, i, actor int) {
			for _, st := range ph.Actors[i].Steps {
				time.Sleep(st.Delay)
				if st.Close {
					r.close(actor)
				} else {
					r.hold(actor, st)
				}
			}
		},
		func(ph ResourcePhase) bool { return !ph.Close || r.async(tr) })
	if !ok {
		return
	}
	if !r.async(tr) || r.sc.CloseTwice && !r.async(tr) {
		return
	}
	leftBehind(r.rec, r.leaks, &r.ctxs, tr)
}

// async closes the pool as the harness (actor 0) and waits for it.
func (r *resourceRun) async(tr *props.Trace) bool {
	done := make(chan struct{}, 1)
	go func() {
		defer func() { done <- struct{}{} }()
		r.close(0)
	}()
	return awaitAll(r.rec, done, 1, virtualHorizon, tr)
}

func (r *resourceRun) close(actor int) {
	id := int(r.calls.Add(1))
	r.rec.add(props.Event{Kind: props.CloseBegin, Actor: actor, Call: id})
	ev := props.Event{Kind: props.CloseEnd, Actor: actor, Call: id}
	if p := guard(r.pool.Close); p != nil {
		ev.Outcome, ev.Err = props.Panicked, p.String()
	}
	r.rec.add(ev)
}

// hold acquires, keeps and gives back one resource, as st says.
func (r *resourceRun) hold(actor int, st HoldStep) {
	ctx, ended := r.ctxs.make(actor, st.Holder, props.AcquireCtxDone, st.Ctx)
	r.rec.add(props.Event{Kind: props.AcquireBegin, Actor: actor, Task: st.Holder})
	var c *Conn
	var err error
	ev := props.Event{Kind: props.AcquireEnd, Actor: actor, Task: st.Holder}
	if p := guard(func() { c, err = r.pool.Acquire(ctx) }); p != nil {
		ev.Outcome, ev.Err = props.Panicked, p.String()
	} else if err == nil && c == nil {
		ev.Outcome, ev.Err = props.OtherErr, "Acquire returned neither a resource nor an error"
	} else {
		ev.Outcome, ev.Err = outcomeOf(err)
	}
	if ctx.Err() == context.DeadlineExceeded {
		ended()
	}
	if ev.Outcome != props.Accepted {
		r.rec.add(ev)
		return
	}
	ev.Res = c.ID
	r.rec.add(ev)
	time.Sleep(st.Hold)
	begin, end, give := props.ReleaseBegin, props.ReleaseEnd, r.pool.Release
	if d, ok := r.pool.(resource.Discarder[*Conn]); ok && st.Discard {
		begin, end, give = props.DiscardBegin, props.DiscardEnd, d.Discard
	}
	r.rec.add(props.Event{Kind: begin, Actor: actor, Task: st.Holder, Res: c.ID})
	ev = props.Event{Kind: end, Actor: actor, Task: st.Holder, Res: c.ID}
	if p := guard(func() { give(c) }); p != nil {
		ev.Outcome, ev.Err = props.Panicked, p.String()
	}
	r.rec.add(ev)
}

// create is the factory's Create: it behaves as the schedule's CreateSpec for this call.
func (r *resourceRun) create(ctx context.Context) (*Conn, error) {
	id := int(r.creates.Add(1))
	r.rec.add(props.Event{Kind: props.CreateBegin, Call: id})
	var spec CreateSpec
	if id <= len(r.sc.Creates) {
		spec = r.sc.Creates[id-1]
	}
	ev := props.Event{Kind: props.CreateEnd, Call: id}
	var err error
	if spec.Latency > 0 {
		t := time.NewTimer(spec.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			err = ctx.Err()
		}
	}
	if err == nil && spec.Fails {
		err = errCreate
	}
	if err != nil {
		ev.Outcome, ev.Err = outcomeOf(err)
		r.rec.add(ev)
		return nil, err
	}
	c := &Conn{ID: int(r.conns.Add(1))}
	ev.Res = c.ID
	r.rec.add(ev)
	return c, nil
}

// destroy is the factory's Destroy.
func (r *resourceRun) destroy(c *Conn) {
	id := 0
	if c != nil {
		id = c.ID
	}
	r.rec.add(props.Event{Kind: props.DestroyBegin, Res: id})
	r.rec.add(props.Event{Kind: props.DestroyEnd, Res: id})
}
