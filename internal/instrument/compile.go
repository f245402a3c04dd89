package instrument

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// CompileArgs is what Compile needs from a cmd/compile command line.
type CompileArgs struct {
	ImportPath string   // -p
	Lang       string   // -lang, "" for the toolchain's own
	ImportCfg  string   // -importcfg: where the dependencies' export data is
	Files      []string // the .go files, as given
}

// ParseCompileArgs extracts CompileArgs from cmd/compile's arguments (without the tool
// path). The source files are the trailing arguments ending in ".go".
func ParseCompileArgs(args []string) (CompileArgs, error) {
	var c CompileArgs
	n := len(args)
	for n > 0 && strings.HasSuffix(args[n-1], ".go") {
		n--
	}
	c.Files = args[n:]
	for i := 0; i < n; i++ {
		val := func() string {
			if i+1 < n {
				i++
				return args[i]
			}
			return ""
		}
		switch a := args[i]; {
		case a == "-p":
			c.ImportPath = val()
		case a == "-lang":
			c.Lang = val()
		case a == "-importcfg":
			c.ImportCfg = val()
		case strings.HasPrefix(a, "-p="):
			c.ImportPath = a[3:]
		case strings.HasPrefix(a, "-lang="):
			c.Lang = a[6:]
		case strings.HasPrefix(a, "-importcfg="):
			c.ImportCfg = a[11:]
		}
	}
	if c.ImportPath == "" || c.ImportCfg == "" || len(c.Files) == 0 {
		return c, fmt.Errorf("instrument: not a package compile: -p %q, -importcfg %q, %d files",
			c.ImportPath, c.ImportCfg, len(c.Files))
	}
	return c, nil
}

// Compile type-checks the files of a compile command line against the export data its
// importcfg names, and rewrites them: one Output per file that is not a test file, whose
// Source.LineName is the file's absolute path, then the hooks file. Test files (_test.go)
// are type-checked but not rewritten; the caller compiles them as they are.
func Compile(c CompileArgs) ([]Output, error) {
	cfg, err := readImportCfg(c.ImportCfg)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	var srcs []*Source
	for _, name := range c.Files {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("instrument: %w", err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("instrument: %w", err)
		}
		abs, err := filepath.Abs(name)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		srcs = append(srcs, &Source{File: f, Src: src, LineName: abs})
	}
	info := NewInfo()
	conf := types.Config{
		Importer:  importer.ForCompiler(fset, "gc", cfg.open),
		GoVersion: c.Lang,
		Sizes:     types.SizesFor("gc", runtime.GOARCH),
	}
	if goarch := os.Getenv("GOARCH"); goarch != "" {
		conf.Sizes = types.SizesFor("gc", goarch)
	}
	pkg, err := conf.Check(c.ImportPath, fset, files, info)
	if err != nil {
		return nil, fmt.Errorf("instrument: type-checking %s: %w", c.ImportPath, err)
	}
	var rewrite []*Source
	for _, s := range srcs {
		if !strings.HasSuffix(s.LineName, "_test.go") {
			rewrite = append(rewrite, s)
		}
	}
	return Package(fset, info, pkg.Name(), c.ImportPath, rewrite, Exact)
}

// importCfg is a parsed -importcfg file.
type importCfg struct {
	files map[string]string // import path -> export data file
	maps  map[string]string // import path as written -> real import path
}

func readImportCfg(name string) (*importCfg, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("instrument: %w", err)
	}
	defer f.Close()
	cfg := &importCfg{files: map[string]string{}, maps: map[string]string{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		verb, rest, _ := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		k, v, ok := strings.Cut(rest, "=")
		if !ok {
			continue
		}
		switch verb {
		case "packagefile":
			cfg.files[k] = v
		case "importmap":
			cfg.maps[k] = v
		}
	}
	return cfg, sc.Err()
}

func (c *importCfg) open(path string) (io.ReadCloser, error) {
	if m, ok := c.maps[path]; ok {
		path = m
	}
	file, ok := c.files[path]
	if !ok {
		return nil, fmt.Errorf("instrument: %q is not in the importcfg", path)
	}
	return os.Open(file)
}
