package catalog

import (
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
	brk "github.com/poolcheck/poolcheck/pools/broken"
)

// broken lists the corpus of package broken: each entry breaks exactly the property in
// Breaks and declares honest traits for the rest of its behaviour.
func broken() []Entry {
	return []Entry{
		// max-concurrency
		brokenEntry("broken-broadcast-no-recheck", "max-concurrency",
			func(n int) pools.Pool { return brk.NewBroadcastNoRecheck(n) },
			harness.Traits{IgnoresCtx: true},
			"the seed's bug: blocked submitters wait on a sync.Cond that a finishing task Broadcasts, and each proceeds with if instead of for"),
		brokenEntry("broken-event-no-recheck", "max-concurrency",
			func(n int) pools.Pool { return brk.NewEventNoRecheck(n) },
			harness.Traits{},
			"the seed's asyncio.Event as a channel closed to wake every blocked submitter, each of which takes a slot without checking the count again"),
		controlled(stressOnly(brokenEntry("broken-check-then-act", "max-concurrency",
			func(n int) pools.Pool { return brk.NewCheckThenAct(n) },
			harness.Traits{},
			"admission checks an atomic counter (running.Load() < limit) and increments it later instead of a CompareAndSwap, so concurrent submitters all take the last slot"))),
		controlled(stressOnly(brokenEntry("broken-count-after-unlock", "max-concurrency",
			func(n int) pools.Pool { return brk.NewCountAfterUnlock(n) },
			harness.Traits{},
			"admission checks the running count under the lock but raises it after the unlock (ants #374), so a second submitter is admitted on the stale count"))),
		controlled(stressOnly(brokenEntry("broken-closed-unlocked", "close",
			func(n int) pools.Pool { return brk.NewClosedUnlocked(n) },
			harness.Traits{},
			"Submit checks the closed flag before taking the lock Close sets it under (ants' Submit racing Release), so a task can start after Close returned"))),
		controlled(rare(stressOnly(brokenEntry("broken-signal-unlocked", "work-conserving",
			func(n int) pools.Pool { return brk.NewSignalUnlocked(n) },
			harness.Traits{},
			"a finishing task frees its slot and signals without the lock the waiter checks under: a lost wake-up leaves a submitter asleep by a free slot")))),
		controlled(stressOnly(brokenEntry("broken-slot-load-store", "max-concurrency",
			func(n int) pools.Pool { return brk.NewSlotLoadStore(n) },
			harness.Traits{},
			"a slot is claimed by loading its busy flag and then storing true instead of one CompareAndSwap, so two submitters take the same slot"))),
		brokenEntry("broken-try-blocks", "liveness",
			func(n int) pools.Pool { return brk.NewTryBlocks(n) },
			harness.Traits{},
			"TrySubmit written as a Submit that cannot fail: on a full pool it blocks until a slot frees instead of returning false"),
		brokenEntry("broken-off-by-one", "max-concurrency",
			func(n int) pools.Pool { return brk.NewOffByOne(n) },
			harness.Traits{},
			"a blocked submitter waits while running > limit instead of running >= limit, so limit+1 tasks run"),
		// submit-errors
		brokenEntry("broken-full-on-close", "submit-errors",
			func(n int) pools.Pool { return brk.NewFullOnClose(n) },
			harness.Traits{},
			"a Submit blocked for a slot and woken by Close returns ErrFull instead of ErrClosed (ants v2.8.1, fixed by ants PR #297)"),
		// exactly-once
		brokenEntry("broken-retry-on-panic", "exactly-once",
			func(n int) pools.Pool { return brk.NewRetryOnPanic(n) },
			harness.Traits{},
			"a panicking task is treated as a transient failure and run a second time"),
		brokenEntry("broken-redeliver-on-goexit", "exactly-once",
			func(n int) pools.Pool { return brk.NewRedeliverOnGoexit(n) },
			harness.Traits{},
			"a worker killed by runtime.Goexit is replaced by one that is handed the unacknowledged task again, broker-style, so it runs twice"),
		// wait
		brokenEntry("broken-wait-counts-running", "wait",
			func(n int) pools.Pool { return brk.NewWaitCountsRunning(n) },
			harness.Traits{Queue: harness.Unbounded},
			"the count Wait waits on is bumped by the task's goroutine once it has a slot, not by Submit (WaitGroup.Add in the wrong goroutine), so Wait misses queued tasks"),
		brokenEntry("broken-wait-until-close", "wait",
			func(n int) pools.Pool { return brk.NewWaitUntilClose(n) },
			harness.Traits{},
			"seed 004's pool that never exits: Wait waits for the workers to exit, which they do only on Close"),
		// close
		brokenEntry("broken-close-no-recheck", "close",
			func(n int) pools.Pool { return brk.NewCloseNoRecheck(n) },
			harness.Traits{},
			"Submit checks for Close only before it blocks for a slot, so a submitter blocked during Close is accepted and runs its task after Close returned"),
		brokenEntry("broken-close-twice-panics", "close",
			func(n int) pools.Pool { return brk.NewCloseTwicePanics(n) },
			harness.Traits{},
			"Close closes its quit channel without a guard, so a second Close panics"),
		// queue-bound
		brokenEntry("broken-queue-drained", "queue-bound",
			func(n int) pools.Pool { return brk.NewQueueDrained(n, 2) },
			harness.Traits{Queue: 2},
			"declares a queue of 2, a buffered channel, but a dispatcher drains it into an unbounded slice: every Submit is accepted at once"),
		brokenEntry("broken-reject-early", "queue-bound",
			func(n int) pools.Pool { return brk.NewRejectEarly(n, 2) },
			harness.Traits{Queue: 2, Rejects: true},
			"a rejecting pool whose fullness test is off by one: ErrFull while the last queue place is free"),
		brokenEntry("broken-close-again-early", "close",
			func(n int) pools.Pool { return brk.NewCloseAgainEarly(n) },
			harness.Traits{},
			"a second Close returns at once (`if closed { return }`), while the tasks the first one waits for still run"),
		brokenEntry("broken-close-returns-early", "close",
			func(n int) pools.Pool { return brk.NewCloseReturnsEarly(n) },
			harness.Traits{},
			"Close stops accepting tasks but returns without waiting for the running ones"),
		// no-leak
		brokenEntry("broken-leaky-workers", "no-leak",
			func(n int) pools.Pool { return brk.NewLeakyWorkers(n) },
			harness.Traits{},
			"Close waits for the tasks but never closes the work channel, so the worker goroutines stay blocked on it"),
		brokenEntry("broken-ticker-leak", "no-leak",
			func(n int) pools.Pool { return brk.NewTickerLeak(n) },
			harness.Traits{},
			"a utilisation sampler on a time.Ticker is started by New and never stopped by Close"),
		// cancel
		brokenEntry("broken-ignores-ctx", "cancel",
			func(n int) pools.Pool { return brk.NewIgnoresCtx(n) },
			harness.Traits{},
			"Submit checks ctx once and then blocks for a slot without watching it, and does not declare IgnoresCtx"),
		brokenEntry("broken-ctx-on-wakeup", "cancel",
			func(n int) pools.Pool { return brk.NewCtxOnWakeup(n) },
			harness.Traits{},
			"Submit waits on a sync.Cond and checks ctx.Err() only when a finishing task wakes it, so a cancelled Submit returns late"),
		// liveness
		brokenEntry("broken-panic-leaks-slot", "liveness",
			func(n int) pools.Pool { return brk.NewPanicLeaksSlot(n) },
			harness.Traits{},
			"a task's slot is released by a statement after the call, not deferred, so every panicking task leaks its slot"),
		brokenEntry("broken-lost-wakeup", "liveness",
			func(n int) pools.Pool { return brk.NewLostWakeup(n) },
			harness.Traits{},
			"a cancelled submitter stays in the FIFO of waiters, so a slot handed to it later is lost and the submitters behind it wait forever"),
		brokenEntry("broken-goexit-kills-worker", "liveness",
			func(n int) pools.Pool { return brk.NewGoexitKillsWorker(n) },
			harness.Traits{},
			"runtime.Goexit in a task ends its worker goroutine, which is never replaced"),
		brokenEntry("broken-close-signals-one", "liveness",
			func(n int) pools.Pool { return brk.NewCloseSignalsOne(n) },
			harness.Traits{IgnoresCtx: true},
			"Close wakes the submitters blocked on a sync.Cond with Signal instead of Broadcast, so all but a few of them sleep forever"),
		// work-conserving
		brokenEntry("broken-batch-barrier", "work-conserving",
			func(n int) pools.Pool { return brk.NewBatchBarrier(n) },
			harness.Traits{Queue: harness.Unbounded},
			"seed 003's batches with gather: up to limit queued tasks start together and the next batch waits for the slowest of them"),
		brokenEntry("broken-poll-yield", "liveness",
			func(n int) pools.Pool { return brk.NewYieldPoll(n) },
			harness.Traits{},
			"the seed report's fix, faithfully: a lock and a polling loop that yields (asyncio's sleep(0)); a blocked Submit busy-waits, and virtual time never advances"),
		brokenEntry("broken-close-holds-lock", "liveness",
			func(n int) pools.Pool { return brk.NewCloseHoldsLock(n) },
			harness.Traits{Queue: harness.Unbounded},
			"Close waits for the accepted tasks while holding the lock a worker needs to take a queued one: a mutex deadlock, which testing/synctest cannot see"),
		brokenEntry("broken-poll-sleep", "work-conserving",
			func(n int) pools.Pool { return brk.NewPollSleep(n) },
			harness.Traits{},
			"the seed's polling fix: a blocked submitter sleeps a poll interval between looks, so a freed slot sits idle until the next poll"),
	}
}

func brokenEntry(name, breaks string, newPool func(int) pools.Pool, traits harness.Traits, doc string) Entry {
	return Entry{
		Subject: harness.Subject{Name: name, New: newPool, Traits: traits},
		Kind:    Broken,
		Breaks:  breaks,
		Doc:     doc,
	}
}

// rare marks a StressOnly entry that package stress does not catch every time.
func rare(e Entry) Entry {
	e.Rare = true
	return e
}

// controlled marks a StressOnly entry that a controlled run catches every time.
func controlled(e Entry) Entry {
	e.Controlled = true
	return e
}

func stressOnly(e Entry) Entry {
	e.StressOnly = true
	return e
}
