package stress

import (
	"reflect"
	"testing"

	"github.com/poolcheck/poolcheck/internal/core"
	"github.com/poolcheck/poolcheck/props"
)

// TestDrawIsDeterministic: a seed fixes a lifetime, so a printed seed replays it.
func TestDrawIsDeterministic(t *testing.T) {
	sh := core.Shape{Panics: true, Goexits: true, Resizes: true, WaitsInRun: true, Tries: true}
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
	for _, sh := range []core.Shape{
		{},
		{Panics: true, Goexits: true, Resizes: true, WaitsInRun: true, Tries: true},
		{Panics: true},
		{Goexits: true, WaitsInRun: true},
		{Resizes: true},
		{Tries: true},
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

func checkLifetime(t *testing.T, sh core.Shape, l Lifetime) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s: "+format+"\n%s", append([]any{l.Settings()}, append(args, l.schedule)...)...)
	}
	sc := l.schedule
	if sc.Limit < 1 || l.Procs < 1 || l.config.Unit <= 0 {
		fail("limit %d, procs %d, unit %v", sc.Limit, l.Procs, l.config.Unit)
	}
	ids := map[int]bool{}
	for _, ph := range sc.Phases {
		if len(ph.Actors) == 0 {
			fail("a phase without actors")
		}
		if ph.Then == core.OpClose {
			fail("a phase closes the pool")
		}
		if ph.Then == core.OpResize && !sh.Resizes {
			fail("resize of a pool that is not a Resizer")
		}
		for _, a := range ph.Actors {
			for _, st := range a.Steps {
				switch st.Op {
				case core.OpSubmit, core.OpTrySubmit:
					if st.Op == core.OpTrySubmit && !sh.Tries {
						fail("TrySubmit on a pool that is not a TrySubmitter")
					}
					if st.Task.ID < 1 || ids[st.Task.ID] {
						fail("task id %d reused or < 1", st.Task.ID)
					}
					ids[st.Task.ID] = true
					if st.Task.Gate > len(sc.Gates) {
						fail("task %d on gate %d of %d", st.Task.ID, st.Task.Gate, len(sc.Gates))
					}
					if st.Task.End == props.Panic && !sh.Panics {
						fail("a panicking task for a pool that crashes")
					}
					if st.Task.End == props.Goexit && !sh.Goexits {
						fail("a Goexit task for a pool that does not handle it")
					}
				case core.OpWait, core.OpClose:
					if !sh.WaitsInRun {
						fail("an actor calls %v although Submit may not overlap Wait", st.Op)
					}
				case core.OpResize:
					if !sh.Resizes {
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
}
