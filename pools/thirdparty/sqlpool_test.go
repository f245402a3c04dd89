package thirdparty_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/pools/resource"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

// slowFactory makes ints, each Create taking 1ms, and counts the Creates that overlap.
type slowFactory struct {
	mu          sync.Mutex
	next        int
	running     int
	mostRunning int
}

func (f *slowFactory) factory() resource.Factory[int] {
	return resource.Factory[int]{
		Create: func(ctx context.Context) (int, error) {
			f.mu.Lock()
			f.running++
			f.mostRunning = max(f.mostRunning, f.running)
			f.next++
			id := f.next
			f.mu.Unlock()
			time.Sleep(time.Millisecond)
			f.mu.Lock()
			f.running--
			f.mu.Unlock()
			return id, nil
		},
		Destroy: func(int) {},
	}
}

// database/sql opens the connections its waiting callers need one at a time: when two
// connections in use are discarded while two callers wait, there is room for two new
// ones, but its single connectionOpener goroutine makes them one after the other, so the
// second caller waits two Create latencies instead of one (the database-sql entry's
// resource-work-conserving finding). Deterministic: synctest's virtual time.
func TestFindingSQLOpensQueuedConnectionsOneAtATime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &slowFactory{}
		p := thirdparty.NewSQLPool(2, f.factory())
		defer p.Close()
		ctx := context.Background()
		a, err := p.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := p.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		type served struct {
			r     int
			after time.Duration
		}
		got := make(chan served, 2)
		for range 2 {
			go func() {
				r, err := p.Acquire(ctx)
				if err != nil {
					t.Error(err)
				}
				got <- served{r, time.Since(start)} // held until both are served
			}()
		}
		synctest.Wait() // both wait in database/sql's request queue
		p.Discard(a)
		p.Discard(b)
		c, d := <-got, <-got
		p.Release(c.r)
		p.Release(d.r)
		first, second := c.after, d.after
		if first != time.Millisecond || second != 2*time.Millisecond || f.mostRunning != 1 {
			t.Fatalf("waiters served after %v and %v, at most %d Creates at once; want 1ms, 2ms and 1 (serial opening)",
				first, second, f.mostRunning)
		}
	})
}
