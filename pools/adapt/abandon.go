package adapt

import (
	"context"
	"sync/atomic"
)

// States of a task submitted with Library.AbandonOnCancel.
const (
	undecided int32 = iota // neither accepted nor abandoned yet
	taken                  // the library accepted it or started it: it runs
	abandoned              // its Submit returned ctx.Err(): it never runs
)

// submitAbandoning calls the library's Submit from a goroutine of its own and returns when
// the library accepts or refuses the task, or when ctx ends, whichever comes first. leave
// is called by that goroutine once the library's Submit has returned.
//
// Whoever decides first wins, by compare-and-swap on the task's state: the library (its
// Submit returned nil, or it started the task) or the submitter (ctx ended). A task the
// submitter abandoned is replaced by a no-op when the library runs it, and never counted.
func (p *pool) submitAbandoning(ctx context.Context, task func(), leave func()) error {
	var state atomic.Int32
	run := func() {
		if state.CompareAndSwap(undecided, taken) || state.Load() == taken {
			task()
		}
	}
	var j *Job
	if p.tasks != nil {
		j = p.tasks.Job(run)
		run = j.Run
	}
	res := make(chan error, 1)
	go func() {
		defer leave()
		res <- p.lib.Submit(ctx, run)
	}()
	accept := func() {
		if j != nil {
			j.Accept()
		}
	}
	select {
	case err := <-res:
		if err != nil {
			return err // refused: the library never runs it
		}
		state.CompareAndSwap(undecided, taken)
		accept()
		return nil
	case <-ctx.Done():
		if state.CompareAndSwap(undecided, abandoned) {
			return ctx.Err()
		}
		// The library started the task before ctx ended: it was accepted, whatever its
		// Submit returns, and this Submit returns when the library's does.
		<-res
		accept()
		return nil
	}
}
