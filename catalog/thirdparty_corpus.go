package catalog

import (
	pondv2 "github.com/alitto/pond/v2"

	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

// thirdPartyCorpus lists the adapter configurations that the corpus of real bugs (Corpus)
// needs beyond the others: options people set that reach code the other configurations do
// not reach in a schedule. Traits are those the library documents, as for the other
// configurations of the same library, and so are the findings where the code they cite is
// the same.
func thirdPartyCorpus() []Entry {
	entries := []Entry{
		tp("ants-fixedcap", "github.com/panjf2000/ants/v2", "Pool as ants, but the adapter offers no Resize: the capacity never changes (no Tune), so max-concurrency judges the spawn path alone, not Tune's lazy shrink.",
			harness.Traits{IgnoresCtx: true},
			func(n int) (pools.Pool, error) {
				a, err := thirdparty.NewAnts(n)
				if err != nil {
					return nil, err
				}
				return struct{ pools.Pool }{a}, nil // hides Resize
			}),
		tp("ants-release", "github.com/panjf2000/ants/v2", "Pool as ants, closed the way most programs close ants: Release, then waiting for Running() to reach 0.",
			harness.Traits{IgnoresCtx: true},
			func(n int) (pools.Pool, error) { return thirdparty.NewAntsReleasing(n) }),
		// Goexit is declared unsupported: before v2.6.2 a task calling runtime.Goexit loses
		// its worker for good (pond #135, in the corpus), which would hide the queue's
		// own bugs on those releases.
		tp("pond-v2-queue1", "github.com/alitto/pond/v2", "Pool with WithQueueSize(1): Go blocks while the one queue place is taken.",
			harness.Traits{Queue: 1, IgnoresCtx: true, Goexit: harness.GoexitUnsupported},
			func(n int) (pools.Pool, error) { return thirdparty.NewPondV2(n, pondv2.WithQueueSize(1)) }),
	}
	for i, e := range entries {
		switch e.Name {
		case "ants-release": // the same Submit and Tune as ants
			e.Findings = findings["ants"]
		case "ants-fixedcap": // the same Submit as ants
			e.Findings = map[string]Finding{"close": antsSubmitRacesRelease, "liveness": antsSubmitStranded}
		}
		entries[i] = e
	}
	return entries
}
