package catalog_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/props"
)

// TestFindingsAreComplete: every finding names a known property, a valid verdict and
// severity, a summary, a cause and a confirming test; every bug has its reproducer and
// patch in the repository; every upstream reference is a URL of the library's tracker.
func TestFindingsAreComplete(t *testing.T) {
	n := 0
	for _, e := range catalog.All() {
		if len(e.Findings) > 0 && e.Kind != catalog.ThirdParty {
			t.Errorf("%s: a %s entry has findings; only third-party entries may", e.Name, e.Kind)
		}
		for property, f := range e.Findings {
			n++
			where := e.Name + " / " + property
			if _, ok := props.Lookup(property); !ok {
				t.Errorf("%s: no such property", where)
			}
			if !f.Verdict.Valid() {
				t.Errorf("%s: verdict %q is not one of the catalogue's", where, f.Verdict)
			}
			if !f.Severity.Valid() {
				t.Errorf("%s: severity %q is not one of the catalogue's", where, f.Severity)
			}
			if f.Summary == "" || f.Cause == "" || !strings.HasPrefix(f.ConfirmedBy, "TestFinding") {
				t.Errorf("%s: want a Summary, a Cause and a ConfirmedBy test named TestFinding...: %+v", where, f)
			}
			if f.Verdict == catalog.FixedUpstream && len(f.Upstream) == 0 {
				t.Errorf("%s: fixed upstream, but no upstream reference says where", where)
			}
			for _, u := range f.Upstream {
				if p, err := url.Parse(u); err != nil || p.Scheme != "https" || p.Host != "github.com" {
					t.Errorf("%s: upstream %q is not a GitHub URL", where, u)
				}
			}
			switch {
			case f.Verdict.Counts() && f.Reproducer == "" && f.NoReproducer == "":
				t.Errorf("%s: a %s needs a standalone reproducer", where, f.Verdict)
			case f.Reproducer != "":
				for _, file := range []string{"repro_test.go", "fix.patch"} {
					if _, err := os.Stat(filepath.Join("..", filepath.FromSlash(f.Reproducer), file)); err != nil {
						t.Errorf("%s: reproducer %s: %v", where, f.Reproducer, err)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("the catalogue records no findings; the test would check nothing")
	}
}

func TestVerdictCounts(t *testing.T) {
	for v, want := range map[catalog.Verdict]bool{
		catalog.Bug: true, catalog.FixedUpstream: true, catalog.Weakness: false, catalog.UndeclaredTrait: false,
	} {
		if got := v.Counts(); got != want {
			t.Errorf("%s.Counts() = %v, want %v", v, got, want)
		}
	}
	if catalog.Verdict("bugs").Valid() || catalog.Severity("slow").Valid() {
		t.Error("an unknown verdict or severity is valid")
	}
}
