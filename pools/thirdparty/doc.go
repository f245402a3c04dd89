// Package thirdparty adapts the worker pools people use to the pools.Pool contract, so
// poolcheck can check them like the project's own designs.
//
// Every adapter is written with package adapt, the kit a user can also use for a library
// this package does not ship: each gives the kit its library's submit function and whichever
// of stop, close, wait, try-submit and resize the library has, and the kit adds only what
// the contract needs and the library lacks (a Wait for ants, a closed state for errgroup,
// ...). Every such addition is documented on the adapter, because the harness checks it too.
// What a library promises beyond the contract is declared as harness.Traits in package
// catalog; what it does without documenting it is a finding, recorded in the adapter's doc
// and in a test of this package, never papered over.
//
// Through the kit, every adapter answers a nil task with pools.ErrNilTask, a Submit once
// Close has begun with pools.ErrClosed, and a Submit whose ctx is already done with
// ctx.Err(), without calling the library. A library that ignores ctx still ignores a ctx
// that ends while its submit blocks: no adapter here sets adapt.Library.AbandonOnCancel, so
// the harness checks the library's own behaviour (declared as Traits.IgnoresCtx).
//
// Use Ants, PondV2, PondV1, WorkerPool, GoPool (bytedance/gopkg's gopool) or PkgzPool
// (go-pkgz/pool) to check those libraries' pools; ErrGroup, Semaphore, SizedWaitGroup or
// Conc for the bounded-goroutine helpers of golang.org/x/sync, remeh/sizedwaitgroup and
// sourcegraph/conc.
//
// Not here, because the Go module proxy this project builds from refuses them (every
// version, and the version list): github.com/Jeffail/tunny, github.com/sherifabdlnaby/gpool,
// github.com/korovkin/limiter, github.com/gammazero/workers, github.com/ivpusic/grpool,
// github.com/devchat-ai/gopool and github.com/zenthangplus/goccm. Adapting one of them where
// it can be fetched takes the few lines of package adapt's example.
package thirdparty
