package pools

import "sync/atomic"

// waitingSubmit is a Workers Submit blocked until the pool has room for its task. Nodes are
// reused: a Submit takes one from its pool's free list and gives it back when it returns, so
// blocking allocates only when more Submits block at once than ever before.
type waitingSubmit struct {
	done   <-chan struct{} // the Submit's ctx.Done()
	task   func()
	ready  chan error // cap 1: one value when granted (nil) or refused (why), then drained
	queued bool       // in the queue: not yet granted, refused or dropped
	prev   *waitingSubmit
	next   *waitingSubmit // in the queue: the next younger waiter; on the free list: the next free node
}

// submitQueue is a FIFO queue of waiting Submits, a doubly linked list so a Submit whose ctx
// ends leaves it in O(1), and the free list of nodes for reuse. The owning pool's mutex
// guards the queue and every method but free.
//
// The free list is a lock-free stack: free pushes without the mutex (a Submit on its way
// out), push pops under it. With a single popper at a time there is no ABA: only the popper
// removes nodes, so a head it read cannot be removed and pushed back behind its back.
type submitQueue struct {
	head, tail *waitingSubmit
	spare      atomic.Pointer[waitingSubmit]
}

// push queues a new waiter for a Submit of task whose ctx.Done() is done.
func (q *submitQueue) push(done <-chan struct{}, task func()) *waitingSubmit {
	w := q.spare.Load()
	for w != nil && !q.spare.CompareAndSwap(w, w.next) {
		w = q.spare.Load()
	}
	if w == nil {
		w = &waitingSubmit{ready: make(chan error, 1)}
	}
	*w = waitingSubmit{done: done, task: task, ready: w.ready, queued: true, prev: q.tail}
	if q.tail != nil {
		q.tail.next = w
	} else {
		q.head = w
	}
	q.tail = w
	return w
}

// remove takes w out of the queue if it is still there.
func (q *submitQueue) remove(w *waitingSubmit) {
	if !w.queued {
		return
	}
	if w.prev != nil {
		w.prev.next = w.next
	} else {
		q.head = w.next
	}
	if w.next != nil {
		w.next.prev = w.prev
	} else {
		q.tail = w.prev
	}
	w.prev, w.next, w.queued = nil, nil, false
}

// next removes and returns the oldest waiter whose ctx has not ended, or nil. It drops the
// others: they return ctx.Err() when they wake. So room is never granted to a Submit whose
// ctx ended first, even though the pool queues the task before its submitter wakes.
func (q *submitQueue) next() *waitingSubmit {
	for w := q.head; w != nil; w = q.head {
		q.remove(w)
		select {
		case <-w.done:
		default:
			return w
		}
	}
	return nil
}

// grant tells w, returned by next, that its task is accepted. w may be reused as soon as
// grant returns, so read w.task first.
func (q *submitQueue) grant(w *waitingSubmit) { w.ready <- nil }

// refuse wakes every queued waiter with err.
func (q *submitQueue) refuse(err error) {
	for w := q.head; w != nil; w = q.head {
		q.remove(w)
		w.ready <- err
	}
}

// free gives back the node of a Submit that has returned: its ready channel is empty and
// it is in no queue. It is safe without the pool's mutex.
func (q *submitQueue) free(w *waitingSubmit) {
	w.done, w.task = nil, nil
	for {
		top := q.spare.Load()
		w.next = top
		if q.spare.CompareAndSwap(top, w) {
			return
		}
	}
}
