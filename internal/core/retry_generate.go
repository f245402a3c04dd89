package core

import (
	"pgregory.net/rapid"

	"github.com/poolcheck/poolcheck/props"
)

// DrawRetry draws a retry schedule: a limit of 1 to 3 attempts in flight; a policy of 0 to
// 3 retries, maybe a timeout of 2 to 5ms, a backoff of 1 to 3ms doubling, maybe capped
// (at no less than the first backoff);
// one to three phases, each either a burst (more calls than the limit, at once, maybe
// raced by a Close) or a mix of actors that call and close at chosen moments; calls whose
// attempts fail a few times then succeed, outlive their timeout (some ignoring their ctx),
// or never succeed; contexts cancelled, timed out or done already.
func DrawRetry(t *rapid.T) RetrySchedule {
	sc := RetrySchedule{Limit: rapid.IntRange(1, 3).Draw(t, "limit")}
	p := props.RetryPolicy{
		Retries: rapid.IntRange(0, 3).Draw(t, "retries"),
		Delay:   ms(rapid.IntRange(1, 3).Draw(t, "delay ms")),
	}
	if rapid.IntRange(0, 3).Draw(t, "timeout") > 0 {
		p.Timeout = ms(rapid.IntRange(2, 5).Draw(t, "timeout ms"))
	}
	if rapid.Bool().Draw(t, "capped") {
		p.MaxDelay = p.Delay + ms(rapid.IntRange(0, 4).Draw(t, "max delay over delay ms"))
	}
	sc.Policy = p
	id := 0
	nextCall := func(delay int) RetryCall {
		id++
		c := RetryCall{Delay: ms(delay), ID: id}
		for range rapid.IntRange(0, p.Retries+2).Draw(t, "attempts") {
			a := AttemptSpec{Hold: ms(rapid.IntRange(0, 7).Draw(t, "attempt ms"))}
			a.Fails = rapid.IntRange(0, 3).Draw(t, "attempt fails") > 0
			a.IgnoresCtx = rapid.IntRange(0, 4).Draw(t, "attempt ignores ctx") == 4
			c.Attempts = append(c.Attempts, a)
		}
		switch rapid.IntRange(0, 9).Draw(t, "ctx") {
		case 7:
			c.Ctx = Ctx{Kind: CtxCancel, After: offGrid(rapid.IntRange(0, 8).Draw(t, "cancel after ms"))}
		case 8:
			c.Ctx = Ctx{Kind: CtxTimeout, After: offGrid(rapid.IntRange(0, 8).Draw(t, "timeout after ms"))}
		case 9:
			c.Ctx = Ctx{Kind: CtxDone}
		}
		return c
	}
	for range rapid.IntRange(1, 3).Draw(t, "phases") {
		var ph RetryPhase
		if kind := rapid.IntRange(0, 3).Draw(t, "phase kind"); kind > 0 {
			for range sc.Limit + rapid.IntRange(1, sc.Limit+1).Draw(t, "burst excess") {
				ph.Actors = append(ph.Actors, RetryActor{Calls: []RetryCall{nextCall(0)}})
			}
			if kind == 3 {
				c := RetryCall{Delay: ms(rapid.IntRange(0, 4).Draw(t, "closer delay ms")), Close: true}
				ph.Actors = append(ph.Actors, RetryActor{Calls: []RetryCall{c}})
			}
		} else {
			for range rapid.IntRange(1, 3).Draw(t, "actors") {
				var a RetryActor
				for range rapid.IntRange(1, 3).Draw(t, "calls") {
					delay := rapid.IntRange(0, 4).Draw(t, "delay ms")
					if rapid.IntRange(0, 11).Draw(t, "op") == 11 {
						a.Calls = append(a.Calls, RetryCall{Delay: ms(delay), Close: true})
						continue
					}
					a.Calls = append(a.Calls, nextCall(delay))
				}
				ph.Actors = append(ph.Actors, a)
			}
		}
		ph.Close = rapid.IntRange(0, 7).Draw(t, "then close") == 7
		sc.Phases = append(sc.Phases, ph)
	}
	sc.CloseTwice = rapid.Bool().Draw(t, "close twice")
	return sc
}
