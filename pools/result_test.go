package pools_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/poolcheck/poolcheck/pools"
)

func TestRun(t *testing.T) {
	errBad := errors.New("bad")
	forEach(t, func(t *testing.T, d design) {
		p := newPool(t, d, 2)
		defer p.Close()
		if v, err := pools.Run(bg, p, func() (int, error) { return 42, nil }); v != 42 || err != nil {
			t.Errorf("Run(42, nil) = %v, %v", v, err)
		}
		if v, err := pools.Run(bg, p, func() (string, error) { return "x", errBad }); v != "x" || err != errBad {
			t.Errorf("Run(x, errBad) = %q, %v", v, err)
		}

		_, err := pools.Run(bg, p, func() (int, error) { panic(errBad) })
		var pe *pools.PanicError
		if !errors.As(err, &pe) || pe.Value != errBad || !errors.Is(err, errBad) {
			t.Errorf("Run(panic(errBad)) = %v, want a *PanicError wrapping errBad", err)
		} else if !bytes.Contains(pe.Stack, []byte("result_test.go")) {
			t.Errorf("PanicError.Stack does not show the panicking function:\n%s", pe.Stack)
		}

		if _, err := pools.Run(bg, p, func() (int, error) { runtime.Goexit(); return 0, nil }); err != pools.ErrGoexit {
			t.Errorf("Run(Goexit) = %v, want ErrGoexit", err)
		}

		// The pool survived both and still returns results.
		if v, err := pools.Run(bg, p, func() (int, error) { return strconv.Atoi("7") }); v != 7 || err != nil {
			t.Errorf("Run after panic and Goexit = %v, %v", v, err)
		}
	})
}

func TestRunRefused(t *testing.T) {
	p, _ := pools.NewMutex(1)
	p.Close()
	if _, err := pools.Run(bg, p, func() (int, error) { t.Error("f ran"); return 0, nil }); err != pools.ErrClosed {
		t.Errorf("Run on a closed pool = %v, want ErrClosed", err)
	}
	if fu, err := pools.Go(bg, p, func() (int, error) { return 0, nil }); fu != nil || err != pools.ErrClosed {
		t.Errorf("Go on a closed pool = %v, %v; want nil, ErrClosed", fu, err)
	}
}

func TestGetHonoursCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, _ := pools.NewChannel(1)
		defer p.Close()
		release := make(chan struct{})
		fu, err := pools.Go(bg, p, func() (int, error) { <-release; return 1, nil })
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(bg, time.Second)
		defer cancel()
		start := time.Now()
		if v, err := fu.Get(ctx); v != 0 || err != context.DeadlineExceeded || time.Since(start) != time.Second {
			t.Errorf("Get with a 1s timeout = %v, %v after %v; want 0, DeadlineExceeded after 1s", v, err, time.Since(start))
		}
		select {
		case <-fu.Done():
			t.Errorf("Done closed before f returned")
		default:
		}
		close(release)
		if v, err := fu.Get(bg); v != 1 || err != nil {
			t.Errorf("Get after f returned = %v, %v; want 1, nil", v, err)
		}
		// Run gives up waiting the same way, and f still runs to the end.
		done := make(chan struct{})
		ctx, cancel = context.WithTimeout(bg, time.Second)
		defer cancel()
		if _, err := pools.Run(ctx, p, func() (int, error) { defer close(done); time.Sleep(time.Hour); return 0, nil }); err != context.DeadlineExceeded {
			t.Errorf("Run with a 1s timeout = %v, want DeadlineExceeded", err)
		}
		<-done
	})
}

func ExampleRun() {
	p, _ := pools.NewWorkers(2)
	defer p.Close()
	n, err := pools.Run(context.Background(), p, func() (int, error) { return strconv.Atoi("42") })
	fmt.Println(n, err)
	_, err = pools.Run(context.Background(), p, func() (int, error) { panic("boom") })
	fmt.Println(err)
	// Output:
	// 42 <nil>
	// pools: task panicked: boom
}

func ExampleGo() {
	p, _ := pools.NewChannel(4)
	defer p.Close()
	ctx := context.Background()
	var futures []*pools.Future[int]
	for i := range 5 {
		fu, err := pools.Go(ctx, p, func() (int, error) { return i * i, nil })
		if err != nil {
			panic(err)
		}
		futures = append(futures, fu)
	}
	for _, fu := range futures {
		v, _ := fu.Get(ctx)
		fmt.Print(v, " ")
	}
	fmt.Println()
	// Output: 0 1 4 9 16
}

// BenchmarkResult measures what the result helpers add to a Submit, on a warm Workers pool
// of 2: Submit of a closure and waiting for it with a channel (the baseline), Go then Get,
// and Run. The figures are quoted in Go's doc comment.
func BenchmarkResult(b *testing.B) {
	p, _ := pools.NewWorkers(2)
	defer p.Close()
	f := func() (int, error) { return 1, nil }
	b.Run("helper=submit", func(b *testing.B) {
		b.ReportAllocs()
		done := make(chan struct{}, 1)
		task := func() { done <- struct{}{} }
		for b.Loop() {
			if err := p.Submit(bg, task); err != nil {
				b.Fatal(err)
			}
			<-done
		}
	})
	b.Run("helper=go-get", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			fu, err := pools.Go(bg, p, f)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := fu.Get(bg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("helper=run", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := pools.Run(bg, p, f); err != nil {
				b.Fatal(err)
			}
		}
	})
}
