package props

// Unbounded is a Traits.Queue value: any number of accepted tasks may wait.
const Unbounded = -1

// Traits is what a pool promises beyond the Pool contract. The zero value is the strictest,
// most common promise: no queue, blocking Submit, panics recovered, Goexit handled, ctx
// honoured, Submit allowed concurrently with Wait.
type Traits struct {
	// Queue is how many accepted tasks may wait beyond the running ones: 0 means none
	// (Submit returns only once its task has a slot), n > 0, or Unbounded. queue-bound
	// holds the pool to it.
	Queue int
	// Rejects means that when full, Submit returns pools.ErrFull at once instead of blocking
	// (and only when full: queue-bound checks both).
	Rejects bool
	// Panics says what the pool does with a task that panics.
	Panics PanicPolicy
	// Goexit says what the pool does with a task that calls runtime.Goexit.
	Goexit GoexitPolicy
	// IgnoresCtx means Submit does not watch its ctx while blocked (conc, ants, errgroup):
	// the cancel property does not apply. A Submit that does return a ctx error must still
	// not run its task.
	IgnoresCtx bool
	// NoSubmitDuringWait means Submit must not be called while a Wait is in progress (the
	// sync.WaitGroup rule errgroup inherits): the harness never overlaps them.
	NoSubmitDuringWait bool
}

// PanicPolicy says what a pool does with a panicking task.
type PanicPolicy uint8

// Panic policies.
const (
	// Recovers: the panic is recovered, the slot is freed and the pool goes on.
	Recovers PanicPolicy = iota
	// Crashes: a panicking task crashes the process (gammazero/workerpool, errgroup): the
	// harness submits no panicking tasks.
	Crashes
	// Repanics: the pool goes on, and Wait (and Close) re-panics with a value wrapping the
	// first panic (sourcegraph/conc: *panics.Recovered). The harness lets such a Wait or
	// Close panic.
	Repanics
)

// GoexitPolicy says what a pool does with a task that calls runtime.Goexit.
type GoexitPolicy uint8

// Goexit policies.
const (
	// GoexitHandled: the task counts as ended, its slot is freed and the pool goes on.
	GoexitHandled GoexitPolicy = iota
	// GoexitUnsupported: the pool does not survive runtime.Goexit in a task: the harness
	// submits no such tasks.
	GoexitUnsupported
)
