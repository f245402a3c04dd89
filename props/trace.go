package props

import (
	"fmt"
	"strings"
	"time"
)

// Kind is what an Event records.
type Kind uint8

// The events of a run. Begin and end events of a call share its Call id; task events share
// the task's Task id.
const (
	SubmitBegin Kind = iota + 1 // an actor calls Submit for Task
	SubmitEnd                   // Submit for Task returned Outcome
	TaskStart                   // Task's function began to run
	TaskEnd                     // Task's function ended (see Exit)
	CtxDone                     // the ctx passed to Task's Submit ended
	WaitBegin                   // an actor calls Wait (Call)
	WaitEnd                     // that Wait returned (Outcome Panicked if it panicked)
	CloseBegin                  // an actor calls Close (Call)
	CloseEnd                    // that Close returned (Outcome Panicked if it panicked)
	ResizeBegin                 // an actor calls Resize(Limit) (Call)
	ResizeEnd                   // that Resize returned

	// Resource pools (package pools/resource). Task is the holder: one Acquire of the
	// schedule, numbered from 1; Res is a resource, numbered from 1 in creation order.
	AcquireBegin // holder Task calls Acquire
	AcquireEnd   // that Acquire returned Res (Outcome Accepted) or an error
	ReleaseBegin // holder Task calls Release(Res)
	ReleaseEnd   // that Release returned
	DiscardBegin // holder Task calls Discard(Res): the resource broke and must be destroyed
	DiscardEnd   // that Discard returned
	CreateBegin  // the pool calls the factory's Create (Call numbers the calls)
	CreateEnd    // that Create returned Res (Outcome Accepted) or an error
	DestroyBegin // the pool calls the factory's Destroy(Res)
	DestroyEnd   // that Destroy returned

	// Retrying pools (package pools/retry). Task is the call (one Do of the schedule),
	// Attempt its attempt, from 1.
	AttemptStart   // the pool began attempt Attempt of call Task
	AttemptEnd     // that attempt returned Outcome (Accepted: it succeeded)
	AttemptCtxDone // the ctx the pool gave that attempt ended

	AcquireCtxDone // the ctx passed to holder Task's Acquire ended
	DoBegin        // an actor calls Do for call Task
	DoEnd          // that Do returned Outcome
	DoCtxDone      // the ctx passed to call Task's Do ended
)

var kindNames = [...]string{"?", "submit", "submit-return", "start", "end", "ctx-done",
	"wait", "wait-return", "close", "close-return", "resize", "resize-return",
	"acquire", "acquire-return", "release", "release-return", "discard", "discard-return",
	"create", "create-return", "destroy", "destroy-return",
	"attempt", "attempt-end", "attempt-ctx-done", "ctx-done", "do", "do-return", "ctx-done"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Outcome is how a Submit (or a Wait or Close) returned.
type Outcome uint8

// Submit outcomes. A Submit that returned nil is Accepted.
const (
	Accepted Outcome = iota // nil error (for Wait and Close: returned normally)
	Closed                  // pools.ErrClosed
	Full                    // pools.ErrFull
	Canceled                // context.Canceled
	Deadline                // context.DeadlineExceeded
	OtherErr                // any other error
	Panicked                // the call panicked
	Refused                 // TrySubmit returned false
)

var outcomeNames = [...]string{"nil", "ErrClosed", "ErrFull", "context.Canceled",
	"context.DeadlineExceeded", "other error", "panic", "false"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", o)
}

// IsCtx reports whether o is a context error.
func (o Outcome) IsCtx() bool { return o == Canceled || o == Deadline }

// Exit is how a task's function ended.
type Exit uint8

// Task exits.
const (
	Returned Exit = iota // the function returned
	Panic                // the function panicked (on purpose, by the schedule)
	Goexit               // the function called runtime.Goexit
)

var exitNames = [...]string{"returned", "panicked", "Goexit"}

func (e Exit) String() string {
	if int(e) < len(exitNames) {
		return exitNames[e]
	}
	return fmt.Sprintf("exit(%d)", e)
}

// Event is one step of a run. Events are recorded under one lock, so Seq order is consistent
// with happens-before: an event recorded after another synchronized with it has a larger Seq.
// A task's start is recorded inside the task, after the pool started it; its end is recorded
// inside the task, before the pool can see it end; a call's end is recorded after the call
// returned. So a recorded interval always lies inside the real one.
type Event struct {
	Seq     int           // index in Trace.Events
	At      time.Duration // time since the run began (virtual in synctest runs)
	Kind    Kind
	Actor   int     // the scripted goroutine that acted (0 for the harness itself)
	Task    int     // task id, for submit, task and ctx events (ids start at 1)
	Call    int     // call id, for wait, close and resize events (ids start at 1)
	Outcome Outcome // for SubmitEnd, WaitEnd and CloseEnd
	Err     string  // the error text for OtherErr, the panic value for Panicked
	Exit    Exit    // for TaskEnd
	Limit   int     // for ResizeBegin: the new limit
	Try     bool    // for SubmitBegin and SubmitEnd: the call was TrySubmit, not Submit
	Res     int     // for resource events: the resource (0 when an Acquire or Create failed)
	Attempt int     // for attempt events: the attempt, from 1
}

func (e Event) String() string {
	s := fmt.Sprintf("#%d %8v actor %d %s", e.Seq, e.At, e.Actor, e.Kind)
	if e.Kind >= CreateBegin && e.Kind <= DestroyEnd {
		s = fmt.Sprintf("#%d %8v factory %s", e.Seq, e.At, e.Kind) // called by the pool, on whichever goroutine
	}
	switch e.Kind {
	case SubmitBegin, TaskStart, CtxDone:
		if e.Try {
			s = strings.Replace(s, " submit", " try-submit", 1)
		}
		s += fmt.Sprintf(" task %d", e.Task)
	case SubmitEnd:
		if e.Try {
			s = strings.Replace(s, " submit-return", " try-submit-return", 1)
		}
		s += fmt.Sprintf(" task %d: %v", e.Task, e.Outcome)
	case TaskEnd:
		s += fmt.Sprintf(" task %d (%v)", e.Task, e.Exit)
	case WaitEnd, CloseEnd:
		if e.Outcome != Accepted {
			s += fmt.Sprintf(": %v", e.Outcome)
		}
	case ResizeBegin:
		s += fmt.Sprintf(" to %d", e.Limit)
	case AcquireBegin, AcquireCtxDone:
		s += fmt.Sprintf(" holder %d", e.Task)
	case DoBegin, DoCtxDone:
		s += fmt.Sprintf(" call %d", e.Task)
	case DoEnd:
		s += fmt.Sprintf(" call %d: %v", e.Task, e.Outcome)
	case AcquireEnd:
		if e.Outcome == Accepted {
			s += fmt.Sprintf(" holder %d: resource %d", e.Task, e.Res)
		} else {
			s += fmt.Sprintf(" holder %d: %v", e.Task, e.Outcome)
		}
	case ReleaseBegin, ReleaseEnd, DiscardBegin, DiscardEnd:
		s += fmt.Sprintf(" holder %d resource %d", e.Task, e.Res)
	case CreateBegin:
		s += fmt.Sprintf(" (call %d)", e.Call)
	case CreateEnd:
		if e.Outcome == Accepted {
			s += fmt.Sprintf(" (call %d): resource %d", e.Call, e.Res)
		} else {
			s += fmt.Sprintf(" (call %d): %v", e.Call, e.Outcome)
		}
	case DestroyBegin, DestroyEnd:
		s += fmt.Sprintf(" resource %d", e.Res)
	case AttemptStart, AttemptCtxDone:
		s += fmt.Sprintf(" call %d attempt %d", e.Task, e.Attempt)
	case AttemptEnd:
		outcome := "succeeded"
		if e.Outcome != Accepted {
			outcome = "failed: " + e.Outcome.String()
		}
		s += fmt.Sprintf(" call %d attempt %d %s", e.Task, e.Attempt, outcome)
	}
	if e.Err != "" {
		s += " (" + e.Err + ")"
	}
	return s
}

// Mode says which clock a trace was recorded with.
type Mode uint8

// Trace modes.
const (
	Virtual Mode = iota // testing/synctest: time advances only when every goroutine is blocked
	Real                // the wall clock: promptness is judged with Trace.Grace
)

// Trace is the record of one run of a schedule against a fresh pool.
type Trace struct {
	Pool   string
	Limit  int // the limit the pool was created with (a resource pool's maximum)
	Traits Traits
	// Resource is, for a resource pool's run, what the pool promises (Traits is unused).
	Resource ResourceTraits
	// Retry is, for a retrying pool's run, the policy the pool was made with.
	Retry RetryPolicy
	// RetryTraits is, for a retrying pool's run, what the pool promises beyond its policy.
	RetryTraits RetryTraits
	Mode        Mode
	// Grace is how long "promptly" may take. In Virtual mode it is 0: a correct pool reacts
	// without virtual time passing. In Real mode it absorbs scheduling noise.
	Grace  time.Duration
	Events []Event
	// Failure is set when the run could not start: New panicked or returned nil.
	// Every property fails on such a trace.
	Failure string
	// Hang is set when the run did not finish: some call or task was still pending when the
	// harness gave up (a deadlock, or the watchdog fired).
	Hang *Hang
	// Switches is, for a run whose interleaving a policy controlled (an instrumented pool),
	// the scheduling switches in order, one line each: which goroutine ran, where, and why.
	Switches []string `json:",omitempty"`
	// Leaked holds the stacks of goroutines that remained after the final Close returned
	// and every task had ended (a resource pool's run: every holder had let go and every
	// Create had returned; a retrying pool's: every call and attempt had returned); nil
	// when none did or when the run could not tell (see Hang).
	Leaked []string
}

// Hang describes a run that never finished.
type Hang struct {
	At     time.Duration // when the harness gave up (the last event's time, if it gave up in real time)
	Why    string        // one of the Hang constants
	Stacks string        // the stacks of the goroutines that were stuck
}

// Why a run hung.
const (
	// HangDeadlock: every goroutine blocked and virtual time ran to the horizon.
	HangDeadlock = "deadlock"
	// HangMutex: no goroutine could run and one waited on a sync.Mutex, which
	// testing/synctest cannot see: virtual time stood still.
	HangMutex = "mutex deadlock"
	// HangBusyWait: the pool's goroutines kept running while virtual time stood still and
	// nothing happened: the pool polls instead of blocking.
	HangBusyWait = "busy-wait"
	// HangWatchdog: the run outlived its real-time limit.
	HangWatchdog = "watchdog"
	// HangTimeout: a real-time run's call blocked past its horizon.
	HangTimeout = "timeout"
)

// Describe says in words why the run hung.
func (h *Hang) Describe() string {
	switch h.Why {
	case HangDeadlock:
		return "deadlock: every goroutine was blocked"
	case HangMutex:
		return "mutex deadlock: no goroutine could run and one waited on a sync.Mutex, which testing/synctest cannot see"
	case HangBusyWait:
		return "busy-wait: virtual time stood still while the pool's goroutines kept running; the pool polls instead of blocking"
	case HangWatchdog:
		return "watchdog: the run outlived its real-time limit"
	case HangTimeout:
		return "timeout: a call blocked past the run's horizon"
	}
	return h.Why
}
