// Package harness checks that a worker or goroutine pool keeps its promises: one call in a
// pool's tests,
//
//	func TestMyPool(t *testing.T) {
//		harness.Check(t, harness.Subject{
//			Name:   "mypool",
//			New:    func(limit int) pools.Pool { return mypool.New(limit) },
//			Traits: harness.Traits{Queue: harness.Unbounded},
//		})
//	}
//
// explores the pool under generated schedules and fails t, one subtest per property, with a
// shrunk counterexample and the command that replays it.
//
// # The contract
//
// A pool implements pools.Pool: Submit(ctx, task) returns nil once the task is accepted (an
// accepted task runs exactly once), may block until it can accept, and returns ctx.Err()
// when ctx ends first, pools.ErrClosed after Close, or pools.ErrFull from a pool that
// rejects instead of blocking; a task not accepted never runs. Wait blocks until every task
// accepted before it began has finished. Close stops accepting, waits for the accepted
// tasks and the pool's goroutines, and is a no-op the second time. Optional capabilities
// (pools.Resizer, pools.TrySubmitter) are found by type assertion and exercised when present.
//
// Traits declare what a pool promises beyond that, so that it is tested for its promises,
// not for someone's taste: Queue (0, n or Unbounded accepted tasks waiting beyond the
// running ones), Rejects, Panics (Recovers, Crashes, Repanics), Goexit, IgnoresCtx,
// NoSubmitDuringWait. The zero value is the strictest, most common promise. Queue and
// Rejects are checked too (queue-bound): a pool that says it queues 4 must not queue 5.
//
// The properties are package props's, judged on each run's trace: max-concurrency,
// exactly-once, wait, close, no-leak, cancel, liveness, work-conserving, submit-errors and
// queue-bound.
//
// # What Check runs
//
// rapid draws a schedule: a limit of 1 to 4 and up to three phases, each a burst of more
// submitters than slots (maybe raced by a Wait, or by one or two Closes) or a mix of actors
// that submit, try-submit, wait, close and resize at chosen moments; tasks hold their slot
// for a few virtual milliseconds or until a shared gate opens, yield, panic or call
// runtime.Goexit; contexts are cancelled, time out, or are done already. Each schedule runs
// against a fresh pool in a testing/synctest bubble, and every submit, start, end, cancel,
// wait and close is recorded in a trace. One exploration serves every property: each trace is judged against
// all of them (Runs schedules, DefaultRuns by default), and each property that fails is then
// shrunk on its own.
//
// A run is watched in real time. A pool that deadlocks on channels or sync.Cond is seen at
// once (virtual time jumps to the horizon); one whose goroutines keep running while virtual
// time stands still busy-waits, and one whose goroutines all wait on a sync.Mutex is
// deadlocked: both are cut short after Stall (250ms) and fail liveness, saying which. Such a
// run's goroutines cannot be reclaimed, so exploring stops there and the properties not yet
// judged get the Error verdict.
//
// # Isolation
//
// Check and Explore run the exploration in a child process: the test binary again, running
// only the calling test, in which the same Check call explores and streams its results back
// (the other Check calls of that test do nothing there). The parent bounds the child in real
// time, dumps a wedged child's goroutines (SIGQUIT) and kills it, and turns a crash into a
// report in plain words: "the pool crashed the process: ..." (a task panic a pool declared
// to recover did not), "the pool shares state across pools ..." (a package-level default
// pool that testing/synctest cannot run), a process the pool ended (os.Exit, log.Fatal, with
// its last words), and data races the race detector reported. A Submit, Wait or Close that
// calls runtime.Goexit on the caller's goroutine is recorded as a call that panicked, and a
// New that does not return within the Watchdog is reported as such. A pool
// can never take the test binary down, and every Check after it gets an honest verdict. The
// cost is a process start per Check, tens of milliseconds. The child re-runs the test up to
// the Check call, so call Check first in its own test or subtest; InProcess (or
// POOLCHECK_INPROCESS=1) keeps everything in the test's process, for a debugger.
//
// # Reproducing a failure
//
// A failure prints its replay command, go test -run 'TestX$/^property$' -rapid.seed=N: the
// seed's first schedule is the one that failed, so the run repeats it and shrinks it again.
// Virtual time fixes durations, not the order of goroutines runnable at the same instant,
// so a replay usually, not always, takes the same path; shrinking runs on one P to make it
// repeat.
//
// # What it does not find
//
// No false positives on a pool that keeps its declared Traits: a recorded task interval lies
// inside the real one, and "promptly" means at the same virtual instant. False negatives:
// races a few instructions wide with no blocking point inside the window (a check-then-act
// on an atomic) are found only when the scheduler happens to switch there: use package
// stress under -race for those. Do not call Check from a parallel test: leak checks and
// budgets assume the process is quiet, and while it shrinks a failure Check sets GOMAXPROCS
// to 1.
package harness
