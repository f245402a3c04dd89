package core

import (
	"fmt"
	"strings"
	"time"

	"github.com/poolcheck/poolcheck/props"
)

// RetrySchedule is the script of one run against a fresh retrying pool, made with Limit
// and Policy: phases run one after another; the actors of a phase run concurrently, each a
// sequence of calls.
type RetrySchedule struct {
	Limit      int
	Policy     props.RetryPolicy
	Phases     []RetryPhase
	CloseTwice bool
}

// RetryPhase is a set of concurrent actors; Close, if set, is called once all have finished.
type RetryPhase struct {
	Actors []RetryActor
	Close  bool
}

// RetryActor is one goroutine's script.
type RetryActor struct {
	Calls []RetryCall
}

// RetryCall is one Do call, after a pause, with Ctx; its attempts behave as Attempts says,
// in order (attempts beyond the list succeed at once). Close makes the step a Close call.
type RetryCall struct {
	Delay    time.Duration
	ID       int // unique in the schedule, from 1
	Ctx      Ctx
	Attempts []AttemptSpec
	Close    bool
}

// AttemptSpec is how one attempt behaves: it runs for Hold, returning early with its
// ctx's error when that ends (unless IgnoresCtx), then fails or succeeds.
type AttemptSpec struct {
	Hold       time.Duration
	Fails      bool
	IgnoresCtx bool
}

// Summary describes the schedule.
func (s RetrySchedule) Summary() Summary {
	actors, calls := 0, 0
	for _, ph := range s.Phases {
		actors += len(ph.Actors)
		for _, a := range ph.Actors {
			for _, c := range a.Calls {
				if !c.Close {
					calls++
				}
			}
		}
	}
	return Summary{Script: s.String(), Limit: s.Limit, Actors: actors, Calls: calls}
}

// String renders s as a readable script.
func (s RetrySchedule) String() string {
	var b strings.Builder
	p := s.Policy
	fmt.Fprintf(&b, "limit %d; %d retries, timeout %v, backoff %v doubling", s.Limit, p.Retries, p.Timeout, p.Delay)
	if p.MaxDelay > 0 {
		fmt.Fprintf(&b, " up to %v", p.MaxDelay)
	}
	b.WriteString("\n")
	id := 1
	for i, ph := range s.Phases {
		fmt.Fprintf(&b, "phase %d:\n", i+1)
		for _, a := range ph.Actors {
			fmt.Fprintf(&b, "  actor %d:", id)
			id++
			for k, c := range a.Calls {
				if k > 0 {
					b.WriteString(";")
				}
				if c.Delay > 0 {
					fmt.Fprintf(&b, " sleep %v,", c.Delay)
				}
				b.WriteString(" " + c.String())
			}
			b.WriteString("\n")
		}
		if ph.Close {
			b.WriteString("  then: close\n")
		}
	}
	b.WriteString("finally: close")
	if s.CloseTwice {
		b.WriteString(", close again")
	}
	return b.String()
}

func (c RetryCall) String() string {
	if c.Close {
		return "close"
	}
	var as []string
	for _, a := range c.Attempts {
		s := fmt.Sprintf("%v then ", a.Hold)
		if a.Fails {
			s += "fail"
		} else {
			s += "succeed"
		}
		if a.IgnoresCtx {
			s += " (ignoring ctx)"
		}
		as = append(as, s)
	}
	s := fmt.Sprintf("do call %d, attempts: %s", c.ID, strings.Join(append(as, "then succeed at once"), ", "))
	switch c.Ctx.Kind {
	case CtxCancel:
		s += fmt.Sprintf(" (ctx cancelled after %v)", c.Ctx.After)
	case CtxTimeout:
		s += fmt.Sprintf(" (ctx times out after %v)", c.Ctx.After)
	case CtxDone:
		s += " (ctx already cancelled)"
	}
	return s
}
