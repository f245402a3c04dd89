package thirdparty_test

import (
	"os"
	"testing"

	"github.com/poolcheck/poolcheck/internal/isolate"
)

// childEnv names, in a re-executed test binary, the test that should act as the child.
const childEnv = "POOLCHECK_THIRDPARTY_CHILD"

// inChild reports whether this process is the child that runs t's body on its own. A
// finding that kills the process (a fatal error) or can never be cleaned up (goroutines
// stuck for good, which the bubble and goleak would report) is confirmed in a child, so the
// package's own run stays clean.
func inChild(t *testing.T) bool { return os.Getenv(childEnv) == t.Name() }

// runChild re-executes the test binary through package isolate (the one child-process
// helper) to run only the test named t.Name() as a child, and returns how it ended: its
// output, and a Crash when it did not end well.
func runChild(t *testing.T) isolate.Outcome {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a child process")
	}
	oc, err := isolate.Run(isolate.Spec{Path: os.Args[0],
		Args: []string{"-test.run=^" + t.Name() + "$", "-test.count=1", "-test.v"},
		Env:  []string{childEnv + "=" + t.Name()}})
	if err != nil {
		t.Fatal(err)
	}
	return oc
}
