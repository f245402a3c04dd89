package catalog_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/semver"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/props"
)

// TestCorpusIsWellFormed: every real bug names a third-party entry, a property, a buggy
// release before its fixed one, and the library's tracker.
func TestCorpusIsWellFormed(t *testing.T) {
	if len(catalog.Corpus()) == 0 {
		t.Fatal("the corpus is empty: nothing to check")
	}
	seen := map[string]bool{}
	for _, b := range catalog.Corpus() {
		if b.Name == "" || seen[b.Name] {
			t.Errorf("%+v: a missing or repeated name", b)
		}
		seen[b.Name] = true
		var kind catalog.Kind
		var ok bool
		if b.Resource {
			var e catalog.ResourceEntry
			e, ok = catalog.LookupResource(b.Entry)
			kind = e.Kind
			if !slices.ContainsFunc(props.ResourceProperties(), func(p props.Property) bool { return p.ID == b.Property }) {
				t.Errorf("%s: no resource property %q", b.Name, b.Property)
			}
		} else {
			var e catalog.Entry
			e, ok = catalog.Lookup(b.Entry)
			kind = e.Kind
			if _, known := props.Lookup(b.Property); !known {
				t.Errorf("%s: no property %q", b.Name, b.Property)
			}
		}
		switch {
		case !ok:
			t.Errorf("%s: no catalogue entry %q", b.Name, b.Entry)
		case kind != catalog.ThirdParty || b.Module() == "":
			t.Errorf("%s: entry %s is not a third-party adapter with a module", b.Name, b.Entry)
		}
		if !semver.IsValid(b.Buggy) || !semver.IsValid(b.Fixed) || semver.Compare(b.Buggy, b.Fixed) >= 0 {
			t.Errorf("%s: buggy %q must be a release before fixed %q", b.Name, b.Buggy, b.Fixed)
		}
		if b.Doc == "" || len(b.Upstream) == 0 {
			t.Errorf("%s: want a Doc and an upstream reference", b.Name)
		}
		repo := ""
		if ok && b.Module() != "" {
			repo = strings.Join(strings.Split(b.Module(), "/")[1:3], "/")
		}
		for _, u := range b.Upstream {
			p, err := url.Parse(u)
			if err != nil || p.Scheme != "https" || p.Host != "github.com" {
				t.Errorf("%s: upstream %q is not a GitHub URL", b.Name, u)
			} else if repo != "" && !strings.HasPrefix(p.Path, "/"+repo+"/") && !strings.HasPrefix(b.Module(), "golang.org/") {
				t.Errorf("%s: upstream %q is not on %s's tracker (%s)", b.Name, u, b.Module(), repo)
			}
		}
	}
}
