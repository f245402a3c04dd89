package catalog_test

import (
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/props"
)

// A name finds one pool in the three catalogues: no two pools share a name, whatever their
// families, so `poolcheck -pool NAME` and a replay line are never ambiguous.
func TestPoolNamesAreUniqueAcrossFamilies(t *testing.T) {
	seen := map[string]catalog.Family{}
	for _, p := range catalog.Pools() {
		if p.Name == "" {
			t.Errorf("a %s pool has no name", p.Family)
		}
		if f, dup := seen[p.Name]; dup {
			t.Errorf("%q names a %s pool and a %s pool", p.Name, f, p.Family)
		}
		seen[p.Name] = p.Family
	}
	want := len(catalog.All()) + len(catalog.ResourceSubjects()) + len(catalog.RetrySubjects())
	if len(seen) != want {
		t.Errorf("Pools has %d names, want the %d of the three catalogues", len(seen), want)
	}
}

// Every pool of Pools is its catalogue's entry: family, kind, breaks and findings, and a
// broken one breaks a property of its own family. Property ids are unique across families.
func TestPoolsKeepTheirFamily(t *testing.T) {
	ids := map[string]catalog.Family{}
	for _, f := range catalog.Families() {
		if len(f.Properties()) == 0 || f.Title() == "" {
			t.Errorf("family %q has no properties or no title", f)
		}
		for _, p := range f.Properties() {
			if g, dup := ids[p.ID]; dup {
				t.Errorf("property %q belongs to %s and %s", p.ID, g, f)
			}
			ids[p.ID] = f
		}
	}
	families := map[catalog.Family]int{}
	for _, p := range catalog.Pools() {
		families[p.Family]++
		if p.Explore == nil || p.Traits == nil {
			t.Errorf("%s: no Explore or no Traits", p.Name)
		}
		if p.Breaks != "" && ids[p.Breaks] != p.Family {
			t.Errorf("%s, a %s pool, breaks %q, a property of %q", p.Name, p.Family, p.Breaks, ids[p.Breaks])
		}
		for id := range p.Findings {
			if ids[id] != p.Family {
				t.Errorf("%s, a %s pool, has a finding on %q, a property of %q", p.Name, p.Family, id, ids[id])
			}
		}
		switch p.Traits.(type) {
		case props.Traits:
			if p.Family != catalog.TaskPools {
				t.Errorf("%s: a %s pool with task traits", p.Name, p.Family)
			}
		case props.ResourceTraits:
			if p.Family != catalog.ResourcePools {
				t.Errorf("%s: a %s pool with resource traits", p.Name, p.Family)
			}
		case props.RetryTraits:
			if p.Family != catalog.RetryPools {
				t.Errorf("%s: a %s pool with retry traits", p.Name, p.Family)
			}
		}
	}
	if families[catalog.TaskPools] != len(catalog.All()) || families[catalog.ResourcePools] != len(catalog.ResourceSubjects()) ||
		families[catalog.RetryPools] != len(catalog.RetrySubjects()) {
		t.Errorf("families %v: want every entry of each catalogue", families)
	}
}
