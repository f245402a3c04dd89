package adapt

import "sync"

// Tracker counts accepted, unfinished tasks, for a library that has no Wait of its own.
//
// It is a mutex, a counter and a channel, not a sync.WaitGroup: the pools.Pool contract
// allows Submit during Wait, and a WaitGroup forbids an Add from zero concurrent with Wait.
// A task counts from the moment its library accepted it (Job.Accept), not from the moment
// Submit began: a Submit still blocked in the library when Wait begins was not accepted
// before it, and Wait does not wait for it. Wait returns when no accepted task is
// unfinished, so it also waits for tasks accepted while it waits, as sync.WaitGroup.Wait
// does.
//
// The zero Tracker is ready to use. Its methods are safe for concurrent use.
type Tracker struct {
	mu   sync.Mutex
	n    int           // accepted tasks not yet finished
	idle chan struct{} // made by a waiting Wait while n > 0; closed when n drops to 0
}

// jobState is where a Job stands, under Tracker.mu.
type jobState uint8

const (
	pending  jobState = iota // handed to the library, not yet accepted, not finished
	counted                  // accepted and counted in Tracker.n
	finished                 // counted, then finished: no longer in Tracker.n
	early                    // finished before Accept: never counted
)

// Job is one task as its Tracker sees it: hand Run to the library, then call Accept once
// the library has accepted it. A Job the library refused needs nothing more.
type Job struct {
	tr    *Tracker
	task  func()
	state jobState
}

// Job wraps task for submission to the library. It does not count it yet.
func (t *Tracker) Job(task func()) *Job { return &Job{tr: t, task: task} }

// Run runs the task. Its bookkeeping is deferred, so it also happens when the task panics
// or calls runtime.Goexit, and the count never leaks. Run is meant to be called once, by the
// library; a library that calls it again runs the task again (the harness reports that as
// an exactly-once failure), but the count is not decremented twice.
func (j *Job) Run() {
	defer j.finish()
	j.task()
}

// Accept counts the job from now until it finishes. It is a no-op when the job has already
// finished (a library may run a task before its submit returns) or was already accepted.
func (j *Job) Accept() {
	t := j.tr
	t.mu.Lock()
	if j.state == pending {
		j.state = counted
		t.n++
	}
	t.mu.Unlock()
}

func (j *Job) finish() {
	t := j.tr
	t.mu.Lock()
	switch j.state {
	case counted:
		j.state = finished
		t.n--
		if t.n == 0 && t.idle != nil {
			close(t.idle)
			t.idle = nil
		}
	case pending:
		j.state = early
	}
	t.mu.Unlock()
}

// Wait blocks until no accepted task is unfinished. It blocks on a channel, never on a held
// mutex, so a goroutine in Wait is durably blocked in a testing/synctest bubble.
func (t *Tracker) Wait() {
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
