package core

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/props"
)

// recorder appends events to a trace under one lock, so Seq order follows happens-before.
type recorder struct {
	mu     sync.Mutex
	start  time.Time
	unit   time.Duration // Real runs: one schedule millisecond lasts unit; Virtual: 1ms
	events []props.Event
	// active counts the pool's calls into the harness in progress: tasks started and not
	// yet ended, Creates and attempts begun and not yet returned.
	active int
	ended  chan struct{} // rung (capacity 1: a doorbell) when one of them ends
	// progress counts events and the harness's own busy spells (see busy): a watcher
	// outside a bubble reads it to tell a run that moves from one that stands still.
	progress atomic.Int64
	busy     atomic.Bool // the harness itself is working (a leak check walks every stack)
	// point, if set, is called before an event is recorded, outside any lock: in a
	// controlled run, interleave.Point, so that the policy orders the harness's own events
	// too (not the Go scheduler) and a replay records them in the same order.
	point func(pos string)
}

func newRecorder(unit time.Duration) *recorder {
	return &recorder{start: time.Now(), unit: unit, ended: make(chan struct{}, 1)}
}

// add records e, after the run's scheduling point (if any). It must not be called while
// the caller holds a lock another goroutine of the run may wait for.
func (r *recorder) add(e props.Event) {
	r.order(e.Kind)
	r.record(e)
}

// order is add's scheduling point, for a caller that records later, under a lock.
func (r *recorder) order(k props.Kind) {
	if r.point != nil {
		r.point("poolcheck: " + k.String())
	}
}

// record records e without a scheduling point.
func (r *recorder) record(e props.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Report time in schedule units, so Virtual and Real traces read alike.
	e.At = time.Since(r.start) * time.Millisecond / r.unit
	e.Seq = len(r.events)
	switch e.Kind {
	case props.TaskStart, props.CreateBegin, props.AttemptStart:
		r.active++
	case props.TaskEnd, props.CreateEnd, props.AttemptEnd:
		r.active--
		select {
		case r.ended <- struct{}{}:
		default:
		}
	}
	r.events = append(r.events, e)
	r.progress.Add(1)
}

// working marks the start (true) or end (false) of the harness's own work inside a run,
// which may take long without recording an event.
func (r *recorder) working(on bool) {
	r.busy.Store(on)
	r.progress.Add(1)
}

// lastAt returns the time of the last event, or 0: what a watcher outside the bubble can
// tell of the run's virtual clock.
func (r *recorder) lastAt() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		return 0
	}
	return r.events[len(r.events)-1].At
}

// idle reports whether every task that started has ended, and every Create and attempt
// that began has returned.
func (r *recorder) idle() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.active <= 0
}

func (r *recorder) now() time.Duration {
	return time.Since(r.start) * time.Millisecond / r.unit
}

func (r *recorder) snapshot() []props.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]props.Event(nil), r.events...)
}

// outcomeOf classifies an error returned by Submit.
func outcomeOf(err error) (props.Outcome, string) {
	switch {
	case err == nil:
		return props.Accepted, ""
	case errors.Is(err, pools.ErrClosed):
		return props.Closed, ""
	case errors.Is(err, pools.ErrFull):
		return props.Full, ""
	case errors.Is(err, context.Canceled):
		return props.Canceled, ""
	case errors.Is(err, context.DeadlineExceeded):
		return props.Deadline, ""
	default:
		return props.OtherErr, err.Error()
	}
}

// callPanicked is the panic of a call that the harness recovered.
type callPanicked struct{ value any }

// guard runs f and returns the value it panicked with, if it did.
func guard(f func()) (p *callPanicked) {
	defer func() {
		if v := recover(); v != nil {
			p = &callPanicked{v}
		}
	}()
	f()
	return nil
}

func (p *callPanicked) String() string { return fmt.Sprint(p.value) }

// taskPanic is the value scheduled panicking tasks panic with.
type taskPanic struct{ task int }

func (p taskPanic) String() string {
	return fmt.Sprintf("poolcheck: task %d panics on purpose", p.task)
}
