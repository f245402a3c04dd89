package stress

import (
	"reflect"
	"testing"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/props"
)

// TestDrawIsDeterministic: a seed fixes a lifetime, so a printed seed replays it.
func TestDrawIsDeterministic(t *testing.T) {
	sh := shape{panics: true, goexits: true, resizes: true, waitsInRun: true}
	for seed := range uint64(200) {
		a, b := drawLifetime(seed, sh), drawLifetime(seed, sh)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("seed %d drew two lifetimes:\n%s\n%s", seed, a.Settings(), b.Settings())
		}
	}
}

// TestDrawKeepsTraits: the generator uses only what a subject's traits allow, and writes
// schedules the harness can run.
func TestDrawKeepsTraits(t *testing.T) {
	scenarios := map[string]bool{}
	for _, sh := range []shape{
		{},
		{panics: true, goexits: true, resizes: true, waitsInRun: true},
		{panics: true},
		{goexits: true, waitsInRun: true},
		{resizes: true},
	} {
		for seed := range uint64(2000) {
			l := drawLifetime(seed, sh)
			scenarios[l.Scenario] = true
			checkLifetime(t, sh, l)
		}
	}
	for _, want := range []string{"burst", "rebursts", "sustained", "close-race", "wait-race", "cancel-storm", "resize", "mixed"} {
		if !scenarios[want] {
			t.Errorf("no lifetime of scenario %s in 10000 draws", want)
		}
	}
}

func checkLifetime(t *testing.T, sh shape, l Lifetime) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s: "+format+"\n%s", append([]any{l.Settings()}, append(args, l.Schedule)...)...)
	}
	sc := l.Schedule
	if sc.Limit < 1 || l.Procs < 1 || l.Config.Unit <= 0 {
		fail("limit %d, procs %d, unit %v", sc.Limit, l.Procs, l.Config.Unit)
	}
	ids := map[int]bool{}
	closes := false
	var ctxEnds []harness.CtxKind
	for _, ph := range sc.Phases {
		if len(ph.Actors) == 0 {
			fail("a phase without actors")
		}
		if ph.Then == harness.OpClose {
			fail("a phase closes the pool")
		}
		if ph.Then == harness.OpResize && !sh.resizes {
			fail("resize of a pool that is not a Resizer")
		}
		for _, a := range ph.Actors {
			for _, st := range a.Steps {
				switch st.Op {
				case harness.OpSubmit:
					if st.Task.ID < 1 || ids[st.Task.ID] {
						fail("task id %d reused or < 1", st.Task.ID)
					}
					ids[st.Task.ID] = true
					if st.Task.Gate > len(sc.Gates) {
						fail("task %d on gate %d of %d", st.Task.ID, st.Task.Gate, len(sc.Gates))
					}
					if st.Task.End == props.Panic && !sh.panics {
						fail("a panicking task for a pool that crashes")
					}
					if st.Task.End == props.Goexit && !sh.goexits {
						fail("a Goexit task for a pool that does not handle it")
					}
					if k := st.Ctx.Kind; k == harness.CtxCancel || k == harness.CtxTimeout {
						ctxEnds = append(ctxEnds, k)
					}
				case harness.OpWait, harness.OpClose:
					if !sh.waitsInRun {
						fail("an actor calls %v although Submit may not overlap Wait", st.Op)
					}
					closes = closes || st.Op == harness.OpClose
				case harness.OpResize:
					if !sh.resizes {
						fail("resize of a pool that is not a Resizer")
					}
				default:
					fail("step %v", st.Op)
				}
			}
		}
	}
	if len(ids) != sc.Tasks() {
		fail("%d task ids for %d submits", len(ids), sc.Tasks())
	}
	for id := 1; id <= len(ids); id++ {
		if !ids[id] {
			fail("task ids are not 1..%d: %d is missing", len(ids), id)
		}
	}
	if closes && len(ctxEnds) > 0 {
		fail("a ctx that may end during a Submit after an actor's Close")
	}
}
