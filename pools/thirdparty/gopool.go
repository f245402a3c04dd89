package thirdparty

import (
	"context"
	"fmt"
	"math"

	"github.com/bytedance/gopkg/util/gopool"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// GoPool adapts github.com/bytedance/gopkg/util/gopool's Pool.
//
// What gopool promises (v0.1.4, README.md and pool.go): it "aims to reuse goroutines and
// limit the number of goroutines", "an alternative to the go keyword": Go and CtxGo append
// the task to an unbounded linked list and return at once, starting a worker while fewer
// than cap run; it is "Auto-recovering Panics" (SetPanicHandler is called with the
// recovered value); workers exit once the list is empty. CtxGo's ctx only reaches the panic
// handler. The pool has no Wait and no closed state.
//
// What the adapter adds with package adapt: Wait (the kit's Tracker), a closed state with
// pools.ErrClosed and Close (the kit's: refuse, wait for every accepted task; gopool's
// workers then exit by themselves), pools.ErrNilTask. It silences the default panic log
// (logger.CtxErrorf) with a no-op handler. The adapter offers no Resize: SetCap only
// changes the bound CtxGo compares against when it starts a worker.
type GoPool struct {
	pools.Pool // the kit's
}

// NewGoPool returns a gopool Pool of capacity limit (1 <= limit <= math.MaxInt32) with the
// default Config.
func NewGoPool(limit int) (*GoPool, error) {
	if limit < 1 || limit > math.MaxInt32 {
		return nil, fmt.Errorf("%w: gopool limit %d, want 1 to %d", pools.ErrLimit, limit, math.MaxInt32)
	}
	p := gopool.NewPool("poolcheck", int32(limit), gopool.NewConfig())
	p.SetPanicHandler(func(context.Context, any) {})
	kit, err := adapt.New(adapt.Library{
		// CtxGo never blocks: the list is unbounded.
		Submit: func(ctx context.Context, task func()) error { p.CtxGo(ctx, task); return nil },
	})
	if err != nil {
		return nil, err
	}
	return &GoPool{Pool: kit}, nil
}
