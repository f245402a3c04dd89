package bench

import (
	"sync"
	"sync/atomic"
	"testing"
)

// parallelGrain is how many iterations a parallel submitter takes from the shared count at
// a time, as testing.PB does, so that the count is not contended on every task.
const parallelGrain = 64

// crew runs a body on several goroutines that share n iterations between them, as
// b.RunParallel does but for any n, so the warm-up and the timed run are the same body.
// Everything it needs is made by newCrew, before the timer: run starts its goroutines with
// func values made once and hands them their state by pointer, so a timed run allocates
// nothing of its own and B/op is the pool's (TestCrewNoAllocs checks it).
type crew struct {
	e      *env
	body   func(e *env, i int, next func() bool)
	left   atomic.Int64 // iterations not yet taken
	wg     sync.WaitGroup
	shards []shard
}

// shard is one goroutine of a crew.
type shard struct {
	c    *crew
	i    int
	mine int         // iterations taken and not yet run
	next func() bool // s.take
	run  func()      // s.loop
}

// newCrew returns a crew of up to g goroutines, whose bodies get e.
func newCrew(e *env, g int) *crew {
	c := &crew{e: e, shards: make([]shard, g)}
	for i := range c.shards {
		s := &c.shards[i]
		s.c, s.i = c, i
		s.next, s.run = s.take, s.loop
	}
	return c
}

// run runs body(e, i, next) on goroutines i = 0 to g-1 (g at most the crew's size) and
// returns when all have returned. next reports whether the goroutine has an iteration left;
// together the goroutines get n. body should be a function, not a closure, so that passing
// it allocates nothing.
func (c *crew) run(n, g int, body func(e *env, i int, next func() bool)) {
	c.left.Store(int64(n))
	c.body = body
	c.wg.Add(g)
	for i := range g {
		c.shards[i].mine = 0
		go c.shards[i].run()
	}
	c.wg.Wait()
	c.body = nil
}

func (s *shard) loop() {
	defer s.c.wg.Done()
	s.c.body(s.c.e, s.i, s.next)
}

func (s *shard) take() bool {
	if s.mine == 0 {
		got := s.c.left.Add(-parallelGrain)
		s.mine = int(min(parallelGrain, got+parallelGrain))
		if s.mine <= 0 {
			s.mine = 0
			return false
		}
	}
	s.mine--
	return true
}

func TestCrewNoAllocs(t *testing.T) {
	var ran atomic.Int64
	c := newCrew(&env{}, 8)
	count := func(_ *env, _ int, next func() bool) {
		for next() {
			ran.Add(1)
		}
	}
	c.run(1000, 8, count) // warm: the goroutines' g structs are then reused
	ran.Store(0)
	if a := testing.AllocsPerRun(100, func() { c.run(1000, 8, count) }); a != 0 {
		t.Errorf("crew.run allocated %v times per run, want 0", a)
	}
	if got := ran.Load(); got != 101*1000 {
		t.Errorf("crew.run ran %d iterations in 101 runs of 1000, want %d", got, 101*1000)
	}
}
