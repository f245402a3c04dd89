package thirdparty

import "sync"

// tracker counts accepted, unfinished tasks, for an adapter whose library has no Wait.
//
// It is a mutex, a counter and a channel, not a sync.WaitGroup: the Pool contract allows
// Submit during Wait, and a WaitGroup forbids an Add from zero concurrent with Wait. A task
// counts from the moment its library accepted it, not from the moment Submit began: a Submit
// still blocked in the library when Wait begins was not accepted before it, and Wait does
// not wait for it. Wait returns when no accepted task is unfinished, so it also waits for
// tasks accepted while it waits (as sync.WaitGroup.Wait does).
type tracker struct {
	mu   sync.Mutex
	n    int           // accepted tasks not yet finished
	idle chan struct{} // made by a waiting Wait while n > 0; closed when n drops to 0
}

// jobState is where a job stands, under tracker.mu.
type jobState uint8

const (
	pending jobState = iota // submitted, not yet settled, not finished
	counted                 // accepted and counted in tracker.n
	early                   // finished before its Submit settled: never counted
)

// job is one submitted task as its tracker sees it.
type job struct {
	tr    *tracker
	task  func()
	state jobState
}

// job wraps task for submission to the library.
func (t *tracker) job(task func()) *job { return &job{tr: t, task: task} }

// run runs the task; the deferred finish also runs when the task panics or calls
// runtime.Goexit, so the count never leaks.
func (j *job) run() {
	defer j.tr.finish(j)
	j.task()
}

// settle records whether the library accepted j. A job that already finished (it can run
// before the library's Submit returns) is not counted.
func (t *tracker) settle(j *job, accepted bool) {
	if !accepted {
		return
	}
	t.mu.Lock()
	if j.state == pending {
		j.state = counted
		t.n++
	}
	t.mu.Unlock()
}

func (t *tracker) finish(j *job) {
	t.mu.Lock()
	if j.state == counted {
		t.n--
		if t.n == 0 && t.idle != nil {
			close(t.idle)
			t.idle = nil
		}
	} else {
		j.state = early
	}
	t.mu.Unlock()
}

// wait blocks until no accepted task is unfinished.
func (t *tracker) wait() {
	t.mu.Lock()
	if t.n == 0 {
		t.mu.Unlock()
		return
	}
	if t.idle == nil {
		t.idle = make(chan struct{})
	}
	idle := t.idle
	t.mu.Unlock()
	<-idle
}

// gate gives an adapter the closed state its library lacks, or cannot offer safely, and an
// idempotent Close. After close begins, enter fails; close runs stop once, after every
// Submit that entered has left, and every close call returns only after stop has.
//
// Waiting is on channels, never on a held mutex: in a testing/synctest bubble a goroutine
// blocked on a mutex is not durably blocked, and virtual time would stop.
type gate struct {
	mu     sync.Mutex
	closed bool
	inside int           // Submits between enter and leave
	left   chan struct{} // closed when closed and inside == 0
	done   chan struct{} // closed when the first close has finished stop
}

// enter reports whether the pool is still open; if it is, the caller must call leave.
func (g *gate) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.inside++
	return true
}

func (g *gate) leave() {
	g.mu.Lock()
	g.inside--
	if g.closed && g.inside == 0 {
		close(g.left)
	}
	g.mu.Unlock()
}

// close shuts the gate, waits for the Submits inside to leave, runs stop (once, even when
// called again or concurrently) and returns after stop has returned or panicked. A panic in
// stop reaches the first caller only.
func (g *gate) close(stop func()) {
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
	stop()
}
