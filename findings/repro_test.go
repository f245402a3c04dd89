package findings

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/internal/gomod"
)

// reproducer is one directory under testdata: a bug of module at the version go.mod pins.
type reproducer struct {
	dir    string
	module string
}

// Reproducers of one module share its patched copy: their patches are applied in this order.
var reproducers = []reproducer{
	{"ants-submit-races-release", "github.com/panjf2000/ants/v2"},
	{"ants-tune-lost-wakeup", "github.com/panjf2000/ants/v2"},
	{"conc-panic-strands-go", "github.com/sourcegraph/conc"},
	{"pond-v2-resize-queue0", "github.com/alitto/pond/v2"},
}

// scratchModule is the module path of the scratch module; each reproducer is its package
// scratchModule/dir.
const scratchModule = "example.com/poolcheck-repro"

// TestReproducersFailOnReleaseAndPassPatched builds a scratch module that requires each
// library at the release poolcheck pins, runs every reproducer against it (each must fail,
// by its assertions, not by a build error), then replaces each library with a copy patched
// by its fix.patch and runs them again (each must pass).
func TestReproducersFailOnReleaseAndPassPatched(t *testing.T) {
	goCmd := goCommand(t)
	versions := pinnedVersions(t)
	tmp := t.TempDir()
	scratch := filepath.Join(tmp, "scratch")
	var mod strings.Builder
	fmt.Fprintf(&mod, "module %s\n\ngo 1.25\n\nrequire (\n", scratchModule)
	required := map[string]bool{}
	for _, r := range reproducers {
		if !required[r.module] {
			required[r.module] = true
			fmt.Fprintf(&mod, "\t%s %s\n", r.module, versions[r.module])
		}
		copyFile(t, filepath.Join("testdata", r.dir, "repro_test.go"), filepath.Join(scratch, r.dir, "repro_test.go"))
	}
	mod.WriteString(")\n")
	writeFile(t, filepath.Join(scratch, "go.mod"), mod.String())
	copyFile(t, filepath.Join("..", "go.sum"), filepath.Join(scratch, "go.sum")) // known sums: fewer lookups

	dirs := download(t, goCmd, scratch)

	start := time.Now()
	release := goTest(t, goCmd, scratch)
	t.Logf("against the releases: %v", time.Since(start).Round(time.Millisecond))
	for _, r := range reproducers {
		pkg := release.pkg(r.dir)
		if len(pkg.tests) == 0 {
			t.Errorf("%s@%s: %s ran no test (build failure?):\n%s", r.module, versions[r.module], r.dir, pkg.output)
			continue
		}
		for name, action := range pkg.tests {
			if action != "fail" {
				t.Errorf("%s@%s: %s.%s: %s, want fail (the bug is reproduced on the release)\n%s",
					r.module, versions[r.module], r.dir, name, action, pkg.output)
			}
		}
	}

	copies := map[string]string{} // module -> its patched copy
	for _, r := range reproducers {
		dst, ok := copies[r.module]
		if !ok {
			dst = filepath.Join(tmp, "patched", r.dir)
			copies[r.module] = dst
			copyTree(t, dirs[r.module], dst)
			mod.WriteString(fmt.Sprintf("\nreplace %s => %s\n", r.module, dst))
		}
		patch, err := os.ReadFile(filepath.Join("testdata", r.dir, "fix.patch"))
		if err != nil {
			t.Fatal(err)
		}
		if err := applyDiff(dst, string(patch)); err != nil {
			t.Fatalf("%s: fix.patch does not apply to %s@%s: %v", r.dir, r.module, versions[r.module], err)
		}
	}
	writeFile(t, filepath.Join(scratch, "go.mod"), mod.String())
	start = time.Now()
	patched := goTest(t, goCmd, scratch)
	t.Logf("against the patched copies: %v", time.Since(start).Round(time.Millisecond))
	for _, r := range reproducers {
		pkg := patched.pkg(r.dir)
		if len(pkg.tests) == 0 || pkg.action != "pass" {
			t.Errorf("%s patched by %s/fix.patch: package %s, want pass:\n%s", r.module, r.dir, cmpOr(pkg.action, "did not run"), pkg.output)
			continue
		}
		for name, action := range pkg.tests {
			if action != "pass" {
				t.Errorf("%s patched by %s/fix.patch: %s: %s, want pass\n%s", r.module, r.dir, name, action, pkg.output)
			}
		}
	}
}

// goCommand returns the go command of the toolchain running this test, or skips.
func goCommand(t *testing.T) string {
	t.Helper()
	exe, err := gomod.Command()
	if err != nil {
		t.Skipf("skipped: %v, so the reproducers cannot be built", err)
	}
	return exe
}

// pinnedVersions reads the versions of the reproducers' modules from the repository's go.mod.
func pinnedVersions(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]string{}
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) >= 2 && slices.ContainsFunc(reproducers, func(r reproducer) bool { return r.module == f[0] }) {
			versions[f[0]] = f[1]
		}
	}
	for _, r := range reproducers {
		if versions[r.module] == "" {
			t.Fatalf("go.mod does not require %s: the reproducer %s has no release to run against", r.module, r.dir)
		}
	}
	return versions
}

// download fetches the scratch module's requirements through the module proxy (or finds
// them in the module cache) and returns each reproducer module's directory. It skips the
// test when they cannot be fetched: then the proxy is unavailable.
func download(t *testing.T, goCmd, scratch string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	mods, err := gomod.Download(ctx, goCmd, scratch)
	var pe *gomod.ProxyError
	if errors.As(err, &pe) {
		proxy, _ := exec.Command(goCmd, "env", "GOPROXY").Output()
		t.Skipf("skipped: the module proxy is unavailable (GOPROXY=%s), so the released libraries cannot be fetched: %v",
			strings.TrimSpace(string(proxy)), err)
	} else if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{}
	for _, m := range mods {
		dirs[m.Path] = m.Dir
	}
	for _, r := range reproducers {
		if dirs[r.module] == "" {
			t.Fatalf("go mod download did not report %s", r.module)
		}
	}
	return dirs
}

// testRun is what go test -json reported, per package of the scratch module.
type testRun map[string]*pkgRun

type pkgRun struct {
	action string            // the package's final action: pass, fail, skip
	tests  map[string]string // top-level test name -> pass, fail or skip
	output string
}

func (r testRun) pkg(dir string) *pkgRun {
	if p, ok := r[scratchModule+"/"+dir]; ok {
		return p
	}
	return &pkgRun{tests: map[string]string{}, output: "(no output: the package was not tested)"}
}

// goTest runs go test -json on every package of the scratch module. A failing test is
// expected on the release, so only a failure to run go at all is fatal.
func goTest(t *testing.T, goCmd, scratch string) testRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "test", "-count=1", "-json", "./...")
	cmd.Dir, cmd.Env = scratch, gomod.Env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) || ctx.Err() != nil {
		t.Fatalf("go test in the scratch module: %v\n%s", err, stderr.String())
	}
	run := testRun{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var e struct{ Action, Package, Test, Output string }
		if err := dec.Decode(&e); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go test -json: %v\n%s\n%s", err, out, stderr.String())
		}
		p := run[e.Package]
		if p == nil {
			p = &pkgRun{tests: map[string]string{}}
			run[e.Package] = p
		}
		switch {
		case e.Action == "output":
			p.output += e.Output
		case e.Test == "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			p.action = e.Action
		case e.Test != "" && !strings.Contains(e.Test, "/") && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			p.tests[e.Test] = e.Action
		}
	}
	if stderr.Len() > 0 {
		for _, p := range run {
			p.output += stderr.String()
		}
	}
	return run
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dst, string(data))
}

// copyTree copies the regular files of src (a read-only module cache directory) to dst,
// writable.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatalf("copying %s: %v", src, err)
	}
}
