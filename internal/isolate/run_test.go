package isolate

import (
	"log"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// childEnv tells a re-executed test binary which behaviour to act out (see TestMain).
const childEnv = "ISOLATE_TEST_CHILD"

func TestMain(m *testing.M) {
	if b := os.Getenv(childEnv); b != "" {
		actOut(b)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// actOut is the child: it sends one message, then behaves as b says.
func actOut(b string) {
	orig := os.Stdout
	s := NewSender(orig)
	os.Stdout = os.Stderr
	s.Send("hello", map[string]int{"n": 1})
	switch b {
	case "ok":
		println("chatter on stderr")
		s.Send("bye", nil)
	case "noise": // what a pool that kept the original stdout prints, without a newline
		orig.WriteString("noise without a newline")
		s.Send("bye", nil)
	case "panic":
		panic("child panics on purpose")
	case "fatal":
		var mu sync.Mutex
		mu.Unlock()
	case "bubbles":
		println("fatal error: sync: WaitGroup.Add called from multiple synctest bubbles")
		os.Exit(2)
	case "hang":
		for { // wedged, but not a deadlock the runtime would report
			time.Sleep(time.Hour)
		}
	case "exit":
		os.Exit(3)
	case "log-fatal":
		log.Fatal("child gives up on purpose")
	}
}

func runChild(t *testing.T, behaviour string, stall time.Duration) (Outcome, []Message) {
	t.Helper()
	var msgs []Message
	oc, err := Run(Spec{Path: os.Args[0], Args: []string{"-test.run=^$"}, Env: []string{childEnv + "=" + behaviour},
		Stall: stall, DumpWait: 5 * time.Second, OnMessage: func(m Message) { msgs = append(msgs, m) }})
	if err != nil {
		t.Fatal(err)
	}
	return oc, msgs
}

func TestRunReadsMessagesAndSeparatesOutput(t *testing.T) {
	oc, msgs := runChild(t, "ok", 0)
	if oc.Crash != nil || oc.Exit != "" {
		t.Fatalf("Run(ok) = crash %+v, exit %q; want a clean exit", oc.Crash, oc.Exit)
	}
	if len(msgs) != 2 || msgs[0].Kind != "hello" || msgs[1].Kind != "bye" {
		t.Fatalf("messages = %+v, want hello then bye", msgs)
	}
	var v map[string]int
	if err := msgs[0].Decode(&v); err != nil || v["n"] != 1 {
		t.Errorf("hello payload = %v, %v; want n=1", v, err)
	}
	if !strings.Contains(oc.Output, "chatter on stderr") {
		t.Errorf("Output = %q, want the child's stderr", oc.Output)
	}
}

// A message still arrives when the child printed to the original standard output without
// a newline just before it; what it printed goes with the rest of its output.
func TestMessagesSurviveNoiseOnStdout(t *testing.T) {
	oc, msgs := runChild(t, "noise", 0)
	if len(msgs) != 2 || msgs[1].Kind != "bye" {
		t.Fatalf("messages = %+v, want hello then bye", msgs)
	}
	if !strings.Contains(oc.Output, "noise without a newline\n") {
		t.Errorf("Output = %q, want the noise on a line of its own", oc.Output)
	}
}

func TestRunClassifiesCrashes(t *testing.T) {
	cases := []struct {
		behaviour string
		kind      CrashKind
		reason    string // a substring of Reason
	}{
		{"panic", Panicked, "panic: child panics on purpose"},
		{"fatal", Fatal, "fatal error: sync: unlock of unlocked mutex"},
		{"bubbles", SharedState, "multiple synctest bubbles"},
		{"exit", Died, "exit status 3"},
		{"log-fatal", Died, "child gives up on purpose"}, // its last words
	}
	for _, c := range cases {
		t.Run(c.behaviour, func(t *testing.T) {
			oc, msgs := runChild(t, c.behaviour, 0)
			if len(msgs) != 1 {
				t.Errorf("messages = %d, want the one sent before the crash", len(msgs))
			}
			if oc.Crash == nil || oc.Crash.Kind != c.kind || !strings.Contains(oc.Crash.Reason, c.reason) {
				t.Fatalf("Crash = %+v, want kind %s with %q", oc.Crash, c.kind, c.reason)
			}
		})
	}
}

func TestRunStopsAWedgedChildWithItsStacks(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the stall bound")
	}
	oc, _ := runChild(t, "hang", 500*time.Millisecond)
	if oc.Crash == nil || oc.Crash.Kind != Hung {
		t.Fatalf("Crash = %+v, want hung", oc.Crash)
	}
	if !strings.Contains(oc.Crash.Detail, "goroutine ") || !strings.Contains(oc.Crash.Detail, "actOut") {
		t.Errorf("Detail has no goroutine dump naming actOut:\n%s", oc.Crash.Detail)
	}
}

func TestRacesAreSplitIntoReports(t *testing.T) {
	out := "x\n==================\nWARNING: DATA RACE\nWrite at 0x1 by goroutine 7:\n  f()\n==================\n" +
		"==================\nWARNING: DATA RACE\nRead at 0x2\n==================\nFound 2 data race(s)\n"
	got := races(out)
	if len(got) != 2 || !strings.Contains(got[0], "Write at 0x1") || !strings.Contains(got[1], "Read at 0x2") {
		t.Fatalf("races = %q, want the two reports", got)
	}
}
