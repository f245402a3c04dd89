package broken

import (
	"fmt"
	"sync"

	"github.com/poolcheck/poolcheck/pools"
)

// inflight counts accepted tasks that have not finished. wait blocks until the count is
// zero: a correct "wait until idle" that the pools share where their bug lies elsewhere.
type inflight struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to zero; nil before the first add
}

func (f *inflight) add() {
	f.mu.Lock()
	if f.n == 0 {
		f.idle = make(chan struct{})
	}
	f.n++
	f.mu.Unlock()
}

func (f *inflight) done() {
	f.mu.Lock()
	f.n--
	if f.n == 0 {
		close(f.idle)
	}
	f.mu.Unlock()
}

func (f *inflight) wait() {
	f.mu.Lock()
	if f.n == 0 {
		f.mu.Unlock()
		return
	}
	idle := f.idle
	f.mu.Unlock()
	<-idle
}

// safely runs task and recovers a panic. runtime.Goexit still unwinds the caller.
func safely(task func()) {
	defer func() { _ = recover() }()
	task()
}

// mustLimit panics on a limit below 1, as the constructors of package pools refuse one.
func mustLimit(limit int) {
	if limit < 1 {
		panic(fmt.Errorf("%w: %d", pools.ErrLimit, limit))
	}
}
