package props

import (
	"fmt"
	"strings"
)

// NoLeak: after Close returns, no goroutine started by the pool remains.
//
// The harness looks once the final Close has returned, every task has ended and every
// goroutine that was merely exiting has exited (in a synctest bubble: synctest.Wait; in
// real time: retries), so a goroutine found then stays.
var NoLeak = Property{
	ID:      "no-leak",
	Rule:    "after Close returns, no goroutine started by the pool remains",
	Excused: never,
	check:   func(v *view) []Violation { return leaked(v.tr) },
}

// ResourceNoLeak is NoLeak for resource pools: the harness looks once the final Close has
// returned, every holder has let go of its resource, every Create the pool began has
// returned and the contexts of the run have ended.
var ResourceNoLeak = Property{
	ID:              "resource-no-leak",
	Rule:            "after Close returns and every holder has let go, no goroutine started by the pool remains",
	Excused:         never,
	resourceExcused: neverResource,
	judge:           leaked,
}

// RetryNoLeak is NoLeak for retrying pools: the harness looks once the final Close has
// returned, every Do has returned, every attempt the pool began has returned (an abandoned,
// timed-out one included) and the contexts of the run have ended.
var RetryNoLeak = Property{
	ID:           "retry-no-leak",
	Rule:         "after Close returns and every call and attempt has returned, no goroutine started by the pool remains",
	Excused:      never,
	retryExcused: neverRetry,
	judge:        leaked,
}

// leaked is the one rule of the three: the goroutines the harness found left behind
// (Trace.Leaked) break it.
func leaked(tr *Trace) []Violation {
	if len(tr.Leaked) == 0 {
		return nil
	}
	first, _, _ := strings.Cut(tr.Leaked[0], "\n")
	return []Violation{{-1, fmt.Sprintf("%d goroutine(s) remained after Close returned; first: %s",
		len(tr.Leaked), first)}}
}
