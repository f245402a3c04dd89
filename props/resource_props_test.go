package props

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildRes makes a resource pool's trace from a script, one event a line:
// "<ms> <what> <a> [<b>]": acquire h, got h r, err h outcome, ctx h, release h r,
// released h r, discard h r, discarded h r, create c, made c r, failed c, destroy r,
// destroyed r, close c, closed c; "hang" and "leak" mark the run as hung or leaking. ms may be fractional.
func buildRes(t *testing.T, max int, traits ResourceTraits, script string) *Trace {
	t.Helper()
	tr := &Trace{Pool: "test", Limit: max, Resource: traits}
	kinds := map[string]Kind{"acquire": AcquireBegin, "got": AcquireEnd, "err": AcquireEnd, "ctx": AcquireCtxDone,
		"release": ReleaseBegin, "released": ReleaseEnd, "discard": DiscardBegin, "discarded": DiscardEnd,
		"create": CreateBegin, "made": CreateEnd, "failed": CreateEnd, "destroy": DestroyBegin,
		"destroyed": DestroyEnd, "close": CloseBegin, "closed": CloseEnd}
	outcomes := map[string]Outcome{"closed": Closed, "canceled": Canceled, "deadline": Deadline, "other": OtherErr}
	for _, line := range strings.Split(strings.TrimSpace(script), "\n") {
		f := strings.Fields(line)
		switch f[0] {
		case "hang":
			tr.Hang = &Hang{Why: HangDeadlock, At: tr.Events[len(tr.Events)-1].At}
			continue
		case "leak":
			tr.Leaked = []string{"goroutine 9 [select]:\nreaper()"}
			continue
		}
		ms, err := strconv.ParseFloat(f[0], 64)
		k, ok := kinds[f[1]]
		if err != nil || !ok || len(f) < 3 {
			t.Fatalf("bad line %q", line)
		}
		a, _ := strconv.Atoi(f[2])
		b := 0
		if len(f) > 3 {
			b, _ = strconv.Atoi(f[3])
		}
		e := Event{Seq: len(tr.Events), At: time.Duration(ms * float64(time.Millisecond)), Kind: k, Actor: 1}
		switch f[1] {
		case "acquire", "ctx":
			e.Task = a
		case "got", "release", "released", "discard", "discarded":
			e.Task, e.Res = a, b
		case "err":
			e.Task, e.Outcome = a, outcomes[f[3]]
		case "create":
			e.Call = a
		case "made":
			e.Call, e.Res = a, b
		case "failed":
			e.Call, e.Outcome = a, OtherErr
		case "destroy", "destroyed":
			e.Res = a
		case "close", "closed":
			e.Call = a
		}
		tr.Events = append(tr.Events, e)
	}
	return tr
}

// A resource pool that keeps every property: max 1, a waiter served by a release, an
// Acquire cancelled while it waits, a broken resource replaced, Close, an Acquire after it.
const goodRes = `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
0 acquire 2
1 acquire 3
2 release 1 1
2 released 1 1
2 got 2 1
2.5 ctx 3
2.5 err 3 canceled
3 discard 2 1
3 destroy 1
3 destroyed 1
3 discarded 2 1
4 acquire 4
4 create 2
5 made 2 2
5 got 4 2
6 release 4 2
6 released 4 2
6 close 1
6 destroy 2
6 destroyed 2
6 closed 1
7 acquire 5
7 err 5 closed
7 close 2
7 closed 2`

func TestGoodResourceTraceKeepsEveryProperty(t *testing.T) {
	tr := buildRes(t, 1, ResourceTraits{}, goodRes)
	for _, p := range ResourceProperties() {
		if vs := p.Check(tr); len(vs) != 0 {
			t.Errorf("%s: Check(good) = %v, want no violations", p.ID, vs)
		}
	}
}

// Each case breaks the property it names (and, where noted, others by nature).
var brokenRes = []struct {
	prop   string
	max    int
	traits ResourceTraits
	script string
	also   []string
}{
	{"exclusive", 2, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
0 acquire 2
0 got 2 1
1 release 1 1
1 released 1 1
1 release 2 1
1 released 2 1`, nil},
	{"exclusive", 1, ResourceTraits{Slots: 2}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
0 acquire 2
0 got 2 1
0 acquire 3
0 got 3 1`, nil},
	{"exclusive", 1, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
1 discard 1 1
1 destroy 1
1 destroyed 1
1 discarded 1 1
2 acquire 2
2 got 2 1`, nil},
	{"bounded", 1, ResourceTraits{}, `
0 acquire 1
0 create 1
0 acquire 2
0 create 2
1 made 1 1
1 made 2 2
1 got 1 1
1 got 2 2`, nil},
	{"reuse-before-create", 2, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
1 release 1 1
1 released 1 1
2 acquire 2
2 create 2
2 made 2 2
2 got 2 2`, nil},
	{"acquire-cancel", 1, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
0 acquire 2
0.5 ctx 2
2 release 1 1
2 released 1 1
2 err 2 canceled`, nil},
	{"acquire-cancel", 1, ResourceTraits{}, `
0 acquire 1
0 create 1
0.5 ctx 1
0.5 err 1 canceled
2 made 1 1
3 close 1
3 closed 1`, nil},
	{"resource-close", 1, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
1 close 1
1 closed 1
2 release 1 1
2 released 1 1`, nil},
	{"resource-close", 1, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
0 release 1 1
0 released 1 1
1 close 1
1 closed 1
2 acquire 2
2 got 2 1`, nil},
	{"resource-no-leak", 1, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
1 release 1 1
1 released 1 1
2 close 1
2 destroy 1
2 destroyed 1
2 closed 1
leak`, nil},
	{"resource-liveness", 1, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
0 acquire 2
1 release 1 1
1 released 1 1
hang`, nil},
	{"resource-work-conserving", 1, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
0 acquire 2
1 release 1 1
1 released 1 1
3 got 2 1
3 release 2 1
3 released 2 1`, nil},
	{"resource-work-conserving", 2, ResourceTraits{}, `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
0 acquire 2
2 release 1 1
2 released 1 1
2 got 2 1`, nil},
}

func TestBrokenResourceTracesBreakTheirProperty(t *testing.T) {
	for i, c := range brokenRes {
		tr := buildRes(t, c.max, c.traits, c.script)
		for _, p := range ResourceProperties() {
			vs := p.Check(tr)
			want := p.ID == c.prop || slices.Contains(c.also, p.ID)
			if want && len(vs) == 0 {
				t.Errorf("case %d: %s: no violation, want one", i, p.ID)
			}
			if !want && len(vs) > 0 {
				t.Errorf("case %d (%s): %s: unexpected %v", i, c.prop, p.ID, vs)
			}
		}
	}
}

// A Close that does not wait (database/sql) may return while a resource is held, as long
// as the resource is destroyed when it is released.
func TestCloseDoesNotWaitDestroysOnRelease(t *testing.T) {
	script := `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
1 close 1
1 closed 1
2 release 1 1
2 destroy 1
2 destroyed 1
2 released 1 1`
	if vs := ResourceClose.Check(buildRes(t, 1, ResourceTraits{CloseDoesNotWait: true}, script)); len(vs) > 0 {
		t.Errorf("destroyed on release: %v", vs)
	}
	kept := strings.Join(strings.Split(strings.TrimSpace(script), "\n")[:7], "\n") + "\n2 released 1 1"
	if vs := ResourceClose.Check(buildRes(t, 1, ResourceTraits{CloseDoesNotWait: true}, kept)); len(vs) == 0 {
		t.Error("never destroyed: no violation")
	}
}

// Two holders recorded one after the other within an instant may really have held the
// resource together (an Acquire returns after the hand-off, a Release begins before it): a
// Create at that instant, for a third waiter, is not a wasted one. The same trace with the
// second holder's Acquire at an earlier instant shows a slot idle since then: a violation.
func TestReuseBeforeCreateAllowsAnInstantsHandOffs(t *testing.T) {
	script := `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
1 release 1 1
1 released 1 1
6 acquire 2
6 acquire 3
6 got 2 1
6 release 2 1
6 released 2 1
6 acquire 4
6 got 4 1
6 create 2`
	if vs := ReuseBeforeCreate.Check(buildRes(t, 2, ResourceTraits{Slots: 2}, script)); len(vs) > 0 {
		t.Errorf("hand-offs within the instant: %v", vs)
	}
	idle := `
0 acquire 1
0 create 1
0 made 1 1
0 got 1 1
1 acquire 2
1 create 2`
	if vs := ReuseBeforeCreate.Check(buildRes(t, 2, ResourceTraits{Slots: 2}, idle)); len(vs) == 0 {
		t.Error("a slot idle since an earlier instant, and a Create for the one waiter: no violation")
	}
}
