package props

import "fmt"

// OneOutcome: a success ends the retries, and each call's one result says how it went: Do
// returns nil only if an attempt succeeded, an error if every attempt failed, and no attempt
// begins after an attempt succeeded or after Do returned.
//
// An attempt that returned nil at or after its deadline may be taken either way; one that
// returned nil before it must be taken as the call's success, unless the call's ctx had
// ended and the pool declares RetryTraits.CtxErrWins.
var OneOutcome = Property{
	ID:           "one-outcome",
	Rule:         "a success ends the retries; Do returns nil only after a success and an error only after none; no attempt begins after Do returned",
	Excused:      never,
	retryExcused: neverRetry,
	judge: func(tr *Trace) []Violation {
		v := newRetryView(tr)
		var out []Violation
		for _, c := range v.order {
			var won *attempt
			anyNil := false
			for _, a := range c.attempts {
				if won != nil {
					out = append(out, Violation{a.start.Seq, fmt.Sprintf(
						"call %d began attempt %d after attempt %d had succeeded", c.id, a.n, won.n)})
					break
				}
				if c.end != nil && a.start.Seq > c.end.Seq {
					out = append(out, Violation{a.start.Seq, fmt.Sprintf(
						"call %d began attempt %d after Do had returned %v", c.id, a.n, c.end.Outcome)})
					break
				}
				if a.succeeded(tr.Retry) {
					won = a
				}
				anyNil = anyNil || a.end != nil && a.end.Outcome == Accepted
			}
			if c.end == nil {
				continue
			}
			switch o := c.end.Outcome; {
			case o == Accepted && !anyNil:
				out = append(out, Violation{c.end.Seq, fmt.Sprintf(
					"Do of call %d returned nil, but no attempt succeeded", c.id)})
			case o.IsCtx() && c.ctxDone != nil && tr.RetryTraits.CtxErrWins:
			case o != Accepted && won != nil && won.end.Seq < c.end.Seq:
				out = append(out, Violation{c.end.Seq, fmt.Sprintf(
					"Do of call %d returned %v, but attempt %d had succeeded", c.id, o, won.n)})
			}
		}
		return out
	},
}
