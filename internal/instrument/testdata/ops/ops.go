// Package ops has one of every operation the instrumenter rewrites, and look-alikes it
// must leave alone.
package ops

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

type counter struct {
	n    atomic.Int64
	old  int64
	p    atomic.Pointer[string]
	v    atomic.Value
	mu   sync.Mutex
	rw   sync.RWMutex
	cond *sync.Cond
	wg   sync.WaitGroup
	once sync.Once
}

type embedded struct {
	sync.Mutex
	atomic.Bool
}

// fakeMutex has the names but not the types: nothing of it is rewritten.
type fakeMutex struct{}

func (fakeMutex) Lock()   {}
func (fakeMutex) Unlock() {}

func atomics(c *counter, s *string) int64 {
	c.n.Add(1)
	atomic.AddInt64(&c.old, 1)
	if atomic.LoadInt64(&c.old) > c.n.Load() {
		c.p.Store(s)
	}
	c.v.Store(1)
	var local atomic.Int32
	local.CompareAndSwap(0, 1)
	return c.n.Load() + int64(local.Load())
}

func locks(c *counter, pm *sync.Mutex, e *embedded, f fakeMutex) {
	c.mu.Lock()
	c.mu.Unlock()
	pm.Lock()
	defer pm.Unlock()
	c.rw.RLock()
	c.rw.RUnlock()
	if c.rw.TryLock() {
		c.rw.Unlock()
	}
	e.Lock()
	e.Store(true)
	e.Unlock()
	f.Lock()
	f.Unlock()
}

func conds(c *counter) {
	c.cond.L.Lock() // through the sync.Locker interface: not rewritten
	for c.n.Load() == 0 {
		c.cond.Wait()
	}
	c.cond.L.Unlock()
	c.cond.Broadcast()
	c.wg.Add(1)
	c.wg.Go(func() {})
	c.wg.Done()
	c.wg.Wait()
	c.once.Do(func() {})
}

func channels(in <-chan int, out chan<- int, done chan struct{}) int {
	out <- <-in
	v, ok := <-in
	select {
	case x := <-in:
		v += x
	case out <- v:
	case <-done:
		return 0
	default:
	}
	for x := range in {
		v += x
	}
	defer close(done)
	close := func(int) {} // shadows the builtin: not rewritten
	close(v)
	if ok {
		return v
	}
	return -v
}

func worker(n int, s ...string) {}

func generic[T any](x T) {}

func goroutines(c *counter) {
	go worker(1)
	go worker(2, "a", "b")
	go func() {
		defer c.wg.Done()
	}()
	go c.mu.Unlock()
	go generic(3)
	go generic[int](4)
	go println("x")
}

func spin(flag *atomic.Bool) {
	for !flag.Load() {
		runtime.Gosched()
	}
}

// first's select is seeded (in Exact mode) and still a terminating statement.
func first(ctx context.Context, a, b <-chan int) int {
	select {
	case v := <-a:
		return v
	case <-ctx.Done():
		return -1
	case v := <-b:
		return v
	}
}

// later's select is not seeded: time.After has an effect, it must run once.
func later(a <-chan int) int {
	select {
	case v := <-a:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

// newConds: every Locker handed to a sync.Cond is wrapped.
func newConds(c *counter) (*sync.Cond, sync.Cond) {
	c.cond = sync.NewCond(&c.mu)
	c.cond.L = &c.rw
	return c.cond, sync.Cond{L: &c.mu}
}
