package catalog

import (
	"runtime/debug"
	"sync"
)

// Versions of a library, as the running binary was built: Pinned is the version go.mod
// requires, Built the version compiled in (the same, unless a replace directive points the
// module at another release, as poolcheck -pool LIB@VERSION does). Both are "" for a module
// the binary does not contain, or when it carries no build information.
type Versions struct{ Pinned, Built string }

// Other reports whether the library was built at a release other than the pinned one.
func (v Versions) Other() bool { return v.Built != v.Pinned }

var buildDeps = sync.OnceValue(func() map[string]Versions {
	deps := map[string]Versions{}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return deps
	}
	for _, d := range bi.Deps {
		v := Versions{Pinned: d.Version, Built: d.Version}
		if d.Replace != nil {
			// A replace by a directory has no version: it is not a release.
			v.Built = d.Replace.Version
			if v.Built == "" {
				v.Built = "(" + d.Replace.Path + ")"
			}
		}
		deps[d.Path] = v
	}
	return deps
})

// VersionOf returns the versions of module in the running binary (see Versions).
func VersionOf(module string) Versions { return buildDeps()[module] }
