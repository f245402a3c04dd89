package harness

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/poolcheck/poolcheck/internal/core"
)

// Option changes how Check and Explore explore a subject.
type Option func(*config)

type config struct {
	runs       int           // schedules in the exploration
	budget     time.Duration // wall time spent exploring (not shrinking); 0 = no limit
	seed       uint64        // 0 = rapid's (-rapid.seed, or a random one)
	ids        []string      // the Properties option; nil = all
	progress   func(property string)
	limits     core.Limits
	replay     func(property string, seed uint64) string
	inProcess  bool
	childStall time.Duration // how long an isolated exploration may go silent
}

// DefaultRuns is how many schedules an exploration runs when Runs does not say: every
// schedule's trace is judged against every selected property.
const DefaultRuns = 200

// EnvInProcess, set to 1 in the environment, makes every Check and Explore run in the test's
// own process, as the InProcess option does (for a debugger, or a system without
// os/exec).
const EnvInProcess = "POOLCHECK_INPROCESS"

func newConfig(opts []Option) (config, error) {
	c := config{runs: DefaultRuns, limits: core.Limits{Watchdog: 10 * time.Second, Stall: 250 * time.Millisecond}}
	for _, o := range opts {
		o(&c)
	}
	var errs []error
	if c.runs < 1 {
		errs = append(errs, fmt.Errorf("Runs(%d): want at least 1", c.runs))
	}
	if c.budget < 0 {
		errs = append(errs, fmt.Errorf("Budget(%v): want 0 (no limit) or more", c.budget))
	}
	if c.limits.Watchdog <= 0 {
		errs = append(errs, fmt.Errorf("Watchdog(%v): want more than 0", c.limits.Watchdog))
	}
	if c.limits.Stall <= 0 {
		errs = append(errs, fmt.Errorf("Stall(%v): want more than 0", c.limits.Stall))
	}
	if os.Getenv(EnvInProcess) == "1" {
		c.inProcess = true
	}
	if c.childStall == 0 {
		c.childStall = c.limits.Watchdog + 30*time.Second
	}
	if err := errors.Join(errs...); err != nil {
		return c, fmt.Errorf("harness: %w", err)
	}
	return c, nil
}

// Runs sets how many schedules the exploration runs (default DefaultRuns); each one's trace
// is judged against every selected property. An explicit -rapid.checks flag on the command
// line wins.
func Runs(n int) Option { return func(c *config) { c.runs = n } }

// Budget caps the wall time spent exploring (shrinking a failure is not counted);
// schedules left over when it runs out are not run. 0 means no cap.
func Budget(d time.Duration) Option { return func(c *config) { c.budget = d } }

// Seed fixes rapid's seed, so an exploration is repeatable. An explicit -rapid.seed flag on
// the command line wins (it is how a printed replay line works).
func Seed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// Properties restricts the check to the properties with these ids (see props.All). An
// unknown id is an error.
func Properties(ids ...string) Option { return func(c *config) { c.ids = ids } }

// Progress is called as each stage of the exploration begins: with "" when exploring
// begins, then with a property's id when its failure is being shrunk.
func Progress(f func(property string)) Option { return func(c *config) { c.progress = f } }

// Watchdog sets the real-time limit on one schedule run (default 10s), and on the New call
// that probes the pool before exploring. A run that exceeds it fails as a hang, and
// exploring stops (its goroutines stay in the process).
func Watchdog(d time.Duration) Option { return func(c *config) { c.limits.Watchdog = d } }

// Stall sets how long a run may record nothing, in real time, before it is examined for
// busy-waiting and mutex deadlocks (default 250ms), which testing/synctest cannot see: a
// pool whose goroutines keep running while virtual time stands still, or whose goroutines
// all wait on a sync.Mutex, fails liveness at once instead of at the Watchdog.
func Stall(d time.Duration) Option { return func(c *config) { c.limits.Stall = d } }

// Replay sets how a failure's replay command is written (default: a go test line for the
// subtest, with -rapid.seed). Tools that explore outside go test use it to print their own.
func Replay(f func(property string, seed uint64) string) Option {
	return func(c *config) { c.replay = f }
}

// InProcess makes Check and Explore explore in the test's own process instead of a child
// process of the test binary: for a debugger, or a tool that is already a child. A pool that
// crashes then takes the test binary with it, and a hung run's goroutines stay in it (a
// busy-waiting one keeps a CPU busy). Setting POOLCHECK_INPROCESS=1 has the same effect.
func InProcess() Option { return func(c *config) { c.inProcess = true } }
