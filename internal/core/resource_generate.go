package core

import (
	"time"

	"pgregory.net/rapid"
)

// ResourceShape is what the resource generator may use for a subject.
type ResourceShape struct {
	Discards bool // the pool is a resource.Discarder: holds may end in Discard
}

// DrawResource draws a resource schedule: a maximum of 1 to 3; Creates that take a few
// milliseconds or fail; one to three phases, each either a burst (more holders than
// resources, at once, maybe raced by a Close) or a mix of actors that hold, discard and
// close at chosen moments; contexts cancelled, timed out or done already.
func DrawResource(t *rapid.T, sh ResourceShape) ResourceSchedule {
	sc := ResourceSchedule{Max: rapid.IntRange(1, 3).Draw(t, "max")}
	for range rapid.IntRange(0, 4).Draw(t, "slow creates") {
		sc.Creates = append(sc.Creates, CreateSpec{
			Latency: ms(rapid.IntRange(0, 3).Draw(t, "create ms")),
			Fails:   rapid.IntRange(0, 3).Draw(t, "create fails") == 3,
		})
	}
	id := 0
	nextHold := func(delay int) HoldStep {
		id++
		st := HoldStep{Delay: ms(delay), Holder: id, Hold: ms(rapid.IntRange(0, 5).Draw(t, "hold ms"))}
		st.Discard = sh.Discards && rapid.IntRange(0, 4).Draw(t, "discard") == 4
		switch rapid.IntRange(0, 9).Draw(t, "ctx") {
		case 6, 7:
			st.Ctx = Ctx{Kind: CtxCancel, After: offGrid(rapid.IntRange(0, 3).Draw(t, "cancel after ms"))}
		case 8:
			st.Ctx = Ctx{Kind: CtxTimeout, After: offGrid(rapid.IntRange(0, 3).Draw(t, "timeout after ms"))}
		case 9:
			st.Ctx = Ctx{Kind: CtxDone}
		}
		return st
	}
	for range rapid.IntRange(1, 3).Draw(t, "phases") {
		var ph ResourcePhase
		if kind := rapid.IntRange(0, 3).Draw(t, "phase kind"); kind > 0 {
			for range sc.Max + rapid.IntRange(1, sc.Max+2).Draw(t, "burst excess") {
				ph.Actors = append(ph.Actors, ResourceActor{Steps: []HoldStep{nextHold(0)}})
			}
			if kind == 3 {
				st := HoldStep{Delay: ms(rapid.IntRange(0, 3).Draw(t, "closer delay ms")), Close: true}
				ph.Actors = append(ph.Actors, ResourceActor{Steps: []HoldStep{st}})
			}
		} else {
			for range rapid.IntRange(1, 4).Draw(t, "actors") {
				var a ResourceActor
				for range rapid.IntRange(1, 3).Draw(t, "steps") {
					delay := rapid.IntRange(0, 3).Draw(t, "delay ms")
					if rapid.IntRange(0, 11).Draw(t, "op") == 11 {
						a.Steps = append(a.Steps, HoldStep{Delay: ms(delay), Close: true})
						continue
					}
					a.Steps = append(a.Steps, nextHold(delay))
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

// offGrid is n and a half milliseconds: when a resource or retry schedule's ctx ends.
// Every other duration of those schedules is whole milliseconds, so a ctx never ends at the
// instant a pool takes a step of its own (a backoff's end, an attempt's return), whose
// order virtual time leaves open, and a failure that involves a ctx repeats when shrunk.
func offGrid(n int) time.Duration { return ms(n) + 500*time.Microsecond }
