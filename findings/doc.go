// Package findings holds, for every genuine bug that poolcheck found in a third-party pool
// library, a report a maintainer can act on: a standalone reproducer and a proposed patch.
//
// Each directory under testdata is one bug:
//
//	repro_test.go   a test that imports only the library (no poolcheck), runs in a
//	                testing/synctest bubble with channels and gates (no sleeps), fails on the
//	                release poolcheck pins, and passes once the bug is fixed; its doc comment
//	                is the bug report
//	fix.patch       the proposed fix as a unified diff against the release (patch -p1 or
//	                git apply in the module's root), or the upstream fix when one exists
//
// The directories live under testdata so that the reproducers, which fail on purpose, are
// not part of this module's test suite. This package's test checks them: in a temporary
// directory it builds a scratch module that requires the released libraries through the
// module proxy (or the module cache), runs every reproducer and expects each to fail; then
// it copies each library, applies its fix.patch, points the scratch module at the copies
// with replace directives, and expects every reproducer to pass. It skips, saying why, only
// when the go command or the module proxy is unavailable. The catalogue (package catalog)
// names each reproducer in the Finding it belongs to.
//
// The reproducers:
//
//	ants-submit-races-release   ants v2.12.1: a Submit racing Release is accepted after
//	                            ReleaseContext returned, or blocks for good (issue #141)
//	conc-panic-strands-go       conc v0.3.0: after a task panics, a Go stays blocked with the
//	                            slot free (fixed on main by PR #112, in no release)
//	pond-v2-resize-queue0       pond v2.7.1: with WithQueueSize(0), Resize growing the pool
//	                            leaves a blocked Submit waiting while the new slot idles
package findings
