package thirdparty

import (
	"context"
	"fmt"
	"sync"

	"github.com/sourcegraph/conc/pool"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// Conc adapts github.com/sourcegraph/conc/pool's Pool with WithMaxGoroutines.
//
// What conc promises (v0.3.0, pool/pool.go): Go "will block until the task can be started"
// when all goroutines are busy, and takes no ctx; "once all your tasks have been submitted,
// you must call Wait() to clean up any spawned goroutines and propagate any panics": Wait
// re-panics with the first task panic, and it closes the pool for good (a Go after Wait
// sends on a closed channel, and a second Wait closes it again: both panic). Like a
// sync.WaitGroup, Go must not race with Wait (declare Traits.NoSubmitDuringWait).
//
// What the adapter adds (the closed state with package adapt):
//   - A reusable Wait: conc's Wait ends the pool, the contract's does not. Each Wait takes
//     the current conc pool (a batch), puts a fresh one in its place and calls the batch's
//     Wait; then it also waits for the batch an overlapping earlier Wait took, so Waits
//     that overlap all wait for every task accepted before them, and each re-panics with
//     the first panic of those batches. A Submit during Wait (which the trait excludes) would go to the next
//     batch, and the limit would then hold per batch only.
//   - A closed state, pools.ErrClosed and Close: conc has none. The kit's Close refuses new
//     Submits, waits for the Submits inside, then waits for the current batch like Wait
//     (given as Library.Wait; re-panicking in the first Close only). Every Close call waits
//     for the first.
//   - pools.ErrNilTask for a nil task.
//
// Finding (undocumented): a task that panics (or calls runtime.Goexit) can strand a
// blocked Go for good while the pool has a free slot: the worker a Go spawns may receive
// another submitter's task, and if that task kills the worker, no worker is left to receive
// the first Go's task (TestFindingConcPanicStrandsSubmitter). The harness reports it as a
// liveness and a work-conserving failure.
type Conc struct {
	pools.Pool // the kit's, over concBatches
}

// concBatches is conc as the kit's Library: Go on the current batch, and a Wait that swaps
// in a fresh batch.
type concBatches struct {
	limit int

	mu   sync.Mutex
	cur  *concBatch // receives Submits
	last *concBatch // taken by the latest Wait, nil before the first
}

// concBatch is one conc pool, from its first Go to its Wait.
type concBatch struct {
	p    *pool.Pool
	prev *concBatch    // the batch an overlapping earlier Wait took, if any
	done chan struct{} // closed when this batch and prev are done
	rec  any           // the first re-panic value of this batch or prev; set before done closes
}

var _ pools.Pool = (*Conc)(nil)

// NewConc returns a conc pool limited to limit (>= 1) goroutines.
func NewConc(limit int) (*Conc, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: conc limit %d, want >= 1", pools.ErrLimit, limit)
	}
	c := &concBatches{limit: limit}
	c.cur = c.batch()
	kit, err := adapt.New(adapt.Library{Submit: c.submit, Wait: c.wait})
	if err != nil {
		return nil, err
	}
	return &Conc{Pool: kit}, nil
}

func (c *concBatches) batch() *concBatch {
	return &concBatch{p: pool.New().WithMaxGoroutines(c.limit), done: make(chan struct{})}
}

// submit runs task with conc's Go on the current batch, blocking while every goroutine is
// busy, without watching ctx. It must not run concurrently with wait.
func (c *concBatches) submit(_ context.Context, task func()) error {
	c.mu.Lock()
	b := c.cur
	c.mu.Unlock()
	b.p.Go(task)
	return nil
}

// wait waits for the current batch (conc's Wait) and for the batch an overlapping wait
// took, and re-panics with their first task panic.
func (c *concBatches) wait() {
	c.mu.Lock()
	b := c.cur
	if c.last != nil && !isClosed(c.last.done) {
		b.prev = c.last // overlapping: wait for it too, and share its panic
	}
	c.last = b
	c.cur = c.batch()
	c.mu.Unlock()
	b.drain()
	if b.rec != nil {
		panic(b.rec)
	}
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// drain runs the batch's Wait, then waits for prev, keeping the first panic for rec.
func (b *concBatch) drain() {
	defer close(b.done)
	defer func() {
		b.rec = recover()
		if b.prev != nil {
			<-b.prev.done
			if b.rec == nil {
				b.rec = b.prev.rec
			}
			b.prev = nil // let finished batches be collected
		}
	}()
	b.p.Wait()
}
