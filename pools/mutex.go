package pools

import (
	"context"
	"sync"
)

// Mutex is a pool guarded by a sync.Mutex that starts a goroutine per task and keeps the
// submitters it cannot admit in an explicit FIFO queue. A finishing task hands its slot
// directly to the oldest waiter, so blocked submitters are served strictly in arrival order,
// a new Submit never overtakes them, and nothing spins or wakes in a herd.
//
// Submit blocks while limit tasks hold slots. A task that panics is recovered and frees its
// slot; the panic value is dropped (submit through Go or Run to receive it). A task that
// calls runtime.Goexit frees its slot too.
//
// A task's completion happens before the Wait or Close that waits for it returns. Use
// NewMutex; the zero value is not usable.
type Mutex struct {
	mu      sync.Mutex
	limit   int
	running int // slots taken: by running tasks, or granted to a waiter not yet started
	closed  bool
	waiters waitq
	track   tracker
}

var (
	_ Pool    = (*Mutex)(nil)
	_ Resizer = (*Mutex)(nil)
)

// NewMutex returns a Mutex pool that runs at most limit tasks at once. The error wraps
// ErrLimit if limit < 1.
func NewMutex(limit int) (*Mutex, error) {
	if err := checkLimit(limit); err != nil {
		return nil, err
	}
	return &Mutex{limit: limit}, nil
}

// Submit runs task on a new goroutine once a slot is free, blocking until then. Blocked
// submitters are granted slots in FIFO order; the grant is when their task is accepted.
// Submit returns ctx.Err() if ctx ends before the task is accepted (also when a slot is
// free at the call: a done ctx always fails), ErrClosed once Close has begun, and
// ErrNilTask for a nil task. Submit returning nil happens before the task starts.
func (p *Mutex) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	if p.running < p.limit { // then no one waits: admit grants every free slot at once
		p.running++
		e := p.track.add()
		p.mu.Unlock()
		go p.run(task, e)
		return nil
	}
	w := p.waiters.push(ctx)
	p.mu.Unlock()
	if err := p.waiters.await(ctx, &p.mu, w); err != nil {
		return err
	}
	go p.run(task, w.e)
	return nil
}

func (p *Mutex) run(task func(), e *epoch) {
	defer func() {
		p.mu.Lock()
		p.finishLocked(e)
		p.mu.Unlock()
	}()
	safely(task)
}

// finishLocked frees the slot of a task counted in e: to the oldest waiter if there is room.
func (p *Mutex) finishLocked(e *epoch) {
	p.running--
	p.admit()
	p.track.finish(e)
}

// admit grants free slots to the oldest waiters.
func (p *Mutex) admit() {
	for p.running < p.limit {
		w := p.waiters.next()
		if w == nil {
			return
		}
		p.running++
		w.grant(p.track.add())
	}
}

// Resize sets the limit to n. Growing admits blocked submitters at once, oldest first;
// shrinking lets running tasks finish and starts no task until fewer than n run. The error
// wraps ErrLimit if n < 1.
func (p *Mutex) Resize(n int) error {
	if err := checkLimit(n); err != nil {
		return err
	}
	p.mu.Lock()
	p.limit = n
	p.admit()
	p.mu.Unlock()
	return nil
}

// Wait blocks until every task accepted before the call has finished. It may be called
// concurrently with Submit, Close and other Waits.
func (p *Mutex) Wait() { p.track.wait(&p.mu) }

// Close makes blocked and later Submits return ErrClosed, then waits for every accepted task
// to finish; releasing its slot is each task goroutine's last act. Calling it again only
// waits again.
func (p *Mutex) Close() {
	p.mu.Lock()
	p.closed = true
	p.waiters.refuse(ErrClosed)
	done := p.track.seal()
	p.mu.Unlock()
	if done != nil {
		<-done
	}
}
