package broken

import (
	"context"
	"fmt"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/resource"
)

// bell wakes every waiter at once: a channel closed and replaced on each ring. Its
// methods are called with the owner's mutex held.
type bell struct{ ch chan struct{} }

func newBell() bell { return bell{make(chan struct{})} }

func (b *bell) ring() {
	close(b.ch)
	b.ch = make(chan struct{})
}

// wait unlocks mu until the next ring or the end of ctx, and locks it again.
func (b *bell) wait(mu *sync.Mutex, ctx context.Context) error {
	ch := b.ch
	mu.Unlock()
	defer mu.Lock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// mustFactory panics on a bad maximum or factory, as the constructors of package
// pools/resource refuse them.
func mustFactory[R any](max int, f resource.Factory[R]) {
	if max < 1 {
		panic(fmt.Errorf("%w: %d", pools.ErrLimit, max))
	}
	if f.Create == nil || f.Destroy == nil {
		panic(resource.ErrFactory)
	}
}

// destroyAll destroys rs.
func destroyAll[R any](f resource.Factory[R], rs []R) {
	for _, r := range rs {
		f.Destroy(r)
	}
}
