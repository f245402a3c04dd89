package harness

import (
	"errors"
	"fmt"
	"testing"

	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/internal/core"
	"github.com/poolcheck/poolcheck/props"
)

// target is what one exploration checks: a subject's name, the properties selected for
// it, which of them its traits excuse, and how to build its engine in the process that
// explores. A new kind of subject is a new target; the pipeline (explore, dispatch,
// isolation, reports) is the same for all.
type target struct {
	name    string
	props   []props.Property
	excused func(p props.Property) string // the excusing trait, or ""
	// engine probes the subject and returns the engine that runs it, or a problem (one
	// sentence) that fails every property.
	engine func(t *testing.T, lim core.Limits) (eng core.Engine, problem string)
}

// taskTarget is the target of a task pool: the properties of props.All with ids.
func taskTarget(s Subject, ids []string) (target, error) {
	switch {
	case s.Name == "":
		return target{}, errors.New("harness: Subject.Name is empty")
	case s.New == nil:
		return target{}, fmt.Errorf("harness: Subject %q has no New function", s.Name)
	}
	sel, err := core.Select(ids)
	if err != nil {
		return target{}, fmt.Errorf("harness: Properties: %w", err)
	}
	cs := core.Subject{Name: s.Name, New: s.New, Traits: s.Traits}
	return target{
		name:    s.Name,
		props:   sel,
		excused: func(p props.Property) string { return p.Excused(s.Traits) },
		engine: func(t *testing.T, lim core.Limits) (core.Engine, string) {
			sh, problem := core.Probe(cs, lim.Watchdog)
			v := core.Virtual{T: t, Subject: cs, Shape: sh, Limits: lim}
			if len(interleave.Packages()) > 0 {
				// Instrumented code is linked in (go test -toolexec with
				// poolcheck-instrument): let a drawn policy order its goroutines.
				return core.Controlled{Virtual: v}, problem
			}
			return v, problem
		},
	}, nil
}
