package core

import (
	"time"

	"github.com/poolcheck/poolcheck/props"
)

// RealConfig sets up a real-time run.
type RealConfig struct {
	// Unit is how long one schedule millisecond lasts (default 100µs).
	Unit time.Duration
	// Horizon is how long one call may block before the run counts as hung (default 5s).
	Horizon time.Duration
	// Grace is how late "promptly" may be, for work-conserving and cancel (default 250ms:
	// wide, because a loaded 2-core machine under -race deschedules goroutines for long).
	Grace time.Duration
	// LeakWait is how long goroutines may take to exit after the final Close before they
	// count as leaked (default 1s).
	LeakWait time.Duration
	// Together makes the actors of each phase wait at a start line until every one of them
	// has been started, then releases them at once, so a burst of submitters hits the pool
	// in the same instant instead of in the order their goroutines were created.
	Together bool
	// Spin makes every pause of the schedule (step delays and task holds) busy-wait on the
	// clock instead of sleeping: a Unit of a few microseconds then gives pauses that short,
	// and tasks that keep their processor while they hold a slot.
	Spin bool
}

func (c RealConfig) withDefaults() RealConfig {
	if c.Unit <= 0 {
		c.Unit = 100 * time.Microsecond
	}
	if c.Horizon <= 0 {
		c.Horizon = 5 * time.Second
	}
	if c.Grace <= 0 {
		c.Grace = 250 * time.Millisecond
	}
	if c.LeakWait <= 0 {
		c.LeakWait = time.Second
	}
	return c
}

// RunReal runs sc against a fresh pool of s on the wall clock and returns its trace; the
// properties of package props judge it. It needs no *testing.T. A hung run returns after
// Horizon and leaves its stuck goroutines in the process.
//
// Leaks are found by comparing goroutine ids before and after the run, so do not run other
// goroutine-creating work (parallel tests) at the same time.
func RunReal(s Subject, sc Schedule, cfg RealConfig) *props.Trace {
	cfg = cfg.withDefaults()
	before := map[int]bool{}
	for _, g := range goroutines() {
		before[g.id] = true
	}
	fresh := func() []goroutine {
		me := self().id
		var out []goroutine
		for _, g := range goroutines() {
			if !before[g.id] && g.id != me {
				out = append(out, g)
			}
		}
		return out
	}
	r := newRun(s, sc, engine{
		unit:    cfg.Unit,
		horizon: cfg.Horizon,
		begin:   func() {},
		stuck:   func() string { return joinStacks(fresh()) },
		leaks: func() []string {
			deadline := time.Now().Add(cfg.LeakWait)
			for wait := 50 * time.Microsecond; ; wait *= 2 {
				var left []string
				for _, g := range fresh() {
					if !harnessOwned(g) {
						left = append(left, g.stack)
					}
				}
				if len(left) == 0 || time.Now().After(deadline) {
					return left
				}
				time.Sleep(min(wait, time.Until(deadline)))
			}
		},
		settle:   func() {},
		together: cfg.Together,
		spin:     cfg.Spin,
	}, newRecorder(cfg.Unit))
	tr := &props.Trace{}
	r.drive(tr)
	out := r.trace(props.Real)
	out.Grace = cfg.Grace * time.Millisecond / cfg.Unit // in schedule units, as event times are
	out.Failure, out.Hang, out.Leaked = tr.Failure, tr.Hang, tr.Leaked
	if out.Hang != nil {
		out.Hang.Why = props.HangTimeout
	}
	return out
}
