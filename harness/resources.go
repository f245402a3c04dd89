package harness

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/internal/core"
	"github.com/poolcheck/poolcheck/pools/resource"
	"github.com/poolcheck/poolcheck/pools/retry"
	"github.com/poolcheck/poolcheck/props"
)

// Conn is the resource the harness's factory makes for a ResourceSubject: its ID numbers
// it from 1 in creation order, as traces name it.
type Conn = core.Conn

// ResourceSubject is a resource pool under test (package pools/resource).
type ResourceSubject struct {
	Name string
	// New returns a fresh pool that holds at most max resources, made and destroyed by f.
	New    func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn]
	Traits ResourceTraits
}

// ResourceTraits is what a resource pool promises beyond the contract; see
// props.ResourceTraits.
type ResourceTraits = props.ResourceTraits

// RetrySubject is a retrying pool under test (package pools/retry).
type RetrySubject struct {
	Name string
	// New returns a fresh pool that runs at most limit attempts at once and retries as p says.
	New    func(limit int, p retry.Policy) retry.Doer
	Traits RetryTraits
}

// RetryTraits is what a retrying pool promises beyond its policy; see props.RetryTraits.
type RetryTraits = props.RetryTraits

// CheckResources is Check for a resource pool: it explores s under generated schedules
// (holders acquiring, holding, releasing and discarding resources, Creates that take time
// or fail, contexts that end, Close racing holders), judges every trace against
// props.ResourceProperties, and fails t, one subtest per property, with the shrunk
// counterexample and a replay line. Isolation, options and the report are Check's.
func CheckResources(t *testing.T, s ResourceSubject, opts ...Option) {
	t.Helper()
	rep, err := ExploreResources(t, s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	failOn(t, s.Name, rep)
}

// ExploreResources is CheckResources' core: the same exploration, returning the Report.
func ExploreResources(t *testing.T, s ResourceSubject, opts ...Option) (*Report, error) {
	t.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	tg, err := resourceTarget(s, cfg.ids)
	if err != nil {
		return nil, err
	}
	return dispatch(t, tg, cfg), nil
}

// CheckRetries is Check for a retrying pool: it explores s under generated schedules
// (policies of retries, per-attempt timeouts and backoffs; calls whose attempts fail, hang
// past their timeout or ignore their ctx; contexts that end; Close racing calls), judges
// every trace against props.RetryProperties in virtual time, so timeouts and backoffs are
// checked exactly, and fails t, one subtest per property.
func CheckRetries(t *testing.T, s RetrySubject, opts ...Option) {
	t.Helper()
	rep, err := ExploreRetries(t, s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	failOn(t, s.Name, rep)
}

// ExploreRetries is CheckRetries' core: the same exploration, returning the Report.
func ExploreRetries(t *testing.T, s RetrySubject, opts ...Option) (*Report, error) {
	t.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	tg, err := retryTarget(s, cfg.ids)
	if err != nil {
		return nil, err
	}
	return dispatch(t, tg, cfg), nil
}

func resourceTarget(s ResourceSubject, ids []string) (target, error) {
	switch {
	case s.Name == "":
		return target{}, errors.New("harness: ResourceSubject.Name is empty")
	case s.New == nil:
		return target{}, fmt.Errorf("harness: ResourceSubject %q has no New function", s.Name)
	case s.Traits.Slots < 0:
		return target{}, fmt.Errorf("harness: ResourceSubject %q: Traits.Slots is %d, want 0 or more", s.Name, s.Traits.Slots)
	}
	sel, err := selectFrom(props.ResourceProperties(), ids)
	if err != nil {
		return target{}, err
	}
	cs := core.ResourceSubject{Name: s.Name, New: s.New, Traits: s.Traits}
	return target{
		name:    s.Name,
		props:   sel,
		excused: func(p props.Property) string { return p.ExcusedResource(s.Traits) },
		engine: func(t *testing.T, lim core.Limits) (core.Engine, string) {
			sh, problem := core.ProbeResource(cs)
			return core.ResourceVirtual{T: t, Subject: cs, Shape: sh, Limits: lim}, problem
		},
	}, nil
}

func retryTarget(s RetrySubject, ids []string) (target, error) {
	switch {
	case s.Name == "":
		return target{}, errors.New("harness: RetrySubject.Name is empty")
	case s.New == nil:
		return target{}, fmt.Errorf("harness: RetrySubject %q has no New function", s.Name)
	}
	sel, err := selectFrom(props.RetryProperties(), ids)
	if err != nil {
		return target{}, err
	}
	cs := core.RetrySubject{Name: s.Name, New: s.New, Traits: s.Traits}
	return target{
		name:    s.Name,
		props:   sel,
		excused: func(p props.Property) string { return p.ExcusedRetry(s.Traits) },
		engine: func(t *testing.T, lim core.Limits) (core.Engine, string) {
			return core.RetryVirtual{T: t, Subject: cs, Limits: lim}, core.ProbeRetry(cs)
		},
	}, nil
}

// selectFrom returns the properties of all with ids, in the order given, or all for none.
func selectFrom(all []props.Property, ids []string) ([]props.Property, error) {
	if len(ids) == 0 {
		return all, nil
	}
	var out []props.Property
	for _, id := range ids {
		p, ok := props.LookupAny(id)
		if !ok || !contains(all, id) {
			var known []string
			for _, q := range all {
				known = append(known, q.ID)
			}
			return nil, fmt.Errorf("harness: Properties: unknown property %q (known: %s)", id, strings.Join(known, ", "))
		}
		out = append(out, p)
	}
	return out, nil
}

func contains(ps []props.Property, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}
