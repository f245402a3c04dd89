package catalog

import (
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools/resource"
	"github.com/poolcheck/poolcheck/pools/retry"
	"github.com/poolcheck/poolcheck/pools/thirdparty"
)

// resourceThirdParty lists the third-party resource pools, with the traits their docs
// declare.
func resourceThirdParty() []ResourceEntry {
	return []ResourceEntry{
		{ResourceSubject: harness.ResourceSubject{Name: "database-sql",
			New: func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] { return thirdparty.NewSQLPool(max, f) },
			// DB.Close closes the idle connections only; those in use are closed when
			// released (database/sql, DB.Close and putConn).
			Traits: harness.ResourceTraits{CloseDoesNotWait: true}},
			Kind: ThirdParty, Doc: "database/sql's connection pool (Go's standard library) through an in-process driver, MaxOpenConns = MaxIdleConns = max",
			Findings: map[string]Finding{"resource-work-conserving": {
				Verdict: Weakness, Severity: Delay,
				Summary: "when connections in use are closed (discarded, or a Create failed) while callers wait, database/sql makes the new connections one at a time, so the second waiter waits two Create latencies while the maximum allows both at once",
				Cause: "database/sql (Go 1.26) sql.go: maybeOpenNewConnections sends one request per connection to open on db.openerCh, " +
					"and a single connectionOpener goroutine (started by OpenDB) serves them in turn with openNewConnection, " +
					"which calls the connector synchronously; a caller that finds room opens its own connection at once (DB.conn), " +
					"so only waiters queued in connRequests are served serially. Nothing in the docs promises parallel opening: a weakness",
				ConfirmedBy: "TestFindingSQLOpensQueuedConnectionsOneAtATime",
			}}},
		{ResourceSubject: harness.ResourceSubject{Name: "puddle",
			New: func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] {
				p, err := thirdparty.NewPuddle(max, f)
				if err != nil {
					panic(err)
				}
				return p
			}},
			Kind: ThirdParty, Module: "github.com/jackc/puddle/v2", Doc: "jackc/puddle/v2 v2.2.4, the generic pool behind pgxpool"},
	}
}

// retryThirdParty lists the third-party retrying pools.
func retryThirdParty() []RetryEntry {
	return []RetryEntry{
		{RetrySubject: harness.RetrySubject{Name: "failsafe-go",
			New: func(limit int, p retry.Policy) retry.Doer { return thirdparty.NewFailsafe(limit, p) },
			// The ctx's error wins over an attempt's success (retrypolicy/retryexecutor.go).
			Traits: harness.RetryTraits{CtxErrWins: true}},
			Kind: ThirdParty, Doc: "failsafe-go v0.9.8: retrypolicy, bulkhead and timeout composed with failsafe.With"},
		{RetrySubject: harness.RetrySubject{Name: "go-retry",
			New: func(limit int, p retry.Policy) retry.Doer { return thirdparty.NewGoRetry(limit, p) }},
			Kind: ThirdParty, Doc: "sethvargo/go-retry v0.5.0: Do with NewExponential, WithCappedDuration, WithMaxRetries; the limit and the per-attempt timeout are the adapter's"},
	}
}
