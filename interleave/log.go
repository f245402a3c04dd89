package interleave

import (
	"fmt"
	"strings"
)

// Why a Switch happened.
const (
	WhyFirst       = "first"    // the first release of the run
	WhyBlocked     = "blocked"  // the last runner blocked outside a point, or exited
	WhyChangePoint = "dropped"  // the policy dropped the last runner's priority here
	WhyPriority    = "priority" // a goroutine with a higher priority became ready
	WhyRandom      = "random"   // a Random policy drew another goroutine
	WhyStarved     = "starved"  // it had been passed over for too many steps (fairness)
)

// Switch is one change of the running goroutine.
type Switch struct {
	Step int    // the step at which To was released (steps count from 0)
	From string // the goroutine that ran before ("" at the first step)
	To   string // the goroutine released
	Pos  string // where To was parked: "file.go:line", the operation it does next
	Why  string // one of the Why constants
}

// Log is what a Run recorded. Goroutine names are stable across replays: "0" is the
// goroutine that called Start, "P.n" is the n-th goroutine (from 0) that goroutine P
// started with an instrumented go statement or Go, and "aN" the N-th other goroutine
// the controller saw, in creation order.
type Log struct {
	Policy       Policy
	Steps        int // scheduling decisions made
	Switches     []Switch
	Instrumented []string // import paths of the instrumented packages that registered
}

// String renders the switches as a timeline, one line each.
func (l Log) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d steps, %d switches (%v)\n", l.Steps, len(l.Switches), l.Policy)
	for _, s := range l.Switches {
		from := s.From
		if from == "" {
			from = "-"
		}
		fmt.Fprintf(&b, "  step %-4d %s -> %s at %s (%s)\n", s.Step, from, s.To, s.Pos, s.Why)
	}
	return b.String()
}
