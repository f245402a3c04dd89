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
	"time"

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
// cannot be run at all (problem is then one sentence). New gets within, in real time, to
// return (10s if within is 0); a New that blocks longer is left blocked on a goroutine of
// its own. The probe's pool is closed on a goroutine of its own, not awaited: a hostile
// Close must not hang the probe.
func Probe(s Subject, within time.Duration) (sh Shape, problem string) {
	if within <= 0 {
		within = 10 * time.Second
	}
	if s.New == nil {
		return Shape{}, "Subject.New is nil"
	}
	type made struct {
		p  pools.Pool
		pv *callPanicked
	}
	ch := make(chan made, 1)
	go func() {
		m := made{pv: &callPanicked{goexitErr}} // unless New returns or panics
		defer func() { ch <- m }()
		m.pv = guard(func() { m.p = s.New(1) })
	}()
	var m made
	select {
	case m = <-ch:
	case <-time.After(within):
		return Shape{}, fmt.Sprintf("New(1) did not return within %v", within)
	}
	if m.pv != nil {
		return Shape{}, "New(1) panicked: " + m.pv.String()
	}
	if m.p == nil {
		return Shape{}, "New(1) returned nil"
	}
	go guard(m.p.Close)
	return ShapeOf(s.Traits, m.p), ""
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
