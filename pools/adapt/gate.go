package adapt

import "sync"

// Gate gives a library the closed state it lacks, or cannot offer safely, and an idempotent
// Close. After Close begins, Enter fails; Close runs its stop function once, after every
// caller that entered has left, and every Close call returns only after stop has.
//
// Waiting is on channels, never on a held mutex: in a testing/synctest bubble a goroutine
// blocked on a mutex is not durably blocked, and virtual time would stop.
//
// The zero Gate is open. Its methods are safe for concurrent use.
type Gate struct {
	mu     sync.Mutex
	closed bool
	inside int           // callers between Enter and Leave
	left   chan struct{} // closed when closed and inside == 0
	done   chan struct{} // closed when the first Close has finished stop
}

// Enter reports whether the gate is still open; if it is, the caller must call Leave.
func (g *Gate) Enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.inside++
	return true
}

// Leave ends an Enter that returned true.
func (g *Gate) Leave() {
	g.mu.Lock()
	g.inside--
	if g.closed && g.inside == 0 {
		close(g.left)
	}
	g.mu.Unlock()
}

// Closed reports whether Close has begun.
func (g *Gate) Closed() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.closed
}

// Close shuts the gate, blocks until the callers inside have left, runs stop (once, even
// when Close is called again or concurrently; stop may be nil) and returns after stop has
// returned or panicked. Later and concurrent calls block until then. A panic in stop reaches
// the first caller only.
func (g *Gate) Close(stop func()) {
	g.mu.Lock()
	if g.done != nil {
		done := g.done
		g.mu.Unlock()
		<-done
		return
	}
	g.closed = true
	g.done = make(chan struct{})
	g.left = make(chan struct{})
	if g.inside == 0 {
		close(g.left)
	}
	g.mu.Unlock()
	defer close(g.done)
	<-g.left
	if stop != nil {
		stop()
	}
}
