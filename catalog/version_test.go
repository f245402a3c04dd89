package catalog_test

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/poolcheck/poolcheck/catalog"
)

// TestThirdPartyModules: every third-party entry names a module that go.mod requires, and
// its Doc shows the version the binary holds, which (built without replaces) is the pinned
// one. A test binary of a package other than main records no dependencies in its build
// information, so here VersionOf knows no module and the Doc says so; cmd/poolcheck's tests
// check the versions in the built command.
func TestThirdPartyModules(t *testing.T) {
	data, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	required := map[string]string{}
	for _, r := range mf.Require {
		required[r.Mod.Path] = r.Mod.Version
	}
	for _, e := range catalog.Of(catalog.ThirdParty) {
		v := catalog.VersionOf(e.Module)
		switch {
		case e.Module == "":
			t.Errorf("%s: no Module", e.Name)
		case required[e.Module] == "":
			t.Errorf("%s: go.mod does not require its module %s", e.Name, e.Module)
		case v.Pinned == "" && v.Built == "":
			if !strings.HasPrefix(e.Doc, e.Module+" (version unknown) ") {
				t.Errorf("%s: no build information, yet Doc %q does not say the version is unknown", e.Name, e.Doc)
			}
		case v.Pinned != required[e.Module] || v.Other():
			t.Errorf("%s: VersionOf(%s) = %+v, want both %s", e.Name, e.Module, v, required[e.Module])
		case !strings.HasPrefix(e.Doc, e.Module+" "+v.Built+" "):
			t.Errorf("%s: Doc %q does not start with its module and version", e.Name, e.Doc)
		}
	}
	if v := catalog.VersionOf("example.com/not-a-dependency"); v.Pinned != "" || v.Built != "" || v.Other() {
		t.Errorf("VersionOf a module not built in = %+v, want empty", v)
	}
}
