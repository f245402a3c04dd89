package catalog

import (
	"sort"

	"github.com/poolcheck/poolcheck/harness"
	brk "github.com/poolcheck/poolcheck/pools/broken"
	"github.com/poolcheck/poolcheck/pools/resource"
	"github.com/poolcheck/poolcheck/pools/retry"
)

// ResourceEntry is one resource pool of the catalogue (package pools/resource's contract),
// judged against props.ResourceProperties by harness.CheckResources.
type ResourceEntry struct {
	harness.ResourceSubject
	Kind     Kind
	Breaks   string // for a Broken entry: the property id it breaks
	Doc      string
	Findings map[string]Finding // for a ThirdParty entry, as Entry.Findings
	Module   string             // for a ThirdParty entry of a library, its module, as Entry.Module
}

// RetryEntry is one retrying pool of the catalogue (package pools/retry's contract),
// judged against props.RetryProperties by harness.CheckRetries.
type RetryEntry struct {
	harness.RetrySubject
	Kind     Kind
	Breaks   string
	Doc      string
	Findings map[string]Finding
}

// Conn is the harness's resource type, for the resource pools' New functions.
type Conn = harness.Conn

type resourceNew = func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn]

// ResourceSubjects returns every resource pool: ours, then third-party, then broken, each
// sorted by name.
func ResourceSubjects() []ResourceEntry {
	all := []ResourceEntry{
		{ResourceSubject: harness.ResourceSubject{Name: "shared", New: newShared(1)}, Kind: Ours,
			Doc: "resource.Shared with one holder per resource: an ordinary connection pool"},
		{ResourceSubject: harness.ResourceSubject{Name: "shared-browsers", New: newShared(2),
			Traits: harness.ResourceTraits{Slots: 2}}, Kind: Ours,
			Doc: "resource.Shared with 2 pages per browser: the seed's browser pool done right (any browser with a free page)"},
		brokenResource("broken-round-robin", "resource-work-conserving", 2,
			func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] { return brk.NewRoundRobin(max, 2, f) },
			"the seed's browser pool: each Acquire waits on the next browser in turn, though another has a free page"),
		brokenResource("broken-double-handout", "exclusive", 0,
			func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] { return brk.NewDoubleHandout(max, f) },
			"Release hands the resource to a waiter and also puts it among the idle: two holders"),
		brokenResource("broken-over-max", "bounded", 0,
			func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] { return brk.NewOverMax(max, f) },
			"the count of resources goes up after Create returns, so concurrent Acquires all create"),
		brokenResource("broken-always-create", "reuse-before-create", 0,
			func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] { return brk.NewAlwaysCreate(max, f) },
			"Acquire asks whether it may create before whether one is idle"),
		brokenResource("broken-ctx-leak", "acquire-cancel", 0,
			func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] { return brk.NewCtxLeak(max, f) },
			"an Acquire whose ctx ends while its background Create runs drops the resource it makes"),
		brokenResource("broken-close-early", "resource-close", 0,
			func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] { return brk.NewCloseEarly(max, f) },
			"Close destroys the idle resources and returns; one released later is never destroyed"),
		brokenResource("broken-close-hangs", "resource-liveness", 0,
			func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] { return brk.NewCloseHangs(max, f) },
			"Close waits for held resources on a channel Release never signals"),
		brokenResource("broken-resource-ticker-leak", "resource-no-leak", 0,
			func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] {
				return brk.NewResourceTickerLeak(max, f)
			},
			"resource.Shared with a sampler goroutine for a gauge of held resources, which Close never stops"),
		brokenResource("broken-no-wakeup", "resource-liveness", 0,
			func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] { return brk.NewNoWakeup(max, f) },
			"Release puts the resource back but does not wake the waiting Acquires"),
	}
	all = append(all, resourceThirdParty()...)
	sortByKind(all, func(e ResourceEntry) (Kind, string) { return e.Kind, e.Name })
	return all
}

// RetrySubjects returns every retrying pool: ours, then third-party, then broken, each
// sorted by name.
func RetrySubjects() []RetryEntry {
	all := []RetryEntry{
		{RetrySubject: harness.RetrySubject{Name: "retry", New: func(limit int, p retry.Policy) retry.Doer {
			d, err := retry.New(limit, p)
			if err != nil {
				panic(err)
			}
			return d
		}}, Kind: Ours, Doc: "retry.Pool: the seed's LLM pool done right (attempts in flight limited, a timeout per attempt, exponential backoff)"},
		brokenRetry("broken-retry-after-success", "one-outcome",
			func(l int, p retry.Policy) retry.Doer { return brk.NewRetryAfterSuccess(l, p) },
			"the retry condition retries anything but context.Canceled, nil included"),
		brokenRetry("broken-backoff-ignores-ctx", "retry-cancel",
			func(l int, p retry.Policy) retry.Doer { return brk.NewBackoffIgnoresCtx(l, p) },
			"the backoff is a time.Sleep that no ctx cuts short"),
		brokenRetry("broken-timeout-timer", "attempt-timeout",
			func(l int, p retry.Policy) retry.Doer { return brk.NewTimeoutTimer(l, p) },
			"a timer stops the waiting, but the attempt's ctx has no deadline: it runs on, holding its slot"),
		brokenRetry("broken-timeout-frees-slot", "attempt-concurrency",
			func(l int, p retry.Policy) retry.Doer { return brk.NewTimeoutFreesSlot(l, p) },
			"a timed-out attempt's slot is freed at its deadline, though the attempt may still run"),
		brokenRetry("broken-one-too-many", "attempts-bounded",
			func(l int, p retry.Policy) retry.Doer { return brk.NewOneTooMany(l, p) },
			"retries > Retries where >= belongs: one attempt too many"),
		brokenRetry("broken-fixed-backoff", "backoff",
			func(l int, p retry.Policy) retry.Doer { return brk.NewFixedBackoff(l, p) },
			"the backoff is computed once, before the loop: it never doubles"),
		brokenRetry("broken-watcher-leak", "retry-no-leak",
			func(l int, p retry.Policy) retry.Doer { return brk.NewWatcherLeak(l, p) },
			"each Do starts a goroutine that waits for the caller's ctx alone: a ctx that never ends keeps it for good"),
		brokenRetry("broken-lost-slot", "retry-liveness",
			func(l int, p retry.Policy) retry.Doer { return brk.NewLostSlot(l, p) },
			"a call whose ctx ended during an attempt returns without giving back the slot"),
	}
	all = append(all, retryThirdParty()...)
	sortByKind(all, func(e RetryEntry) (Kind, string) { return e.Kind, e.Name })
	return all
}

// LookupResource finds a resource pool by name.
func LookupResource(name string) (ResourceEntry, bool) {
	for _, e := range ResourceSubjects() {
		if e.Name == name {
			return e, true
		}
	}
	return ResourceEntry{}, false
}

// LookupRetry finds a retrying pool by name.
func LookupRetry(name string) (RetryEntry, bool) {
	for _, e := range RetrySubjects() {
		if e.Name == name {
			return e, true
		}
	}
	return RetryEntry{}, false
}

func newShared(slots int) resourceNew {
	return func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] {
		p, err := resource.NewShared(max, slots, f)
		if err != nil {
			panic(err)
		}
		return p
	}
}

func brokenResource(name, breaks string, slots int, n resourceNew, doc string) ResourceEntry {
	return ResourceEntry{ResourceSubject: harness.ResourceSubject{Name: name, New: n,
		Traits: harness.ResourceTraits{Slots: slots}}, Kind: Broken, Breaks: breaks, Doc: doc}
}

func brokenRetry(name, breaks string, n func(int, retry.Policy) retry.Doer, doc string) RetryEntry {
	return RetryEntry{RetrySubject: harness.RetrySubject{Name: name, New: n}, Kind: Broken, Breaks: breaks, Doc: doc}
}

var kindOrder = map[Kind]int{Ours: 0, ThirdParty: 1, Broken: 2}

// sortByKind orders entries ours, third-party, broken, each by name.
func sortByKind[E any](es []E, key func(E) (Kind, string)) {
	sort.SliceStable(es, func(i, j int) bool {
		ki, ni := key(es[i])
		kj, nj := key(es[j])
		if ki != kj {
			return kindOrder[ki] < kindOrder[kj]
		}
		return ni < nj
	})
}
