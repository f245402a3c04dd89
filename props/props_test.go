package props

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// build makes a trace from a script, one event a line: "<ms> <what> <id> [detail]", where
// what is submit, return (detail: the outcome), try and try-return (TrySubmit), start, end (detail: panic or goexit), ctx,
// wait, wait-return, close, close-return (detail: panic), resize (detail: the new limit),
// resize-return. "hang" and "leak" mark the run as hung or leaking.
func build(t *testing.T, limit int, traits Traits, script string) *Trace {
	t.Helper()
	tr := &Trace{Pool: "test", Limit: limit, Traits: traits}
	outcomes := map[string]Outcome{"nil": Accepted, "closed": Closed, "full": Full,
		"canceled": Canceled, "deadline": Deadline, "other": OtherErr, "panic": Panicked,
		"false": Refused}
	for _, line := range strings.Split(strings.TrimSpace(script), "\n") {
		f := strings.Fields(line)
		switch f[0] {
		case "hang":
			tr.Hang = &Hang{Why: "deadlock"}
			continue
		case "leak":
			tr.Leaked = []string{"goroutine 9 [chan receive]:\nworker()"}
			continue
		}
		at, err := strconv.Atoi(f[0])
		if err != nil || len(f) < 3 {
			t.Fatalf("bad line %q", line)
		}
		id, _ := strconv.Atoi(f[2])
		e := Event{Seq: len(tr.Events), At: time.Duration(at) * time.Millisecond, Actor: 1}
		detail := ""
		if len(f) > 3 {
			detail = f[3]
		}
		kinds := map[string]Kind{"submit": SubmitBegin, "return": SubmitEnd, "try": SubmitBegin,
			"try-return": SubmitEnd, "start": TaskStart,
			"end": TaskEnd, "ctx": CtxDone, "wait": WaitBegin, "wait-return": WaitEnd,
			"close": CloseBegin, "close-return": CloseEnd, "resize": ResizeBegin, "resize-return": ResizeEnd}
		k, ok := kinds[f[1]]
		if !ok {
			t.Fatalf("bad kind in %q", line)
		}
		e.Kind = k
		e.Try = strings.HasPrefix(f[1], "try")
		switch k {
		case SubmitBegin, SubmitEnd, TaskStart, TaskEnd, CtxDone:
			e.Task = id
		default:
			e.Call = id
		}
		switch {
		case k == SubmitEnd || k == CloseEnd || k == WaitEnd:
			if detail != "" {
				e.Outcome = outcomes[detail]
			}
		case k == TaskEnd && detail == "panic":
			e.Exit = Panic
		case k == TaskEnd && detail == "goexit":
			e.Exit = Goexit
		case k == ResizeBegin:
			e.Limit, _ = strconv.Atoi(detail)
		}
		tr.Events = append(tr.Events, e)
	}
	return tr
}

// A pool that keeps every property: limit 1, two submitters, a Wait, a Close, a cancelled
// Submit and a Submit after Close.
const good = `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 submit 3
0 wait 1
1 ctx 3
1 return 3 canceled
2 end 1
2 return 2 nil
2 start 2
3 end 2 panic
3 wait-return 1
3 close 2
3 close-return 2
4 submit 4
4 return 4 closed
4 try 5
4 try-return 5 false
4 close 3
4 close-return 3`

func TestGoodTraceKeepsEveryProperty(t *testing.T) {
	tr := build(t, 1, Traits{}, good)
	for _, p := range All() {
		if vs := p.Check(tr); len(vs) != 0 {
			t.Errorf("%s: Check(good) = %v, want no violations", p.ID, vs)
		}
	}
}

// Each case is a trace that breaks exactly the property it names.
var broken = []struct {
	prop   string
	limit  int
	traits Traits
	script string
	also   []string // other properties the trace breaks by nature
}{
	{"max-concurrency", 1, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 return 2 nil
0 start 2
1 end 1
1 end 2
2 close 1
2 close-return 1`, []string{"queue-bound"}},
	{"max-concurrency", 2, Traits{}, `
0 resize 1 1
0 resize-return 1
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 return 2 nil
0 start 2
1 end 1
1 end 2
2 close 2
2 close-return 2`, []string{"queue-bound"}},
	// Queue 1: a second task queued behind the running one.
	{"queue-bound", 1, Traits{Queue: 1}, `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 return 2 nil
0 submit 3
0 return 3 nil
1 end 1
1 start 2
2 end 2
2 start 3
3 end 3
4 close 1
4 close-return 1`, nil},
	// A pool that declares Rejects blocks a Submit.
	{"queue-bound", 1, Traits{Rejects: true}, `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
1 end 1
1 return 2 nil
1 start 2
2 end 2
3 close 1
3 close-return 1`, nil},
	// ErrFull from an empty pool.
	{"queue-bound", 1, Traits{Rejects: true}, `
0 submit 1
0 return 1 full
1 close 1
1 close-return 1`, nil},
	{"exactly-once", 2, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
1 end 1
1 start 1
2 end 1
3 close 1
3 close-return 1`, nil},
	{"exactly-once", 2, Traits{}, `
0 submit 1
0 return 1 nil
1 close 1
1 close-return 1`, []string{"close", "work-conserving"}},
	{"exactly-once", 2, Traits{}, `
0 submit 1
0 return 1 panic
1 close 1
1 close-return 1`, nil},
	{"wait", 1, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
0 wait 1
0 wait-return 1
1 end 1
1 close 2
1 close-return 2`, nil},
	{"wait", 1, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
1 end 1
1 wait 1
hang`, nil},
	{"close", 1, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
0 close 1
0 close-return 1
1 end 1`, nil},
	{"close", 1, Traits{}, `
0 close 1
0 close-return 1
0 close 2
0 close-return 2 panic`, nil},
	// Two Closes overlap; the second returns at once, while a task still runs.
	{"close", 1, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
0 close 1
0 close 2
0 close-return 2
1 end 1
1 close-return 1`, nil},
	{"no-leak", 1, Traits{}, `
0 close 1
0 close-return 1
leak`, nil},
	{"cancel", 1, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
1 ctx 2
3 end 1
3 return 2 nil
3 start 2
4 end 2
4 close 1
4 close-return 1`, nil},
	{"liveness", 1, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
0 end 1 panic
0 submit 2
hang`, nil},
	{"liveness", 1, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
0 try 2
2 end 1
2 try-return 2 nil
2 start 2
3 end 2
3 close 1
3 close-return 1`, nil},
	// ants v2.8.1: a Submit blocked for a worker and woken by Release returns ErrPoolOverload.
	{"submit-errors", 1, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
1 close 1
2 end 1
2 return 2 full
2 close-return 1`, nil},
	{"submit-errors", 1, Traits{}, `
0 submit 1
0 return 1 closed
1 close 1
1 close-return 1`, nil},
	{"submit-errors", 1, Traits{}, `
0 submit 1
0 return 1 canceled
1 close 1
1 close-return 1`, nil},
	{"submit-errors", 1, Traits{}, `
0 submit 1
0 return 1 other
1 close 1
1 close-return 1`, nil},
	{"work-conserving", 2, Traits{Queue: Unbounded}, `
0 submit 1
0 return 1 nil
0 submit 2
0 return 2 nil
0 submit 3
0 return 3 nil
0 start 1
0 start 2
1 end 1
2 end 2
2 start 3
3 end 3
3 close 1
3 close-return 1`, nil},
}

func TestEachPropertyFailsOnATraceThatBreaksIt(t *testing.T) {
	for _, c := range broken {
		tr := build(t, c.limit, c.traits, c.script)
		for _, p := range All() {
			vs := p.Check(tr)
			if p.ID == c.prop && len(vs) == 0 {
				t.Errorf("%s: Check found nothing in a trace that breaks it:%s", p.ID, c.script)
			}
			if p.ID != c.prop && len(vs) != 0 && !slices.Contains(c.also, p.ID) {
				t.Errorf("%s: Check = %v on a trace that only breaks %s", p.ID, vs, c.prop)
			}
		}
	}
	// Every property has at least one breaking trace.
	for _, p := range All() {
		found := false
		for _, c := range broken {
			found = found || c.prop == p.ID
		}
		if !found {
			t.Errorf("%s has no breaking trace in the table", p.ID)
		}
	}
}

func TestRealModeGraceExcusesSmallDelays(t *testing.T) {
	script := `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
1 end 1
2 return 2 nil
2 start 2
3 end 2
3 close 1
3 close-return 1`
	tr := build(t, 1, Traits{}, script)
	if vs := WorkConserving.Check(tr); len(vs) == 0 {
		t.Errorf("virtual trace: work-conserving found nothing in a 1ms idle slot")
	}
	tr.Mode, tr.Grace = Real, 5*time.Millisecond
	if vs := WorkConserving.Check(tr); len(vs) != 0 {
		t.Errorf("real trace with 5ms grace: work-conserving = %v, want none", vs)
	}
}

func TestFailureBreaksEveryProperty(t *testing.T) {
	tr := &Trace{Failure: "New(1) returned nil"}
	for _, p := range All() {
		if vs := p.Check(tr); len(vs) != 1 || vs[0].Msg != tr.Failure {
			t.Errorf("%s: Check(failed run) = %v, want the failure", p.ID, vs)
		}
	}
}

func TestExcused(t *testing.T) {
	if Cancel.Excused(Traits{IgnoresCtx: true}) == "" {
		t.Error("cancel applies to a pool that ignores ctx")
	}
	for _, p := range All() {
		if r := p.Excused(Traits{}); r != "" {
			t.Errorf("%s excused for the strictest traits: %s", p.ID, r)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error(`Lookup("nope") found a property`)
	}
}

// Resizes that overlap may take effect in either order, whatever order they return in: after
// resize(1) and resize(3) overlap, the limit may be 3, so two tasks running is no violation,
// and an idle slot under 3 is no delay; four running is one. Resizes that do not overlap take
// effect in order.
func TestOverlappingResizesLeaveEitherLimit(t *testing.T) {
	const overlap = `
0 resize 1 1
0 resize 2 3
0 resize-return 2
0 resize-return 1
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 return 2 nil
0 start 2
`
	const tail = `1 end 1
1 end 2
2 close 3
2 close-return 3`
	if vs := MaxConcurrency.Check(build(t, 2, Traits{}, overlap+tail)); len(vs) != 0 {
		t.Errorf("two running after overlapping resize(1) and resize(3): %v, want no violation", vs)
	}
	waiting := `
0 resize 1 1
0 resize 2 3
0 resize-return 2
0 resize-return 1
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
2 end 1
2 start 2
2 return 2 nil
3 end 2
4 close 3
4 close-return 3`
	if vs := WorkConserving.Check(build(t, 2, Traits{}, waiting)); len(vs) != 0 {
		t.Errorf("a Submit waiting beside one running task after overlapping resize(1) and resize(3): %v, want no violation (the limit may be 1)", vs)
	}
	four := overlap + `0 submit 3
0 return 3 nil
0 start 3
0 submit 4
0 return 4 nil
0 start 4
1 end 1
1 end 2
1 end 3
1 end 4
2 close 3
2 close-return 3`
	if vs := MaxConcurrency.Check(build(t, 2, Traits{}, four)); len(vs) != 1 {
		t.Errorf("four running after overlapping resize(1) and resize(3): %v, want one violation", vs)
	}
	sequential := `
0 resize 2 3
0 resize-return 2
0 resize 1 1
0 resize-return 1
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 return 2 nil
0 start 2
` + tail
	if vs := MaxConcurrency.Check(build(t, 2, Traits{}, sequential)); len(vs) != 1 {
		t.Errorf("two running after resize(3) then resize(1): %v, want one violation", vs)
	}
}

// Each error the contract names passes when its cause holds: ErrFull from a rejecting pool,
// ErrClosed from a Submit that overlaps Close, ctx.Err() for a ctx that ended (its end
// recorded after the return, as in real time), and TrySubmit's false.
func TestSubmitErrorsAllowsTheirCauses(t *testing.T) {
	const script = `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 return 2 full
0 try 3
0 try-return 3 false
0 submit 4
0 return 4 canceled
0 ctx 4
1 end 1
1 submit 5
1 close 1
1 return 5 closed
1 close-return 1`
	if vs := SubmitErrors.Check(build(t, 1, Traits{Rejects: true}, script)); len(vs) != 0 {
		t.Errorf("submit-errors on allowed errors: %v, want none", vs)
	}
	if vs := SubmitErrors.Check(build(t, 1, Traits{}, script)); len(vs) != 1 {
		t.Errorf("submit-errors on ErrFull from a blocking pool: %v, want one violation", vs)
	}
}

// queue-bound passes what a correct pool may do: queue up to its declared queue, say
// ErrFull at the instant a task ends (the slot is freed after the end is recorded), and keep
// running tasks it accepted before a Resize shrank its limit.
func TestQueueBoundAllowsWhatACorrectPoolDoes(t *testing.T) {
	cases := []struct {
		name   string
		limit  int
		traits Traits
		script string
	}{
		{"queued within the bound", 1, Traits{Queue: 1}, `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 return 2 nil
1 end 1
1 start 2
2 end 2`},
		{"full at the instant a task ends", 1, Traits{Rejects: true}, `
0 submit 1
0 return 1 nil
0 start 1
1 end 1
1 submit 2
1 return 2 full`},
		{"full with its queue", 1, Traits{Queue: 1, Rejects: true}, `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 return 2 nil
0 submit 3
0 return 3 full
1 end 1
1 start 2
2 end 2`},
		{"full at the instant a Resize grew the limit", 1, Traits{Queue: 1, Rejects: true}, `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 return 2 nil
0 resize 1 2
0 resize-return 1
0 submit 3
0 return 3 full
0 start 2
1 end 1
1 end 2`},
		{"accepted before a Resize shrank the limit", 2, Traits{}, `
0 submit 1
0 return 1 nil
0 start 1
0 submit 2
0 resize 1 1
0 return 2 nil
0 start 2
0 resize-return 1
1 end 1
1 end 2`},
	}
	for _, c := range cases {
		if vs := QueueBound.Check(build(t, c.limit, c.traits, c.script)); len(vs) != 0 {
			t.Errorf("%s: Check = %v, want none", c.name, vs)
		}
	}
}
