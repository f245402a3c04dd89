package pools

import (
	"context"
	"fmt"
	"sync"
)

// Unbounded is a Workers queue size (see WithQueue): any number of accepted tasks may wait.
const Unbounded = -1

// Policy says what a Workers Submit does when the queue is full.
type Policy uint8

// Policies.
const (
	// Block makes Submit wait for room; blocked submitters are admitted in FIFO order.
	Block Policy = iota
	// Reject makes Submit return ErrFull at once.
	Reject
)

// WorkersOption configures NewWorkers.
type WorkersOption func(*workersConfig)

type workersConfig struct {
	queue  int
	policy Policy
}

// WithQueue sets how many accepted tasks may wait beyond the limit running: 0 is direct
// hand-off (Submit returns only once a worker is free for its task), n > 0 a bounded queue,
// and Unbounded (the default) no bound, so Submit never blocks or rejects.
func WithQueue(n int) WorkersOption { return func(c *workersConfig) { c.queue = n } }

// WithPolicy sets what Submit does when the queue is full: Block (the default) or Reject.
func WithPolicy(p Policy) WorkersOption { return func(c *workersConfig) { c.policy = p } }

// Workers is a pool of at most limit long-lived worker goroutines that take tasks from a FIFO
// queue, in the spirit of Java's ThreadPoolExecutor. Workers start on demand, one per
// accepted task that finds no idle worker, up to limit, and live until Close; a worker ended
// by runtime.Goexit in a task is replaced. The submit path allocates nothing in the steady
// state.
//
// At most limit tasks run and at most limit+queue accepted tasks are unfinished. When that is
// reached, Submit blocks (Block, admitting blocked submitters in FIFO order) or returns
// ErrFull (Reject). Queued tasks start in the order they were accepted. A task that panics
// is recovered and frees its worker; the panic value is dropped (submit through Go or Run to
// receive it).
//
// A task's completion happens before the Wait or Close that waits for it returns. Use
// NewWorkers; the zero value is not usable.
type Workers struct {
	mu      sync.Mutex
	wake    sync.Cond // L is &mu: idle workers wait for a task or Close
	exited  sync.Cond // L is &mu: Close waits for the last worker to exit
	limit   int
	queue   int // Unbounded, or how many accepted tasks may wait beyond limit running
	policy  Policy
	tasks   ring // accepted tasks not yet started, oldest first
	pending int  // accepted tasks (and room granted to waiters) not yet finished
	workers int  // worker goroutines alive
	idle    int  // workers waiting on wake and not yet signalled
	closed  bool
	waiters waitq
	track   tracker
}

var (
	_ Pool         = (*Workers)(nil)
	_ TrySubmitter = (*Workers)(nil)
)

// NewWorkers returns a Workers pool that runs at most limit tasks at once, with an unbounded
// queue and the Block policy unless options say otherwise. The error wraps ErrLimit if
// limit < 1 or the queue size is neither Unbounded nor >= 0.
func NewWorkers(limit int, opts ...WorkersOption) (*Workers, error) {
	c := workersConfig{queue: Unbounded}
	for _, o := range opts {
		o(&c)
	}
	if err := checkLimit(limit); err != nil {
		return nil, err
	}
	if c.queue < Unbounded {
		return nil, fmt.Errorf("%w: queue size %d: must be >= 0 or Unbounded", ErrLimit, c.queue)
	}
	if c.policy > Reject {
		return nil, fmt.Errorf("pools: unknown policy %d", c.policy)
	}
	p := &Workers{limit: limit, queue: c.queue, policy: c.policy}
	p.wake.L = &p.mu
	p.exited.L = &p.mu
	return p, nil
}

// Submit queues task for a worker. It blocks (Block) or returns ErrFull (Reject) while
// limit+queue accepted tasks are unfinished; blocked submitters are granted room in FIFO
// order, and the grant accepts and queues their task at once. Submit returns ctx.Err() if
// ctx ends before the task is accepted (also when there is room at the call: a done ctx
// always fails), ErrClosed once Close has begun, and ErrNilTask for a nil task.
func (p *Workers) Submit(ctx context.Context, task func()) error {
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
	if p.hasRoom() {
		p.enqueue(task, p.reserve())
		p.mu.Unlock()
		return nil
	}
	if p.policy == Reject {
		p.mu.Unlock()
		return ErrFull
	}
	w := p.waiters.push(ctx)
	w.task = task // finishLocked queues it when granting room, so queued tasks stay in FIFO order
	p.mu.Unlock()
	return p.waiters.await(ctx, &p.mu, w)
}

// TrySubmit queues task if there is room and reports whether it did. It never blocks, and
// reports false for a nil task or once Close has begun.
func (p *Workers) TrySubmit(task func()) bool {
	if task == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || !p.hasRoom() {
		return false
	}
	p.enqueue(task, p.reserve())
	return true
}

// hasRoom reports whether a task can be accepted now. Room granted to a waiter counts in
// pending, so when anyone waits there is no room and a new Submit cannot overtake them.
func (p *Workers) hasRoom() bool {
	return p.queue == Unbounded || p.pending < p.limit+p.queue
}

// reserve counts a task as accepted.
func (p *Workers) reserve() *epoch {
	p.pending++
	return p.track.add()
}

// enqueue queues an accepted task and makes sure a worker will take it.
func (p *Workers) enqueue(task func(), e *epoch) {
	p.tasks.push(item{task, e})
	p.dispatch()
}

// dispatch wakes an idle worker or, below the limit, starts one. A woken worker may find
// its task taken by a busy worker that came back first; it then goes idle again.
func (p *Workers) dispatch() {
	if p.idle > 0 {
		p.idle--
		p.wake.Signal()
	} else if p.workers < p.limit {
		p.workers++
		go p.work()
	}
}

// finishLocked uncounts a finished task (or granted room given back) and admits the oldest
// waiters while there is room.
func (p *Workers) finishLocked(e *epoch) {
	p.pending--
	for p.hasRoom() {
		w := p.waiters.next()
		if w == nil {
			break
		}
		e := p.reserve()
		w.grant(e)
		p.enqueue(w.task, e)
	}
	p.track.finish(e)
}

// work is a worker goroutine. It exits when the pool is closed and the queue is empty, or
// when a task calls runtime.Goexit: its deferred cleanup then finishes that task and starts
// a replacement if tasks are queued.
func (p *Workers) work() {
	var it item
	goexit := true
	defer func() {
		if !goexit {
			return
		}
		p.mu.Lock()
		p.finishLocked(it.e)
		p.workers--
		if p.tasks.len() > 0 {
			p.dispatch()
		}
		if p.workers == 0 {
			p.exited.Broadcast()
		}
		p.mu.Unlock()
	}()
	p.mu.Lock()
	for {
		for p.tasks.len() == 0 {
			if p.closed {
				goexit = false
				p.workers--
				if p.workers == 0 {
					p.exited.Broadcast()
				}
				p.mu.Unlock()
				return
			}
			p.idle++
			p.wake.Wait()
		}
		it = p.tasks.pop()
		p.mu.Unlock()
		safely(it.task)
		p.mu.Lock()
		p.finishLocked(it.e)
	}
}

// Wait blocks until every task accepted before the call has finished. It may be called
// concurrently with Submit, Close and other Waits.
func (p *Workers) Wait() { p.track.wait(&p.mu) }

// Close makes blocked and later Submits return ErrClosed, waits for every accepted task,
// queued ones included, to finish, and then for every worker goroutine to exit; a worker's
// last act is to announce its exit. Calling it again only waits again.
func (p *Workers) Close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		p.waiters.refuse(ErrClosed)
		p.idle = 0
		p.wake.Broadcast()
	}
	done := p.track.seal()
	p.mu.Unlock()
	if done != nil {
		<-done
	}
	p.mu.Lock()
	for p.workers > 0 {
		p.exited.Wait()
	}
	p.mu.Unlock()
}

// item is a queued task and the epoch it is counted in.
type item struct {
	task func()
	e    *epoch
}

// ring is a growable FIFO queue of items.
type ring struct {
	buf     []item
	head, n int
}

func (r *ring) len() int { return r.n }

func (r *ring) push(it item) {
	if r.n == len(r.buf) {
		buf := make([]item, max(2*len(r.buf), 8))
		k := copy(buf, r.buf[r.head:])
		copy(buf[k:], r.buf[:r.head])
		r.buf, r.head = buf, 0
	}
	i := r.head + r.n
	if i >= len(r.buf) {
		i -= len(r.buf)
	}
	r.buf[i] = it
	r.n++
}

func (r *ring) pop() item {
	it := r.buf[r.head]
	r.buf[r.head] = item{}
	r.head++
	if r.head == len(r.buf) {
		r.head = 0
	}
	r.n--
	return it
}
