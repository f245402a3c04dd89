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
		p, ok := b.Pool()
		switch {
		case !ok:
			t.Errorf("%s: no catalogue pool %q", b.Name, b.Entry)
		case p.Kind != catalog.ThirdParty || p.Module == "":
			t.Errorf("%s: pool %s is not a third-party adapter with a module", b.Name, b.Entry)
		case !slices.ContainsFunc(p.Family.Properties(), func(q props.Property) bool { return q.ID == b.Property }):
			t.Errorf("%s: %q is not a property of the %s", b.Name, b.Property, p.Family.Title())
		}
		if !semver.IsValid(b.Buggy) || !semver.IsValid(b.Fixed) || semver.Compare(b.Buggy, b.Fixed) >= 0 {
			t.Errorf("%s: buggy %q must be a release before fixed %q", b.Name, b.Buggy, b.Fixed)
		}
		if b.Doc == "" || len(b.Upstream) == 0 {
			t.Errorf("%s: want a Doc and an upstream reference", b.Name)
		}
		repo := ""
		if ok && p.Module != "" {
			repo = strings.Join(strings.Split(p.Module, "/")[1:3], "/")
		}
		for _, u := range b.Upstream {
			link, err := url.Parse(u)
			if err != nil || link.Scheme != "https" || link.Host != "github.com" {
				t.Errorf("%s: upstream %q is not a GitHub URL", b.Name, u)
			} else if repo != "" && !strings.HasPrefix(link.Path, "/"+repo+"/") && !strings.HasPrefix(p.Module, "golang.org/") {
				t.Errorf("%s: upstream %q is not on %s's tracker (%s)", b.Name, u, p.Module, repo)
			}
		}
	}
}
