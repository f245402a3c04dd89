package broken

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/pools/retry"
)

var errTry = errors.New("attempt fails on purpose")

func TestRetryAfterSuccessRetriesASuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewRetryAfterSuccess(1, retry.Policy{Retries: 1})
		defer p.Close()
		n := 0
		if err := p.Do(context.Background(), func(context.Context) error { n++; return nil }); err != nil || n != 2 {
			t.Fatalf("Do = %v after %d attempts; the bug makes a second attempt after a success", err, n)
		}
	})
}

func TestBackoffIgnoresCtxSleepsItOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewBackoffIgnoresCtx(1, retry.Policy{Retries: 1, Delay: 10 * time.Millisecond})
		defer p.Close()
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Millisecond, cancel)
		start := time.Now()
		err := p.Do(ctx, func(context.Context) error { return errTry })
		if !errors.Is(err, context.Canceled) || time.Since(start) != 10*time.Millisecond {
			t.Fatalf("Do = %v after %v; the bug returns only when the 10ms backoff is over", err, time.Since(start))
		}
	})
}

func TestTimeoutTimerGivesTheAttemptNoDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewTimeoutTimer(1, retry.Policy{Timeout: 2 * time.Millisecond})
		ended := make(chan time.Duration, 1)
		start := time.Now()
		err := p.Do(context.Background(), func(ctx context.Context) error {
			defer func() { ended <- time.Since(start) }()
			if _, ok := ctx.Deadline(); ok {
				return nil
			}
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Millisecond):
			}
			return nil
		})
		if !errors.Is(err, errAttemptTimeout) {
			t.Fatalf("Do = %v, want the timer's error", err)
		}
		if d := <-ended; d != 5*time.Millisecond {
			t.Fatalf("the attempt ended after %v; the bug lets it run its 5ms past a 2ms timeout", d)
		}
		p.Close()
	})
}

func TestTimeoutFreesSlotRunsTwoAttemptsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewTimeoutFreesSlot(1, retry.Policy{Retries: 1, Timeout: 2 * time.Millisecond, Delay: time.Millisecond})
		var running, peak, n atomic.Int32
		done := make(chan struct{}, 2)
		_ = p.Do(context.Background(), func(context.Context) error {
			defer func() { done <- struct{}{} }()
			k := n.Add(1)
			if r := running.Add(1); r > peak.Load() {
				peak.Store(r)
			}
			defer running.Add(-1)
			if k == 1 {
				time.Sleep(5 * time.Millisecond) // ignores its ctx
				return errTry
			}
			return nil
		})
		<-done
		<-done
		if peak.Load() != 2 {
			t.Fatalf("at most %d attempts ran at once with limit 1; the bug runs 2", peak.Load())
		}
		p.Close()
	})
}

func TestOneTooManyMakesAnExtraAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewOneTooMany(1, retry.Policy{})
		defer p.Close()
		n := 0
		_ = p.Do(context.Background(), func(context.Context) error { n++; return errTry })
		if n != 2 {
			t.Fatalf("%d attempts with 0 retries; the bug makes 2", n)
		}
	})
}

func TestFixedBackoffNeverDoubles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewFixedBackoff(1, retry.Policy{Retries: 2, Delay: time.Millisecond})
		defer p.Close()
		start := time.Now()
		var at []time.Duration
		_ = p.Do(context.Background(), func(context.Context) error { at = append(at, time.Since(start)); return errTry })
		if len(at) != 3 || at[2] != 2*time.Millisecond {
			t.Fatalf("attempts at %v; the bug begins the third at 2ms, not 3ms", at)
		}
	})
}

func TestLostSlotStarvesLaterCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewLostSlot(1, retry.Policy{})
		ctx, cancel := context.WithCancel(context.Background())
		_ = p.Do(ctx, func(context.Context) error { cancel(); return errTry })
		later, stop := context.WithTimeout(context.Background(), time.Second)
		defer stop()
		ran := false
		err := p.Do(later, func(context.Context) error { ran = true; return nil })
		if ran || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("the next call: Do = %v, ran %v; the bug leaves it no slot", err, ran)
		}
		<-p.sem // undo: give back the lost slot
		p.Close()
	})
}
