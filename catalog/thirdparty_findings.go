package catalog

// The known failures of the third-party libraries at the versions in go.mod, by catalogue
// entry and property. docs/FINDINGS.md tells each one in full: the smallest schedule, the
// source, the evidence for its verdict.
var findings = map[string]map[string]Finding{
	"ants": {
		"max-concurrency": antsTuneShrink,
		"queue-bound":     antsTuneShrink, // the idle workers accept tasks beyond the new capacity
		"close":           antsSubmitRacesRelease,
		"liveness":        antsSubmitStranded,
		"work-conserving": antsTuneLostWakeup,
	},
	"ants-nonblocking": { // never waits on the cond, so never stranded
		"max-concurrency": antsTuneShrink,
		"queue-bound":     antsTuneShrink,
		"close":           antsSubmitRacesRelease,
	},
	"conc": {
		"liveness":        concPanicStrandsGo,
		"work-conserving": concPanicIdlesSlot,
	},
	"pond-v1":        {"work-conserving": pondV1StaleIdleCount},
	"pond-v1-queue8": {"work-conserving": pondV1StaleIdleCount},
	"pond-v2-queue0": {"work-conserving": pondV2ResizeQueue0},
}

var (
	antsTuneShrink = Finding{
		Verdict:  UndeclaredTrait,
		Severity: OverLimit,
		Summary: "after Tune shrinks the capacity, the workers already idle still take tasks, so more tasks than the new capacity " +
			"run at once until they finish: ants shrinks lazily",
		Cause: "retrieveWorker (ants.go:517) detaches an idle worker without checking Running against the capacity; only the " +
			"spawn path (ants.go:524) and revertWorker (ants.go:552) check it, so the pool converges to the new capacity as " +
			"tasks end. ants documents Tune only as changing the capacity; its maintainer has called a brief overshoot that " +
			"converges acceptable (#70, #154), though #374 fixed the spawn path's overshoot. Undocumented lazy shrink, not " +
			"a broken promise, unless the maintainer says otherwise; no harness trait declares it yet",
		Upstream: []string{
			"https://github.com/panjf2000/ants/issues/70",
			"https://github.com/panjf2000/ants/issues/154",
			"https://github.com/panjf2000/ants/issues/374",
		},
		ConfirmedBy: "TestFindingAntsTuneShrink",
	}
	antsSubmitRacesRelease = Finding{
		Verdict:  Bug,
		Severity: AfterClose,
		Summary: "a Submit that passed ants' closed check just before Release is accepted after ReleaseContext returned, " +
			"and its task starts then",
		Cause: "Submit checks IsClosed (pool.go:38) before retrieveWorker takes the lock (ants.go:513); Release sets CLOSED " +
			"without the lock (ants.go:385), and retrieveWorker rechecks only after cond.Wait (ants.go:542), so with no worker " +
			"running the late Submit spawns one (ants.go:524) after ReleaseContext saw Running() == 0 and returned " +
			"(\"waits all workers to exit\"); also with WithNonblocking(true), whose check comes after the spawn path",
		ConfirmedBy: "TestFindingAntsSubmitRacesRelease",
		DependsOn: "instrumentation, not timing: ants' private lock is replaced (reflection) by one that holds a Submit " +
			"between pool.go:38 and ants.go:513; in the wild that window needs a preemption or a contended lock",
		Reproducer: "findings/testdata/ants-submit-races-release",
		StressOnly: true,
	}
	antsSubmitStranded = Finding{
		Verdict:  Bug,
		Severity: Hang,
		Summary: "by the same window, with every worker busy and the busy workers dying of a panic or runtime.Goexit, a " +
			"Submit that raced Release waits on the cond for good after Close returned",
		Cause: "the late Submit waits on the cond (ants.go:539) after Release's Broadcast (ants.go:404); a worker that returns " +
			"normally Broadcasts again from revertWorker on a closed pool (ants.go:552-553), but one that dies of a panic or " +
			"Goexit Signals once (worker.go:65), so with more such Submits than dying workers one is never woken " +
			"(the control thirdparty.TestFindingAntsStrandedNeedsDyingWorkers shows both woken when the task returns)",
		Upstream:    []string{"https://github.com/panjf2000/ants/issues/141"},
		ConfirmedBy: "TestFindingAntsSubmitStrandedByRelease",
		DependsOn: "instrumentation, not timing: ants' private lock is replaced (reflection) by one that holds the Submits " +
			"in the same window; in the wild it needs that window and busy workers that die of a panic or Goexit",
		Reproducer: "findings/testdata/ants-submit-races-release",
		StressOnly: true,
	}
	antsTuneLostWakeup = Finding{
		Verdict:  Bug,
		Severity: Delay,
		Summary: "Tune can lose the wake-up of a Submit about to wait for a worker: the Submit then waits while the grown " +
			"pool has room, until a running task ends",
		Cause: "retrieveWorker compares the capacity with Running under p.lock (ants.go:524) and then waits on p.cond " +
			"(ants.go:539), whose Locker is p.lock; Tune stores the capacity and Signals or Broadcasts p.cond without " +
			"p.lock (ants.go:368-374), so a wake-up between the check and the Wait reaches no one. Tune's wake-up is " +
			"ants' own fix of #205 (Tune woke no one), so growing is meant to admit waiters; in v2.12.1 the purger " +
			"Broadcasts only when every worker is gone (ants.go:286), so nothing else repairs it while tasks run",
		Upstream:    []string{"https://github.com/panjf2000/ants/issues/205", "https://github.com/panjf2000/ants/issues/272"},
		ConfirmedBy: "TestFindingAntsTuneLostWakeup",
		DependsOn: "true parallelism (two Ps): the window is a few instructions wide with no blocking point, so the test " +
			"races a Submit against Tune until one is lost (about one race in 10,000, a fraction of a second); it skips " +
			"at GOMAXPROCS 1",
		Reproducer: "findings/testdata/ants-tune-lost-wakeup",
	}
	concPanicStrandsGo = Finding{
		Verdict:  FixedUpstream,
		Severity: Hang,
		Summary: "after two tasks in a row panic (or call runtime.Goexit), a Go that took the freed slot stays blocked with " +
			"no worker left, until some later Go starts one",
		Cause: "Go (pool/pool.go:55-63) takes a limiter token, spawns a worker and then sends its task on the shared tasks " +
			"channel, where another blocked Go's task (line 64) is queued ahead of it; the new worker runs that task, and if it " +
			"dies its token is freed (line 151) to no one while the first Go waits on the channel, though conc promises Go " +
			"\"will block until the task can be started\" (line 38). Fixed on main by PR #112 (2023-05-03: a spawned worker " +
			"runs its own Go's task first); v0.3.0, the newest release, predates it",
		Upstream:    []string{"https://github.com/sourcegraph/conc/pull/112"},
		ConfirmedBy: "TestFindingConcPanicStrandsSubmitter",
		Reproducer:  "findings/testdata/conc-panic-strands-go",
	}
	concPanicIdlesSlot = Finding{
		Verdict:  FixedUpstream,
		Severity: Delay,
		Summary: "after one task panics, a Go that took the freed slot waits while the slot idles, until a live worker " +
			"finishes its task",
		Cause: "the same stranding as on liveness (pool/pool.go:55-64, 151) when the task that took the new worker does not " +
			"die: the stranded Go's task starts only when that worker is free again. Fixed on main by PR #112, in no release",
		Upstream:    []string{"https://github.com/sourcegraph/conc/pull/112"},
		ConfirmedBy: "TestFindingConcPanicStrandsSubmitter",
		Reproducer:  "findings/testdata/conc-panic-strands-go",
	}
	pondV1StaleIdleCount = Finding{
		Verdict:  Weakness,
		Severity: Delay,
		Summary: "a task submitted right after another one was handed to the only idle worker waits behind it while a slot " +
			"is free: delayed by one task's length, never lost",
		Cause: "Submit starts no worker while the idle count is above 0 (pond.go:483), and that count still includes a worker " +
			"just handed a task that has not yet decremented it (pond.go:454). pond v1 promises no immediacy: its README " +
			"says the default Eager strategy \"maximizes responsiveness\" and \"spawns an extra worker when there are no " +
			"idles\". Worse than it could be against poolcheck's work-conserving, not a broken promise",
		ConfirmedBy: "TestFindingPondV1IdleSlot",
		DependsOn: "the scheduler: the window lies between two Submits of one goroutine, so the test runs at GOMAXPROCS(1) " +
			"after a runtime.GC, where the woken worker does not run before the second Submit unless the submitter is " +
			"preempted between them",
	}
	pondV2ResizeQueue0 = Finding{
		Verdict:  Bug,
		Severity: Delay,
		Summary: "with WithQueueSize(0), Resize growing the pool leaves a Go that is already blocked waiting while the new " +
			"slots idle, until a running task ends or a newcomer's Go gets in first",
		Cause: "blockingTrySubmit (pool.go:378-396) waits on submitWaiters, which only a worker's exit (pool.go:472) or " +
			"another successful submit (pool.go:446) signals; Resize (pool.go:174-201) launches workers only for queued " +
			"tasks, none without a queue, and signals no one, though pond documents that growing creates workers \"as " +
			"needed up to the new maximum\" and that without a queue a submission blocks \"until a worker becomes available\"",
		ConfirmedBy: "TestFindingPondV2ResizeQueue0",
		Reproducer:  "findings/testdata/pond-v2-resize-queue0",
	}
)
