package bench

// BenchmarkResource and BenchmarkRetry measure the resource and retrying pools of the
// catalogue (ours and third-party), named
//
//	BenchmarkResource/scenario=S/pool=P/max=M-GOMAXPROCS
//	BenchmarkRetry/scenario=S/pool=P/limit=L-GOMAXPROCS
//
// Resource scenarios (ns/op is one Acquire and its Release):
//
//	uncontended  one caller: Acquire, Release, again; resources are made once.  max 1
//	contended    GOMAXPROCS×4 callers (b.RunParallel) on fewer resources:
//	             waiting and wake-ups.                                       max 1, GOMAXPROCS
//
// Retry scenarios (ns/op is one Do; attempts are empty functions, the policy has a 1s
// timeout per attempt, so each attempt pays for its ctx and timer, and no backoff):
//
//	success      the first attempt succeeds.                                 limit GOMAXPROCS
//	retry-once   the first attempt fails, the second succeeds.               limit GOMAXPROCS
//	parallel     GOMAXPROCS×4 callers (b.RunParallel), first attempt succeeds. limit GOMAXPROCS

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/pools/resource"
	"github.com/poolcheck/poolcheck/pools/retry"
)

// countingFactory makes Conns that do nothing.
func countingFactory() resource.Factory[*catalog.Conn] {
	var n atomic.Int64
	return resource.Factory[*catalog.Conn]{
		Create:  func(context.Context) (*catalog.Conn, error) { return &catalog.Conn{ID: int(n.Add(1))}, nil },
		Destroy: func(*catalog.Conn) {},
	}
}

func BenchmarkResource(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	for _, sc := range []struct {
		name     string
		maxes    []int
		parallel bool
	}{{"uncontended", []int{1}, false}, {"contended", dedupe(1, procs), true}} {
		for _, e := range catalog.ResourceSubjects() {
			if e.Kind == catalog.Broken {
				continue
			}
			for _, max := range sc.maxes {
				b.Run(fmt.Sprintf("scenario=%s/pool=%s/max=%d", sc.name, e.Name, max), func(b *testing.B) {
					p := e.New(max, countingFactory())
					defer p.Close()
					ctx := context.Background()
					once := func(b *testing.B) {
						r, err := p.Acquire(ctx)
						if err != nil {
							b.Fatal(err)
						}
						p.Release(r)
					}
					b.ReportAllocs()
					if !sc.parallel {
						for b.Loop() {
							once(b)
						}
						return
					}
					b.SetParallelism(4)
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							once(b)
						}
					})
				})
			}
		}
	}
}

var errFirst = errors.New("bench: the first attempt fails")

func BenchmarkRetry(b *testing.B) {
	limit := runtime.GOMAXPROCS(0)
	policy := retry.Policy{Retries: 1, Timeout: time.Second}
	for _, sc := range []string{"success", "retry-once", "parallel"} {
		for _, e := range catalog.RetrySubjects() {
			if e.Kind == catalog.Broken {
				continue
			}
			b.Run(fmt.Sprintf("scenario=%s/pool=%s/limit=%d", sc, e.Name, limit), func(b *testing.B) {
				d := e.New(limit, policy)
				defer d.Close()
				ctx := context.Background()
				succeed := func(context.Context) error { return nil }
				b.ReportAllocs()
				switch sc {
				case "success":
					for b.Loop() {
						if err := d.Do(ctx, succeed); err != nil {
							b.Fatal(err)
						}
					}
				case "retry-once":
					for b.Loop() {
						n := 0
						if err := d.Do(ctx, func(context.Context) error {
							if n++; n == 1 {
								return errFirst
							}
							return nil
						}); err != nil {
							b.Fatal(err)
						}
					}
				case "parallel":
					b.SetParallelism(4)
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if err := d.Do(ctx, succeed); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
			})
		}
	}
}

// dedupe returns ns without repeats, in order.
func dedupe(ns ...int) []int {
	var out []int
	for _, n := range ns {
		seen := false
		for _, m := range out {
			seen = seen || m == n
		}
		if !seen {
			out = append(out, n)
		}
	}
	return out
}
