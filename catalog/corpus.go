package catalog

// RealBug is one entry of the corpus of real bugs: a concurrency bug that a library fixed
// upstream, a release that has it and the release that fixed it. Run at Buggy
// (poolcheck -pool ENTRY@BUGGY -property PROPERTY) the catalogue entry is expected to fail
// Property; at Fixed, to pass it. scripts/corpus.sh measures how often each does, and
// docs/CORPUS.md holds its table. The corpus is the evidence that the harness finds bugs
// people shipped, where the broken corpus (Broken entries) holds bugs written for it.
type RealBug struct {
	Name     string   // a short id
	Entry    string   // the third-party pool of the catalogue (an adapter configuration, of any family) that checks it
	Buggy    string   // a release with the bug: the last one before the fix that the proxy serves
	Fixed    string   // the release that fixed it
	Property string   // the property the bug breaks
	Upstream []string // the library's issue and the pull request or commit that fixed it
	Doc      string   // one sentence: the bug, as the fix describes it
}

// Pool returns b's pool of the catalogue (Pools), and whether there is one.
func (b RealBug) Pool() (Pool, bool) {
	for _, p := range Pools() {
		if p.Name == b.Entry {
			return p, true
		}
	}
	return Pool{}, false
}

// Corpus returns the real bugs. Each was read in the library's source at both releases
// (the fix's diff); the releases are the last one before the fix that the module proxy
// serves and the first one with it.
func Corpus() []RealBug {
	const (
		ants = "https://github.com/panjf2000/ants/"
		pond = "https://github.com/alitto/pond/"
	)
	return []RealBug{
		{Name: "ants-spawn-overshoot", Entry: "ants-fixedcap", Buggy: "v2.11.3", Fixed: "v2.11.4", Property: "max-concurrency",
			Upstream: []string{ants + "issues/374", ants + "pull/376"},
			Doc:      "retrieveWorker checks capacity > Running() and unlocks before the new worker counts itself running, so two Submits both spawn a worker past the capacity"},
		{Name: "ants-ticktock-leak", Entry: "ants", Buggy: "v2.7.0", Fixed: "v2.7.1", Property: "no-leak",
			Upstream: []string{ants + "issues/263", ants + "pull/264"},
			Doc:      "the clock goroutine added in v2.7.0 ranges over its ticker forever, so every pool leaves a goroutine behind after ReleaseTimeout"},
		{Name: "ants-release-leak", Entry: "ants-release", Buggy: "v2.8.0", Fixed: "v2.8.1", Property: "no-leak",
			Upstream: []string{ants + "pull/287", ants + "issues/244"},
			Doc:      "Release, unlike ReleaseTimeout, did not stop the purge and clock goroutines, which outlive the pool until their next tick"},
		{Name: "ants-tune-wakes-no-one", Entry: "ants", Buggy: "v2.4.8", Fixed: "v2.5.0", Property: "work-conserving",
			Upstream: []string{ants + "issues/205", ants + "pull/210", ants + "commit/9310acdff2ced5a835ac3ea94206c43b6708c3d3"},
			Doc:      "after Tune grows the pool, a woken Submit compares Running() with the capacity it read before waiting and sleeps again, so the new slots idle (PR #210 woke it; the fix of v2.5.0 rereads the capacity)"},
		{Name: "ants-panic-no-signal", Entry: "ants-fixedcap", Buggy: "v2.4.3", Fixed: "v2.4.4", Property: "work-conserving",
			Upstream: []string{ants + "issues/146", ants + "commit/dbcb6a104f23b1a6a7521796b30515230353283e"},
			Doc:      "a worker whose task panics exits without signalling the cond, so a Submit blocked for a worker waits while the slot is free"},
		{Name: "ants-closed-as-overload", Entry: "ants", Buggy: "v2.8.1", Fixed: "v2.8.2", Property: "submit-errors",
			Upstream: []string{ants + "pull/297"},
			Doc:      "a Submit blocked for a worker and woken by Release gets no worker from retrieveWorker, and Submit turns that into ErrPoolOverload, not ErrPoolClosed: a blocking pool reports itself full; PR #297 returns retrieveWorker's own error"},
		{Name: "pond-count-outside-lock", Entry: "pond-v1", Buggy: "v1.8.0", Fixed: "v1.8.1", Property: "max-concurrency",
			Upstream: []string{pond + "pull/34", pond + "commit/1c5208b35a43040699d2bcd971687a8fa2c2bd3b"},
			Doc:      "since v1.7.1 incrementWorkerCount reads the worker count and checks it against maxWorkers before taking the mutex, so concurrent Submits each start a worker past the maximum; PR #34 moved the read under the mutex"},
		{Name: "puddle-failed-create-deadlock", Entry: "puddle", Buggy: "v2.0.1", Fixed: "v2.1.0", Property: "resource-liveness",
			Upstream: []string{"https://github.com/jackc/puddle/commit/93a3f7da4d67bcfab9f75ad6dc11bc4da4ec0ca7"},
			Doc:      "when an Acquire's ctx ends while its background Create runs and the Create then fails, the constructor goroutine sends the error on an unbuffered channel no one reads while it holds the pool's mutex, so the whole pool deadlocks"},
		{Name: "pond-v2-goexit-loses-worker", Entry: "pond-v2", Buggy: "v2.6.0", Fixed: "v2.6.2", Property: "liveness",
			Upstream: []string{pond + "issues/135", pond + "pull/136", pond + "pull/137"},
			Doc:      "a task calling runtime.Goexit kills its worker without lowering the worker count, so the slot is lost for good and queued tasks never start"},
		{Name: "pond-v2-exit-wakes-no-one", Entry: "pond-v2-queue1", Buggy: "v2.3.3", Fixed: "v2.3.4", Property: "liveness",
			Upstream: []string{pond + "pull/115"},
			Doc:      "with a bounded queue, a worker that finds the queue empty exits without waking a blocked Submit (one wake per read, none on exit), so a second blocked Submit waits for good"},
	}
}
