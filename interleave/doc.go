// Package interleave runs the goroutines of instrumented code one at a time, in an order
// chosen by a seeded policy, inside a testing/synctest bubble, and records every switch.
// It finds races that have no blocking point inside their window (a count checked and
// then raised, a flag set without the lock it is read under), which virtual time alone
// never opens, and replays a failing interleaving exactly from its Policy.
//
// Code is instrumented by cmd/poolcheck-instrument (as go test -toolexec, or as a copy):
// before every atomic, mutex, cond, wait group, channel, select and go operation it calls
// a scheduling point of this package. With no Run active a point costs a function call
// and an atomic load (about 3 ns), and an instrumented go statement (and, in a committed
// copy, a deferred operation) also allocates its function value; code that is not instrumented (the standard library,
// other dependencies, timer callbacks) always runs freely.
//
// # A run
//
// Inside a synctest bubble:
//
//	r, err := interleave.Start(interleave.Policy{Seed: 7, ChangePoints: []int{4, 19}})
//	if err != nil { ... }         // ErrActive, ErrNoBubble, a bad Policy
//	interleave.Go(actor)          // start the test's own goroutines: stable names
//	...                           // wait for the actors as usual (channels)
//	r.Settle()                    // instead of synctest.Wait while the Run is active
//	log := r.Stop()               // before the bubble's function returns
//	fmt.Print(log)                // the switches, one line each
//
// Between Start and Stop, every goroutine of the bubble that reaches a scheduling point
// parks there; a controller goroutine of the bubble releases one parked goroutine each
// time the bubble is idle (synctest.Wait: every other goroutine is parked or durably
// blocked), as the Policy chooses, so exactly one instrumented goroutine runs between two
// points. A goroutine that blocks between points, in instrumented code or not, does not
// wedge the run: the bubble goes idle and another goroutine is released; once unblocked
// it parks at its next point. When nothing is parked the controller blocks durably too,
// so virtual time advances as usual. An instrumented Lock is a TryLock loop that parks
// between tries (a goroutine blocked in Lock is not durably blocked), a waiter is
// released again only after another goroutine progressed, and runtime.Gosched yields, so
// neither a held lock nor a spin loop can stall the run.
//
// Stop releases every parked goroutine to run uncontrolled, makes the points no-ops again
// and waits for the controller goroutine to return. A watchdog outside the bubble that
// gives up on a hung run calls Abandon instead (it touches none of the bubble's channels).
// Only one Run may be active in the process; Run is not for parallel tests.
//
// # Replays
//
// A Policy is plain data (a seed, change points, a flag), so a property-based generator
// can draw it and shrink it. The same Policy against the same code and inputs makes the
// same choices, because each choice is made while the bubble is idle, among goroutines
// sorted by names that do not depend on the Go scheduler: "0" is the goroutine that
// called Start, "P.n" the n-th goroutine P started by Go or an instrumented go
// statement, "aN" the N-th other goroutine seen (ordered by goroutine id, which is
// creation order at GOMAXPROCS=1 but not always above it: start goroutines with Go).
//
// Selects compiled through the toolexec wrapper are seeded (as GFuzz does): the policy
// draws a case to try first, and the original select runs only if that case is not ready.
// What still varies: which ready case an unseeded select takes (in committed copies, or
// when a case's operands have effects: the Go runtime picks at random), and the order in
// which goroutines that one released goroutine woke run their uninstrumented code until
// their next point (harmless unless that code races).
//
// # Limits
//
// A goroutine blocked on a sync.Mutex in uninstrumented code whose holder is parked at a
// point is not durably blocked, so the bubble never idles; the harness's real-time
// watchdog must catch it (a sync.Once.Do called in uninstrumented code, whose function
// reaches a point while another goroutine calls Do, is such a case; an instrumented Do
// parks instead). Runs must not overlap, and synctest.Wait must not
// be called while one is active: only one goroutine of a bubble may wait at a time.
package interleave
