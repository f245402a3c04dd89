// Package isolate runs a piece of poolcheck's work in a child process and turns whatever
// becomes of that process into data: the messages it streamed, and, when it did not end
// well, a Crash that says why in plain words (a panic, a fatal error of the runtime, a
// pool whose state is shared across synctest bubbles, a child that made no progress and was
// stopped with its goroutines dumped) and the race detector's reports.
//
// A child speaks through a Sender on its original standard output: one tagged JSON line
// per message, so anything else a pool or a library prints (on stdout or stderr) cannot be
// mistaken for a message. The parent (Run) bounds the child in real time: when no message
// has arrived for Spec.Stall, it sends SIGQUIT (the Go runtime then prints every
// goroutine's stack), waits a moment for the dump, and kills the child.
//
// The harness (harness.Check, in a re-executed test binary), package stress and the
// poolcheck command all isolate their explorations through this one package.
package isolate
