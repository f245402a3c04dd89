package core

import (
	"strings"

	"github.com/poolcheck/poolcheck/internal/isolate"
)

// Explain says what the crash of a process that explored a pool means for the pool, in
// plain words, with what to do where the harness knows.
func Explain(c *isolate.Crash) string {
	switch c.Kind {
	case isolate.Panicked:
		s := "the pool crashed the process: " + c.Reason
		if strings.Contains(c.Detail, "panics on purpose") {
			s += " (a task's panic was not recovered, but Traits.Panics says the pool recovers: " +
				"if the pool documents that a panicking task crashes the process, declare Panics: harness.Crashes)"
		}
		return s
	case isolate.Fatal:
		return "the pool crashed the process: " + c.Reason
	case isolate.SharedState:
		return "the pool shares state across pools (a package-level default pool?): testing/synctest cannot run it, " +
			"because one pool's goroutines then serve pools in other bubbles (" + c.Reason + "); " +
			"give each pool its own state (for example, do not stop a library's process-wide default pool in Close), " +
			"or check it in real time with package stress"
	case isolate.Hung:
		return c.Reason + ", outside any run the watchdog guards (the goroutine dump shows where)"
	}
	return c.Reason
}
