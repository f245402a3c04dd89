package isolate

import (
	"strings"
)

// CrashKind says how a child ended badly.
type CrashKind string

// Kinds of crashes.
const (
	Panicked    CrashKind = "panic"        // a panic nobody recovered
	Fatal       CrashKind = "fatal"        // a fatal error of the runtime
	SharedState CrashKind = "shared-state" // state shared across synctest bubbles (a fatal error)
	Hung        CrashKind = "hung"         // no progress for Spec.Stall: stopped by the parent
	Died        CrashKind = "died"         // any other end: a signal, an os.Exit, no message
)

// Crash is a child that did not end well, in plain words.
type Crash struct {
	Kind   CrashKind
	Reason string // one line: what happened
	Detail string // the lines that show it: the panic and its goroutine, or the dump
}

// classify reads a crashed child's output.
func classify(output, exit string) *Crash {
	lines := strings.Split(output, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "fatal error:"):
			c := &Crash{Kind: Fatal, Reason: l, Detail: block(lines, i)}
			if strings.Contains(l, "bubble") || strings.Contains(l, "synctest") {
				c.Kind = SharedState
			}
			return c
		case strings.HasPrefix(l, "panic:") && !strings.Contains(l, "[recovered]"):
			return &Crash{Kind: Panicked, Reason: l, Detail: block(lines, i)}
		}
	}
	reason := "the process ended (" + exit + ") without finishing its work"
	if exit == "" {
		reason = "the process ended without finishing its work"
	}
	if last := lastWords(lines); last != "" {
		reason += "; its last words: " + last // a log.Fatal, say
	}
	return &Crash{Kind: Died, Reason: reason, Detail: lastLines(lines, 40)}
}

// crashed reports whether output shows a panic or a fatal error.
func crashed(output string) bool {
	for _, l := range strings.Split(output, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") && !strings.Contains(l, "[recovered]") {
			return true
		}
	}
	return false
}

// block returns the lines from i on, up to the end of the first goroutine's stack after it
// (the one that panicked), at most 60 lines.
func block(lines []string, i int) string {
	end := min(len(lines), i+60)
	seenGoroutine := false
	for j := i + 1; j < end; j++ {
		if strings.HasPrefix(lines[j], "goroutine ") {
			if seenGoroutine {
				end = j
				break
			}
			seenGoroutine = true
		}
	}
	return strings.TrimRight(strings.Join(lines[i:end], "\n"), "\n")
}

// lastWords returns the last line of lines that is not blank, or "".
func lastWords(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return ""
}

func lastLines(lines []string, n int) string {
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// raceMarker is the line the race detector puts around each report.
const raceMarker = "=================="

// races returns the race detector's reports in output, at most 5.
func races(output string) []string {
	var out []string
	for {
		i := strings.Index(output, "WARNING: DATA RACE")
		if i < 0 || len(out) == 5 {
			return out
		}
		rest := output[i:]
		end := strings.Index(rest, raceMarker)
		if end < 0 {
			end = len(rest)
		}
		out = append(out, strings.TrimSpace(rest[:end]))
		output = rest[end:]
	}
}
