package props

import "time"

// attempt is what a retrying pool's trace says about one attempt of a call.
type attempt struct {
	n          int
	start, end *Event
	ctxDone    *Event
}

// deadline is when the attempt's timeout ends, or -1 without one.
func (a *attempt) deadline(p RetryPolicy) time.Duration {
	if p.Timeout <= 0 {
		return -1
	}
	return a.start.At + p.Timeout
}

// succeeded reports whether the attempt returned nil before its deadline: a success no
// pool may disregard. One that returned nil at the deadline's very instant raced the
// timeout, which may win.
func (a *attempt) succeeded(p RetryPolicy) bool {
	if a.end == nil || a.end.Outcome != Accepted {
		return false
	}
	return p.Timeout <= 0 || a.end.At < a.deadline(p)
}

// rcall is one Do call and its attempts, in the order they started.
type rcall struct {
	id         int
	begin, end *Event
	ctxDone    *Event
	attempts   []*attempt
}

// retryView indexes a retrying pool's trace by call.
type retryView struct {
	tr     *Trace
	calls  map[int]*rcall
	order  []*rcall
	closes []*call
}

func newRetryView(tr *Trace) *retryView {
	v := &retryView{tr: tr, calls: map[int]*rcall{}}
	closes := map[int]*call{}
	get := func(id int) *rcall {
		c := v.calls[id]
		if c == nil {
			c = &rcall{id: id}
			v.calls[id] = c
			v.order = append(v.order, c)
		}
		return c
	}
	att := func(c *rcall, n int) *attempt {
		for _, a := range c.attempts {
			if a.n == n {
				return a
			}
		}
		return nil
	}
	for i := range tr.Events {
		e := &tr.Events[i]
		switch e.Kind {
		case DoBegin:
			get(e.Task).begin = e
		case DoEnd:
			get(e.Task).end = e
		case DoCtxDone:
			if c := get(e.Task); c.ctxDone == nil {
				c.ctxDone = e
			}
		case AttemptStart:
			c := get(e.Task)
			c.attempts = append(c.attempts, &attempt{n: e.Attempt, start: e})
		case AttemptEnd:
			if a := att(get(e.Task), e.Attempt); a != nil {
				a.end = e
			}
		case AttemptCtxDone:
			if a := att(get(e.Task), e.Attempt); a != nil && a.ctxDone == nil {
				a.ctxDone = e
			}
		case CloseBegin:
			c := &call{begin: e}
			closes[e.Call] = c
			v.closes = append(v.closes, c)
		case CloseEnd:
			if c := closes[e.Call]; c != nil {
				c.end = e
			}
		}
	}
	return v
}

// lastAt is the latest time the trace saw: its last event, or when it hung.
func (v *retryView) lastAt() time.Duration {
	var at time.Duration
	if n := len(v.tr.Events); n > 0 {
		at = v.tr.Events[n-1].At
	}
	if v.tr.Hang != nil {
		at = max(at, v.tr.Hang.At)
	}
	return at
}

// running returns, after each event, how many attempts were running (started, not
// returned).
func (v *retryView) running() []int {
	out := make([]int, len(v.tr.Events))
	n := 0
	for i, e := range v.tr.Events {
		switch e.Kind {
		case AttemptStart:
			n++
		case AttemptEnd:
			n--
		}
		out[i] = n
	}
	return out
}
