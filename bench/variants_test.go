package bench

import (
	"testing"

	"github.com/poolcheck/poolcheck/harness"
)

// TestVariantsKeepEveryProperty runs the harness on the benchmark-only configurations, as
// harness.TestOurPoolsKeepEveryProperty does on the catalogue's.
func TestVariantsKeepEveryProperty(t *testing.T) {
	for _, s := range Variants() {
		harness.Check(t, s)
	}
}
