package adapt

import (
	"context"
	"errors"
	"fmt"

	"github.com/poolcheck/poolcheck/pools"
)

// Library is what the kit needs from a pool library: its submit function and whichever of
// the optional functions it has. Map the library's errors to the contract's in the
// functions you give (its "closed" error to pools.ErrClosed, its "full" error to
// pools.ErrFull).
type Library struct {
	// Submit hands task to the library and returns nil once the library has accepted it
	// (it will run it exactly once), or an error if the library refused it (it will never
	// run it). It may block. It is required.
	Submit func(ctx context.Context, task func()) error

	// TrySubmit, if set, hands task to the library only if it can accept it at once, and
	// reports whether it did. It must never block. The pool is then a pools.TrySubmitter.
	TrySubmit func(task func()) bool

	// Wait, if set, is the library's own Wait: it blocks until every task it accepted has
	// finished. If nil, the kit counts tasks itself (a Tracker), and its Wait allows
	// Submit during Wait. Set it only if the library's Wait allows that too, or declare the
	// trait harness.Traits.NoSubmitDuringWait.
	Wait func()

	// Close, if set, is the library's own close: the library has a closed state of its own.
	// Close must make the library refuse later submits, wake the submits blocked in it, and
	// return once every task it accepted has finished and its goroutines have exited. The
	// kit calls it once, at once (it does not wait for Submits in progress: the library
	// must wake them), and every pools.Pool Close returns only after it has returned.
	// Close and Stop are exclusive.
	Close func()

	// Stop, if set, releases the library's goroutines. It is used when the kit gives the
	// library its closed state (Close is nil): the pool's Close first refuses new Submits,
	// waits for the Submits in progress and for every accepted task, then calls Stop once.
	Stop func()

	// Resize, if set, changes the library's limit to n; the kit rejects n < 1 with an error
	// wrapping pools.ErrLimit before calling it. The pool is then a pools.Resizer.
	Resize func(n int) error

	// AbandonOnCancel makes Submit return ctx.Err() promptly when ctx ends while the
	// library's Submit is still blocked, although the library never looks at ctx. The kit
	// then calls the library's Submit from a goroutine of its own. If ctx ends first,
	// Submit returns ctx.Err() and the task never runs: when the library accepts it later,
	// it runs a no-op in its place, which takes a slot (or a queue place) for an instant.
	// What is not possible: to take the submission back from the library, so the goroutine
	// stays blocked in the library's Submit until the library accepts or refuses it; the
	// pool's Close waits for it (when the kit owns the closed state) or relies on the
	// library's Close to wake it. Off, the library's Submit is called directly and a
	// Submit blocked in it ends only when the library lets it (declare
	// harness.Traits.IgnoresCtx if the library ignores ctx).
	AbandonOnCancel bool
}

// New returns a pools.Pool over lib that keeps the contract where the library does not:
//
//   - Submit returns pools.ErrNilTask for a nil task, pools.ErrClosed once Close has
//     begun (the library is not called), ctx.Err() if ctx is already done (the library is
//     not called), or else what lib.Submit returns. It blocks as long as lib.Submit does
//     (see Library.AbandonOnCancel).
//   - Wait blocks until every task the library accepted before Wait began has finished,
//     counting each from the moment lib.Submit (or lib.TrySubmit) accepted it; Submit
//     during Wait is allowed. With lib.Wait set, Wait is lib.Wait.
//   - Close is safe to call twice and concurrently: every call blocks until the first has
//     finished. With the kit's closed state (lib.Close nil) it refuses new Submits, waits
//     for the Submits in progress (a blocked one gets in as tasks drain), then for every
//     accepted task, then calls lib.Stop. With lib.Close set, it calls lib.Close.
//   - A task that panics or calls runtime.Goexit is still counted finished; what happens to
//     the panic, and to the library's worker, is the library's business.
//
// The result is also a pools.TrySubmitter when lib.TrySubmit is set, and a pools.Resizer
// when lib.Resize is set, and nothing more. New returns an error when lib.Submit is nil or
// both lib.Close and lib.Stop are set.
func New(lib Library) (pools.Pool, error) {
	switch {
	case lib.Submit == nil:
		return nil, errors.New("adapt: Library.Submit is nil")
	case lib.Close != nil && lib.Stop != nil:
		return nil, errors.New("adapt: Library.Close and Library.Stop are both set; set Close if the library has a closed state, else Stop")
	}
	p := &pool{lib: lib}
	if lib.Wait == nil {
		p.tasks = new(Tracker)
	}
	switch {
	case lib.TrySubmit != nil && lib.Resize != nil:
		return tryResizePool{p}, nil
	case lib.TrySubmit != nil:
		return tryPool{p}, nil
	case lib.Resize != nil:
		return resizePool{p}, nil
	}
	return p, nil
}

// pool is the kit's pools.Pool; the wrappers below add the optional interfaces.
type pool struct {
	lib   Library
	tasks *Tracker // nil when lib.Wait is set
	gate  Gate
}

type tryPool struct{ *pool }
type resizePool struct{ *pool }
type tryResizePool struct{ *pool }

var (
	_ pools.Pool         = (*pool)(nil)
	_ pools.TrySubmitter = tryPool{}
	_ pools.Resizer      = resizePool{}
	_ pools.TrySubmitter = tryResizePool{}
	_ pools.Resizer      = tryResizePool{}
)

func (p tryPool) TrySubmit(task func()) bool       { return p.trySubmit(task) }
func (p resizePool) Resize(n int) error            { return p.resize(n) }
func (p tryResizePool) TrySubmit(task func()) bool { return p.trySubmit(task) }
func (p tryResizePool) Resize(n int) error         { return p.resize(n) }

// enter admits a call into the library unless Close has begun. With the kit's closed state
// the call is counted until leave, and Close waits for it; with the library's own, Close
// does not wait, and leave does nothing.
func (p *pool) enter() (ok bool, leave func()) {
	if p.lib.Close != nil {
		return !p.gate.Closed(), func() {}
	}
	if !p.gate.Enter() {
		return false, nil
	}
	return true, p.gate.Leave
}

// Submit hands task to the library; see New for what it returns and when it blocks.
func (p *pool) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return pools.ErrNilTask
	}
	ok, leave := p.enter()
	if !ok {
		return pools.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		leave()
		return err
	}
	if p.lib.AbandonOnCancel && ctx.Done() != nil {
		return p.submitAbandoning(ctx, task, leave)
	}
	defer leave()
	if p.tasks == nil {
		return p.lib.Submit(ctx, task)
	}
	j := p.tasks.Job(task)
	if err := p.lib.Submit(ctx, j.Run); err != nil {
		return err
	}
	j.Accept()
	return nil
}

func (p *pool) trySubmit(task func()) bool {
	if task == nil {
		return false
	}
	ok, leave := p.enter()
	if !ok {
		return false
	}
	defer leave()
	if p.tasks == nil {
		return p.lib.TrySubmit(task)
	}
	j := p.tasks.Job(task)
	if !p.lib.TrySubmit(j.Run) {
		return false
	}
	j.Accept()
	return true
}

func (p *pool) resize(n int) error {
	if n < 1 {
		return fmt.Errorf("%w: resize to %d, want >= 1", pools.ErrLimit, n)
	}
	return p.lib.Resize(n)
}

// Wait blocks until every accepted task has finished; see New.
func (p *pool) Wait() {
	if p.tasks == nil {
		p.lib.Wait()
		return
	}
	p.tasks.Wait()
}

// Close stops the pool; see New. Every call blocks until the first has finished.
func (p *pool) Close() {
	if p.lib.Close != nil {
		p.gate.Close(p.lib.Close)
		return
	}
	p.gate.Close(func() {
		p.Wait()
		if p.lib.Stop != nil {
			p.lib.Stop()
		}
	})
}
