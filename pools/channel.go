package pools

import (
	"context"
	"sync"
)

// Channel is the idiomatic Go pool: a buffered channel used as a semaphore around go task().
// It is the simplest design and, with a goroutine per task, about as fast as any.
//
// Submit blocks while limit tasks run. Blocked submitters are in practice served in FIFO
// order, because the runtime queues blocked channel senders and hands a freed buffer slot to
// the oldest; the language does not promise it. A task that panics is recovered and frees
// its slot; the panic value is dropped (submit through Go or Run to receive it). A task that
// calls runtime.Goexit frees its slot too.
//
// A task's completion happens before the Wait or Close that waits for it returns. Use
// NewChannel; the zero value is not usable.
type Channel struct {
	sem     chan struct{} // one token per slot taken; capacity limit
	closing chan struct{} // closed by Close: wakes blocked Submits
	mu      sync.Mutex    // guards closed and track
	closed  bool
	track   tracker
}

var (
	_ Pool         = (*Channel)(nil)
	_ TrySubmitter = (*Channel)(nil)
)

// NewChannel returns a Channel pool that runs at most limit tasks at once. The error wraps
// ErrLimit if limit < 1.
func NewChannel(limit int) (*Channel, error) {
	if err := checkLimit(limit); err != nil {
		return nil, err
	}
	return &Channel{sem: make(chan struct{}, limit), closing: make(chan struct{})}, nil
}

// Submit runs task on a new goroutine once a slot is free, blocking until then. It returns
// ctx.Err() if ctx is done before the task is accepted (even if a slot is free), ErrClosed
// once Close has begun, and ErrNilTask for a nil task. Submit returning nil happens before
// the task starts.
func (p *Channel) Submit(ctx context.Context, task func()) error {
	if task == nil {
		return ErrNilTask
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case p.sem <- struct{}{}:
	default:
		select {
		case p.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		case <-p.closing:
			return ErrClosed
		}
		select {
		case <-ctx.Done(): // ended as the slot came free: ctx wins, give the slot back
			<-p.sem
			return ctx.Err()
		default:
		}
	}
	return p.start(task)
}

// TrySubmit runs task on a new goroutine if a slot is free and reports whether it did. It
// never blocks, and reports false for a nil task or once Close has begun.
func (p *Channel) TrySubmit(task func()) bool {
	if task == nil {
		return false
	}
	select {
	case p.sem <- struct{}{}:
		return p.start(task) == nil
	default:
		return false
	}
}

// start runs task in the slot its caller holds, unless the pool is closed.
func (p *Channel) start(task func()) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.sem
		return ErrClosed
	}
	e := p.track.add()
	p.mu.Unlock()
	go p.run(task, e)
	return nil
}

func (p *Channel) run(task func(), e *epoch) {
	defer func() {
		<-p.sem
		p.mu.Lock()
		p.track.finish(e)
		p.mu.Unlock()
	}()
	safely(task)
}

// Wait blocks until every task accepted before the call has finished. It may be called
// concurrently with Submit, Close and other Waits.
func (p *Channel) Wait() { p.track.wait(&p.mu) }

// Close makes blocked and later Submits return ErrClosed, then waits for every accepted task
// to finish; releasing its slot is each task goroutine's last act. Calling it again only
// waits again.
func (p *Channel) Close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.closing)
	}
	done := p.track.seal()
	p.mu.Unlock()
	if done != nil {
		<-done
	}
}
