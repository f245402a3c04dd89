package thirdparty_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
)

// TestCatalogFindingsCiteTests: every finding the catalogue records for a third-party entry
// names the test of this package that confirms it, and that test exists.
func TestCatalogFindingsCiteTests(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil {
				tests[fn.Name.Name] = true
			}
		}
	}
	for _, e := range catalog.Of(catalog.ThirdParty) {
		for property, f := range e.Findings {
			switch {
			case f.ConfirmedBy == "":
				t.Errorf("%s / %s: the finding names no confirming test", e.Name, property)
			case !tests[f.ConfirmedBy]:
				t.Errorf("%s / %s: the finding cites thirdparty.%s, which does not exist", e.Name, property, f.ConfirmedBy)
			}
		}
	}
}
