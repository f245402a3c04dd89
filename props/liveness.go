package props

import (
	"fmt"
	"strings"
)

// Liveness: no deadlock: a blocked Submit, Wait or Close always completes once the work
// allows it, also after panicking tasks. A TrySubmit (pools.TrySubmitter) never blocks.
//
// Every schedule's work is finite (gates open, tasks end), so a run that hangs with work
// in limbo (a Submit whose ctx is live still blocked, or an accepted task that never
// ended) breaks this rule. A Wait or Close stuck with nothing left to do is reported by
// wait or close instead; a Submit stuck after its ctx ended, by cancel.
var Liveness = Property{
	ID:      "liveness",
	Rule:    "no deadlock: a blocked Submit, Wait or Close always completes once the work allows it, also after panicking tasks",
	Excused: never,
	check: func(v *view) []Violation {
		var out []Violation
		for _, t := range v.order {
			if t.submitBegin != nil && t.submitBegin.Try && t.submitEnd != nil &&
				!v.prompt(t.submitBegin.At, t.submitEnd.At) {
				out = append(out, Violation{t.submitEnd.Seq, fmt.Sprintf(
					"TrySubmit of task %d blocked for %v", t.id, t.submitEnd.At-t.submitBegin.At)})
			}
		}
		if v.tr.Hang == nil {
			return out
		}
		var stuck []string
		for _, t := range v.limbo() {
			switch {
			case t.submitEnd == nil && t.ctxDone != nil && !v.tr.Traits.IgnoresCtx:
				// cancel's to report
			case t.submitEnd == nil:
				stuck = append(stuck, fmt.Sprintf("Submit of task %d blocked", t.id))
			case len(t.starts) == 0:
				stuck = append(stuck, fmt.Sprintf("accepted task %d never started", t.id))
			default:
				stuck = append(stuck, fmt.Sprintf("task %d never ended", t.id))
			}
		}
		if len(stuck) == 0 {
			return out
		}
		return append(out, Violation{-1, fmt.Sprintf("the run hung at %v (%s) with work pending: %s",
			v.tr.Hang.At, v.tr.Hang.Describe(), strings.Join(stuck, "; "))})
	},
}
