package core

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/poolcheck/poolcheck/pools/retry"
	"github.com/poolcheck/poolcheck/props"
)

// RetrySubject is a retrying pool under test (harness.RetrySubject).
type RetrySubject struct {
	Name   string
	New    func(limit int, p retry.Policy) retry.Doer
	Traits props.RetryTraits
}

// ProbeRetry reports a subject that cannot be run at all. The probe's pool is closed on a
// goroutine of its own.
func ProbeRetry(s RetrySubject) (problem string) {
	if s.New == nil {
		return "RetrySubject.New is nil"
	}
	var d retry.Doer
	if pv := guard(func() { d = s.New(1, retry.Policy{Retries: 1, Delay: time.Millisecond}) }); pv != nil {
		return "New(1, policy) panicked: " + pv.String()
	}
	if d == nil {
		return "New(1, policy) returned nil"
	}
	go guard(d.Close)
	return ""
}

// RetryVirtual is the virtual-time engine of retrying pools.
type RetryVirtual struct {
	T       *testing.T
	Subject RetrySubject
	Limits  Limits
}

// Draw draws a RetrySchedule.
func (v RetryVirtual) Draw(t *rapid.T) Scenario { return DrawRetry(t) }

// Run runs the RetrySchedule s in virtual time.
func (v RetryVirtual) Run(s Scenario) (*props.Trace, func()) {
	sc := s.(RetrySchedule)
	base := props.Trace{Pool: v.Subject.Name, Limit: sc.Limit, Retry: sc.Policy, RetryTraits: v.Subject.Traits}
	return runBubble(v.T, v.Limits, base, func(rec *recorder, res *props.Trace) {
		r := &retryRun{s: v.Subject, sc: sc, rec: rec, ctxs: ctxs{rec: rec}, leaks: newLeakCheck(rec)}
		r.drive(res)
	}, nil)
}

// retryRun is one execution of a RetrySchedule against a fresh pool.
type retryRun struct {
	s     RetrySubject
	sc    RetrySchedule
	rec   *recorder
	pool  retry.Doer
	calls atomic.Int32
	ctxs  ctxs
	leaks *leakCheck
}

// drive performs the whole schedule and fills tr: its hang, setup failure or leaks.
func (r *retryRun) drive(tr *props.Trace) {
	r.leaks.begin()
	if p := guard(func() { r.pool = r.s.New(r.sc.Limit, retry.Policy(r.sc.Policy)) }); p != nil {
		tr.Failure = "New(" + strconv.Itoa(r.sc.Limit) + ", policy) panicked: " + p.String()
		return
	}
	if r.pool == nil {
		tr.Failure = "New(" + strconv.Itoa(r.sc.Limit) + ", policy) returned nil"
		return
	}
	defer r.ctxs.stopAll()
	ok := drivePhases(r.rec, tr, r.sc.Phases, func(ph RetryPhase) int { return len(ph.Actors) },
		func(ph RetryPhase, i, actor int) {
			for _, c := range ph.Actors[i].Calls {
				time.Sleep(c.Delay)
				if c.Close {
					r.close(actor)
				} else {
					r.do(actor, c)
				}
			}
		},
		func(ph RetryPhase) bool { return !ph.Close || r.async(tr) })
	if !ok {
		return
	}
	if !r.async(tr) || r.sc.CloseTwice && !r.async(tr) {
		return
	}
	leftBehind(r.rec, r.leaks, &r.ctxs, tr)
}

// async closes the pool as the harness (actor 0) and waits for it.
func (r *retryRun) async(tr *props.Trace) bool {
	done := make(chan struct{}, 1)
	go func() {
		defer func() { done <- struct{}{} }()
		r.close(0)
	}()
	return awaitAll(r.rec, done, 1, virtualHorizon, tr)
}

func (r *retryRun) close(actor int) {
	id := int(r.calls.Add(1))
	r.rec.add(props.Event{Kind: props.CloseBegin, Actor: actor, Call: id})
	ev := props.Event{Kind: props.CloseEnd, Actor: actor, Call: id}
	if p := guard(r.pool.Close); p != nil {
		ev.Outcome, ev.Err = props.Panicked, p.String()
	}
	r.rec.add(ev)
}

// do makes one Do call, as c says.
func (r *retryRun) do(actor int, c RetryCall) {
	ctx, ended := r.ctxs.make(actor, c.ID, props.DoCtxDone, c.Ctx)
	var n atomic.Int32
	attempt := func(actx context.Context) error {
		k := int(n.Add(1))
		var spec AttemptSpec
		if k <= len(c.Attempts) {
			spec = c.Attempts[k-1]
		}
		return r.attempt(actor, c.ID, k, spec, actx)
	}
	r.rec.add(props.Event{Kind: props.DoBegin, Actor: actor, Task: c.ID})
	var err error
	ev := props.Event{Kind: props.DoEnd, Actor: actor, Task: c.ID}
	if p := guard(func() { err = r.pool.Do(ctx, attempt) }); p != nil {
		ev.Outcome, ev.Err = props.Panicked, p.String()
	} else {
		ev.Outcome, ev.Err = outcomeOf(err)
	}
	if ctx.Err() == context.DeadlineExceeded {
		ended()
	}
	r.rec.add(ev)
}

// attempt runs attempt k of call id as spec says, recording its start, its end and the end
// of its ctx.
func (r *retryRun) attempt(actor, id, k int, spec AttemptSpec, ctx context.Context) error {
	r.rec.add(props.Event{Kind: props.AttemptStart, Actor: actor, Task: id, Attempt: k})
	var ctxEnded func()
	if ctx != nil {
		ctxEnded = onceRecord(r.rec, props.Event{Kind: props.AttemptCtxDone, Actor: actor, Task: id, Attempt: k})
		context.AfterFunc(ctx, ctxEnded)
	}
	var err error
	if spec.IgnoresCtx || ctx == nil {
		time.Sleep(spec.Hold)
	} else {
		t := time.NewTimer(spec.Hold)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			ctxEnded()
			err = ctx.Err()
		}
	}
	if err == nil && spec.Fails {
		err = fmt.Errorf("poolcheck: call %d attempt %d fails on purpose", id, k)
	}
	ev := props.Event{Kind: props.AttemptEnd, Actor: actor, Task: id, Attempt: k}
	ev.Outcome, ev.Err = outcomeOf(err)
	r.rec.add(ev)
	return err
}

// onceRecord returns a function that records e the first time it is called.
func onceRecord(rec *recorder, e props.Event) func() {
	var done atomic.Bool
	return func() {
		if done.CompareAndSwap(false, true) {
			rec.add(e)
		}
	}
}
