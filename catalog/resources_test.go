package catalog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/props"
)

// entry is what the checks below read of a ResourceEntry or a RetryEntry.
type entry struct {
	name, breaks string
	kind         catalog.Kind
	findings     map[string]catalog.Finding
	known        func(id string) bool
}

func resourceAndRetryEntries() []entry {
	var out []entry
	isResource := func(id string) bool { _, ok := props.LookupResource(id); return ok }
	isRetry := func(id string) bool { _, ok := props.LookupRetry(id); return ok }
	for _, e := range catalog.ResourceSubjects() {
		out = append(out, entry{e.Name, e.Breaks, e.Kind, e.Findings, isResource})
	}
	for _, e := range catalog.RetrySubjects() {
		out = append(out, entry{e.Name, e.Breaks, e.Kind, e.Findings, isRetry})
	}
	return out
}

// Every resource and retrying pool has a unique name (task pools' included), a broken one
// names the property of its kind it breaks, and only third-party ones have findings, each
// complete and confirmed by a test that exists in package pools/thirdparty.
func TestResourceAndRetryEntriesAreComplete(t *testing.T) {
	names := map[string]bool{}
	for _, e := range catalog.All() {
		names[e.Name] = true
	}
	tests, err := os.ReadDir(filepath.Join("..", "pools", "thirdparty"))
	if err != nil {
		t.Fatal(err)
	}
	var sources strings.Builder
	for _, f := range tests {
		if strings.HasSuffix(f.Name(), "_test.go") {
			b, err := os.ReadFile(filepath.Join("..", "pools", "thirdparty", f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			sources.Write(b)
		}
	}
	kinds := map[catalog.Kind]int{}
	for _, e := range resourceAndRetryEntries() {
		kinds[e.kind]++
		if names[e.name] {
			t.Errorf("%s: name used twice", e.name)
		}
		names[e.name] = true
		if (e.kind == catalog.Broken) != (e.breaks != "") || e.breaks != "" && !e.known(e.breaks) {
			t.Errorf("%s: a %s entry breaks %q", e.name, e.kind, e.breaks)
		}
		if len(e.findings) > 0 && e.kind != catalog.ThirdParty {
			t.Errorf("%s: a %s entry has findings", e.name, e.kind)
		}
		for id, f := range e.findings {
			where := e.name + " / " + id
			switch {
			case !e.known(id):
				t.Errorf("%s: no such property", where)
			case !f.Verdict.Valid() || !f.Severity.Valid():
				t.Errorf("%s: verdict %q or severity %q is not the catalogue's", where, f.Verdict, f.Severity)
			case f.Summary == "" || f.Cause == "" || !strings.HasPrefix(f.ConfirmedBy, "TestFinding"):
				t.Errorf("%s: want a Summary, a Cause and a ConfirmedBy test named TestFinding...", where)
			case !strings.Contains(sources.String(), "func "+f.ConfirmedBy+"("):
				t.Errorf("%s: no test %s in pools/thirdparty", where, f.ConfirmedBy)
			case f.Verdict.Counts() && f.Reproducer == "" && f.NoReproducer == "":
				t.Errorf("%s: a %s needs a standalone reproducer", where, f.Verdict)
			}
		}
	}
	if kinds[catalog.Ours] < 3 || kinds[catalog.ThirdParty] < 4 || kinds[catalog.Broken] < 17 {
		t.Errorf("kinds %v: want our three designs, four third-party pools and the seventeen broken ones", kinds)
	}
}
