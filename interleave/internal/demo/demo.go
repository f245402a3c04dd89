// Package demo drives the fixture pools of package interleave's demonstration under a
// controlled run: a burst of submitters onto a pool with fewer slots, in a synctest
// bubble, with the interleaving chosen by a Policy.
package demo

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/interleave"
)

// Pool is the fixtures' shape: TrySubmit never blocks, Wait blocks until every started
// task has finished.
type Pool interface {
	TrySubmit(task func()) bool
	Wait()
}

// Shape is one burst: Actors goroutines each try to submit Each tasks to a pool of Limit
// slots; every task holds its slot for a millisecond of virtual time.
type Shape struct{ Limit, Actors, Each int }

// Result is what one round observed.
type Result struct {
	MaxRunning int      // the most tasks that ran at once
	Started    []string // which actor's task started, in start order: "actor/task"
	Log        interleave.Log
}

// Round runs one burst against newPool(limit) in a fresh synctest bubble, under a Run
// with policy p (or uncontrolled, if p is nil). It fails t if the run cannot start.
func Round(t *testing.T, newPool func(limit int) Pool, sh Shape, p *interleave.Policy) Result {
	var res Result
	synctest.Test(t, func(t *testing.T) {
		var run *interleave.Run
		if p != nil {
			var err error
			if run, err = interleave.Start(*p); err != nil {
				t.Fatal(err)
			}
		}
		pool := newPool(sh.Limit)
		var running, most atomic.Int32
		started := make(chan string, sh.Actors*sh.Each)
		done := make(chan struct{}, sh.Actors)
		for a := range sh.Actors {
			interleave.Go(func() {
				defer func() { done <- struct{}{} }()
				for i := range sh.Each {
					pool.TrySubmit(func() {
						n := running.Add(1)
						for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
						}
						started <- string(rune('a'+a)) + "/" + string(rune('0'+i))
						time.Sleep(time.Millisecond)
						running.Add(-1)
					})
				}
			})
		}
		for range sh.Actors {
			<-done
		}
		pool.Wait()
		if run != nil {
			res.Log = run.Stop()
		}
		close(started)
		for s := range started {
			res.Started = append(res.Started, s)
		}
		res.MaxRunning = int(most.Load())
	})
	return res
}

// Policy draws the policy of round i of exploration seed: PCT with depth 3 (two change
// points among the first steps steps), or, every other round, a random walk.
func Policy(seed uint64, i, steps int) interleave.Policy {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	p := interleave.Policy{Seed: rng.Uint64(), Random: i%2 == 1}
	if !p.Random {
		p.ChangePoints = []int{rng.IntN(steps), rng.IntN(steps)}
	}
	return p
}

// Explore runs up to rounds rounds of exploration seed and returns the first round (from
// 0) whose tasks overran the limit, with its policy and result, or -1.
func Explore(t *testing.T, newPool func(int) Pool, sh Shape, seed uint64, rounds int) (int, interleave.Policy, Result) {
	steps := 32 // refined by the first round's step count
	for i := range rounds {
		p := Policy(seed, i, steps)
		res := Round(t, newPool, sh, &p)
		if res.Log.Steps > 0 {
			steps = res.Log.Steps
		}
		if res.MaxRunning > sh.Limit {
			return i, p, res
		}
	}
	return -1, interleave.Policy{}, Result{}
}
