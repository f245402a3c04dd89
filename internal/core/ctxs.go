package core

import (
	"context"
	"sync"
	"time"

	"github.com/poolcheck/poolcheck/props"
)

// ctxs makes the contexts of a resource or retry run's calls and records their ends.
type ctxs struct {
	rec   *recorder
	mu    sync.Mutex
	stops []func() // cancel every ctx and timer made
}

// make returns the ctx of task's call, and ended, which records its end as an event of
// kind done for task (once, however often it is called). A timeout's end is recorded by a
// context.AfterFunc, which may run after the call it ended returned: callers call ended
// too when they see context.DeadlineExceeded, so a ctx error is never recorded before the
// ctx's end.
func (m *ctxs) make(actor, task int, done props.Kind, c Ctx) (ctx context.Context, ended func()) {
	if c.Kind == CtxBackground {
		return context.Background(), func() {}
	}
	ended = sync.OnceFunc(func() { m.rec.add(props.Event{Kind: done, Actor: actor, Task: task}) })
	var cancel context.CancelFunc
	stop := func() {}
	switch c.Kind {
	case CtxDone:
		ctx, cancel = context.WithCancel(context.Background())
		ended()
		cancel()
	case CtxCancel:
		ctx, cancel = context.WithCancel(context.Background())
		t := time.AfterFunc(c.After, func() {
			ended()
			cancel()
		})
		stop = func() { t.Stop() }
	case CtxTimeout:
		ctx, cancel = context.WithTimeout(context.Background(), c.After)
		context.AfterFunc(ctx, func() {
			if ctx.Err() == context.DeadlineExceeded {
				ended()
			}
		})
	}
	m.mu.Lock()
	m.stops = append(m.stops, func() {
		stop()
		cancel()
	})
	m.mu.Unlock()
	return ctx, ended
}

// stopAll cancels every ctx made and stops their timers.
func (m *ctxs) stopAll() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.stops {
		s()
	}
	m.stops = nil
}
