// Package ctapool is the fixture of package interleave's demonstration: two tiny pools
// that admit a task with an atomic counter. CheckThenAct checks the counter and then
// raises it, with no blocking point in between; CAS, its correct twin, raises it with a
// CompareAndSwap loop. Its instrumented copy is package ctapoolcopy.
package ctapool

import (
	"sync"
	"sync/atomic"
)

// CheckThenAct runs at most limit tasks at once, it says. TrySubmit loads the count of
// running tasks and, if it is below the limit, adds one: two submitters that both load
// before either adds both start a task. Nothing blocks between the load and the add, so
// only a switch of goroutines exactly there exposes the bug.
type CheckThenAct struct {
	limit   int64
	running atomic.Int64
	wg      sync.WaitGroup
}

// NewCheckThenAct returns a pool of limit slots.
func NewCheckThenAct(limit int) *CheckThenAct { return &CheckThenAct{limit: int64(limit)} }

// TrySubmit starts task in a new goroutine if a slot is free, and reports whether it did.
// It never blocks.
func (p *CheckThenAct) TrySubmit(task func()) bool {
	if p.running.Load() >= p.limit { // BUG: the check...
		return false
	}
	p.running.Add(1) // ...and the act are two steps
	p.wg.Add(1)
	go p.run(task)
	return true
}

func (p *CheckThenAct) run(task func()) {
	defer p.wg.Done()
	defer p.running.Add(-1)
	task()
}

// Wait blocks until every started task has finished.
func (p *CheckThenAct) Wait() { p.wg.Wait() }

// CAS is CheckThenAct with the race fixed: the slot is taken by one CompareAndSwap.
type CAS struct {
	limit   int64
	running atomic.Int64
	wg      sync.WaitGroup
}

// NewCAS returns a pool of limit slots.
func NewCAS(limit int) *CAS { return &CAS{limit: int64(limit)} }

// TrySubmit starts task in a new goroutine if a slot is free, and reports whether it did.
// It never blocks.
func (p *CAS) TrySubmit(task func()) bool {
	for {
		n := p.running.Load()
		if n >= p.limit {
			return false
		}
		if p.running.CompareAndSwap(n, n+1) {
			break
		}
	}
	p.wg.Add(1)
	go p.run(task)
	return true
}

func (p *CAS) run(task func()) {
	defer p.wg.Done()
	defer p.running.Add(-1)
	task()
}

// Wait blocks until every started task has finished.
func (p *CAS) Wait() { p.wg.Wait() }
