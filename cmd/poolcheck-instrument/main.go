// Command poolcheck-instrument rewrites Go packages so that package interleave can run
// their goroutines one at a time in an order it chooses (see package
// internal/instrument for what is rewritten).
//
// As a go test -toolexec wrapper it rewrites, at compile time, the packages it is told to
// and passes every other tool invocation through unchanged:
//
//	go build -o /tmp/pci ./cmd/poolcheck-instrument
//	POOLCHECK_INSTRUMENT=github.com/panjf2000/ants/v2 go test -toolexec=/tmp/pci ./...
//	go test -toolexec='/tmp/pci -pkgs=example.com/pool/...' ./...
//
// The packages are a comma-separated list of import paths; "p/..." also selects every
// package below p. The -pkgs flag wins over POOLCHECK_INSTRUMENT. Because it works on
// the compiler's command line (keyed on TOOLEXEC_IMPORTPATH), it rewrites packages of
// any module, including third-party ones in the module cache, which go build -overlay
// refuses to replace. The test binary must link package interleave (any test that
// imports it does). The selection and this binary are part of the compiler's identity
// for the build cache, so instrumented and plain builds never share cache entries.
//
// With -o it instead writes an instrumented copy of one package into a directory:
//
//	poolcheck-instrument -o DIR [-as IMPORTPATH] PACKAGE
//
// -as is the import path the copy registers as instrumented (default: the original's).
// The copy's //line directives name the original files relative to DIR.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	goversion "go/version"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/poolcheck/poolcheck/internal/instrument"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run returns the exit status: the wrapped tool's, 0 on success, 1 on a failure, 2 for
// bad usage.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("poolcheck-instrument", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write an instrumented copy of PACKAGE into this directory")
	as := fs.String("as", "", "with -o: the import path the copy registers as (default: the original's)")
	pkgs := fs.String("pkgs", "", "as -toolexec: comma-separated import paths to instrument (p/... for a tree); default $POOLCHECK_INSTRUMENT")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go test -toolexec='poolcheck-instrument [-pkgs=LIST]' PACKAGES")
		fmt.Fprintln(stderr, "       poolcheck-instrument -o DIR [-as IMPORTPATH] PACKAGE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rest := fs.Args()
	if *out != "" {
		if len(rest) != 1 {
			fmt.Fprintln(stderr, "poolcheck-instrument: -o needs exactly one PACKAGE")
			return 2
		}
		if err := copyPackage(*out, *as, rest[0]); err != nil {
			fmt.Fprintln(stderr, "poolcheck-instrument:", err)
			return 1
		}
		return 0
	}
	if len(rest) == 0 {
		fs.Usage()
		return 2
	}
	sel := *pkgs
	if sel == "" {
		sel = os.Getenv("POOLCHECK_INSTRUMENT")
	}
	return toolexec(newSelection(sel), rest[0], rest[1:], stdout, stderr)
}

// copyPackage writes an instrumented copy of pattern into dir.
func copyPackage(dir, as, pattern string) error {
	outs, err := instrumentCopy(dir, as, pattern)
	if err != nil {
		return err
	}
	return instrument.WriteDir(dir, outs)
}

// instrumentCopy returns the files of an instrumented copy of pattern to be written into
// dir, registering as as (default: the original's import path).
func instrumentCopy(dir, as, pattern string) ([]instrument.Output, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	lineName := func(path string) string {
		rel, err := filepath.Rel(absDir, path)
		if err != nil {
			return path
		}
		return filepath.ToSlash(rel)
	}
	res, err := instrument.Load(".", instrument.Lines, lineName, pattern)
	if err != nil {
		return nil, err
	}
	if len(res) != 1 {
		return nil, fmt.Errorf("%s matched %d packages, want one", pattern, len(res))
	}
	for p, outs := range res {
		if as != "" && as != p.PkgPath {
			outs[len(outs)-1].Text = instrument.Hooks(p.Name, as)
		}
		return outs, nil
	}
	return nil, nil
}

// selection is the set of import paths to instrument.
type selection struct {
	spec  string
	exact map[string]bool
	trees []string
}

func newSelection(spec string) selection {
	s := selection{spec: spec, exact: map[string]bool{}}
	for _, p := range strings.Split(spec, ",") {
		p = strings.TrimSpace(p)
		switch {
		case p == "":
		case strings.HasSuffix(p, "/..."):
			s.trees = append(s.trees, strings.TrimSuffix(p, "/..."))
		default:
			s.exact[p] = true
		}
	}
	return s
}

func (s selection) has(path string) bool {
	if s.exact[path] {
		return true
	}
	for _, t := range s.trees {
		if path == t || strings.HasPrefix(path, t+"/") {
			return true
		}
	}
	return false
}

// toolexec runs tool with args, rewriting the source files first when the tool is the
// compiler and the package is selected.
func toolexec(sel selection, tool string, args []string, stdout, stderr io.Writer) int {
	isCompile := strings.TrimSuffix(filepath.Base(tool), ".exe") == "compile"
	if isCompile && len(args) == 1 && args[0] == "-V=full" {
		return version(sel, tool, args, stdout, stderr)
	}
	path := instrument.ImportPathOf(os.Getenv("TOOLEXEC_IMPORTPATH"))
	if isCompile && sel.has(path) {
		newArgs, cleanup, err := rewrite(args)
		if err != nil {
			fmt.Fprintf(stderr, "poolcheck-instrument: %s: %v\n", path, err)
			return 1
		}
		defer cleanup()
		args = newArgs
	}
	return runTool(tool, args, stdout, stderr)
}

// version prints the compiler's identity with this binary's and the selection's
// appended, so that the go command's build cache keys differ from a plain build's.
func version(sel selection, tool string, args []string, stdout, stderr io.Writer) int {
	var b strings.Builder
	if code := runTool(tool, args, &b, stderr); code != 0 {
		return code
	}
	h := sha256.New()
	if exe, err := os.Executable(); err == nil {
		if f, err := os.Open(exe); err == nil {
			io.Copy(h, f)
			f.Close()
		}
	}
	io.WriteString(h, sel.spec)
	fmt.Fprintf(stdout, "%s poolcheck-instrument=%s\n", strings.TrimSpace(b.String()), hex.EncodeToString(h.Sum(nil))[:16])
	return 0
}

// rewrite instruments the compile command line's files into a temporary directory and
// returns the arguments naming them instead.
func rewrite(args []string) ([]string, func(), error) {
	c, err := instrument.ParseCompileArgs(args)
	if err != nil {
		return nil, nil, err
	}
	outs, err := instrument.Compile(c)
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "poolcheck-instrument-")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	byPath := map[string]string{}
	var extra []string
	for i, o := range outs {
		name := filepath.Join(dir, fmt.Sprintf("%d_%s", i, instrument.HooksFileName))
		if o.Source != nil {
			name = filepath.Join(dir, fmt.Sprintf("%d_%s", i, filepath.Base(o.Source.LineName)))
		}
		if err := os.WriteFile(name, o.Text, 0o644); err != nil {
			cleanup()
			return nil, nil, err
		}
		if o.Source != nil {
			byPath[o.Source.LineName] = name
		} else {
			extra = append(extra, name)
		}
	}
	newArgs := append([]string(nil), args[:len(args)-len(c.Files)]...)
	for _, f := range c.Files {
		abs, err := filepath.Abs(f)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		if r, ok := byPath[abs]; ok {
			f = r
		}
		newArgs = append(newArgs, f)
	}
	return raiseLang(append(newArgs, extra...)), cleanup, nil
}

// minLang is the language version the hooks file needs (it uses generics).
const minLang = "go1.18"

// raiseLang raises a -lang older than minLang to it, so a module that declares an older go
// version still compiles with the hooks file; up to go1.21 the language changed only by
// additions, so the module's own code means what it meant.
func raiseLang(args []string) []string {
	for i, a := range args {
		switch {
		case strings.HasPrefix(a, "-lang=") && goversion.Compare(a[len("-lang="):], minLang) < 0:
			args[i] = "-lang=" + minLang
		case a == "-lang" && i+1 < len(args) && goversion.Compare(args[i+1], minLang) < 0:
			args[i+1] = minLang
		}
	}
	return args
}

// runTool runs the wrapped tool and returns its exit status.
func runTool(tool string, args []string, stdout, stderr io.Writer) int {
	cmd := exec.Command(tool, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintln(stderr, "poolcheck-instrument:", err)
		return 1
	}
	return 0
}
