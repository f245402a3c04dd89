package catalog

import (
	"cmp"
	pondv2 "github.com/alitto/pond/v2"
	"github.com/panjf2000/ants/v2"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

// tp is the catalogue entry of a third-party adapter of library module whose constructor
// can fail (only for limit < 1, which the harness never asks for). Its Doc is the module, the
// version this binary was built with (see VersionOf) and doc.
func tp(name, module, doc string, traits harness.Traits, newPool func(int) (pools.Pool, error)) Entry {
	return Entry{
		Subject: harness.Subject{Name: name, Traits: traits, New: func(limit int) pools.Pool {
			p, err := newPool(limit)
			if err != nil {
				panic(err)
			}
			return p
		}},
		Kind:   ThirdParty,
		Module: module,
		Doc:    module + " " + cmp.Or(VersionOf(module).Built, "(version unknown)") + " " + doc,
	}
}

// thirdParty lists the adapters of package thirdparty, one entry per configuration people
// use. Traits are what each library documents; see the adapters' docs for the source of each
// trait. What a library does beyond its traits is in Findings (thirdparty_findings.go), never hidden
// behind a trait it does not document.
func thirdParty() []Entry {
	entries := []Entry{
		tp("ants", "github.com/panjf2000/ants/v2", "Pool: Submit blocks while every worker is busy; Wait added by the adapter.",
			harness.Traits{IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewAnts(n) }),
		tp("ants-nonblocking", "github.com/panjf2000/ants/v2", "Pool with WithNonblocking(true): ErrPoolOverload becomes pools.ErrFull.",
			harness.Traits{Rejects: true, IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewAnts(n, ants.WithNonblocking(true)) }),
		tp("pond-v2", "github.com/alitto/pond/v2", "Pool with its default unbounded queue (Go never blocks).",
			harness.Traits{Queue: harness.Unbounded, IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV2(n) }),
		tp("pond-v2-queue0", "github.com/alitto/pond/v2", "Pool with WithQueueSize(0): no queue, Go blocks until a worker is free.",
			harness.Traits{IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV2(n, pondv2.WithQueueSize(0)) }),
		tp("pond-v2-queue8", "github.com/alitto/pond/v2", "Pool with WithQueueSize(8): Go blocks while the queue is full.",
			harness.Traits{Queue: 8, IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV2(n, pondv2.WithQueueSize(8)) }),
		tp("pond-v2-queue8-nonblocking", "github.com/alitto/pond/v2", "Pool with WithQueueSize(8) and WithNonBlocking(true): ErrQueueFull becomes pools.ErrFull.",
			harness.Traits{Queue: 8, Rejects: true, IgnoresCtx: true},
			func(n int) (pools.Pool, error) {
				return thirdparty.NewPondV2(n, pondv2.WithQueueSize(8), pondv2.WithNonBlocking(true))
			}),
		tp("pond-v1", "github.com/alitto/pond", "WorkerPool with maxCapacity 0: Submit blocks until a worker takes the task; closed state added by the adapter (pond v1 panics).",
			harness.Traits{IgnoresCtx: true, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV1(n, 0) }),
		tp("pond-v1-queue8", "github.com/alitto/pond", "WorkerPool with maxCapacity 8: Submit blocks while its buffered queue is full.",
			harness.Traits{Queue: 8, IgnoresCtx: true, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV1(n, 8) }),
		tp("workerpool", "github.com/gammazero/workerpool", "Do never blocks (unbounded queue); Close is StopWait; Wait added by the adapter.",
			harness.Traits{Queue: harness.Unbounded, IgnoresCtx: true, Panics: harness.Crashes, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewWorkerPool(n) }),
		tp("errgroup", "golang.org/x/sync", "errgroup.Group with SetLimit: Go blocks at the limit; closed state added by the adapter.",
			harness.Traits{IgnoresCtx: true, Panics: harness.Crashes, NoSubmitDuringWait: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewErrGroup(n, false) }),
		tp("errgroup-trygo", "golang.org/x/sync", "errgroup.Group with SetLimit, submitting with TryGo: at the limit Submit returns pools.ErrFull.",
			harness.Traits{Rejects: true, IgnoresCtx: true, Panics: harness.Crashes, NoSubmitDuringWait: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewErrGroup(n, true) }),
		tp("semaphore", "golang.org/x/sync", "semaphore.Weighted: Acquire(ctx, 1), then go task; Release; Wait and Close added by the adapter.",
			harness.Traits{Panics: harness.Crashes},
			func(n int) (pools.Pool, error) { return thirdparty.NewSemaphore(n) }),
		tp("conc", "github.com/sourcegraph/conc", "pool.Pool with WithMaxGoroutines: Go blocks at the limit; Wait re-panics; a fresh conc pool per Wait.",
			harness.Traits{IgnoresCtx: true, Panics: harness.Repanics, NoSubmitDuringWait: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewConc(n) }),
	}
	for i, e := range entries {
		for property, f := range findings[e.Name] {
			if e.Findings == nil {
				e.Findings = map[string]Finding{}
			}
			e.Findings[property] = f
		}
		entries[i] = e
	}
	return entries
}
