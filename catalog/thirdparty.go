package catalog

import (
	pondv2 "github.com/alitto/pond/v2"
	"github.com/panjf2000/ants/v2"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

// thirdParty lists the adapters of package thirdparty, one entry per configuration people
// use. Traits are what each library documents; see the adapters' docs for the source of each
// trait and for the findings (behaviour a library shows but does not document), which are
// deliberately not declared here.
func thirdParty() []Entry {
	tp := func(name, doc string, traits harness.Traits, newPool func(int) (pools.Pool, error)) Entry {
		return Entry{
			Subject: harness.Subject{Name: name, Traits: traits, New: func(limit int) pools.Pool {
				p, err := newPool(limit)
				if err != nil {
					panic(err) // only for limit < 1, which the harness never asks for
				}
				return p
			}},
			Kind: ThirdParty,
			Doc:  doc,
		}
	}
	finding := func(e Entry, property, bug string) Entry {
		if e.Findings == nil {
			e.Findings = map[string]string{}
		}
		e.Findings[property] = bug
		return e
	}
	const (
		antsTune = "after Tune shrinks the capacity, retrieveWorker (ants.go:517) still detaches the idle workers ants already had " +
			"without checking Running against the new capacity (only the spawn path, ants.go:524, and revertWorker, ants.go:552, check it), " +
			"so more tasks than the new limit run at once; confirmed by thirdparty.TestFindingAntsTuneShrink"
		antsRelease = "Submit checks IsClosed (pool.go:38) before retrieveWorker takes the lock (ants.go:513), Release sets CLOSED " +
			"without the lock (ants.go:385), and retrieveWorker checks IsClosed again only after cond.Wait (ants.go:542): a Submit " +
			"that passed the check before Release but reaches the lock once no worker runs spawns a fresh worker (ants.go:524) " +
			"after ReleaseContext saw Running() == 0 (ants.go:457) and returned, so it is accepted and its task starts after Close " +
			"returned; stress-only (seed 1795305826502367499, close-race); confirmed by thirdparty.TestFindingAntsSubmitRacesRelease"
		antsStranded = "by the same window (a Submit past pool.go:38 that reaches retrieveWorker's lock after Release), with every worker " +
			"busy, the Submit waits on the cond (ants.go:539) after Release's Broadcast (ants.go:404); a worker that dies of a panic " +
			"or Goexit skips revertWorker's Broadcast and Signals one waiter (worker.go:65), so with two such Submits one stays " +
			"blocked for good after Close returned (upstream panjf2000/ants#141); stress-only (seed 1795305826502367499, close-race); " +
			"confirmed by thirdparty.TestFindingAntsSubmitStrandedByRelease"
		concPanic = "a task that panics or calls runtime.Goexit kills its worker, which frees its limiter token (pool/pool.go:151); " +
			"a Go that had already taken a token and spawned a worker then waits only on the tasks channel (pool/pool.go:63), " +
			"but its worker may have taken another blocked Go's task (pool/pool.go:64), so the freed slot idles until a later Go, " +
			"and if that task dies too no worker is left and the Go hangs for good; confirmed by thirdparty.TestFindingConcPanicStrandsSubmitter"
		pondV1Idle = "Submit starts no worker while the idle-worker count is positive (pond.go:483), but that count still includes a worker " +
			"already handed a task that has not yet decremented it (pond.go:453), and is never set against the tasks already waiting " +
			"for idle workers, so a task waits behind a busy worker while slots are free; confirmed by thirdparty.TestFindingPondV1IdleSlot"
		pondV2Resize = "with WithQueueSize(0), Resize (pool.go:186-200) launches workers only for queued tasks, none without a queue, and does " +
			"not signal submitWaiters, so a Go blocked before a Resize that grows the pool waits until a worker exits or another Go " +
			"succeeds while the new slots idle (every failing schedule grows the pool; with Resize withheld none fails); " +
			"confirmed by thirdparty.TestFindingPondV2ResizeQueue0"
	)
	entries := []Entry{
		tp("ants", "github.com/panjf2000/ants/v2 v2.12.1 Pool: Submit blocks while every worker is busy; Wait added by the adapter.",
			harness.Traits{IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewAnts(n) }),
		tp("ants-nonblocking", "github.com/panjf2000/ants/v2 v2.12.1 Pool with WithNonblocking(true): ErrPoolOverload becomes pools.ErrFull.",
			harness.Traits{Rejects: true, IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewAnts(n, ants.WithNonblocking(true)) }),
		tp("pond-v2", "github.com/alitto/pond/v2 v2.7.1 Pool with its default unbounded queue (Go never blocks).",
			harness.Traits{Queue: harness.Unbounded, IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV2(n) }),
		tp("pond-v2-queue0", "github.com/alitto/pond/v2 v2.7.1 Pool with WithQueueSize(0): no queue, Go blocks until a worker is free.",
			harness.Traits{IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV2(n, pondv2.WithQueueSize(0)) }),
		tp("pond-v2-queue8", "github.com/alitto/pond/v2 v2.7.1 Pool with WithQueueSize(8): Go blocks while the queue is full.",
			harness.Traits{Queue: 8, IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV2(n, pondv2.WithQueueSize(8)) }),
		tp("pond-v2-queue8-nonblocking", "github.com/alitto/pond/v2 v2.7.1 Pool with WithQueueSize(8) and WithNonBlocking(true): ErrQueueFull becomes pools.ErrFull.",
			harness.Traits{Queue: 8, Rejects: true, IgnoresCtx: true},
			func(n int) (pools.Pool, error) {
				return thirdparty.NewPondV2(n, pondv2.WithQueueSize(8), pondv2.WithNonBlocking(true))
			}),
		tp("pond-v1", "github.com/alitto/pond v1.9.2 WorkerPool with maxCapacity 0: Submit blocks until a worker takes the task; closed state added by the adapter (pond v1 panics).",
			harness.Traits{IgnoresCtx: true, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV1(n, 0) }),
		tp("pond-v1-queue8", "github.com/alitto/pond v1.9.2 WorkerPool with maxCapacity 8: Submit blocks while its buffered queue is full.",
			harness.Traits{Queue: 8, IgnoresCtx: true, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV1(n, 8) }),
		tp("workerpool", "github.com/gammazero/workerpool v1.3.0: Do never blocks (unbounded queue); Close is StopWait; Wait added by the adapter.",
			harness.Traits{Queue: harness.Unbounded, IgnoresCtx: true, Panics: harness.Crashes, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewWorkerPool(n) }),
		tp("errgroup", "golang.org/x/sync v0.24.0 errgroup.Group with SetLimit: Go blocks at the limit; closed state added by the adapter.",
			harness.Traits{IgnoresCtx: true, Panics: harness.Crashes, NoSubmitDuringWait: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewErrGroup(n, false) }),
		tp("errgroup-trygo", "golang.org/x/sync v0.24.0 errgroup.Group with SetLimit, submitting with TryGo: at the limit Submit returns pools.ErrFull.",
			harness.Traits{Rejects: true, IgnoresCtx: true, Panics: harness.Crashes, NoSubmitDuringWait: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewErrGroup(n, true) }),
		tp("semaphore", "golang.org/x/sync v0.24.0 semaphore.Weighted: Acquire(ctx, 1), then go task; Release; Wait and Close added by the adapter.",
			harness.Traits{Panics: harness.Crashes},
			func(n int) (pools.Pool, error) { return thirdparty.NewSemaphore(n) }),
		tp("conc", "github.com/sourcegraph/conc v0.3.0 pool.Pool with WithMaxGoroutines: Go blocks at the limit; Wait re-panics; a fresh conc pool per Wait.",
			harness.Traits{IgnoresCtx: true, Panics: harness.Repanics, NoSubmitDuringWait: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewConc(n) }),
	}
	for i, e := range entries {
		switch e.Name {
		case "ants":
			e = finding(finding(finding(e, "max-concurrency", antsTune), "close", antsRelease), "liveness", antsStranded)
		case "ants-nonblocking": // never waits on the cond, so never stranded
			e = finding(finding(e, "max-concurrency", antsTune), "close", antsRelease)
		case "conc":
			e = finding(finding(e, "liveness", concPanic), "work-conserving", concPanic)
		case "pond-v1", "pond-v1-queue8":
			e = finding(e, "work-conserving", pondV1Idle)
		case "pond-v2-queue0":
			e = finding(e, "work-conserving", pondV2Resize)
		}
		entries[i] = e
	}
	return entries
}
