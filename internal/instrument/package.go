package instrument

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Source is one file to rewrite: its parsed syntax, its original text and the name the
// rewritten file's //line directives give it.
type Source struct {
	File     *ast.File
	Src      []byte
	LineName string
}

// Output is one rewritten file.
type Output struct {
	Source *Source // nil for the hooks file
	Text   []byte
	Points int
}

// Package rewrites the files of one type-checked package and adds the hooks file (last in
// the result). importPath is what the package registers itself as. Files that import "C"
// are an error: cgo rewrites them first, and their generated form is not instrumented.
func Package(fset *token.FileSet, info *types.Info, name, importPath string, files []*Source, mode Mode) ([]Output, error) {
	if name == "" || importPath == "" {
		return nil, fmt.Errorf("instrument: package name %q and import path %q must not be empty", name, importPath)
	}
	var out []Output
	for _, s := range files {
		for _, im := range s.File.Imports {
			if im.Path.Value == `"C"` {
				return nil, fmt.Errorf("instrument: %s uses cgo, which is not supported", s.LineName)
			}
		}
		text, n, err := File(fset, info, s.File, s.Src, s.LineName, mode)
		if err != nil {
			return nil, err
		}
		out = append(out, Output{Source: s, Text: text, Points: n})
	}
	return append(out, Output{Text: Hooks(name, importPath)}), nil
}

// NewInfo returns a types.Info with the maps File needs.
func NewInfo() *types.Info {
	return &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Uses:         map[*ast.Ident]types.Object{},
		Defs:         map[*ast.Ident]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Instances:    map[*ast.Ident]types.Instance{},
		FileVersions: map[*ast.File]string{},
	}
}

// ImportPathOf returns the import path a TOOLEXEC_IMPORTPATH value names: "p", "p [p.test]"
// and "p_test [p.test]" are all package p's (the last one its external tests).
func ImportPathOf(toolexecImportPath string) string {
	p, _, _ := strings.Cut(toolexecImportPath, " ")
	return p
}
