package catalog

import (
	"testing"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// Family is the contract a pool keeps, which decides the properties it is judged against
// and how it is explored: task pools (pools.Pool), resource pools (pools/resource) and
// retrying pools (pools/retry).
type Family string

// Families.
const (
	TaskPools     Family = "task"
	ResourcePools Family = "resource"
	RetryPools    Family = "retry"
)

// Families returns every family, in the order reports show them.
func Families() []Family { return []Family{TaskPools, ResourcePools, RetryPools} }

// Properties returns the properties a pool of family f is judged against, in order.
func (f Family) Properties() []props.Property {
	switch f {
	case TaskPools:
		return props.All()
	case ResourcePools:
		return props.ResourceProperties()
	case RetryPools:
		return props.RetryProperties()
	}
	return nil
}

// Title names the family's pools: "task pools", "resource pools", "retrying pools".
func (f Family) Title() string {
	switch f {
	case TaskPools:
		return "task pools"
	case ResourcePools:
		return "resource pools"
	case RetryPools:
		return "retrying pools"
	}
	return string(f) + " pools"
}

// Pool is one pool of the catalogue, of any family: what a tool that checks the whole
// catalogue needs of an Entry, a ResourceEntry or a RetryEntry.
type Pool struct {
	Family     Family
	Name       string
	Kind       Kind
	Breaks     string // for a Broken pool: the property id (of its family) it breaks
	StressOnly bool   // see Entry.StressOnly (task pools only)
	Doc        string
	// Traits is what the pool declares: a props.Traits, props.ResourceTraits or
	// props.RetryTraits, by family.
	Traits   any
	Findings map[string]Finding
	// Module is, for a third-party pool of a library, the library's module (see
	// Entry.Module).
	Module string
	// Probe, if set, makes one pool of the smallest size and closes it: poolcheck -pool
	// NAME@VERSION calls it before exploring, to tell an adapter that cannot run at a
	// release from a failure of the library.
	Probe func()
	// Explore explores the pool as harness.Explore, ExploreResources or ExploreRetries
	// does, by family.
	Explore func(t *testing.T, opts ...harness.Option) (*harness.Report, error)
}

// Pool returns e as a Pool of the task family.
func (e Entry) Pool() Pool {
	return Pool{Family: TaskPools, Name: e.Name, Kind: e.Kind, Breaks: e.Breaks, StressOnly: e.StressOnly,
		Doc: e.Doc, Traits: e.Traits, Findings: e.Findings, Module: e.Module,
		Probe: func() { e.New(1).Close() },
		Explore: func(t *testing.T, opts ...harness.Option) (*harness.Report, error) {
			return harness.Explore(t, e.Subject, opts...)
		}}
}

// Pool returns e as a Pool of the resource family.
func (e ResourceEntry) Pool() Pool {
	return Pool{Family: ResourcePools, Name: e.Name, Kind: e.Kind, Breaks: e.Breaks, Doc: e.Doc,
		Traits: e.Traits, Findings: atPinned(e.Module, e.Findings), Module: e.Module,
		Explore: func(t *testing.T, opts ...harness.Option) (*harness.Report, error) {
			return harness.ExploreResources(t, e.ResourceSubject, opts...)
		}}
}

// Pool returns e as a Pool of the retry family.
func (e RetryEntry) Pool() Pool {
	return Pool{Family: RetryPools, Name: e.Name, Kind: e.Kind, Breaks: e.Breaks, Doc: e.Doc,
		Traits: e.Traits, Findings: e.Findings,
		Explore: func(t *testing.T, opts ...harness.Option) (*harness.Report, error) {
			return harness.ExploreRetries(t, e.RetrySubject, opts...)
		}}
}

// Pools returns every pool of every family: the task pools (All), then the resource pools
// (ResourceSubjects), then the retrying pools (RetrySubjects), each in its own order. Names
// are unique across the three, so a name alone finds a pool.
func Pools() []Pool {
	var out []Pool
	for _, e := range All() {
		out = append(out, e.Pool())
	}
	for _, e := range ResourceSubjects() {
		out = append(out, e.Pool())
	}
	for _, e := range RetrySubjects() {
		out = append(out, e.Pool())
	}
	return out
}
