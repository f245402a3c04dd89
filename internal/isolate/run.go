package isolate

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Spec is a child process to run.
type Spec struct {
	Path string   // the executable
	Args []string // its arguments, without the program name
	Env  []string // added to this process's environment
	Dir  string   // its working directory ("" = this process's)
	// Stall is how long the child may go without sending a message before it counts as
	// wedged: it is then sent SIGQUIT, given DumpWait to print its goroutines, and killed.
	// 0 means no bound.
	Stall time.Duration
	// DumpWait is how long a wedged child gets to print its goroutine dump (default 2s).
	DumpWait time.Duration
	// OnMessage is called, in order, with every message the child sends.
	OnMessage func(Message)
	// Echo, when not nil, receives a copy of the child's stderr and of whatever it printed on
	// stdout that was not a message.
	Echo io.Writer
}

// Outcome is how a child ended.
type Outcome struct {
	Messages int    // messages received
	Exit     string // the process state ("exit status 2", "signal: killed"), "" if it exited 0
	// Crash is nil when the child exited 0, or exited only to report data races (see Races).
	Crash *Crash
	// Races holds the race detector's reports (the blocks between its "=====" lines).
	Races []string
	// Output is the child's stderr and non-message stdout, its beginning and end kept when
	// it was long.
	Output string
}

// raceExitCode is the race detector's exit status after it reported (GORACE exitcode).
const raceExitCode = 66

// Run starts the child, reads its messages until it exits, and returns what became of it.
// It returns an error only when the child could not be started.
func Run(spec Spec) (Outcome, error) {
	cmd := exec.Command(spec.Path, spec.Args...)
	cmd.Env = append(os.Environ(), spec.Env...)
	cmd.Env = append(cmd.Env, "GORACE="+noExitSleep(os.Getenv("GORACE")))
	cmd.Dir = spec.Dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Outcome{}, err
	}
	out := &bounded{max: 1 << 20}
	var errw io.Writer = out
	if spec.Echo != nil {
		errw = io.MultiWriter(out, spec.Echo)
	}
	cmd.Stderr = &lockedWriter{w: errw}
	if err := cmd.Start(); err != nil {
		return Outcome{}, fmt.Errorf("isolate: starting %s: %w", spec.Path, err)
	}

	var oc Outcome
	alive := make(chan struct{}, 1) // a message arrived (a doorbell)
	read := make(chan struct{})
	go func() {
		defer close(read)
		scanMessages(stdout, func(m Message) {
			oc.Messages++
			if spec.OnMessage != nil {
				spec.OnMessage(m)
			}
			select {
			case alive <- struct{}{}:
			default:
			}
		}, cmd.Stderr)
	}()

	var wedged atomic.Bool
	if spec.Stall > 0 {
		go func() {
			timer := time.NewTimer(spec.Stall)
			defer timer.Stop()
			for {
				select {
				case <-read:
					return
				case <-alive:
					timer.Reset(spec.Stall)
				case <-timer.C:
					wedged.Store(true)
					quit(cmd.Process)
					wait := spec.DumpWait
					if wait <= 0 {
						wait = 2 * time.Second
					}
					select {
					case <-read:
					case <-time.After(wait):
						cmd.Process.Kill()
					}
					return
				}
			}
		}()
	}
	<-read
	waitErr := cmd.Wait()
	oc.Output = out.String()
	oc.Races = races(oc.Output)
	var exit *exec.ExitError
	if errors.As(waitErr, &exit) {
		oc.Exit = exit.ProcessState.String()
	} else if waitErr != nil {
		oc.Exit = waitErr.Error()
	}
	switch {
	case wedged.Load():
		oc.Crash = &Crash{Kind: Hung, Reason: fmt.Sprintf("the process made no progress for %v and was stopped", spec.Stall),
			Detail: oc.Output}
	case waitErr == nil:
	case exit != nil && exit.ExitCode() == raceExitCode && len(oc.Races) > 0 && !crashed(oc.Output):
		// The race detector's own exit: the races are the finding.
	default:
		oc.Crash = classify(oc.Output, oc.Exit)
	}
	return oc, nil
}

// noExitSleep adds atexit_sleep_ms=0 to the GORACE options unless they set it: a race
// build sleeps a second before it exits, by default, and a child's exit would cost that.
func noExitSleep(gorace string) string {
	if strings.Contains(gorace, "atexit_sleep_ms") {
		return gorace
	}
	return strings.TrimSpace(gorace + " atexit_sleep_ms=0")
}

// lockedWriter serializes writes from the stderr copier and the message reader.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// bounded keeps the first and the last bytes written to it, up to max in all.
type bounded struct {
	max  int
	head []byte
	tail []byte
	cut  bool
}

func (b *bounded) Write(p []byte) (int, error) {
	n := len(p)
	if len(b.head) < b.max/2 {
		k := min(len(p), b.max/2-len(b.head))
		b.head = append(b.head, p[:k]...)
		p = p[k:]
	}
	b.tail = append(b.tail, p...)
	if over := len(b.tail) - b.max/2; over > 0 {
		b.tail = b.tail[over:]
		b.cut = true
	}
	return n, nil
}

func (b *bounded) String() string {
	if b.cut {
		return string(b.head) + "\n... (output cut) ...\n" + string(b.tail)
	}
	return string(b.head) + string(b.tail)
}
