package core

import (
	"fmt"
	"strings"
	"time"
)

// ResourceSchedule is the script of one run against a fresh resource pool: phases run one
// after another; the actors of a phase run concurrently, each a sequence of holds.
type ResourceSchedule struct {
	Max int // the pool's maximum number of resources
	// Creates says how the factory's Create calls behave, in call order; calls beyond the
	// list succeed at once.
	Creates    []CreateSpec
	Phases     []ResourcePhase
	CloseTwice bool // the final Close is called twice
}

// CreateSpec is how one Create call behaves: it blocks for Latency (returning early with
// ctx.Err() if its ctx ends), then fails or makes a resource.
type CreateSpec struct {
	Latency time.Duration
	Fails   bool
}

// ResourcePhase is a set of concurrent actors; Close, if set, is called once all of them
// have finished.
type ResourcePhase struct {
	Actors []ResourceActor
	Close  bool
}

// ResourceActor is one goroutine's script.
type ResourceActor struct {
	Steps []HoldStep
}

// HoldStep is one hold, after a pause: Acquire with Ctx, keep the resource for Hold, then
// Release it, or Discard it as broken (where the pool can). Close makes the step a Close
// call instead.
type HoldStep struct {
	Delay   time.Duration
	Holder  int // unique in the schedule, from 1
	Ctx     Ctx
	Hold    time.Duration
	Discard bool
	Close   bool
}

// Summary describes the schedule.
func (s ResourceSchedule) Summary() Summary {
	actors, calls := 0, 0
	for _, ph := range s.Phases {
		actors += len(ph.Actors)
		for _, a := range ph.Actors {
			for _, st := range a.Steps {
				if !st.Close {
					calls++
				}
			}
		}
	}
	return Summary{Script: s.String(), Limit: s.Max, Actors: actors, Calls: calls}
}

// String renders s as a readable script.
func (s ResourceSchedule) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "max %d resources", s.Max)
	for i, c := range s.Creates {
		if i == 0 {
			b.WriteString("; creates:")
		}
		fmt.Fprintf(&b, " #%d takes %v", i+1, c.Latency)
		if c.Fails {
			b.WriteString(" and fails")
		}
		if i < len(s.Creates)-1 {
			b.WriteString(",")
		}
	}
	b.WriteString("\n")
	id := 1
	for i, p := range s.Phases {
		fmt.Fprintf(&b, "phase %d:\n", i+1)
		for _, a := range p.Actors {
			fmt.Fprintf(&b, "  actor %d:", id)
			id++
			for k, st := range a.Steps {
				if k > 0 {
					b.WriteString(";")
				}
				if st.Delay > 0 {
					fmt.Fprintf(&b, " sleep %v,", st.Delay)
				}
				b.WriteString(" " + st.String())
			}
			b.WriteString("\n")
		}
		if p.Close {
			b.WriteString("  then: close\n")
		}
	}
	b.WriteString("finally: close")
	if s.CloseTwice {
		b.WriteString(", close again")
	}
	return b.String()
}

func (st HoldStep) String() string {
	if st.Close {
		return "close"
	}
	s := fmt.Sprintf("acquire holder %d, hold %v, ", st.Holder, st.Hold)
	if st.Discard {
		s += "discard"
	} else {
		s += "release"
	}
	switch st.Ctx.Kind {
	case CtxCancel:
		s += fmt.Sprintf(" (ctx cancelled after %v)", st.Ctx.After)
	case CtxTimeout:
		s += fmt.Sprintf(" (ctx times out after %v)", st.Ctx.After)
	case CtxDone:
		s += " (ctx already cancelled)"
	}
	return s
}
