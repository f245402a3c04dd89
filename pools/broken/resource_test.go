package broken

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// counted is a factory of ints whose Creates take latency, counting Creates and Destroys.
type counted struct {
	latency            time.Duration
	created, destroyed atomic.Int32
}

func (c *counted) factory() resource.Factory[int] {
	return resource.Factory[int]{
		Create: func(ctx context.Context) (int, error) {
			time.Sleep(c.latency)
			return int(c.created.Add(1)), nil
		},
		Destroy: func(int) { c.destroyed.Add(1) },
	}
}

func mustAcquire(t *testing.T, p resource.Pool[int]) int {
	t.Helper()
	r, err := p.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// acquireAsync acquires on a goroutine of its own; the result arrives on the channel.
func acquireAsync(ctx context.Context, p resource.Pool[int]) chan int {
	got := make(chan int, 1)
	go func() {
		r, err := p.Acquire(ctx)
		if err != nil {
			r = -1
		}
		got <- r
	}()
	return got
}

func TestRoundRobinWaitsOnABusyBrowser(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{}
		p := NewRoundRobin(2, 1, c.factory())
		a := mustAcquire(t, p) // browser 1
		b := mustAcquire(t, p) // browser 2
		p.Release(b)           // browser 2 is idle now
		third := acquireAsync(context.Background(), p)
		synctest.Wait()
		select {
		case r := <-third:
			t.Fatalf("the third holder got browser %d at once; the seed's pool makes it wait for browser 1", r)
		default:
		}
		p.Release(a)
		if r := <-third; r != a {
			t.Fatalf("the third holder got %d, want browser %d, its turn", r, a)
		}
		p.Release(a)
		p.Close()
	})
}

func TestDoubleHandoutLendsOneResourceTwice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewDoubleHandout(1, (&counted{}).factory())
		a := mustAcquire(t, p)
		waiter := acquireAsync(context.Background(), p)
		synctest.Wait()
		p.Release(a)
		w := <-waiter
		third := mustAcquire(t, p)
		if w != third {
			t.Fatalf("the waiter got %d and the next holder %d; the bug hands both the same", w, third)
		}
		p.Release(w)
		p.Close()
	})
}

func TestOverMaxCreatesPastTheMaximum(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{latency: time.Millisecond}
		p := NewOverMax(1, c.factory())
		x, y := acquireAsync(context.Background(), p), acquireAsync(context.Background(), p)
		a, b := <-x, <-y
		if c.created.Load() != 2 {
			t.Fatalf("%d resources made with a maximum of 1; the bug makes 2", c.created.Load())
		}
		p.Release(a)
		p.Release(b)
		p.Close()
	})
}

func TestAlwaysCreateMakesBeforeReusing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{}
		p := NewAlwaysCreate(2, c.factory())
		p.Release(mustAcquire(t, p))
		p.Release(mustAcquire(t, p))
		if c.created.Load() != 2 {
			t.Fatalf("%d resources made for two holds in turn; the bug makes 2 instead of reusing 1", c.created.Load())
		}
		p.Close()
	})
}

func TestCtxLeakLosesTheResourceItMakes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{latency: 2 * time.Millisecond}
		f, made := c.factory(), make(chan struct{})
		create := f.Create
		f.Create = func(ctx context.Context) (int, error) {
			defer close(made)
			return create(ctx)
		}
		p := NewCtxLeak(1, f)
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		if _, err := p.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Acquire = %v, want its ctx's error", err)
		}
		<-made // the background Create ends
		synctest.Wait()
		p.Close()
		if c.created.Load() != 1 || c.destroyed.Load() != 0 {
			t.Fatalf("made %d, destroyed %d; the bug makes 1 and never destroys it", c.created.Load(), c.destroyed.Load())
		}
	})
}

func TestCloseEarlyNeverDestroysAResourceReleasedAfterIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{}
		p := NewCloseEarly(1, c.factory())
		a := mustAcquire(t, p)
		p.Close() // returns although a is held
		p.Release(a)
		if c.destroyed.Load() != 0 {
			t.Fatalf("destroyed %d; the bug destroys nothing released after Close", c.destroyed.Load())
		}
	})
}

func TestCloseHangsWhileAResourceIsHeld(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewCloseHangs(1, (&counted{}).factory())
		a := mustAcquire(t, p)
		closed := make(chan struct{})
		go func() {
			p.Close()
			close(closed)
		}()
		synctest.Wait()
		p.Release(a)
		synctest.Wait()
		select {
		case <-closed:
			t.Fatal("Close returned after the release; the bug makes it wait for ever")
		default:
		}
		close(p.released) // undo the hang by hand
		<-closed
	})
}

func TestNoWakeupLeavesAWaiterAsleep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewNoWakeup(1, (&counted{}).factory())
		a := mustAcquire(t, p)
		ctx, cancel := context.WithCancel(context.Background())
		waiter := acquireAsync(ctx, p)
		synctest.Wait()
		p.Release(a)
		synctest.Wait()
		select {
		case r := <-waiter:
			t.Fatalf("the waiter got %d; the bug leaves it asleep", r)
		default:
		}
		cancel() // undo: the waiter gives up
		if r := <-waiter; r != -1 {
			t.Fatalf("the cancelled waiter got %d", r)
		}
		p.Close()
	})
}
