package harness_test

import (
	"testing"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools/resource"
	"github.com/poolcheck/poolcheck/pools/retry"
)

// A resource pool author's whole test: the harness hands New the maximum and the factory
// that makes and destroys its *harness.Conn resources, and records every Create, Acquire,
// Release and Destroy. Traits declare sharing (Slots), a Close that does not wait, ...
func ExampleCheckResources() {
	TestBrowsers := func(t *testing.T) {
		harness.CheckResources(t, harness.ResourceSubject{
			Name: "browsers",
			New: func(max int, f resource.Factory[*harness.Conn]) resource.Pool[*harness.Conn] {
				p, err := resource.NewShared(max, 2, f) // max browsers of 2 pages each
				if err != nil {
					panic(err)
				}
				return p
			},
			Traits: harness.ResourceTraits{Slots: 2},
		})
	}
	_ = TestBrowsers
}

// A retrying pool is made with the limit and the policy each schedule draws, so timeouts
// and backoffs are judged against what the pool was told, exactly, in virtual time.
func ExampleCheckRetries() {
	TestRetry := func(t *testing.T) {
		harness.CheckRetries(t, harness.RetrySubject{
			Name: "retry",
			New: func(limit int, p retry.Policy) retry.Doer {
				d, err := retry.New(limit, p)
				if err != nil {
					panic(err)
				}
				return d
			},
		})
	}
	_ = TestRetry
}
