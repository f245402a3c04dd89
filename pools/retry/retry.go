// Package retry defines the retrying-pool contract that poolcheck verifies beside
// pools.Pool, and the project's own design, Pool: the seed's LLM pool (a limit on calls in
// flight, a timeout per attempt, retries with exponential backoff) done right.
package retry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/poolcheck/poolcheck/pools"
)

// Doer runs calls with retries.
type Doer interface {
	// Do runs attempt until it succeeds or the policy's attempts are spent, each attempt
	// with its own timeout, pausing for the backoff between them; at most the pool's limit
	// of attempts run at once, across calls. It returns nil once an attempt returned nil
	// (no attempt begins after that), the last attempt's error when every one failed,
	// ctx.Err() when ctx ends first (no attempt begins after that), or ErrClosed once Close
	// has begun. An attempt sees the end of ctx through its own ctx.
	Do(ctx context.Context, attempt func(ctx context.Context) error) error
	// Close stops accepting calls (Do returns ErrClosed) and waits for the calls in
	// progress to return. Calling it again is a no-op.
	Close()
}

// Policy is how a Doer retries: 1+Retries attempts at most, each limited to Timeout (0:
// none), with a backoff of Delay after the first failure that doubles after each further
// one, up to MaxDelay (0: no cap; otherwise at least Delay).
type Policy struct {
	Retries  int
	Timeout  time.Duration
	Delay    time.Duration
	MaxDelay time.Duration
}

// Backoff is the pause after failed attempt n (from 1).
func (p Policy) Backoff(n int) time.Duration {
	d := p.Delay
	for i := 1; i < n; i++ {
		d *= 2
		if p.MaxDelay > 0 && d >= p.MaxDelay {
			break
		}
	}
	if p.MaxDelay > 0 {
		d = min(d, p.MaxDelay)
	}
	return d
}

// Validate returns an error wrapping ErrPolicy for negative fields, or a MaxDelay below
// Delay.
func (p Policy) Validate() error {
	switch {
	case p.Retries < 0 || p.Timeout < 0 || p.Delay < 0 || p.MaxDelay < 0:
		return fmt.Errorf("%w: retries, timeout and delays must not be negative: %+v", ErrPolicy, p)
	case p.MaxDelay > 0 && p.MaxDelay < p.Delay:
		return fmt.Errorf("%w: MaxDelay %v is below Delay %v", ErrPolicy, p.MaxDelay, p.Delay)
	}
	return nil
}

var (
	// ErrClosed is returned by Do once Close has begun (pools.ErrClosed).
	ErrClosed = pools.ErrClosed
	// ErrPolicy is wrapped by New's error for a policy it cannot follow.
	ErrPolicy = errors.New("retry: invalid policy")
)
