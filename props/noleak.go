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
	check: func(v *view) []Violation {
		if len(v.tr.Leaked) == 0 {
			return nil
		}
		first, _, _ := strings.Cut(v.tr.Leaked[0], "\n")
		return []Violation{{-1, fmt.Sprintf("%d goroutine(s) remained after Close returned; first: %s",
			len(v.tr.Leaked), first)}}
	},
}
