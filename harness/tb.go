package harness

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// recordingTB is the rapid.TB the harness explores with: it records what rapid reports
// instead of failing a test, so Check can write its own report and Explore can return one.
type recordingTB struct {
	name   string
	mu     sync.Mutex
	failed bool
	lines  []string
}

func (r *recordingTB) Helper()      {}
func (r *recordingTB) Name() string { return r.name }
func (r *recordingTB) log(fail bool, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = r.failed || fail
	r.lines = append(r.lines, s)
}
func (r *recordingTB) Logf(format string, args ...any)   { r.log(false, fmt.Sprintf(format, args...)) }
func (r *recordingTB) Log(args ...any)                   { r.log(false, fmt.Sprint(args...)) }
func (r *recordingTB) Errorf(format string, args ...any) { r.log(true, fmt.Sprintf(format, args...)) }
func (r *recordingTB) Error(args ...any)                 { r.log(true, fmt.Sprint(args...)) }
func (r *recordingTB) Fatalf(format string, args ...any) { r.log(true, fmt.Sprintf(format, args...)) }
func (r *recordingTB) Fatal(args ...any)                 { r.log(true, fmt.Sprint(args...)) }
func (r *recordingTB) Fail()                             { r.log(true, "failed") }
func (r *recordingTB) FailNow()                          { r.Fail() }
func (r *recordingTB) Skipf(format string, args ...any)  { r.Logf(format, args...) }
func (r *recordingTB) Skip(args ...any)                  { r.Log(args...) }
func (r *recordingTB) SkipNow()                          {}
func (r *recordingTB) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

func (r *recordingTB) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

func (r *recordingTB) firstLine() string {
	first, _, _ := strings.Cut(r.text(), "\n")
	return first
}

var seedRE = regexp.MustCompile(`-rapid\.seed=(\d+)`)

// seed returns the seed rapid printed for replaying the failure, or 0.
func (r *recordingTB) seed() uint64 {
	m := seedRE.FindStringSubmatch(r.text())
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseUint(m[1], 10, 64)
	return n
}

// flaky reports whether rapid found a failure it could not reproduce (and so did not shrink).
func (r *recordingTB) flaky() bool {
	return r.Failed() && strings.Contains(r.text(), "flaky test")
}
