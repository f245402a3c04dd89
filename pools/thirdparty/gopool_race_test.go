//go:build race

package thirdparty_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bytedance/gopkg/util/gopool"
)

// TestFindingGoPoolOverLimit confirms, with gopool alone, that CtxGo can start more
// workers than the pool's cap: it reads WorkerCount() < cap (pool.go:133) and only then
// increments the count (pool.go:134), with no lock or compare-and-swap between, so two
// CtxGo calls on a pool of cap 1 with no worker can both pass the check and both start a
// worker, which then run two tasks at once.
//
// Known upstream: bytedance/gopkg pull request #231 proposed a compare-and-swap; it was
// closed unmerged, and the code is unchanged on the default branch.
//
// It depends on true parallelism and on the race detector: the window is a few
// instructions wide, so the test releases bursts of CtxGo calls together on GOMAXPROCS >= 2
// and reads WorkerCount once they have returned (exact: a worker only decrements it when it
// finds the list empty, and every task here blocks until released). Under -race (this
// file's build tag) it reproduced within 0.2 s in every run on this 2-CPU machine; without
// -race it took up to 20 s or more, so the test is built only with -race. It skips on a
// single CPU.
func TestFindingGoPoolOverLimit(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("needs two CPUs: the window is a check-then-act race")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(runtime.GOMAXPROCS(0), 2)))
	const submitters = 4
	deadline := time.Now().Add(20 * time.Second)
	for round := 1; time.Now().Before(deadline); round++ {
		p := gopool.NewPool("over-limit", 1, gopool.NewConfig())
		var running, peak atomic.Int32
		release := make(chan struct{})
		var tasks sync.WaitGroup
		task := func() {
			defer tasks.Done()
			n := running.Add(1)
			for old := peak.Load(); n > old && !peak.CompareAndSwap(old, n); old = peak.Load() {
			}
			<-release
			running.Add(-1)
		}
		start := make(chan struct{})
		var submitted sync.WaitGroup
		for range submitters {
			tasks.Add(1)
			submitted.Add(1)
			go func() {
				defer submitted.Done()
				<-start
				p.CtxGo(context.Background(), task)
			}()
		}
		close(start)
		submitted.Wait()
		workers := p.WorkerCount()
		if workers > 1 {
			// Every worker takes a task and blocks in it: wait until they all run.
			for running.Load() < workers {
				runtime.Gosched()
			}
		}
		close(release)
		tasks.Wait()
		if workers > 1 {
			t.Logf("round %d: %d workers on a pool of cap 1; %d tasks ran at once", round, workers, peak.Load())
			if peak.Load() < 2 {
				t.Fatalf("%d workers but at most %d tasks at once", workers, peak.Load())
			}
			return
		}
	}
	t.Fatal("no round started two workers on a pool of cap 1 in 20s")
}
