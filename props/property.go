// Package props holds poolcheck's properties: each is an id, the rule as a sentence, and a
// pure check over a recorded Trace. A new property is a new function, not a new runner.
package props

import "fmt"

// Violation is one place where a trace breaks a property.
type Violation struct {
	Seq int    // the event where the rule broke; -1 when it concerns the whole run
	Msg string // a sentence naming the tasks and calls involved
}

func (v Violation) String() string {
	if v.Seq < 0 {
		return v.Msg
	}
	return fmt.Sprintf("at #%d: %s", v.Seq, v.Msg)
}

// Property is one rule every pool must keep.
type Property struct {
	ID   string // stable: reports, JSON and docs use it verbatim
	Rule string // the rule, as a sentence
	// Excused returns the trait that exempts a pool from this property, or "" when the
	// property applies.
	Excused func(Traits) string
	check   func(v *view) []Violation
	// judge, when set, checks the whole trace instead of check: the properties of resource
	// and retrying pools, whose traces have no task view.
	judge func(tr *Trace) []Violation
	// resourceExcused and retryExcused are Excused for resource and retrying pools' traits.
	resourceExcused func(ResourceTraits) string
	retryExcused    func(RetryTraits) string
}

// ExcusedResource returns the resource trait that exempts a resource pool from p, or "".
func (p Property) ExcusedResource(t ResourceTraits) string {
	if p.resourceExcused == nil {
		return ""
	}
	return p.resourceExcused(t)
}

// ExcusedRetry returns the retry trait that exempts a retrying pool from p, or "".
func (p Property) ExcusedRetry(t RetryTraits) string {
	if p.retryExcused == nil {
		return ""
	}
	return p.retryExcused(t)
}

// Check judges tr and returns every violation found; none means the trace keeps the rule.
// A trace whose run could not start (Trace.Failure) breaks every property.
func (p Property) Check(tr *Trace) []Violation {
	if tr.Failure != "" {
		return []Violation{{Seq: -1, Msg: tr.Failure}}
	}
	if p.judge != nil {
		return p.judge(tr)
	}
	return p.check(newView(tr))
}

func never(Traits) string { return "" }

// All returns the task-pool properties in their documented order (the README's table).
func All() []Property {
	return []Property{MaxConcurrency, ExactlyOnce, Wait, Close, NoLeak, Cancel, Liveness, WorkConserving, SubmitErrors, QueueBound}
}

// Lookup returns the property with id.
func Lookup(id string) (Property, bool) {
	for _, p := range All() {
		if p.ID == id {
			return p, true
		}
	}
	return Property{}, false
}

// IDs returns every property id, in order.
func IDs() []string {
	var ids []string
	for _, p := range All() {
		ids = append(ids, p.ID)
	}
	return ids
}
