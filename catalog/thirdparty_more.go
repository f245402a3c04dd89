package catalog

import (
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

// thirdPartyMore lists the libraries added with the adapter kit (package adapt), one entry per
// configuration, with the traits their docs declare (see each adapter's doc for the source)
// and, in Findings, what the harness found that their docs do not declare.
//
// Of the libraries asked for, only github.com/go-pkgz/pool is served by the module proxy
// this project builds from; sherifabdlnaby/gpool, korovkin/limiter, gammazero/workers,
// ivpusic/grpool and Jeffail/tunny are refused by it, so they are not in the catalogue (see
// package thirdparty's doc).
//
// Goexit is declared unsupported for gopool and go-pkgz/pool, whose docs do not mention it:
// a task calling runtime.Goexit loses its worker for good (confirmed by
// thirdparty.TestGoPoolGoexitLosesWorker and TestPkgzPoolGoexitLosesWorker), an
// undeclared trait rather than a broken promise.
func thirdPartyMore() []Entry {
	goPoolOverLimit := Finding{
		Verdict: Bug, Severity: OverLimit, StressOnly: true,
		Summary: "concurrent CtxGo calls on a pool below its cap each start a worker, so more than cap tasks run at once",
		Cause: "CtxGo reads WorkerCount() < cap (util/gopool/pool.go:133) and only then increments the count (pool.go:134), " +
			"with no lock or compare-and-swap between; the README promises \"Limit Goroutine Numbers\" and pool.go calls cap " +
			"\"the maximum number of goroutines that are actually working\"; unchanged on the default branch",
		Upstream:     []string{"https://github.com/bytedance/gopkg/pull/231"},
		ConfirmedBy:  "TestFindingGoPoolOverLimit",
		DependsOn:    "true parallelism and the race detector's scheduling (the test is built only with -race)",
		NoReproducer: "the window has no blocking point to hold open from outside; a standalone reproducer needs the controlled-interleavings engine",
	}
	entries := []Entry{
		tp("gopool", "github.com/bytedance/gopkg", "util/gopool: CtxGo never blocks (unbounded list), panics recovered; Wait and Close added by the kit.",
			harness.Traits{Queue: harness.Unbounded, IgnoresCtx: true, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewGoPool(n) }),
		tp("go-pkgz-pool", "github.com/go-pkgz/pool", "WorkerGroup with WithBatchSize(0), WithWorkerChanSize(1): Send blocks while the channel is full; a panic crashes.",
			harness.Traits{Queue: 1, IgnoresCtx: true, Panics: harness.Crashes, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewPkgzPool(n, 1, false) }),
		tp("go-pkgz-pool-recovery", "github.com/go-pkgz/pool", "WorkerGroup as go-pkgz-pool, with middleware.Recovery and WithContinueOnError: a panic is recovered.",
			harness.Traits{Queue: 1, IgnoresCtx: true, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewPkgzPool(n, 1, true) }),
		tp("sizedwaitgroup", "github.com/remeh/sizedwaitgroup", "AddWithContext(ctx), then go task; Done; Wait and Close added by the kit.",
			harness.Traits{Panics: harness.Crashes},
			func(n int) (pools.Pool, error) { return thirdparty.NewSizedWaitGroup(n) }),
	}
	for i, e := range entries {
		if e.Name == "gopool" {
			e.Findings = map[string]Finding{"max-concurrency": goPoolOverLimit}
		}
		entries[i] = e
	}
	return entries
}
