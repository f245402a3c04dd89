// Package adapt is a kit for adapting a worker-pool library to the pools.Pool contract, so
// that poolcheck can check it. Give New the library's submit function and whichever of
// stop, close, wait, try-submit and resize it has; get a pools.Pool that adds what the
// library lacks and nothing else:
//
//   - a Wait that allows Submit during Wait (a sync.WaitGroup forbids the Add from zero
//     that this needs) and counts a task from the moment the library accepted it;
//   - a closed state: Submit after Close returns pools.ErrClosed and never calls the
//     library, Close twice (or concurrently) is safe, and Close waits for the Submits in
//     progress, for every accepted task and for the library's Stop;
//   - pools.ErrNilTask for a nil task, and ctx.Err() for a ctx already done;
//   - optionally (Library.AbandonOnCancel), a Submit that returns when its ctx ends even
//     though the library's submit ignores ctx.
//
// Tracker and Gate, the two pieces New is built of, are exported for adapters that need a
// different shape (see pools/thirdparty's Conc).
//
// The package imports only the standard library and package pools.
//
// To check a library that poolcheck does not ship, adapt it in the Subject's New and run
// harness.Check in a test (here a library whose Go blocks at its limit and ignores ctx, and
// whose Shutdown releases its goroutines):
//
//	func TestMyLibrary(t *testing.T) {
//		harness.Check(t, harness.Subject{
//			Name: "mylib",
//			New: func(limit int) pools.Pool {
//				lib := mylib.New(limit)
//				p, err := adapt.New(adapt.Library{
//					Submit: func(_ context.Context, task func()) error { return lib.Go(task) },
//					Stop:   lib.Shutdown,
//				})
//				if err != nil {
//					panic(err) // only when Library itself is malformed
//				}
//				return p
//			},
//			Traits: harness.Traits{IgnoresCtx: true},
//		})
//	}
//
// Declare in Traits what the library documents beyond the contract (a queue, rejection,
// crashing on panics, ...); a property it then fails is a finding to read in its code.
package adapt
