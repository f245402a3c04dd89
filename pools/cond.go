package pools

import (
	"context"
	"sync"
)

// Cond is a pool guarded by a sync.Mutex whose blocked submitters wait on a sync.Cond, and
// that starts a goroutine per task. It is the textbook monitor, done right: every waiter
// rechecks its condition in a for loop, because a wakeup is only a hint (another Submit may
// have taken the slot first, or the wakeup was a Broadcast meant for someone else).
//
// Submit blocks while limit tasks run. Blocked submitters are served in no promised order,
// and a new Submit may take a freed slot before a woken waiter does. A task that panics is
// recovered and frees its slot; the panic value is dropped (submit through Go or Run to
// receive it). A task that calls runtime.Goexit frees its slot too.
//
// Wakeups: a finishing task frees one slot, so it Signals one waiter; a waiter that wakes and
// leaves without taking a free slot (its ctx ended, or the pool closed) passes that Signal
// on, so no wakeup is lost. Resize and Close Broadcast, since any number of waiters may
// proceed. A sync.Cond cannot select on ctx.Done(), so a blocked Submit registers
// context.AfterFunc to Broadcast when its ctx ends; the other waiters recheck and sleep again.
//
// A task's completion happens before the Wait or Close that waits for it returns. Use
// NewCond; the zero value is not usable.
type Cond struct {
	mu      sync.Mutex
	room    sync.Cond // L is &mu; see the type's doc for who Signals and who Broadcasts
	limit   int
	running int
	closed  bool
	track   tracker
}

var (
	_ Pool    = (*Cond)(nil)
	_ Resizer = (*Cond)(nil)
)

// NewCond returns a Cond pool that runs at most limit tasks at once. The error wraps
// ErrLimit if limit < 1.
func NewCond(limit int) (*Cond, error) {
	if err := checkLimit(limit); err != nil {
		return nil, err
	}
	p := &Cond{limit: limit}
	p.room.L = &p.mu
	return p, nil
}

// Submit runs task on a new goroutine once a slot is free, blocking until then. It returns
// ctx.Err() if ctx is done before the task is accepted (even if a slot is free), ErrClosed
// once Close has begun, and ErrNilTask for a nil task. Submit returning nil happens before
// the task starts.
func (p *Cond) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return ErrNilTask
	}
	var (
		err    error
		waited bool
		stop   func() bool
	)
	p.mu.Lock()
	for {
		if p.closed {
			err = ErrClosed
			break
		}
		if err = ctx.Err(); err != nil {
			break
		}
		if p.running < p.limit {
			break
		}
		if stop == nil && ctx.Done() != nil {
			// wakeAll takes mu, so its Broadcast cannot fall between our ctx check above
			// and Wait below: Wait releases mu only once we are queued on room.
			stop = context.AfterFunc(ctx, p.wakeAll)
		}
		waited = true
		p.room.Wait()
	}
	var e *epoch
	if err == nil {
		p.running++
		e = p.track.add()
	} else if waited && p.running < p.limit {
		p.room.Signal() // we may have consumed the Signal for this free slot: pass it on
	}
	p.mu.Unlock()
	if stop != nil {
		stop()
	}
	if err != nil {
		return err
	}
	go p.run(task, e)
	return nil
}

func (p *Cond) wakeAll() {
	p.mu.Lock()
	p.room.Broadcast()
	p.mu.Unlock()
}

func (p *Cond) run(task func(), e *epoch) {
	defer func() {
		p.mu.Lock()
		p.running--
		if p.running < p.limit {
			p.room.Signal()
		}
		p.track.finish(e)
		p.mu.Unlock()
	}()
	safely(task)
}

// Resize sets the limit to n. Growing wakes every blocked submitter to recheck for room;
// shrinking lets running tasks finish and starts no task until fewer than n run. The error
// wraps ErrLimit if n < 1.
func (p *Cond) Resize(n int) error {
	if err := checkLimit(n); err != nil {
		return err
	}
	p.mu.Lock()
	if n > p.limit {
		p.room.Broadcast()
	}
	p.limit = n
	p.mu.Unlock()
	return nil
}

// Wait blocks until every task accepted before the call has finished. It may be called
// concurrently with Submit, Close and other Waits.
func (p *Cond) Wait() { p.track.wait(&p.mu) }

// Close makes blocked and later Submits return ErrClosed, then waits for every accepted task
// to finish; releasing its slot is each task goroutine's last act. Calling it again only
// waits again.
func (p *Cond) Close() {
	p.mu.Lock()
	p.closed = true
	p.room.Broadcast()
	done := p.track.seal()
	p.mu.Unlock()
	if done != nil {
		<-done
	}
}
