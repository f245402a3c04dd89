// Reproducer for github.com/sourcegraph/conc v0.3.0 (the newest release): after a task
// panics, a Go can stay blocked with the pool's only slot free.
//
// Pool.Go (pool/pool.go:54-67) either takes a limiter token and spawns a worker (line 58)
// and then sends its task on the shared, unbuffered tasks channel (line 63), or hands its
// task to a free worker through that channel (line 64). The worker it spawned can receive
// another blocked Go's task first, because that Go has been queued on the channel longer.
// If that task panics (or calls runtime.Goexit), the worker exits, frees its token
// (line 151) to nobody, and the first Go waits for a worker that no one will start: with a
// limit of 1, until some later Go spawns one.
//
// Here: limit 1; task A runs; Go(B) and then Go(C) block. A panics, its worker exits and
// frees the token; Go(B) takes it (it has waited longest on the limiter), spawns a worker and
// sends B, but the worker receives C (queued on the tasks channel before B's send). C
// panics: no worker is left and Go(B) never returns. Channel queues are FIFO, so this order
// does not depend on the scheduler; the test runs in a testing/synctest bubble.
//
// Fixed on conc's main by PR #112 (commit 8e5ba59, merged 2023-05-03: "always spawn a worker
// with the task it was supposed to complete"), which no release contains. fix.patch is that
// commit applied to v0.3.0.
package concrepro

import (
	"testing"
	"testing/synctest"

	"github.com/sourcegraph/conc/pool"
)

func TestPanicStrandsGo(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := pool.New().WithMaxGoroutines(1)
		releaseA := make(chan struct{})
		p.Go(func() { <-releaseA; panic("A") })
		ranB := make(chan struct{})
		goB := goDone(func() { p.Go(func() { close(ranB) }) })
		synctest.Wait() // Go(B) is blocked: the only slot runs A
		goC := goDone(func() { p.Go(func() { panic("C") }) })
		synctest.Wait() // Go(C) is blocked behind Go(B)
		close(releaseA)
		<-goC
		synctest.Wait()
		select {
		case <-ranB:
		default:
			t.Error("A and C panicked and no task runs, yet Go(B) is still blocked and B never started: the free slot idles")
			p.Go(func() {}) // a later Go spawns a worker, which takes B: lets the test end
			<-ranB
		}
		<-goB
		func() {
			defer func() {
				if recover() == nil {
					t.Error("Wait did not re-panic the tasks' panic")
				}
			}()
			p.Wait()
		}()
	})
}

// goDone runs f in a goroutine and returns a channel closed when f returns.
func goDone(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	return done
}
