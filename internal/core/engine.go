package core

import (
	"testing"

	"pgregory.net/rapid"

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
	return RunVirtual(v.T, v.Subject, s.(Schedule), v.Limits)
}

// Summary describes the schedule.
func (s Schedule) Summary() Summary {
	actors := 0
	for _, ph := range s.Phases {
		actors += len(ph.Actors)
	}
	return Summary{Script: s.String(), Limit: s.Limit, Actors: actors, Calls: s.Tasks()}
}
