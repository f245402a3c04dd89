package selectfix_test

import (
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/interleave"
	"github.com/poolcheck/poolcheck/interleave/internal/selectfix"
)

// choose runs First with both channels ready under policy p.
func choose(t *testing.T, p interleave.Policy) string {
	var got string
	synctest.Test(t, func(t *testing.T) {
		r, err := interleave.Start(p)
		if err != nil {
			t.Fatal(err)
		}
		a, b := make(chan string, 1), make(chan string, 1)
		a <- "a"
		b <- "b"
		got = selectfix.First(a, b)
		r.Stop()
	})
	return got
}

func TestFirstTakesAReadyCase(t *testing.T) {
	a, b := make(chan string, 1), make(chan string)
	a <- "a"
	if got := selectfix.First(a, b); got != "a" {
		t.Fatalf("got %q", got)
	}
}

// Instrumented, the case is the policy's: the same policy takes the same case every time,
// and different seeds take both.
func TestSeededSelect(t *testing.T) {
	if !interleave.Instrumented("github.com/poolcheck/poolcheck/interleave/internal/selectfix") {
		t.Skip("not instrumented: see cmd/poolcheck-instrument")
	}
	seen := map[string]bool{}
	for seed := range uint64(16) {
		p := interleave.Policy{Seed: seed}
		first := choose(t, p)
		for range 20 {
			if again := choose(t, p); again != first {
				t.Fatalf("seed %d took %q, then %q", seed, first, again)
			}
		}
		seen[first] = true
	}
	if !seen["a"] || !seen["b"] {
		t.Fatalf("16 seeds took only %v", seen)
	}
}
