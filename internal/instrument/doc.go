// Package instrument rewrites Go packages so that package interleave can run their
// goroutines one at a time in an order it chooses.
//
// Before every operation that orders goroutines it puts a scheduling point, a call into
// package interleave that parks the goroutine while a controlled run is active and costs
// one function call and one atomic load otherwise. The operations are found by type
// information, not by name:
//
//   - every function of sync/atomic (the point goes through the first argument) and every
//     method of its types (through the receiver);
//   - sync.Mutex and sync.RWMutex Lock and RLock, which become TryLock (TryRLock) loops
//     that park between tries, because a goroutine blocked in Lock is not durably blocked
//     in a synctest bubble; Unlock, RUnlock, TryLock and TryRLock;
//   - sync.Cond Wait, Signal and Broadcast; the Locker given to a Cond (sync.NewCond(l),
//     cond.L = l, sync.Cond{L: l}) is wrapped so that the Lock inside Cond.Wait parks too;
//   - sync.WaitGroup Add, Done, Wait and Go; sync.Once Do, which parks, instead of
//     blocking on the Once's mutex, while another controlled goroutine runs its function;
//   - channel send, receive and close; range over a channel (with go1.23 range over
//     functions, a point before every receive; before, one point before the loop);
//   - select: one point, before its cases are evaluated. In Exact mode a select of two or
//     more channel cases whose operands have no effects (names, fields, ctx.Done()) is
//     also seeded, as GFuzz does: it first tries the case the policy draws, without
//     blocking, and runs the original select only if that case is not ready;
//   - go statements: a point, and the new goroutine is named after its parent so that
//     replays name it the same;
//   - runtime.Gosched: a yield, a point at which the goroutine lets any other go first
//     (so a spin loop cannot starve the goroutine it waits for);
//   - a deferred call of any of these gets its point when it runs, not when it is deferred
//     (Exact mode: a second defer just after it; Lines mode: through __ilv_defer).
//
// The rewritten source is the original with text inserted, each insertion followed by a
// /*line*/ directive, so that positions (stacks, race reports, panics, compile errors) are
// the original file's. A file declaring the hooks (HooksFileName) is added to the package:
// its declarations are linked by name to package interleave, so no import is added and a
// package can be rewritten at compile time (cmd/poolcheck-instrument, as go test
// -toolexec) without the go command knowing. The binary must link package interleave.
//
// Not instrumented: method values and method expressions of these types (f := mu.Lock),
// operations in uninstrumented packages (the standard library, other dependencies), and
// calls made through interfaces (a sync.Locker). Which ready case an unseeded select
// takes is still chosen by the Go runtime.
package instrument
