package adapt_test

import (
	"context"
	"sync"
	"testing"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/adapt"
)

// The package doc's snippet, run on the toy library: a library outside the catalogue,
// adapted with the kit, keeps every property the harness checks. With AbandonOnCancel the
// strictest traits hold, cancel included, though the library ignores ctx.
func TestCheckToyLibrary(t *testing.T) {
	for _, c := range []struct {
		name    string
		abandon bool
		traits  harness.Traits
	}{
		{"toy", false, harness.Traits{IgnoresCtx: true}},
		{"toy-abandon-on-cancel", true, harness.Traits{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			harness.Check(t, harness.Subject{
				Name: c.name,
				New: func(limit int) pools.Pool {
					lib := newToy(limit)
					p, err := adapt.New(adapt.Library{
						Submit:          lib.Go,
						TrySubmit:       lib.TryGo,
						Stop:            lib.wg.Wait,
						AbandonOnCancel: c.abandon,
					})
					if err != nil {
						panic(err)
					}
					return p
				},
				Traits: c.traits,
			})
		})
	}
}

// A library with a closed state of its own (Library.Close) keeps every property too.
func TestCheckToyLibraryWithItsOwnClose(t *testing.T) {
	harness.Check(t, harness.Subject{
		Name: "toy-own-close",
		New: func(limit int) pools.Pool {
			l := newClosingToy(limit)
			p, err := adapt.New(adapt.Library{Submit: l.Go, Close: l.Close})
			if err != nil {
				panic(err)
			}
			return p
		},
		Traits: harness.Traits{IgnoresCtx: true},
	})
}

// closingToy is the toy with a closed state: Go after Close returns pools.ErrClosed, Close
// wakes blocked Go calls and waits for the running tasks. The flag under mu makes a Go that
// got a slot as Close began give it back, and keeps every wg.Add before Close's wg.Wait.
type closingToy struct {
	*toy
	mu       sync.Mutex
	isClosed bool
	closed   chan struct{}
}

func newClosingToy(limit int) *closingToy {
	return &closingToy{toy: newToy(limit), closed: make(chan struct{})}
}

func (l *closingToy) Go(_ context.Context, task func()) error {
	select {
	case l.sem <- struct{}{}:
	case <-l.closed:
		return pools.ErrClosed
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.isClosed {
		<-l.sem
		return pools.ErrClosed
	}
	l.start(task)
	return nil
}

// Close is called once, by the kit.
func (l *closingToy) Close() {
	l.mu.Lock()
	l.isClosed = true
	close(l.closed)
	l.mu.Unlock()
	l.wg.Wait()
}

// The kit does not hide a library's bugs behind its own closed state: given the library's
// Close, it calls it and trusts it. Here the library's Go checks its closed state only
// before it waits for a slot, so a Go blocked when Close runs gets a slot after Close has
// returned, and its task starts then; the harness finds it.
func TestCheckFindsBugInLibraryClose(t *testing.T) {
	r, err := harness.Explore(t, harness.Subject{
		Name: "toy-racy-close",
		New: func(limit int) pools.Pool {
			l := &racyCloseToy{sem: make(chan struct{}, limit), closed: make(chan struct{})}
			p, err := adapt.New(adapt.Library{Submit: l.Go, Close: l.Close})
			if err != nil {
				panic(err)
			}
			return p
		},
		Traits: harness.Traits{IgnoresCtx: true},
	}, harness.Properties("close"), harness.Seed(1))
	if err != nil {
		t.Fatal(err)
	}
	res := r.Results[0]
	t.Logf("found after %d schedules in %v; %v with shrinking", res.FoundAfter, res.FoundIn, res.Elapsed)
	if res.Verdict != harness.Fail {
		t.Fatalf("close: %s, want fail (the library accepts tasks after its Close)", res.Verdict)
	}
}

// racyCloseToy has a closed state with a bug: Go checks it on entry only, not while it
// waits for a slot nor once it has one. Its Close waits for the tasks it accepted (counted
// with an adapt.Tracker).
type racyCloseToy struct {
	sem    chan struct{}
	closed chan struct{}
	tasks  adapt.Tracker
}

func (l *racyCloseToy) Go(_ context.Context, task func()) error {
	select {
	case <-l.closed:
		return pools.ErrClosed
	default:
	}
	l.sem <- struct{}{}
	j := l.tasks.Job(task)
	j.Accept()
	go func() {
		defer func() { <-l.sem }()
		defer func() { _ = recover() }()
		j.Run()
	}()
	return nil
}

func (l *racyCloseToy) Close() {
	close(l.closed)
	l.tasks.Wait()
}
