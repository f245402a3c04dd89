package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Instrumented lists the packages -interleave instruments (cmd/poolcheck-instrument's
// POOLCHECK_INSTRUMENT syntax: "p/..." is p and everything below it): our pools, the broken
// corpus and the twins, and the third-party libraries of the catalogue.
var Instrumented = []string{
	"github.com/poolcheck/poolcheck/pools/...",
	"github.com/panjf2000/ants/v2/...",
	"github.com/alitto/pond/...",
	"github.com/gammazero/workerpool/...",
	"golang.org/x/sync/...",
	"github.com/sourcegraph/conc/...",
	"github.com/bytedance/gopkg/util/gopool/...",
	"github.com/go-pkgz/pool/...",
	"github.com/remeh/sizedwaitgroup/...",
}

// RunInstrumented runs the command again, built with the pools instrumented: it builds
// cmd/poolcheck-instrument, then go run -toolexec with it on ./cmd/poolcheck with args, from
// the module's root, and returns its exit status. It needs the go command and the module's
// source (a clone); the first build also instruments-compiles the standard library, which
// takes a minute.
func RunInstrumented(args []string, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "poolcheck: -interleave: %v\n", err)
		return ExitUsage
	}
	gobin, root, err := SourceTree()
	if err != nil {
		return fail(err)
	}
	tmp, err := os.MkdirTemp("", "poolcheck-interleave")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(tmp)
	pci := filepath.Join(tmp, "poolcheck-instrument")
	build := exec.Command(gobin, "build", "-o", pci, "./cmd/poolcheck-instrument")
	build.Dir, build.Stdout, build.Stderr = root, stderr, stderr
	if err := build.Run(); err != nil {
		return fail(fmt.Errorf("building cmd/poolcheck-instrument: %v", err))
	}
	fmt.Fprintf(stderr, "poolcheck: building the command with %d package patterns instrumented (the first time, a minute)\n", len(Instrumented))
	run := exec.Command(gobin, append([]string{"run", "-toolexec=" + pci, "./cmd/poolcheck"}, args...)...)
	run.Dir, run.Stdin, run.Stdout, run.Stderr = root, os.Stdin, stdout, stderr
	run.Env = append(os.Environ(), "POOLCHECK_INSTRUMENT="+strings.Join(Instrumented, ","))
	return exitStatus(run.Run(), stderr)
}
