package catalog

// Verdict says what a finding is, in the terms a library's maintainer would accept.
type Verdict string

// Verdicts, strongest first.
const (
	// Bug: the library breaks a promise it makes (in its docs, or the contract every pool
	// keeps, such as a Submit returning), in the release poolcheck pins, which is its newest.
	Bug Verdict = "bug"
	// FixedUpstream: a Bug of the pinned release that the library has fixed on its main
	// branch but in no release yet.
	FixedUpstream Verdict = "fixed-upstream"
	// Weakness: the library breaks a poolcheck property but never promised it; the
	// behaviour is worse than it could be, not broken.
	Weakness Verdict = "weakness"
	// UndeclaredTrait: the library behaves this way on purpose or by design (its maintainer
	// has said so), and a harness trait that excused it would be the honest declaration;
	// none is declared yet.
	UndeclaredTrait Verdict = "undeclared-trait"
)

// Counts reports whether a failure with this verdict counts against poolcheck's exit
// status: a Bug or a FixedUpstream bug does (users of the release have it), a Weakness or an
// UndeclaredTrait does not.
func (v Verdict) Counts() bool { return v == Bug || v == FixedUpstream }

// Valid reports whether v is one of the verdicts above.
func (v Verdict) Valid() bool {
	switch v {
	case Bug, FixedUpstream, Weakness, UndeclaredTrait:
		return true
	}
	return false
}

// Severity says what the user of the library suffers.
type Severity string

// Severities, worst first.
const (
	Hang       Severity = "hang"        // a Submit, Wait or Close never returns
	LostTask   Severity = "lost-task"   // an accepted task never runs, or runs twice
	AfterClose Severity = "after-close" // a task is accepted or starts after Close returned (a program that exits then loses it)
	OverLimit  Severity = "over-limit"  // more tasks than the limit run at once
	Delay      Severity = "delay"       // a task waits while a slot is free; nothing is lost
)

// Valid reports whether s is one of the severities above.
func (s Severity) Valid() bool {
	switch s {
	case Hang, LostTask, AfterClose, OverLimit, Delay:
		return true
	}
	return false
}

// Finding is a known failure of a third-party library on one property, checked outside
// the harness. Nothing in it is stronger than the evidence: Summary and Cause cite the
// library's source at the pinned version, Upstream its tracker.
type Finding struct {
	Verdict  Verdict
	Severity Severity
	// Summary is one sentence: what goes wrong, and when.
	Summary string
	// Cause names the source lines at the pinned version, and why they are a bug, a
	// weakness or a trait (the promise made, or not).
	Cause string
	// Upstream lists the library's issues and pull requests about it (URLs), if any.
	Upstream []string
	// ConfirmedBy names the test of package pools/thirdparty that shows the behaviour
	// outside the harness.
	ConfirmedBy string
	// DependsOn says what ConfirmedBy relies on beyond channels, gates and synctest's
	// virtual time, such as the scheduler; "" when it is deterministic.
	DependsOn string
	// Reproducer is, for a Bug or FixedUpstream, the directory of the standalone
	// reproducer and its patch (relative to the repository's root).
	Reproducer string
	// NoReproducer says, for a Bug or FixedUpstream without a Reproducer, why none ships
	// yet. It is a gap, stated, not an excuse: the docs list it.
	NoReproducer string
	// StressOnly marks a finding that only package stress has found: the virtual-time
	// schedules of the command rarely or never hit it, so its matrix cell usually passes.
	StressOnly bool
}
