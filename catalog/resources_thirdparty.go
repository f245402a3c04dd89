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
			Kind: ThirdParty, Doc: "database/sql's connection pool (Go's standard library) through an in-process driver, MaxOpenConns = MaxIdleConns = max"},
		{ResourceSubject: harness.ResourceSubject{Name: "puddle",
			New: func(max int, f resource.Factory[*Conn]) resource.Pool[*Conn] {
				p, err := thirdparty.NewPuddle(max, f)
				if err != nil {
					panic(err)
				}
				return p
			}},
			Kind: ThirdParty, Doc: "jackc/puddle/v2 v2.2.4, the generic pool behind pgxpool"},
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
	}
}
