package main

import (
	"slices"
	"testing"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/internal/cli"
)

// ciCorpus is the part of the corpus of real bugs (catalog.Corpus) run in CI: a bug that
// every schedule shows (a goroutine left behind by every pool), so the buggy release fails
// on every run and the test cannot flake; scripts/corpus.sh measures the whole corpus.
var ciCorpus = []string{"ants-ticktock-leak"}

// TestCorpusSubset builds the command at each bug's buggy and fixed releases through the
// module proxy and checks that the buggy one fails the bug's property and the fixed one
// passes it.
func TestCorpusSubset(t *testing.T) {
	exe := build(t)
	for _, name := range ciCorpus {
		i := slices.IndexFunc(catalog.Corpus(), func(b catalog.RealBug) bool { return b.Name == name })
		if i < 0 {
			t.Fatalf("no bug %s in the corpus", name)
		}
		b := catalog.Corpus()[i]
		for _, side := range []struct{ version, want string }{{b.Buggy, "fail"}, {b.Fixed, "pass"}} {
			pool := b.Entry + "@" + side.version
			stdout, stderr, code := run(t, exe, "-pool", pool, "-property", b.Property, "-runs", "100", "-json", "-quiet")
			skipIfNoProxy(t, stderr)
			if code != cli.ExitOK && code != cli.ExitFail {
				t.Fatalf("%s: exit %d, want a report; stderr:\n%s", pool, code, stderr)
			}
			r := decode(t, stdout).Results[0]
			if r.Verdict != side.want {
				t.Errorf("%s (%s): %s %s: %s, want %s", name, b.Doc, pool, b.Property, r.Verdict, side.want)
			} else {
				t.Logf("%s %s: %s %s", pool, b.Property, r.Verdict, r.Reason)
			}
		}
	}
}
