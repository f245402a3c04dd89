// Package stress runs pools in real time, many submitters at once, under the race
// detector, to find what one virtual-time schedule cannot: check-then-act windows a few
// instructions wide, unsynchronized fields, and wake-ups lost between two instructions.
//
// Use harness.Check to prove a pool keeps its rules on every interleaving that durable
// blocking can produce, with a shrunk counterexample; use stress.Check, under -race, to hunt
// the bugs that only true parallelism exposes:
//
//	func TestMyPoolStress(t *testing.T) {
//		stress.Check(t, harness.Subject{Name: "mypool", New: newMyPool})
//	}
//
// and run it with go test -race. Check fails t one subtest per property, named by its id
// exactly as in props.All (so -run 'TestMyPoolStress/max-concurrency' reads as expected),
// and fails t itself when the race detector reports during the run. Run is the same check
// for tools: it returns a Report and fails nothing.
//
// # What runs
//
// A stress run is a sequence of pool lifetimes, each on a fresh pool, until the duration
// is spent. Each lifetime draws, from its seed with math/rand/v2, a GOMAXPROCS (1 to twice
// the CPUs, set before the pool is made and restored when the run ends), a time unit (1µs,
// 10µs or 100µs to a schedule millisecond), whether the actors of a phase are released
// together, whether pauses spin or sleep, and a harness.Schedule in one of these shapes:
//
//   - burst: many more submitters than slots released together onto the fresh pool;
//   - rebursts: four to fifteen bursts in one lifetime, a Wait between them, so the pool's
//     first moments (and the moments after it drains) come again and again;
//   - sustained: a few actors submitting many very short tasks back to back;
//   - close-race and wait-race: Close or Wait released among a burst of submitters;
//   - cancel-storm: a pool filled with tasks held by a gate, then submitters whose contexts
//     are cancelled, time out or are done already, around the moment the gate opens;
//   - resize: submitters while an actor resizes the pool (a pools.Resizer only);
//   - mixed: actors that submit, wait, close and resize at chosen moments.
//
// A pools.TrySubmitter gets bursts of TrySubmit calls too, which must never block.
// Tasks hold their slot for nothing or a few units and yield a few times; they panic only
// when Traits.Panics is not Crashes, call runtime.Goexit only when Traits.Goexit is
// GoexitHandled, and no actor calls Wait or Close when Traits.NoSubmitDuringWait is set.
//
// Each lifetime runs on the harness's real-time engine: the same driver, trace recording,
// property checks (props.All) and rendering as a harness.Check in virtual time; stress adds
// no rule of its own.
//
// # Seeds and replay
//
// Lifetime i of a run uses seed first+i; the first seed is logged before the run starts
// and every failure prints its lifetime's seed, settings, schedule and trace. A seed fixes
// the schedule and settings, not the interleaving (that is the point of real time), so a
// replay runs the failing lifetime again and again:
//
//	POOLCHECK_STRESS_SEED=<seed> POOLCHECK_STRESS_REPEAT=1 go test -race -run '^TestX$/^pool$' ./stress/
//
// Environment variables, which win over the options a test passes:
//
//	POOLCHECK_STRESS=10m        stress each subject for 10 minutes instead of DefaultDuration
//	POOLCHECK_STRESS_SEED=n     start at seed n
//	POOLCHECK_STRESS_REPEAT=1   every lifetime runs the first one's schedule again
//
// A run always stops by itself: it starts no lifetime once its duration is spent, and each
// call of a lifetime is bounded by the Horizon (default 5s). A hung lifetime ends the run
// (its stuck goroutines stay in the process). Remember go test's own -timeout (10m by
// default) when soaking; scripts/soak.sh sets it.
//
// # Leaks
//
// The no-leak verdict comes from RunReal's own check, as in every mode: after the final
// Close, goroutines created since the pool was made that are not the harness's must be
// gone within LeakWait (retried with backoff, so a goroutine that is only exiting is not a
// leak). After every lifetime stress also asks go.uber.org/goleak, with a baseline taken by
// goleak.IgnoreCurrent just before the pool is made (so package-level goroutines, such as
// those ants starts at import, are never blamed); goleak retries too. A goroutine goleak
// still finds is added to the trace and fails no-leak with goleak's description of it:
// goleak is a second opinion on the same rule, not a second rule.
//
// # Timing properties
//
// work-conserving and cancel judge promptness with Trace.Grace. A stress run keeps both
// cores busy under -race and changes GOMAXPROCS, so a correct pool's goroutine may wait
// long for a processor: stress uses a Grace of one second (four times RunReal's default).
// A lost wake-up still shows, as an idle slot or a blocked Submit that lasts until the
// lifetime ends (or as a hang: liveness). A delay shorter than the Grace is the virtual-time
// check's to find.
//
// # Race detector
//
// Built with -race, a data race in a pool fails the test with the race detector's report
// (printed as it happens, naming the goroutines and their creators, so the pool's code is in
// it), and Check adds the lifetime during which the report appeared, with its seed,
// settings and trace. Without -race only the properties are checked, and windows a few
// instructions wide are hit much less often (see docs/STRESS.md for measured rates).
//
// A false negative to know of: the harness records every event under one lock, so two
// accesses with a recorded event of each goroutine between them are ordered for the race
// detector. A race is reported when the two accesses fall between the same recorded events
// (a Submit's unlocked read while a Close runs, say), which bursts make common, not always.
//
// Check and Run change GOMAXPROCS and look for leaked goroutines process-wide: do not run
// them from parallel tests.
package stress
