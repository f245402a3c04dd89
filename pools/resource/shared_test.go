package resource_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/resource"
)

func ints() resource.Factory[int] {
	n := 0
	return resource.Factory[int]{
		Create:  func(context.Context) (int, error) { n++; return n, nil },
		Destroy: func(int) {},
	}
}

func TestNewSharedRefusesBadInput(t *testing.T) {
	if _, err := resource.NewShared(0, 1, ints()); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("max 0: %v, want ErrLimit", err)
	}
	if _, err := resource.NewShared(1, 0, ints()); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("slots 0: %v, want ErrLimit", err)
	}
	if _, err := resource.NewShared(1, 1, resource.Factory[int]{}); !errors.Is(err, resource.ErrFactory) {
		t.Errorf("no factory: %v, want ErrFactory", err)
	}
}

// A browser pool of 2 browsers with 2 pages: the third holder gets a page of the
// least-loaded browser without a third browser being made, and a fifth waits until any
// page frees.
func TestSharedTakesAnyFreeSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := resource.NewShared(2, 2, ints())
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		ctx := context.Background()
		var got []int
		for range 4 {
			r, err := p.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		if got[0] != 1 || got[1] != 1 || got[2] != 2 || got[3] != 2 {
			t.Fatalf("holders got %v, want browsers 1, 1, 2, 2 (a page of an existing browser before a new one)", got)
		}
		fifth := make(chan int)
		go func() {
			r, _ := p.Acquire(ctx)
			fifth <- r
		}()
		synctest.Wait()
		p.Release(2)
		if r := <-fifth; r != 2 {
			t.Fatalf("the waiter got browser %d, want 2, whose page freed", r)
		}
		for _, r := range []int{1, 1, 2, 2} {
			p.Release(r)
		}
	})
}

// Release of a resource the pool did not lend is ignored; Close then returns, and an
// Acquire after it gets ErrClosed; a second Close returns too.
func TestSharedIgnoresStrangersAndCloses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, err := resource.NewShared(1, 1, ints())
		if err != nil {
			t.Fatal(err)
		}
		p.Release(42)
		r, err := p.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		closed := make(chan struct{})
		go func() {
			p.Close()
			close(closed)
		}()
		synctest.Wait() // Close is blocked, or has returned
		select {
		case <-closed:
			t.Fatal("Close returned while a resource was held")
		default:
		}
		p.Release(r)
		<-closed
		if _, err := p.Acquire(context.Background()); !errors.Is(err, resource.ErrClosed) {
			t.Errorf("Acquire after Close: %v, want ErrClosed", err)
		}
		p.Close()
	})
}
