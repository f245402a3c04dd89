package pools

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// This file holds the pieces the designs share: limit checks, panic recovery, the epoch
// tracker behind every Wait, and the FIFO queue of blocked submitters.

func checkLimit(limit int) error {
	if limit < 1 {
		return fmt.Errorf("%w %d: must be at least 1", ErrLimit, limit)
	}
	return nil
}

// safely runs task and recovers a panic; the panic value is dropped (submit through Go or
// Run to receive it). runtime.Goexit is not stopped: it goes on unwinding the caller, whose
// deferred release must free the slot.
func safely(task func()) {
	defer func() { _ = recover() }()
	task()
}

// tracker counts accepted, unfinished tasks by epoch, so that Wait waits for exactly the
// tasks accepted before it even while Submit goes on. (A sync.WaitGroup cannot do this: an
// Add from zero concurrent with Wait is a data race, and a Wait that waits for later tasks
// too may never return under steady load.) Wait seals the current epoch; a sealed epoch's
// done channel is closed once it and every older epoch have no unfinished task.
//
// The zero value is ready to use. The owning pool's mutex guards every method. A pool that
// is never waited on allocates nothing after its first task.
type tracker struct {
	cur    *epoch   // the epoch new tasks join; nil until a task needs it
	sealed []*epoch // sealed epochs with unfinished tasks, oldest first
}

type epoch struct {
	n    int           // unfinished tasks counted in this epoch
	done chan struct{} // made when sealed; closed when this and every older epoch are empty
}

// add counts a newly accepted task and returns its epoch, to be passed to finish.
func (t *tracker) add() *epoch {
	if t.cur == nil {
		t.cur = new(epoch)
	}
	t.cur.n++
	return t.cur
}

// finish uncounts a task that add counted.
func (t *tracker) finish(e *epoch) {
	e.n--
	for len(t.sealed) > 0 && t.sealed[0].n == 0 {
		close(t.sealed[0].done)
		t.sealed[0] = nil
		t.sealed = t.sealed[1:]
	}
}

// seal returns a channel closed once every task counted so far has finished, or nil if
// there is none.
func (t *tracker) seal() <-chan struct{} {
	if t.cur != nil && t.cur.n > 0 {
		t.cur.done = make(chan struct{})
		t.sealed = append(t.sealed, t.cur)
		t.cur = nil
	}
	if len(t.sealed) == 0 {
		return nil
	}
	return t.sealed[len(t.sealed)-1].done
}

// wait blocks until every task counted before the call has finished. mu is the owner's
// mutex; the caller must not hold it.
func (t *tracker) wait(mu *sync.Mutex) {
	mu.Lock()
	done := t.seal()
	mu.Unlock()
	if done != nil {
		<-done
	}
}

// waiter is a Submit blocked until the pool has room for its task.
type waiter struct {
	done  <-chan struct{} // the Submit's ctx.Done()
	task  func()          // for a pool that queues the task itself when granting room
	ready chan struct{}   // closed once the waiter is granted room or refused
	e     *epoch          // when granted: the epoch its task is counted in
	err   error           // when refused: why
}

// grant hands w, returned by next, room counted in e: its task is accepted.
func (w *waiter) grant(e *epoch) {
	w.e = e
	close(w.ready)
}

// waitq is a FIFO queue of waiters. The owning pool's mutex guards it.
type waitq struct{ ws []*waiter }

// push queues a new waiter for a Submit with ctx.
func (q *waitq) push(ctx context.Context) *waiter {
	w := &waiter{done: ctx.Done(), ready: make(chan struct{})}
	q.ws = append(q.ws, w)
	return w
}

// next removes and returns the oldest waiter whose ctx has not ended, or nil. It drops the
// others: they return ctx.Err() when they wake. So room is never granted to a Submit whose
// ctx ended first, even by a pool that starts the task before its submitter wakes.
func (q *waitq) next() *waiter {
	for len(q.ws) > 0 {
		w := q.ws[0]
		q.ws[0] = nil
		q.ws = q.ws[1:]
		select {
		case <-w.done:
		default:
			return w
		}
	}
	return nil
}

// refuse wakes every waiter with err.
func (q *waitq) refuse(err error) {
	for _, w := range q.ws {
		w.err = err
		close(w.ready)
	}
	q.ws = nil
}

// await blocks until w is granted room (it returns nil), refused (w's error) or ctx ends
// (ctx.Err()). mu guards q and must not be held by the caller. A grant is the moment the
// task is accepted: a waiter granted room before its ctx ended returns nil even if it
// notices the ctx first.
func (q *waitq) await(ctx context.Context, mu *sync.Mutex, w *waiter) error {
	select {
	case <-w.ready:
	case <-ctx.Done():
		mu.Lock()
		defer mu.Unlock()
		select {
		case <-w.ready:
		default:
			if i := slices.Index(q.ws, w); i >= 0 {
				q.ws = slices.Delete(q.ws, i, i+1)
			}
			return ctx.Err()
		}
	}
	// close(w.ready) happens after w.e and w.err were written.
	if w.e == nil {
		return w.err
	}
	return nil
}
