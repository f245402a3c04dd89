package pools

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
)

// ErrGoexit is the error of a Future whose function called runtime.Goexit.
var ErrGoexit = errors.New("pools: task called runtime.Goexit")

// PanicError is the error of a Future whose function panicked.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the panicking goroutine's stack, from runtime/debug.Stack
}

func (e *PanicError) Error() string { return fmt.Sprintf("pools: task panicked: %v", e.Value) }

// Unwrap returns the panic value if it is an error, so errors.Is and errors.As see it.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Future is the pending result of a function submitted with Go.
type Future[T any] struct {
	done chan struct{} // closed after val and err are set
	val  T
	err  error
}

// Go submits f to p and returns a Future for its result. It blocks as p.Submit does, and
// returns Submit's error if p does not accept f (f then never runs). A panic in f is
// recovered and becomes a *PanicError, and runtime.Goexit in f becomes ErrGoexit: neither
// reaches the pool.
//
// Cost per call, on top of p.Submit's: three allocations, the Future, its done channel and
// the task closure (176 bytes for a Future[int] on 64-bit platforms; the Future grows with
// T), and a deferred recover around f. Get allocates nothing. BenchmarkResult measures it
// against a bare Submit on a warm Workers pool: see docs/BENCH.md.
func Go[T any](ctx context.Context, p Pool, f func() (T, error)) (*Future[T], error) {
	fu := &Future[T]{done: make(chan struct{})}
	err := p.Submit(ctx, func() {
		returned := false
		defer func() {
			if !returned {
				if v := recover(); v != nil {
					fu.err = &PanicError{Value: v, Stack: debug.Stack()}
				} else {
					fu.err = ErrGoexit
				}
			}
			close(fu.done)
		}()
		fu.val, fu.err = f()
		returned = true
	})
	if err != nil {
		return nil, err
	}
	return fu, nil
}

// Done returns a channel closed once the result is ready.
func (fu *Future[T]) Done() <-chan struct{} { return fu.done }

// Get blocks until f has finished and returns its result, or until ctx ends and returns the
// zero T and ctx.Err(); f goes on running then, and a later Get still returns its result.
// f's return happens before Get returns its result.
func (fu *Future[T]) Get(ctx context.Context) (T, error) {
	select {
	case <-fu.done:
		return fu.val, fu.err
	default:
	}
	select {
	case <-fu.done:
		return fu.val, fu.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Run runs f on p and returns f's result: Go then Get with the same ctx. It returns a
// Submit error if p does not accept f, and ctx.Err() if ctx ends while f runs (f goes on
// running and its result is dropped). It costs what Go costs: three allocations per call.
func Run[T any](ctx context.Context, p Pool, f func() (T, error)) (T, error) {
	fu, err := Go(ctx, p, f)
	if err != nil {
		var zero T
		return zero, err
	}
	return fu.Get(ctx)
}
