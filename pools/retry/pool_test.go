package retry_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/retry"
)

func TestNewRefusesBadInput(t *testing.T) {
	if _, err := retry.New(0, retry.Policy{}); !errors.Is(err, pools.ErrLimit) {
		t.Errorf("limit 0: %v, want ErrLimit", err)
	}
	for _, p := range []retry.Policy{{Retries: -1}, {Delay: -time.Second}, {Delay: 2 * time.Second, MaxDelay: time.Second}} {
		if _, err := retry.New(1, p); !errors.Is(err, retry.ErrPolicy) {
			t.Errorf("%+v: %v, want ErrPolicy", p, err)
		}
	}
	d, err := retry.New(1, retry.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Do(context.Background(), nil); !errors.Is(err, pools.ErrNilTask) {
		t.Errorf("nil attempt: %v, want ErrNilTask", err)
	}
	d.Close()
	if err := d.Do(context.Background(), func(context.Context) error { return nil }); !errors.Is(err, retry.ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}
}

var errAttempt = errors.New("attempt fails")

// Attempts begin exactly one backoff after the previous one ended, doubling up to the
// cap; each attempt's ctx ends at its timeout; the last error is returned. Virtual time.
func TestPoolRetriesOnSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d, err := retry.New(1, retry.Policy{Retries: 3, Timeout: 5 * time.Millisecond, Delay: 10 * time.Millisecond, MaxDelay: 15 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		start := time.Now()
		var starts []time.Duration
		err = d.Do(context.Background(), func(ctx context.Context) error {
			starts = append(starts, time.Since(start))
			if len(starts) == 2 {
				<-ctx.Done() // the second attempt outlives its timeout
				return ctx.Err()
			}
			return errAttempt
		})
		// 0; 0+10; (10+5)+15 (its timeout, then a doubled backoff capped at 15); 30+15.
		want := []time.Duration{0, 10 * time.Millisecond, 30 * time.Millisecond, 45 * time.Millisecond}
		if !errors.Is(err, errAttempt) || len(starts) != len(want) {
			t.Fatalf("Do = %v after attempts at %v; want errAttempt after %v", err, starts, want)
		}
		for i := range want {
			if starts[i] != want[i] {
				t.Fatalf("attempts began at %v, want %v", starts, want)
			}
		}
	})
}

// A call cancelled during its backoff returns at once, and no further attempt begins.
func TestPoolBackoffEndsWithCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d, _ := retry.New(1, retry.Policy{Retries: 1, Delay: time.Hour})
		defer d.Close()
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Millisecond, cancel)
		start, attempts := time.Now(), 0
		err := d.Do(ctx, func(context.Context) error { attempts++; return errAttempt })
		if !errors.Is(err, context.Canceled) || attempts != 1 || time.Since(start) != time.Millisecond {
			t.Fatalf("Do = %v after %d attempts and %v; want context.Canceled after 1 attempt and 1ms", err, attempts, time.Since(start))
		}
	})
}
