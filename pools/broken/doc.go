// Package broken is poolcheck's corpus of deliberately broken pools: the harness's own proof
// that it works.
//
// Each pool breaks exactly one property and keeps the others as far as the bug allows: the
// task pools one of package props' task-pool properties (max-concurrency, exactly-once, wait,
// close, no-leak, cancel, liveness, work-conserving, submit-errors, queue-bound), the resource pools (New* taking a
// resource.Factory) one of its resource properties, the retrying pools one of its retry
// properties. The bugs are written the way real bugs are written (an if where a
// for belongs, a counter bumped in the wrong goroutine, a release that is not deferred), never
// as a coin toss. Each pool's doc comment names its bug, the property it breaks and the
// schedule that exposes it; package catalog lists them with their declared traits.
//
// Do not use these pools.
package broken
