// Package catalog lists every pool poolcheck knows: the project's own designs, the
// third-party adapters, and the broken corpus that proves the harness works.
package catalog

import (
	"sort"

	"github.com/poolcheck/poolcheck/harness"
)

// Kind says which part of the catalogue an Entry belongs to.
type Kind string

// Kinds of entries.
const (
	Ours       Kind = "ours"        // the project's own designs: must pass everything
	ThirdParty Kind = "third-party" // adapters of libraries: must pass what their traits promise
	Broken     Kind = "broken"      // deliberately broken: expected to fail Breaks
)

// Entry is one pool of the catalogue.
type Entry struct {
	harness.Subject
	Kind Kind
	// Breaks is, for a Broken entry, the property id it breaks.
	Breaks string
	// StressOnly marks a Broken entry whose bug lives in a window too narrow for virtual-time
	// schedules (no blocking point inside it): only package stress, or a run whose
	// interleaving a policy controls (the pool instrumented with poolcheck-instrument), is
	// expected to catch it.
	StressOnly bool
	// Controlled marks a StressOnly entry that a controlled run (the pool instrumented) is
	// measured to catch in every default exploration (docs/DETECTION-controlled.md); the
	// others it catches only sometimes.
	Controlled bool
	// Rare marks a StressOnly entry that package stress is not measured to catch every time
	// (a lost wake-up whose window opens only when a submitter arrives at the instant a task
	// ends): stress's tests run it and log what they find, but cannot require a catch. A
	// controlled run may still catch it every time (Controlled).
	Rare bool
	// Doc is one sentence: the design, the library and version, or the bug.
	Doc string
	// Module is, for a ThirdParty entry, the module path of its library: the module that
	// poolcheck -pool NAME@VERSION points at another release.
	Module string
	// Findings maps, for a ThirdParty entry, a property id to a failure of the library on
	// it that is known and checked outside the harness (see Finding for its verdict), at the
	// release go.mod pins: when the binary is built with the library at another release,
	// All leaves Findings empty, so every failure there is unclassified (and counts). A
	// finding is still reported as a failure; it lets the command say what kind of failure
	// it is (only bugs count against the exit status) and lets tests tell a known library
	// failure from a harness regression.
	Findings map[string]Finding
}

// All returns every entry: ours, then third-party, then broken, each sorted by name.
func All() []Entry {
	var all []Entry
	for _, part := range [][]Entry{append(ours(), twins()...), append(append(thirdParty(), thirdPartyMore()...), thirdPartyCorpus()...), broken()} {
		sort.Slice(part, func(i, j int) bool { return part[i].Name < part[j].Name })
		for _, e := range part {
			e.Findings = atPinned(e.Module, e.Findings)
			all = append(all, e)
		}
	}
	return all
}

// Of returns the entries of one kind.
func Of(k Kind) []Entry {
	var out []Entry
	for _, e := range All() {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// Lookup finds an entry by name.
func Lookup(name string) (Entry, bool) {
	for _, e := range All() {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// atPinned returns the findings of a library's pool: f when module is at the release go.mod
// pins (or is ""), none when the binary was built with another release, since the findings
// were established at the pinned release only.
func atPinned(module string, f map[string]Finding) map[string]Finding {
	if module != "" && VersionOf(module).Other() {
		return nil
	}
	return f
}
