// Package core holds what poolcheck's engines share: the Schedule a run follows, the
// generator that draws one for a subject, the driver that performs it against a fresh pool
// and records its trace, in virtual time (RunVirtual, a testing/synctest bubble) or on the
// wall clock (RunReal), and the helpers every front end needs (Probe, Select,
// SubtestPattern). Package harness builds the exploration pipeline on it; package stress
// and the poolcheck command use it through harness and directly.
package core

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/props"
)

// Subject is a pool under test (harness.Subject, without the import cycle).
type Subject struct {
	Name   string
	New    func(limit int) pools.Pool
	Traits props.Traits
}

// Probe makes one pool to learn its optional capabilities, and reports a subject that
// cannot be run at all (problem is then one sentence). The probe's pool is closed on a
// goroutine of its own, not awaited: a hostile Close must not hang the probe.
func Probe(s Subject) (sh Shape, problem string) {
	if s.New == nil {
		return Shape{}, "Subject.New is nil"
	}
	var p pools.Pool
	if pv := guard(func() { p = s.New(1) }); pv != nil {
		return Shape{}, "New(1) panicked: " + pv.String()
	}
	if p == nil {
		return Shape{}, "New(1) returned nil"
	}
	go guard(p.Close)
	return ShapeOf(s.Traits, p), ""
}

// Select returns the properties with ids, in the order given, or every property for none.
func Select(ids []string) ([]props.Property, error) {
	if len(ids) == 0 {
		return props.All(), nil
	}
	var out []props.Property
	for _, id := range ids {
		p, ok := props.Lookup(id)
		if !ok {
			return nil, fmt.Errorf("unknown property %q (known: %s)", id, strings.Join(props.IDs(), ", "))
		}
		out = append(out, p)
	}
	return out, nil
}

// SubtestPattern anchors each level of a test name for go test's -run flag.
func SubtestPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return "^" + strings.Join(parts, "$/^") + "$"
}
