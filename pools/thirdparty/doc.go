// Package thirdparty adapts the worker pools people use to the pools.Pool contract, so
// poolcheck can check them like the project's own designs.
//
// Each adapter adds only what the contract needs and its library lacks (a Wait for ants, a
// closed state for errgroup, ...); every such addition is documented where it is written,
// because the harness checks it too. What a library promises beyond the contract is
// declared as harness.Traits in package catalog; what it does without documenting it is a
// finding, recorded in the adapter's doc and in a TestFinding test, never papered over.
//
// Use Ants, PondV2, PondV1 or WorkerPool to check those libraries' pools; ErrGroup,
// Semaphore or Conc for the bounded-goroutine helpers of golang.org/x/sync and
// sourcegraph/conc.
package thirdparty
