package props

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildRetry makes a retrying pool's trace from a script, one event a line:
// "<ms> <what> <call> [<attempt or outcome>]": do c, done c outcome, ctx c, attempt c n,
// ok c n, fail c n, timedout c n (the attempt returned its ctx's error), actx c n (the
// attempt's ctx ended), close c, closed c; "hang" and "leak" mark the run as hung or
// leaking.
func buildRetry(t *testing.T, limit int, p RetryPolicy, traits RetryTraits, script string) *Trace {
	t.Helper()
	tr := &Trace{Pool: "test", Limit: limit, Retry: p, RetryTraits: traits}
	kinds := map[string]Kind{"do": DoBegin, "done": DoEnd, "ctx": DoCtxDone, "attempt": AttemptStart,
		"ok": AttemptEnd, "fail": AttemptEnd, "timedout": AttemptEnd, "actx": AttemptCtxDone,
		"close": CloseBegin, "closed": CloseEnd}
	outcomes := map[string]Outcome{"nil": Accepted, "other": OtherErr, "canceled": Canceled, "closed": Closed}
	for _, line := range strings.Split(strings.TrimSpace(script), "\n") {
		f := strings.Fields(line)
		switch f[0] {
		case "hang":
			tr.Hang = &Hang{Why: HangDeadlock, At: tr.Events[len(tr.Events)-1].At}
			continue
		case "leak":
			tr.Leaked = []string{"goroutine 9 [chan receive (nil chan)]:\nwatch()"}
			continue
		}
		ms, err := strconv.ParseFloat(f[0], 64)
		k, ok := kinds[f[1]]
		if err != nil || !ok || len(f) < 3 {
			t.Fatalf("bad line %q", line)
		}
		c, _ := strconv.Atoi(f[2])
		e := Event{Seq: len(tr.Events), At: time.Duration(ms * float64(time.Millisecond)), Kind: k, Actor: 1, Task: c}
		switch f[1] {
		case "done":
			e.Outcome = outcomes[f[3]]
		case "attempt", "ok", "fail", "timedout", "actx":
			e.Attempt, _ = strconv.Atoi(f[3])
		case "close", "closed":
			e.Task, e.Call = 0, c
		}
		switch f[1] {
		case "fail":
			e.Outcome = OtherErr
		case "timedout":
			e.Outcome = Deadline
		}
		tr.Events = append(tr.Events, e)
	}
	return tr
}

var policy = RetryPolicy{Retries: 2, Timeout: 3 * time.Millisecond, Delay: 1 * time.Millisecond}

// A retrying pool that keeps every property: limit 1, call 1 fails, times out, then
// succeeds after backoffs of 1ms and 2ms; call 2 waits for the slot and is cancelled in
// its backoff; Close; a call after it.
const goodRetry = `
0 do 1
0 attempt 1 1
0 do 2
1 fail 1 1
1 actx 1 1
1 attempt 2 1
1.5 fail 2 1
1.5 actx 2 1
2 attempt 1 2
2 ctx 2
2 done 2 canceled
5 actx 1 2
5 timedout 1 2
7 attempt 1 3
8 ok 1 3
8 actx 1 3
8 done 1 nil
9 close 1
9 closed 1
10 do 3
10 done 3 closed`

func TestGoodRetryTraceKeepsEveryProperty(t *testing.T) {
	tr := buildRetry(t, 1, policy, RetryTraits{}, goodRetry)
	for _, p := range RetryProperties() {
		if vs := p.Check(tr); len(vs) != 0 {
			t.Errorf("%s: Check(good) = %v, want no violations", p.ID, vs)
		}
	}
}

var brokenRetry = []struct {
	prop   string
	limit  int
	traits RetryTraits
	script string
	also   []string
}{
	{"attempts-bounded", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 fail 1 1
1 attempt 1 2
1 fail 1 2
3 attempt 1 3
3 fail 1 3
7 attempt 1 4
7 fail 1 4
7 done 1 other`, nil},
	{"attempt-timeout", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
5 ok 1 1
5 done 1 nil`, nil},
	{"retry-no-leak", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 ok 1 1
0 done 1 nil
1 close 1
1 closed 1
leak`, nil},
	{"backoff", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 fail 1 1
0.5 attempt 1 2
0.5 ok 1 2
0.5 done 1 nil`, nil},
	{"backoff", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 fail 1 1
4 attempt 1 2
4 ok 1 2
4 done 1 nil`, nil},
	{"attempt-concurrency", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 do 2
0 attempt 2 1
1 ok 1 1
1 done 1 nil
1 ok 2 1
1 done 2 nil`, nil},
	{"one-outcome", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 ok 1 1
1 attempt 1 2
1 ok 1 2
1 done 1 nil`, nil},
	{"one-outcome", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 fail 1 1
0 done 1 nil`, nil},
	{"one-outcome", 1, RetryTraits{CtxErrWins: true}, `
0 do 1
0 attempt 1 1
1 ok 1 1
1 done 1 other`, nil},
	{"retry-cancel", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 fail 1 1
0.5 ctx 1
1 done 1 canceled`, nil},
	{"retry-cancel", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 fail 1 1
0.5 ctx 1
1 attempt 1 2
1 fail 1 2
1 done 1 canceled`, nil},
	{"retry-liveness", 1, RetryTraits{}, `
0 do 1
0 attempt 1 1
0 ok 1 1
hang`, nil},
}

func TestBrokenRetryTracesBreakTheirProperty(t *testing.T) {
	for i, c := range brokenRetry {
		tr := buildRetry(t, c.limit, policy, c.traits, c.script)
		for _, p := range RetryProperties() {
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

// CtxErrWins accepts a ctx error over a success once the ctx ended, and nothing else.
func TestCtxErrWins(t *testing.T) {
	script := `
0 do 1
0 attempt 1 1
0.5 ctx 1
1 ok 1 1
1 done 1 canceled`
	if vs := OneOutcome.Check(buildRetry(t, 1, policy, RetryTraits{CtxErrWins: true}, script)); len(vs) > 0 {
		t.Errorf("with CtxErrWins: %v", vs)
	}
	if vs := OneOutcome.Check(buildRetry(t, 1, policy, RetryTraits{}, script)); len(vs) == 0 {
		t.Error("without CtxErrWins: no violation")
	}
}

func TestBackoffDoublesUpToMaxDelay(t *testing.T) {
	p := RetryPolicy{Delay: time.Millisecond, MaxDelay: 3 * time.Millisecond}
	var got []time.Duration
	for n := 1; n <= 4; n++ {
		got = append(got, p.Backoff(n))
	}
	want := []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond, 3 * time.Millisecond}
	if !slices.Equal(got, want) {
		t.Errorf("Backoff(1..4) = %v, want %v", got, want)
	}
}
