package thirdparty

import (
	"context"
	"fmt"

	pondv1 "github.com/alitto/pond"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// PondV1 adapts github.com/alitto/pond (v1)'s WorkerPool.
//
// What pond v1 promises (v1.9.2, pond.go): New(maxWorkers, maxCapacity) "can scale up to the
// given maximum number of workers", and maxCapacity "determines the number of tasks that can
// be submitted to this pool without blocking" (a buffered channel); Submit "will wait until
// the task is dispatched to a worker goroutine" when the queue is full, takes no ctx, and
// panics with ErrSubmitOnStoppedPool on a stopped pool; TrySubmit never blocks; a panicking
// task is recovered (the PanicHandler option; the default prints it); StopAndWait "waits for
// all tasks in the queue to complete".
//
// What the adapter adds with package adapt:
//   - A closed state and pools.ErrClosed: pond v1 panics instead. The adapter does not
//     recover that panic; it guards: the kit's Close refuses new Submits, waits for the
//     Submits already in pond and for every accepted task, and only then calls StopAndWait
//     (Library.Stop). The guard also keeps Submit from racing with StopAndWait inside pond
//     (see the finding below).
//   - Wait: pond v1 has none outside task groups. The kit's Tracker counts each task from
//     the moment pond accepts it until it returns, panics or calls runtime.Goexit.
//   - pools.ErrNilTask for a nil task (pond v1 drops it silently: accepted, never run).
//
// The adapter silences the default panic print with a no-op PanicHandler; options passed to
// NewPondV1 come after it.
//
// Findings (undocumented): a task calling runtime.Goexit kills its worker without freeing
// its slot, and in a worker's first task also makes StopAndWait hang
// (TestFindingPondV1Goexit; declare Traits.Goexit GoexitUnsupported). Submit is not
// work-conserving: it starts no new worker while the idle-worker count is positive, and that
// count still includes a worker that has just received a task, so a task can wait behind a
// busy worker while slots are free (the harness's work-conserving property catches it).
// A Submit concurrent with StopAndWait can pass pond's Stopped check
// and then call tasksWaitGroup.Add concurrently with its Wait, or send on the tasks channel
// after stop closed it (panic: send on closed channel).
type PondV1 struct {
	pools.Pool // the kit's
	p          *pondv1.WorkerPool
}

var (
	_ pools.Pool         = (*PondV1)(nil)
	_ pools.TrySubmitter = (*PondV1)(nil)
)

// NewPondV1 returns a pond v1 pool of at most limit (>= 1) workers and a queue of queue (>= 0)
// tasks, with opts applied after the adapter's own (a no-op PanicHandler).
func NewPondV1(limit, queue int, opts ...pondv1.Option) (*PondV1, error) {
	if limit < 1 || queue < 0 {
		return nil, fmt.Errorf("%w: pond v1 limit %d, queue %d, want >= 1 and >= 0",
			pools.ErrLimit, limit, queue)
	}
	opts = append([]pondv1.Option{pondv1.PanicHandler(func(any) {})}, opts...)
	p := pondv1.New(limit, queue, opts...)
	kit, err := adapt.New(adapt.Library{
		// Submit blocks while the queue is full and does not watch ctx.
		Submit:    func(_ context.Context, task func()) error { p.Submit(task); return nil },
		TrySubmit: p.TrySubmit,
		// StopAndWait runs the queue (empty by then) and waits for the workers and the
		// purger goroutine.
		Stop: p.StopAndWait,
	})
	if err != nil {
		return nil, err
	}
	return &PondV1{Pool: kit, p: p}, nil
}

// TrySubmit hands task to pond's TrySubmit, which never blocks.
func (p *PondV1) TrySubmit(task func()) bool { return p.Pool.(pools.TrySubmitter).TrySubmit(task) }
