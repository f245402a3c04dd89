package core

import (
	"runtime"
	"strconv"
	"strings"
)

// goroutine is one entry of a runtime.Stack(all) dump.
type goroutine struct {
	id     int
	header string // "goroutine 7 [chan receive, synctest bubble 1]:"
	stack  string // the whole entry, header included
}

// goroutines returns every user goroutine's stack. Each runtime.Stack(all) stops the world
// and formats every stack, so the buffer starts at a size that usually fits (a process
// that explored hung runs holds thousands of parked goroutines) rather than doubling from
// small.
func goroutines() []goroutine {
	buf := make([]byte, max(1<<16, 4<<10*runtime.NumGoroutine()))
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []goroutine
	for _, entry := range strings.Split(string(buf), "\n\n") {
		header, _, _ := strings.Cut(entry, "\n")
		f := strings.Fields(header)
		if len(f) < 2 || f[0] != "goroutine" {
			continue
		}
		id, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		out = append(out, goroutine{id: id, header: header, stack: strings.TrimSpace(entry)})
	}
	return out
}

// self returns the calling goroutine's id and header.
func self() goroutine {
	buf := make([]byte, 256)
	buf = buf[:runtime.Stack(buf, false)]
	header, _, _ := strings.Cut(string(buf), "\n")
	f := strings.Fields(header)
	id := 0
	if len(f) > 1 {
		id, _ = strconv.Atoi(f[1])
	}
	return goroutine{id: id, header: header}
}

// bubbleOf returns the "synctest bubble N" tag of a goroutine header, or "".
func bubbleOf(header string) string {
	i := strings.Index(header, "synctest bubble ")
	if i < 0 {
		return ""
	}
	tag := header[i:]
	if j := strings.IndexAny(tag, ",]"); j >= 0 {
		tag = tag[:j]
	}
	return tag
}

// harnessOwned reports whether a goroutine is running the harness's own code.
func harnessOwned(g goroutine) bool {
	return strings.Contains(g.header, "[synctest.Run") ||
		strings.Contains(g.stack, "testing/synctest.testingSynctestTest") ||
		strings.Contains(g.stack, "github.com/poolcheck/poolcheck/internal/core.(*run)") ||
		strings.Contains(g.stack, "github.com/poolcheck/poolcheck/internal/core.RunVirtual") ||
		strings.Contains(g.stack, "github.com/poolcheck/poolcheck/interleave.(*Run).control")
}

func joinStacks(gs []goroutine) string {
	var b strings.Builder
	for i, g := range gs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(g.stack)
	}
	return b.String()
}
