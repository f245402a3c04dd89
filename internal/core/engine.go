package core

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/props"
)

// Scenario is one drawn run: what an engine performs against a fresh subject.
type Scenario interface {
	Summary() Summary
}

// Summary describes a scenario for reports.
type Summary struct {
	Script string // the scenario, as a readable script
	Limit  int    // the subject's limit in it
	Actors int    // the goroutines it drives
	Calls  int    // the submits (or acquires) it makes
}

// Engine draws scenarios for one subject and runs each against a fresh instance of it,
// recording the trace the properties judge. The exploration pipeline (package harness) is
// the same for every engine.
type Engine interface {
	Draw(t *rapid.T) Scenario
	// Run performs s. details, called for a run that is reported, fills in what is costly
	// to collect (a hung run's stacks).
	Run(s Scenario) (tr *props.Trace, details func())
}

// Exact is implemented by engines whose runs repeat exactly: the same scenario against
// the same code makes the same trace, so one run of a shrink candidate decides it.
type Exact interface {
	Exact() bool
}

// Virtual is the virtual-time engine: schedules drawn for Shape, each run in a
// testing/synctest bubble of T under Limits.
type Virtual struct {
	T       *testing.T
	Subject Subject
	Shape   Shape
	Limits  Limits
}

// Draw draws a Schedule.
func (v Virtual) Draw(t *rapid.T) Scenario { return Draw(t, v.Shape) }

// Run runs the Schedule s in virtual time.
func (v Virtual) Run(s Scenario) (*props.Trace, func()) {
	return RunVirtual(v.T, v.Subject, s.(Schedule), v.Limits, nil)
}

// Controlled is the controlled-interleavings engine: the virtual-time engine, with an
// interleaving Policy drawn for each schedule (package interleave), so that the
// goroutines of instrumented code run one at a time in the order the policy chooses. The
// policy is part of what rapid draws and shrinks, so a replay repeats the interleaving.
type Controlled struct{ Virtual }

// Exact reports true: the policy fixes the order of the instrumented goroutines, and
// virtual time the rest.
func (Controlled) Exact() bool { return true }

// Interleaved is a Schedule with the Policy that orders its goroutines.
type Interleaved struct {
	Schedule
	Policy interleave.Policy
}

// Summary describes the schedule and its policy.
func (s Interleaved) Summary() Summary {
	sum := s.Schedule.Summary()
	if s.Policy.Random {
		sum.Script += fmt.Sprintf("\ninterleaving: seed %d, random walk", s.Policy.Seed)
	} else {
		sum.Script += fmt.Sprintf("\ninterleaving: seed %d, drops %d/256", s.Policy.Seed, s.Policy.Drops)
	}
	return sum
}

// dropRates are the Policy.Drops a controlled schedule draws from, uniformly: mostly a
// drop after every read or release (and a quarter of the other contested steps), which
// opens short windows most often, and now and then fewer drops, down to pure priorities.
var dropRates = []int{256, 256, 256, 256, 128, 128, 64, 0}

// Draw draws a Schedule and a PCT policy: a seed for the priorities and a rate of drops
// (see dropRates and interleave.Policy), now and then a random walk instead.
func (c Controlled) Draw(t *rapid.T) Scenario {
	sh := c.Shape
	sh.Instants = true
	sc := Draw(t, sh)
	p := interleave.Policy{
		Seed:   rapid.Uint64().Draw(t, "interleaving seed"),
		Drops:  dropRates[rapid.IntRange(0, len(dropRates)-1).Draw(t, "drop rate")],
		Random: rapid.IntRange(0, 7).Draw(t, "random walk") == 7,
	}
	return Interleaved{sc, p}
}

// Run runs s with its policy controlling the interleaving.
func (c Controlled) Run(s Scenario) (*props.Trace, func()) {
	in := s.(Interleaved)
	return RunVirtual(c.T, c.Subject, in.Schedule, c.Limits, &in.Policy)
}

// Summary describes the schedule.
func (s Schedule) Summary() Summary {
	actors := 0
	for _, ph := range s.Phases {
		actors += len(ph.Actors)
	}
	return Summary{Script: s.String(), Limit: s.Limit, Actors: actors, Calls: s.Tasks()}
}
