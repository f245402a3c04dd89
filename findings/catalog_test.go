package findings

import (
	"os"
	"path"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
)

// TestCatalogCitesEveryReproducer: the reproducers this package verifies are exactly the
// ones the catalogue's findings cite, and every directory under testdata is one of them.
func TestCatalogCitesEveryReproducer(t *testing.T) {
	cited := map[string]bool{}
	for _, e := range catalog.All() {
		for property, f := range e.Findings {
			if f.Reproducer == "" {
				continue
			}
			dir, file := path.Split(f.Reproducer)
			if dir != "findings/testdata/" {
				t.Errorf("%s / %s: reproducer %q is not under findings/testdata", e.Name, property, f.Reproducer)
			}
			cited[file] = true
		}
	}
	listed := map[string]bool{}
	for _, r := range reproducers {
		listed[r.dir] = true
		if !cited[r.dir] {
			t.Errorf("reproducer %s is verified here but no catalogue finding cites it", r.dir)
		}
	}
	for dir := range cited {
		if !listed[dir] {
			t.Errorf("the catalogue cites reproducer %s, which this package does not verify", dir)
		}
	}
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range entries {
		if !listed[d.Name()] {
			t.Errorf("testdata/%s is not in the reproducers table", d.Name())
		}
	}
}
