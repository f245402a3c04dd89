package harness

import "testing"

func explore(t *testing.T, s Subject, failT bool, opts []Option) *Report {
	panic("TODO")
}
