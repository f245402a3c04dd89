package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/internal/gomod"
)

// ModulePath is the module this command is built from: -pool NAME@VERSION and -history
// rebuild it, so they run only inside its source tree.
const ModulePath = "github.com/poolcheck/poolcheck"

// rebuiltEnv marks a command rebuilt at other library versions, so that a rebuild that did
// not take effect is an internal error instead of an endless chain of rebuilds.
const rebuiltEnv = "POOLCHECK_REBUILT"

// Timeouts of the go commands run for a rebuild: fetching one release, and building the
// command (the first build after a change of version recompiles the library, the catalogue
// and the command).
const (
	fetchTimeout = 3 * time.Minute
	buildTimeout = 10 * time.Minute
)

// checkVersion reports why v is not a release version a user can ask for ("" if it is one).
func checkVersion(v string) string {
	switch {
	case v == "":
		return "an empty version"
	case !semver.IsValid(v):
		return fmt.Sprintf("%q is not a semantic version such as v2.4.7", v)
	case semver.Canonical(v) != v && semver.Canonical(v)+semver.Build(v) != v:
		return fmt.Sprintf("%q is not a full version: write %s", v, semver.Canonical(v))
	}
	return ""
}

// libraryOf returns the module of entry e for checking it at another release, or a usage
// error if e is not a third-party entry with a known module.
func libraryOf(e catalog.Pool, flag string) (string, error) {
	if e.Kind != catalog.ThirdParty || e.Module == "" {
		return "", usageErrorf("%s %s@...: %s is of kind %s; only a third-party library's adapter can be checked at another release (see -list -kind third-party)",
			flag, e.Name, e.Name, e.Kind)
	}
	return e.Module, nil
}

// pinVersions resolves the NAME@VERSION pools of -pool: it returns the module → version
// map the command must be built with, or a usage error (a pool that is not third-party, a
// malformed version, two versions of one module).
func pinVersions(entries []catalog.Pool, versions map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for _, e := range entries {
		v, ok := versions[e.Name]
		if !ok {
			continue
		}
		module, err := libraryOf(e, "-pool")
		if err != nil {
			return nil, err
		}
		if why := checkVersion(v); why != "" {
			return nil, usageErrorf("-pool %s@%s: %s", e.Name, v, why)
		}
		if prev, ok := out[module]; ok && prev != v {
			return nil, usageErrorf("-pool asks for %s at both %s and %s; one build holds one release of a module", module, prev, v)
		}
		out[module] = v
	}
	return out, nil
}

// poolArg is e as a -pool argument that names the release built: NAME@VERSION when its
// library is not at the pinned release.
func poolArg(e catalog.Pool) string {
	if v := catalog.VersionOf(e.Module); e.Module != "" && v.Other() {
		return e.Name + "@" + v.Built
	}
	return e.Name
}

// otherReleases says, for each library of outs built at a release other than the pinned one,
// that the catalogue's findings do not apply to it.
func otherReleases(outs []Outcome) []string {
	seen := map[string]bool{}
	var lines []string
	for _, o := range outs {
		m := o.Entry.Module
		if v := catalog.VersionOf(m); m != "" && v.Other() && !seen[m] {
			seen[m] = true
			lines = append(lines, fmt.Sprintf("%s built at %s, not the pinned %s: the catalogue's findings are for %s, so a failure here is FAIL:new (unclassified at %s) and counts.",
				m, v.Built, v.Pinned, v.Pinned, v.Built))
		}
	}
	return lines
}

// ProbeAdapters makes and closes one pool of each entry of cfg whose library is at another
// release (cfg.Versions), and returns an error if one cannot be made: an adapter that looks
// a method up at run time may find that a release lacks what it needs, and its constructor
// then fails, which is a limit of the adapter, not a failure of the library to report in
// the matrix. It blocks until each probe pool is closed.
func ProbeAdapters(cfg *Config) (err error) {
	for _, e := range cfg.Entries {
		v, ok := cfg.Versions[e.Module]
		if !ok || e.Probe == nil {
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("the adapter of %s cannot run against %s %s (it is written for the pinned %s): %v",
						e.Name, e.Module, v, catalog.VersionOf(e.Module).Pinned, r)
				}
			}()
			e.Probe()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// BuiltAt reports whether this binary holds every module of versions at its version.
func BuiltAt(versions map[string]string) bool {
	for module, v := range versions {
		if catalog.VersionOf(module).Built != v {
			return false
		}
	}
	return true
}

// SourceTree returns the go command and the root of the poolcheck source tree the working
// directory is in, or an error that says to run inside a clone.
func SourceTree() (goCmd, root string, err error) {
	goCmd, err = gomod.Command()
	if err != nil {
		return "", "", fmt.Errorf("%v: this mode rebuilds the command from its source", err)
	}
	out, err := exec.Command(goCmd, "env", "GOMOD").Output()
	gomodFile := strings.TrimSpace(string(out))
	notHere := fmt.Errorf("run it from inside a clone of %s (git clone, then cd into it): this mode rebuilds the command from its source", ModulePath)
	if err != nil || gomodFile == "" || gomodFile == os.DevNull {
		return "", "", notHere
	}
	data, err := os.ReadFile(gomodFile)
	if err != nil || modfile.ModulePath(data) != ModulePath {
		return "", "", notHere
	}
	return goCmd, filepath.Dir(gomodFile), nil
}

// CompileError is a rebuild at other library versions that did not compile: the adapters
// are written for the pinned releases, and an older or newer API may lack what they call.
type CompileError struct {
	Versions map[string]string // module → the version asked for
	Output   string            // the go command's output
}

func (e *CompileError) Error() string {
	if pkg := e.failedPackage(); pkg != "" && !strings.HasPrefix(pkg, ModulePath) {
		var libs []string
		for _, m := range sortedKeys(e.Versions) {
			libs = append(libs, m+" "+e.Versions[m])
		}
		return fmt.Sprintf("%s does not compile with this module's other requirements (package %s fails: a dependency that go.mod requires at a newer release changed its API): the command cannot be built at this release; pick a newer one",
			strings.Join(libs, ", "), pkg)
	}
	var libs []string
	for _, m := range sortedKeys(e.Versions) {
		libs = append(libs, fmt.Sprintf("%s %s (the adapters are written for the pinned %s)", m, e.Versions[m],
			cmp.Or(catalog.VersionOf(m).Pinned, "version of go.mod")))
	}
	return "the adapters do not compile against " + strings.Join(libs, ", ") +
		": pick a release with the API the adapter uses, or adapt it in pools/thirdparty"
}

// failedPackage is the first package the go command reports errors for ("# pkg"), or "".
func (e *CompileError) failedPackage() string {
	for line := range strings.Lines(e.Output) {
		if pkg, ok := strings.CutPrefix(strings.TrimSpace(line), "# "); ok {
			return pkg
		}
	}
	return ""
}

// FirstErrors is the start of the compiler's output: at most n lines.
func (e *CompileError) FirstErrors(n int) string {
	lines := strings.Split(strings.TrimSpace(e.Output), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return "  " + strings.Join(lines, "\n  ")
}

// fetch checks that the module proxy serves every module of versions at its version (and
// brings it into the module cache), and says what to do when it does not.
func fetch(ctx context.Context, goCmd, root string, versions map[string]string) error {
	var queries []string
	for _, m := range sortedKeys(versions) {
		queries = append(queries, m+"@"+versions[m])
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	_, err := gomod.Download(ctx, goCmd, root, queries...)
	var pe *gomod.ProxyError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe) && pe.Unreachable():
		proxy, _ := exec.Command(goCmd, "env", "GOPROXY").Output()
		return fmt.Errorf("the module proxy cannot be reached (GOPROXY=%s) for %s: check the network or GOPROXY (%s)",
			strings.TrimSpace(string(proxy)), pe.Query, gomod.OneLine(pe.Msg))
	case errors.As(err, &pe):
		module, _, _ := strings.Cut(pe.Query, "@")
		return fmt.Errorf("the module proxy does not serve %s (%s): pick a release it serves (go list -m -versions %s)",
			pe.Query, gomod.OneLine(strings.TrimPrefix(pe.Msg, pe.Query+": ")), module)
	default:
		return err
	}
}

// build compiles cmd/poolcheck from the source tree at root with each module of versions
// replaced by that release, into dir, and returns the executable. It writes an alternative
// go.mod and go.sum in dir (go build -modfile), so the tree is not changed; a replace with
// a version works whether the release is older or newer than the pinned one.
func build(ctx context.Context, goCmd, root, dir string, versions map[string]string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return "", err
	}
	for _, m := range sortedKeys(versions) {
		if err := mf.AddReplace(m, "", m, versions[m]); err != nil {
			return "", err
		}
	}
	out, err := mf.Format()
	if err != nil {
		return "", err
	}
	modFile := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(modFile, out, 0o644); err != nil {
		return "", err
	}
	if sum, err := os.ReadFile(filepath.Join(root, "go.sum")); err == nil {
		if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
			return "", err
		}
	}
	exe := filepath.Join(dir, "poolcheck")
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "build", "-modfile="+modFile, "-o", exe, "./cmd/poolcheck")
	cmd.Dir, cmd.Env = root, gomod.Env()
	output, err := cmd.CombinedOutput()
	switch {
	case err == nil:
		return exe, nil
	case ctx.Err() != nil:
		return "", fmt.Errorf("building the command timed out after %v", buildTimeout)
	case strings.HasPrefix(string(output), "# "), strings.Contains(string(output), "\n# "):
		return "", &CompileError{Versions: versions, Output: string(output)}
	default:
		return "", fmt.Errorf("building the command: %s", gomod.OneLine(string(output)))
	}
}

// Rebuild fetches the releases of versions (module → version) through the module proxy and
// builds this command with them, from the source tree the working directory is in (see
// SourceTree), in a new temporary directory. It returns the executable and a function that
// removes it. An error says what to do; a *CompileError carries the compiler's output.
func Rebuild(ctx context.Context, versions map[string]string) (exe string, remove func(), err error) {
	goCmd, root, err := SourceTree()
	if err != nil {
		return "", nil, err
	}
	if err := fetch(ctx, goCmd, root, versions); err != nil {
		return "", nil, err
	}
	tmp, err := os.MkdirTemp("", "poolcheck-at")
	if err != nil {
		return "", nil, err
	}
	remove = func() { os.RemoveAll(tmp) }
	exe, err = build(ctx, goCmd, root, tmp, versions)
	if err != nil {
		remove()
		return "", nil, err
	}
	return exe, remove, nil
}

// RebuiltCommand is the command to run exe, a command Rebuild made, with args: it marks the
// process as rebuilt, so that a rebuild that did not take effect is reported, not repeated.
func RebuiltCommand(ctx context.Context, exe string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), rebuiltEnv+"=1")
	return cmd
}

// RunAtVersions runs the command again with args, built with each module of versions at
// that release (the -pool NAME@VERSION pools), and returns its exit status; or, if it cannot
// be built, says why on stderr and returns ExitUsage.
func RunAtVersions(versions map[string]string, args []string, stdout, stderr io.Writer) int {
	if os.Getenv(rebuiltEnv) == "1" {
		fmt.Fprintf(stderr, "poolcheck: internal error: rebuilt with %v, the binary still holds other versions\n", versions)
		return ExitInternal
	}
	var libs []string
	for _, m := range sortedKeys(versions) {
		libs = append(libs, m+"@"+versions[m])
	}
	fmt.Fprintf(stderr, "poolcheck: building the command with %s through the module proxy\n", strings.Join(libs, ", "))
	exe, remove, err := Rebuild(context.Background(), versions)
	if err != nil {
		return reportRebuildError(stderr, err)
	}
	defer remove()
	cmd := RebuiltCommand(context.Background(), exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	return exitStatus(cmd.Run(), stderr)
}

// reportRebuildError prints why a rebuild failed: one line that says what to do, then the
// compiler's first errors for a CompileError.
func reportRebuildError(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "poolcheck: %v\n", err)
	var ce *CompileError
	if errors.As(err, &ce) {
		fmt.Fprintf(stderr, "The compiler's first errors:\n%s\n", ce.FirstErrors(10))
	}
	return ExitUsage
}

// exitStatus is the exit status of a finished child command.
func exitStatus(err error, stderr io.Writer) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &exit):
		return exit.ExitCode()
	default:
		fmt.Fprintf(stderr, "poolcheck: running the rebuilt command: %v\n", err)
		return ExitInternal
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
