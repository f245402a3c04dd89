package harness_test

import (
	"testing"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools/resource"
	"github.com/poolcheck/poolcheck/pools/retry"
)

func sharedPool(slots int) func(int, resource.Factory[*harness.Conn]) resource.Pool[*harness.Conn] {
	return func(max int, f resource.Factory[*harness.Conn]) resource.Pool[*harness.Conn] {
		p, err := resource.NewShared(max, slots, f)
		if err != nil {
			panic(err)
		}
		return p
	}
}

func TestSharedKeepsEveryResourceProperty(t *testing.T) {
	harness.CheckResources(t, harness.ResourceSubject{Name: "shared", New: sharedPool(1)})
}

func TestSharedBrowsersKeepEveryResourceProperty(t *testing.T) {
	harness.CheckResources(t, harness.ResourceSubject{Name: "shared-2-slots", New: sharedPool(2),
		Traits: harness.ResourceTraits{Slots: 2}})
}

func TestRetryPoolKeepsEveryRetryProperty(t *testing.T) {
	harness.CheckRetries(t, harness.RetrySubject{Name: "retry", New: func(limit int, p retry.Policy) retry.Doer {
		d, err := retry.New(limit, p)
		if err != nil {
			panic(err)
		}
		return d
	}})
}
