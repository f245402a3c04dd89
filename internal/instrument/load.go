package instrument

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/tools/go/packages"
)

// Load loads the packages matching patterns (from dir, as the go command would) with the
// syntax and type information Package needs, and rewrites each one. lineName maps an
// original file's absolute path to the name its //line directives give (nil: the path).
// Test files are not loaded. A package that does not type-check is an error.
func Load(dir string, mode Mode, lineName func(string) string, patterns ...string) (map[*packages.Package][]Output, error) {
	if len(patterns) == 0 {
		return nil, errors.New("instrument: no package patterns")
	}
	cfg := &packages.Config{Dir: dir, Mode: packages.NeedName | packages.NeedFiles |
		packages.NeedCompiledGoFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("instrument: loading %v: %w", patterns, err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("instrument: %v matched no packages", patterns)
	}
	out := map[*packages.Package][]Output{}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			return nil, fmt.Errorf("instrument: %s: %v", p.PkgPath, p.Errors[0])
		}
		var files []*Source
		for _, f := range p.Syntax {
			path := p.Fset.File(f.FileStart).Name()
			src, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("instrument: %w", err)
			}
			name := path
			if lineName != nil {
				name = lineName(path)
			}
			files = append(files, &Source{File: f, Src: src, LineName: name})
		}
		outs, err := Package(p.Fset, p.TypesInfo, p.Name, p.PkgPath, files, mode)
		if err != nil {
			return nil, err
		}
		out[p] = outs
	}
	return out, nil
}

// WriteDir writes a package's outputs into dir: each rewritten file under its original
// base name, the hooks file as HooksFileName.
func WriteDir(dir string, outs []Output) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, o := range outs {
		name := HooksFileName
		if o.Source != nil {
			name = filepath.Base(o.Source.LineName)
		}
		if err := os.WriteFile(filepath.Join(dir, name), o.Text, 0o644); err != nil {
			return err
		}
	}
	return nil
}
