package props

import (
	"fmt"
	"strings"
)

// ResourceLiveness: no deadlock: a blocked Acquire, Release, Discard or Close always
// completes once resources allow it.
//
// Every schedule's holds are finite and every holder releases what it got, so a run that
// hangs with such a call in progress breaks this rule. An Acquire stuck after its ctx
// ended is acquire-cancel's to report.
var ResourceLiveness = Property{
	ID:              "resource-liveness",
	Rule:            "no deadlock: a blocked Acquire, Release or Close always completes once resources allow it",
	Excused:         never,
	resourceExcused: neverResource,
	judge: func(tr *Trace) []Violation {
		if tr.Hang == nil {
			return nil
		}
		v := newRView(tr)
		var stuck []string
		for _, h := range v.order {
			switch {
			case h.begin != nil && h.end == nil && (h.ctxDone == nil || tr.Resource.IgnoresCtx):
				stuck = append(stuck, fmt.Sprintf("Acquire of holder %d blocked", h.id))
			case h.release != nil && h.released == nil:
				call := "Release"
				if h.release.Kind == DiscardBegin {
					call = "Discard"
				}
				stuck = append(stuck, fmt.Sprintf("%s of resource %d by holder %d blocked", call, h.release.Res, h.id))
			}
		}
		for _, c := range v.closes {
			if c.end == nil {
				stuck = append(stuck, fmt.Sprintf("Close (call %d) blocked", c.begin.Call))
			}
		}
		if len(stuck) == 0 {
			return nil
		}
		return []Violation{{-1, fmt.Sprintf("the run hung at %v (%s) with calls pending: %s",
			tr.Hang.At, tr.Hang.Describe(), strings.Join(stuck, "; "))}}
	},
}
