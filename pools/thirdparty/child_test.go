package thirdparty_test

import (
	"os"
	"os/exec"
	"testing"
)

// childEnv names, in a re-executed test binary, the test that should act as the child.
const childEnv = "POOLCHECK_THIRDPARTY_CHILD"

// inChild reports whether this process is the child that runs t's body on its own. A
// finding that kills the process (a fatal error) or can never be cleaned up (goroutines
// stuck for good, which the bubble and goleak would report) is confirmed in a child, so the
// package's own run stays clean.
func inChild(t *testing.T) bool { return os.Getenv(childEnv) == t.Name() }

// runChild re-executes the test binary to run only the test named t.Name() as a child,
// and returns its combined output and its error (non-nil when the child failed or died).
func runChild(t *testing.T) (string, error) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	return string(out), err
}
