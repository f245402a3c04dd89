package harness

import "time"

// Option changes how Check and Explore explore a subject.
type Option func(*config)

type config struct {
	runs       int           // schedules per property
	budget     time.Duration // wall time per property; 0 = no limit
	seed       uint64        // 0 = rapid's (random, or -rapid.seed)
	properties []string      // nil = all
	progress   func(property string)
	watchdog   time.Duration
	replay     func(property string, seed uint64) string
}

func newConfig(opts []Option) config {
	c := config{runs: 100, watchdog: 10 * time.Second}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// Runs sets how many schedules are explored per property (default 100). An explicit
// -rapid.checks flag on the command line wins.
func Runs(n int) Option { return func(c *config) { c.runs = n } }

// Budget caps the wall time spent exploring each property; schedules left over when it runs
// out pass without running. 0 means no cap.
func Budget(d time.Duration) Option { return func(c *config) { c.budget = d } }

// Seed fixes rapid's seed, so an exploration is repeatable. An explicit -rapid.seed flag on
// the command line wins (it is how a printed replay line works).
func Seed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// Properties restricts the check to the properties with these ids (see props.All).
func Properties(ids ...string) Option { return func(c *config) { c.properties = ids } }

// Progress is called as each property's exploration begins.
func Progress(f func(property string)) Option { return func(c *config) { c.progress = f } }

// Watchdog sets the real-time limit on one schedule run (default 10s). A run that exceeds it
// (a pool deadlocked on a sync.Mutex never lets virtual time advance) fails as a hang.
func Watchdog(d time.Duration) Option { return func(c *config) { c.watchdog = d } }

// Replay sets how a failure's replay command is written (default: a go test line for the
// subtest, with -rapid.seed). Tools that explore outside go test use it to print their own.
func Replay(f func(property string, seed uint64) string) Option {
	return func(c *config) { c.replay = f }
}
