package harness

import (
	"context"
	"errors"
	"fmt"
	"sync"
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
	active int // tasks started and not yet ended
}

func newRecorder(unit time.Duration) *recorder {
	return &recorder{start: time.Now(), unit: unit}
}

func (r *recorder) add(e props.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Report time in schedule units, so Virtual and Real traces read alike.
	e.At = time.Since(r.start) * time.Millisecond / r.unit
	e.Seq = len(r.events)
	switch e.Kind {
	case props.TaskStart:
		r.active++
	case props.TaskEnd:
		r.active--
	}
	r.events = append(r.events, e)
}

// idle reports whether every task that started has ended.
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
