package stress

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// Environment variables. They win over the options a test passes, so that a soak and a
// printed replay line work on any test that calls Check, without editing it.
const (
	// EnvDuration sets how long each Check or Run stresses its subject (a Go duration:
	// "10m", "2h"). Soaks use it.
	EnvDuration = "POOLCHECK_STRESS"
	// EnvSeed sets the seed of the first lifetime; lifetime i of the run uses seed+i.
	EnvSeed = "POOLCHECK_STRESS_SEED"
	// EnvRepeat, set to 1 or true, makes every lifetime run the seed's schedule again:
	// with EnvSeed it replays one failing lifetime over and over for the duration.
	EnvRepeat = "POOLCHECK_STRESS_REPEAT"
)

// DefaultDuration is how long a Check stresses one subject when neither the Duration
// option nor POOLCHECK_STRESS says otherwise. It fits CI: a few seconds a subject, well under
// a minute for the whole catalogue under -race on two cores.
const DefaultDuration = 2 * time.Second

// Option changes how Check and Run stress a subject.
type Option func(*config)

type config struct {
	duration   time.Duration
	lifetimes  int // 0 = as many as fit in duration
	seed       uint64
	seedSet    bool
	repeat     bool
	properties []string // nil = all
	stopFirst  bool
	grace      time.Duration
	horizon    time.Duration
	leakWait   time.Duration
	logf       func(format string, args ...any)
	replay     func(seed uint64) string
}

func newConfig(opts []Option) (config, error) {
	c := config{
		duration: DefaultDuration,
		grace:    time.Second,
		horizon:  5 * time.Second,
		leakWait: time.Second,
	}
	for _, o := range opts {
		o(&c)
	}
	if v := os.Getenv(EnvDuration); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("stress: %s=%q: want a positive Go duration such as 10m", EnvDuration, v)
		}
		c.duration = d
	}
	if v := os.Getenv(EnvSeed); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return c, fmt.Errorf("stress: %s=%q: want an unsigned integer", EnvSeed, v)
		}
		c.seed, c.seedSet = n, true
	}
	if v := os.Getenv(EnvRepeat); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("stress: %s=%q: want 1 or 0", EnvRepeat, v)
		}
		c.repeat = b
	}
	if !c.seedSet {
		c.seed = uint64(time.Now().UnixNano())
	}
	return c, nil
}

// Duration sets how long the subject is stressed (default DefaultDuration). The run stops
// by itself: it starts no lifetime after the duration, and a lifetime is bounded by the
// Horizon of each call it makes. POOLCHECK_STRESS wins over it.
func Duration(d time.Duration) Option { return func(c *config) { c.duration = d } }

// Lifetimes caps the number of pool lifetimes (0, the default: as many as fit in the
// duration).
func Lifetimes(n int) Option { return func(c *config) { c.lifetimes = n } }

// Seed fixes the seed of the first lifetime (default: from the clock). POOLCHECK_STRESS_SEED
// wins over it. Lifetime i uses seed+i; a lifetime's seed fixes its schedule and settings,
// not the interleaving, which is the point of running in real time.
func Seed(seed uint64) Option { return func(c *config) { c.seed, c.seedSet = seed, true } }

// Repeat makes every lifetime run the first lifetime's schedule and settings again.
func Repeat() Option { return func(c *config) { c.repeat = true } }

// Properties restricts the verdicts to the properties with these ids (see props.All).
func Properties(ids ...string) Option { return func(c *config) { c.properties = ids } }

// StopOnFailure ends the run at the first lifetime that breaks a property or during which
// the race detector reported, instead of stressing on to find more. Tests that prove a
// broken pool is caught use it with a long Duration: they cost only the time to detection.
func StopOnFailure() Option { return func(c *config) { c.stopFirst = true } }

// Grace sets how late "promptly" may be for work-conserving and cancel (default 1s, four
// times RunReal's own default: a stress run keeps both cores busy under -race, so a
// correct pool's goroutine may wait long for a processor). A lost wake-up that never comes
// still shows: its idle slot or blocked Submit lasts until the run ends.
func Grace(d time.Duration) Option { return func(c *config) { c.grace = d } }

// Horizon sets how long one call may block before the lifetime counts as hung (default 5s).
func Horizon(d time.Duration) Option { return func(c *config) { c.horizon = d } }

// LeakWait sets how long the pool's goroutines may take to exit after the final Close
// (default 1s; a correct pool's exit in a few microseconds, so it costs only a leaking pool).
func LeakWait(d time.Duration) Option { return func(c *config) { c.leakWait = d } }

// Logf receives a line as each lifetime begins: its number and settings. Verbose; for tools
// and for hunting a crash that takes the process down.
func Logf(f func(format string, args ...any)) Option { return func(c *config) { c.logf = f } }

// Replay sets how a failure's replay command is written, from the failing lifetime's seed
// (default, in Check: a go test line for the test; in Run: the environment to set).
func Replay(f func(seed uint64) string) Option { return func(c *config) { c.replay = f } }
