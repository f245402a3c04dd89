package core

import (
	"fmt"
	"strings"
	"time"

	"github.com/poolcheck/poolcheck/props"
)

// Schedule is the script of one run against a fresh pool: phases run one after another;
// the actors of a phase run concurrently, each a sequence of steps. Durations are in
// virtual time (a Real run scales them by its Unit).
type Schedule struct {
	Limit  int
	Phases []Phase
	// Gates are release times, from the start of the run, of the gates that Gate tasks
	// block on; tasks sharing a gate end together (a burst of freed slots).
	Gates []time.Duration
	// CloseTwice makes the final Close be called twice.
	CloseTwice bool
}

// Phase is a set of concurrent actors; when all have finished their steps the driver
// performs Then (a Wait, Close or Resize that no Submit overlaps).
type Phase struct {
	Actors []Actor
	Then   Op
	Limit  int // for Then == OpResize
}

// Actor is one goroutine's script.
type Actor struct {
	Steps []Step
}

// Op is what a step does.
type Op uint8

// Ops.
const (
	OpNone Op = iota
	OpSubmit
	OpWait
	OpClose
	OpResize
	OpTrySubmit // pools.TrySubmitter's TrySubmit; the task's Ctx is unused
)

var opNames = [...]string{"none", "submit", "wait", "close", "resize", "try-submit"}

func (o Op) String() string { return opNames[o] }

// Step is one action of an actor, after a pause.
type Step struct {
	Delay time.Duration // pause before the step
	Op    Op
	Task  Task // for OpSubmit
	Ctx   Ctx  // for OpSubmit
	Limit int  // for OpResize
}

// Task is what a submitted task does: it holds its slot for Hold (or until its gate opens),
// yields the processor Yields times, then ends as End says.
type Task struct {
	ID     int // unique in the schedule, from 1
	Hold   time.Duration
	Gate   int // 1-based index into Schedule.Gates; 0 = none
	Yields int
	End    props.Exit
}

// CtxKind is how a Submit's context ends.
type CtxKind uint8

// Context kinds.
const (
	CtxBackground CtxKind = iota // never ends
	CtxCancel                    // cancelled After the Submit begins
	CtxTimeout                   // deadline After the Submit begins
	CtxDone                      // cancelled before Submit is called
)

// Ctx is the context a Submit gets.
type Ctx struct {
	Kind  CtxKind
	After time.Duration
}

// Tasks counts the submits in s.
func (s Schedule) Tasks() int {
	n := 0
	for _, p := range s.Phases {
		for _, a := range p.Actors {
			for _, st := range a.Steps {
				if st.Op == OpSubmit || st.Op == OpTrySubmit {
					n++
				}
			}
		}
	}
	return n
}

// String renders s as a readable script.
func (s Schedule) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "limit %d", s.Limit)
	for i, g := range s.Gates {
		if i == 0 {
			b.WriteString("; gates open at")
		}
		fmt.Fprintf(&b, " g%d=%v", i+1, g)
	}
	b.WriteString("\n")
	for i, p := range s.Phases {
		fmt.Fprintf(&b, "phase %d:\n", i+1)
		for j, a := range p.Actors {
			fmt.Fprintf(&b, "  actor %d:", actorID(s, i, j))
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
		if p.Then != OpNone {
			fmt.Fprintf(&b, "  then: %s", p.Then)
			if p.Then == OpResize {
				fmt.Fprintf(&b, "(%d)", p.Limit)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("finally: close")
	if s.CloseTwice {
		b.WriteString(", close again")
	}
	return b.String()
}

func (st Step) String() string {
	switch st.Op {
	case OpSubmit, OpTrySubmit:
		s := fmt.Sprintf("%s task %d (", st.Op, st.Task.ID)
		if st.Task.Gate > 0 {
			s += fmt.Sprintf("blocks on g%d", st.Task.Gate)
		} else {
			s += fmt.Sprintf("holds %v", st.Task.Hold)
		}
		if st.Task.Yields > 0 {
			s += fmt.Sprintf(", yields %d", st.Task.Yields)
		}
		switch st.Task.End {
		case props.Panic:
			s += ", then panics"
		case props.Goexit:
			s += ", then runtime.Goexit"
		}
		s += ")"
		switch st.Ctx.Kind {
		case CtxCancel:
			s += fmt.Sprintf(" ctx cancelled after %v", st.Ctx.After)
		case CtxTimeout:
			s += fmt.Sprintf(" ctx times out after %v", st.Ctx.After)
		case CtxDone:
			s += " ctx already cancelled"
		}
		return s
	case OpResize:
		return fmt.Sprintf("resize(%d)", st.Limit)
	default:
		return st.Op.String()
	}
}

// actorID numbers actors across phases from 1, in order.
func actorID(s Schedule, phase, actor int) int {
	id := 1
	for i := 0; i < phase; i++ {
		id += len(s.Phases[i].Actors)
	}
	return id + actor
}
