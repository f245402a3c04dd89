package pools

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
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
// by runtime.Goexit in a task is replaced.
//
// At most limit tasks run and at most limit+queue accepted tasks are unfinished. When that is
// reached, Submit blocks (Block, admitting blocked submitters in FIFO order) or returns
// ErrFull (Reject). Queued tasks start in the order they were accepted. A task that panics
// is recovered and frees its worker; the panic value is dropped (submit through Go or Run to
// receive it).
//
// Cost: Submit, TrySubmit and running a task allocate nothing once the pool is warm, on
// every path (a task handed straight to an idle worker, queued, admitted after its Submit
// blocked, or rejected). What a pool does allocate is bounded by its peak, not by the number
// of tasks: one goroutine and a small struct per worker started (at most limit, plus one per
// runtime.Goexit), one node per Submit blocked at the same time (reused afterwards), and
// queue storage of 16 bytes per queued task, made by NewWorkers for limit+queue tasks, up
// to 2048 entries (32 KiB; an unbounded queue starts at 2048), and kept once grown. An
// unbounded queue's storage grows with its backlog; to keep that backlog short, a Submit
// that finds more than 256 tasks queued first yields its processor (runtime.Gosched) while
// the backlog stays that long, without holding the pool's lock, so the workers can take it
// and catch up: up to 8 times, or up to 64 while a woken worker has not yet run. That is
// a yield, not a wait: Submit on an unbounded queue still never blocks, and a backlog the
// workers cannot keep up with (tasks that block, a worker's thread descheduled by the OS)
// still grows the storage.
//
// A task's completion happens before the Wait or Close that waits for it returns. Use
// NewWorkers; the zero value is not usable.
type Workers struct {
	mu        sync.Mutex
	exited    sync.Cond // L is &mu: Close waits for the last worker to exit
	limit     int
	queue     int // Unbounded, or how many accepted tasks may wait beyond limit running
	policy    Policy
	tasks     ring         // accepted tasks not yet handed to a worker, oldest first
	backlog   atomic.Int64 // unbounded queue only: tasks.len(), for Submit to read without mu
	idle      *worker      // parked workers, a stack linked by next: the most recently parked first
	waking    atomic.Int32 // woken workers not yet running (written under mu, decremented by them without)
	deferred  atomic.Bool  // tasks were queued beside an idle worker because maxWaking were waking
	maxWaking int32        // GOMAXPROCS when the pool was made: at most this many are woken at once
	pending   int          // accepted tasks (and room granted to waiters) not yet finished
	workers   int          // worker goroutines alive
	closed    bool
	waiters   submitQueue
	track     tracker
}

// worker is one worker goroutine's parking place. A worker parks only when the queue is
// empty; a task that finds one idle, and no other worker woken and not yet running, is
// handed to it directly.
type worker struct {
	wake   chan struct{} // cap 1: one token per unpark
	handed item          // set with the token: the task to run; zero: look at the pool again (Close)
	next   *worker       // the next idle worker, while this one is idle
}

// preallocQueue caps the queue storage NewWorkers allocates up front (16 bytes an entry).
const preallocQueue = 2048

// An unbounded Submit yields its processor while more than yieldBacklog tasks are queued:
// up to busyYields times, and up to maxYields while a woken worker has not yet run (the
// backlog is then the workers' start-up, which yielding lets them catch up with, not tasks
// that block, which no yield helps).
const (
	yieldBacklog = 256
	busyYields   = 8
	maxYields    = 64
)

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
	p := &Workers{limit: limit, queue: c.queue, policy: c.policy, maxWaking: int32(runtime.GOMAXPROCS(0))}
	p.exited.L = &p.mu
	// A bounded queue holds at most limit+queue tasks (all accepted ones, while a woken
	// worker has not yet run). An unbounded one is kept near yieldBacklog, but it has been
	// seen past 2*yieldBacklog (2 loaded cores), so it starts at the cap.
	size := preallocQueue
	if c.queue != Unbounded {
		size = c.queue + limit
	}
	p.tasks.buf = make([]item, min(size, preallocQueue)+1)
	return p, nil
}

// Submit queues task for a worker. It blocks (Block) or returns ErrFull (Reject) while
// limit+queue accepted tasks are unfinished; blocked submitters are granted room in FIFO
// order, and the grant accepts and queues their task at once. Submit returns ctx.Err() if
// ctx ends before the task is accepted (also when there is room at the call: a done ctx
// always fails), ErrClosed once Close has begun, and ErrNilTask for a nil task. It
// allocates nothing once the pool is warm; on an unbounded queue with a long backlog it
// first yields its processor a few times (see Workers).
func (p *Workers) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.queue == Unbounded {
		for i := 0; i < maxYields && p.backlog.Load() > yieldBacklog && (i < busyYields || p.waking.Load() > 0); i++ {
			runtime.Gosched()
		}
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	if p.hasRoom() {
		p.enqueue(item{task, p.reserve()})
		p.mu.Unlock()
		return nil
	}
	if p.policy == Reject {
		p.mu.Unlock()
		return ErrFull
	}
	w := p.waiters.push(ctx.Done(), task) // finishLocked queues task when granting room
	p.mu.Unlock()
	return p.await(ctx, w)
}

// await blocks until w is granted room (nil), refused (ErrClosed) or ctx ends (ctx.Err()),
// then gives w back for reuse. The caller must not hold p.mu. A grant is the moment the task
// is accepted: a waiter granted room before its ctx ended returns nil even if it notices the
// ctx first.
func (p *Workers) await(ctx context.Context, w *waitingSubmit) error {
	var err error
	select {
	case err = <-w.ready:
	case <-ctx.Done():
		p.mu.Lock()
		select {
		case err = <-w.ready: // granted or refused before the ctx was noticed
		default:
			p.waiters.remove(w)
			err = ctx.Err()
		}
		p.mu.Unlock()
	}
	p.waiters.free(w) // w.ready is empty again: no one sends to a waiter out of the queue
	return err
}

// TrySubmit queues task if there is room and reports whether it did. It never blocks, and
// reports false for a nil task or once Close has begun. It allocates nothing once the pool
// is warm.
func (p *Workers) TrySubmit(task func()) bool {
	if task == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || !p.hasRoom() {
		return false
	}
	p.enqueue(item{task, p.reserve()})
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

// enqueue gives an accepted task to a worker: straight to an idle one, to a new one below
// the limit, or else to the queue. At most maxWaking idle workers (GOMAXPROCS) are woken at
// a time: while that many have not yet run, tasks are queued, and each woken worker, once it
// runs, wakes the next if any are (handQueued). So a burst on fewer processors than idle
// workers wakes about as many workers as can run, not one per task, and the woken workers
// take the queued tasks in turn.
func (p *Workers) enqueue(it item) {
	if w := p.idle; w != nil {
		if p.tasks.len() == 0 && p.waking.Load() < p.maxWaking {
			p.wake(w, it)
			return
		}
		p.tasks.push(it)
		p.noteBacklog()
		if !p.deferred.Load() { // else a woken worker is to hand the queued tasks on
			p.handQueued()
		}
		return
	} else if p.workers < p.limit {
		if p.tasks.len() > 0 { // after a Goexit: keep queued tasks first
			p.tasks.push(it)
			it = p.tasks.pop()
		}
		p.start(it)
		return
	}
	p.tasks.push(it)
	p.noteBacklog()
}

// wake hands it to the idle worker w.
func (p *Workers) wake(w *worker, it item) {
	p.idle, w.next = w.next, nil
	w.handed = it
	p.waking.Add(1)
	w.wake <- struct{}{} // never blocks: one token per park
}

// handQueued hands queued tasks, oldest first, to idle workers while fewer than maxWaking
// are waking, and else flags them (deferred) for the next woken worker to hand on once it
// runs; if no worker is idle, it starts new ones below the limit (one was ended by
// runtime.Goexit). It is called with p.mu held. A woken worker decrements waking and then
// reads deferred without p.mu, so handQueued sets deferred and then reads waking: of the
// two, at least one sees the other's write (Go's atomics are sequentially consistent), so
// queued tasks are never left beside an idle worker with none waking.
func (p *Workers) handQueued() {
	for {
		p.deferred.Store(false)
		for p.idle != nil && p.tasks.len() > 0 && p.waking.Load() < p.maxWaking {
			p.wake(p.idle, p.tasks.pop())
		}
		for p.idle == nil && p.tasks.len() > 0 && p.workers < p.limit {
			p.start(p.tasks.pop())
		}
		p.noteBacklog()
		if p.idle == nil || p.tasks.len() == 0 {
			return
		}
		p.deferred.Store(true)
		if p.waking.Load() >= p.maxWaking {
			return
		}
	}
}

// noteBacklog publishes the queue's length for an unbounded Submit to read without p.mu;
// a bounded pool never reads it, so it skips the atomic store.
func (p *Workers) noteBacklog() {
	if p.queue == Unbounded {
		p.backlog.Store(int64(p.tasks.len()))
	}
}

// start starts a worker goroutine whose first task is it.
func (p *Workers) start(it item) {
	p.workers++
	go p.work(&worker{wake: make(chan struct{}, 1)}, it)
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
		task := w.task // read before the grant: w may be reused at once
		p.waiters.grant(w)
		p.enqueue(item{task, p.reserve()})
	}
	p.track.finish(e)
}

// work is a worker goroutine: it runs it, then every task it takes, until the pool is closed
// and the queue is empty, or until a task calls runtime.Goexit: its deferred cleanup then
// finishes that task and starts a replacement if tasks are queued.
func (p *Workers) work(w *worker, it item) {
	goexit := true
	defer func() {
		if !goexit {
			return
		}
		p.mu.Lock()
		p.workers--
		p.finishLocked(it.e)
		if p.tasks.len() > 0 && p.workers < p.limit {
			p.start(p.tasks.pop())
			p.noteBacklog()
		}
		if p.workers == 0 {
			p.exited.Broadcast()
		}
		p.mu.Unlock()
	}()
	for {
		safely(it.task)
		p.mu.Lock()
		p.finishLocked(it.e)
		var ok bool
		if it, ok = p.take(w); !ok {
			goexit = false
			return
		}
	}
}

// take returns w's next task, parking w while the queue is empty. It is called with p.mu
// held and returns with p.mu released. It reports false, after counting w out, once the pool
// is closed and the queue is empty.
func (p *Workers) take(w *worker) (item, bool) {
	for p.tasks.len() == 0 {
		if p.closed {
			p.workers--
			if p.workers == 0 {
				p.exited.Broadcast()
			}
			p.mu.Unlock()
			return item{}, false
		}
		w.next, p.idle = p.idle, w
		p.mu.Unlock()
		<-w.wake
		// The token's sender wrote w.handed under p.mu before sending; the next write is
		// ours, or comes after w parks again.
		if it := w.handed; it.task != nil {
			w.handed = item{}
			p.waking.Add(-1)
			if p.deferred.Load() {
				p.mu.Lock()
				p.handQueued()
				p.mu.Unlock()
			}
			return it, true
		}
		p.mu.Lock()
	}
	it := p.tasks.pop()
	p.noteBacklog()
	p.mu.Unlock()
	return it, true
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
		for w := p.idle; w != nil; w = p.idle {
			p.idle, w.next = w.next, nil
			w.wake <- struct{}{} // with no task: it sees closed and exits
		}
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
