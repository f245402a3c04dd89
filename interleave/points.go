package interleave

import (
	"reflect"
	"slices"
	"sync"
	_ "unsafe" // for go:linkname
)

// The functions below are what instrumented code calls. An instrumented package declares
// them without bodies and links to them by name (go:linkname), so rewriting a package
// adds no import: the instrumenter works on any package, including third-party modules
// the go command will not let an overlay touch. The binary must link this package (a test
// that imports it, or the harness, does); otherwise the link fails naming these symbols.

// point is the scheduling point before a synchronizing operation at pos ("file.go:12").
// While a Run is active in the caller's bubble it parks until released and reports true;
// otherwise it returns false at once.
//
//go:linkname point
func point(pos string) bool {
	if r := active.Load(); r != nil {
		return r.park(pos, atPoint)
	}
	return false
}

// Point is a scheduling point for code that is not instrumented: a test's own goroutines
// call it before an action whose order matters (the harness calls it before it records an
// event), so that the policy, not the Go scheduler, orders those actions too. While a Run
// is active in the caller's bubble it parks until released; the goroutine released is the
// one of highest priority, but a Policy never drops a goroutine right after its Point
// (Policy.Drops is for the code under test). Outside a Run it returns at once.
func Point(pos string) {
	if r := active.Load(); r != nil {
		r.park(pos, ownPoint)
	}
}

// blocked is called after a failed TryLock at pos by a controlled goroutine. It parks
// until other goroutines have progressed and reports whether the caller is still
// controlled (false: fall back to a blocking Lock).
//
//go:linkname blocked
func blocked(pos string) bool {
	if r := active.Load(); r != nil {
		return r.park(pos, lockRetry)
	}
	return false
}

// yield is the scheduling point of a runtime.Gosched at pos: the caller lets another
// goroutine run first, if one can. It reports whether the caller is controlled.
//
//go:linkname yield
func yield(pos string) bool {
	if r := active.Load(); r != nil {
		return r.park(pos, yielding)
	}
	return false
}

// fork is called by an instrumented go statement, after its scheduling point, just
// before the go statement; the new goroutine calls enter with the token.
//
//go:linkname fork
func fork() uint64 {
	if r := active.Load(); r != nil {
		return r.fork()
	}
	return 0
}

//go:linkname enter
func enter(tok uint64) {
	if tok == 0 {
		return
	}
	if r := active.Load(); r != nil {
		r.enter(tok)
	}
}

var (
	registeredMu sync.Mutex
	registered   []string
)

// register is called from the init function of every instrumented package.
//
//go:linkname register
func register(importPath string) {
	registeredMu.Lock()
	defer registeredMu.Unlock()
	registered = append(registered, importPath)
}

// Instrumented reports whether the package with this import path was instrumented and
// linked into the running binary.
func Instrumented(importPath string) bool {
	registeredMu.Lock()
	defer registeredMu.Unlock()
	for _, p := range registered {
		if p == importPath {
			return true
		}
	}
	return false
}

// Packages returns the import paths of the instrumented packages linked into the running
// binary, in the order they registered: none in an ordinary build.
func Packages() []string {
	registeredMu.Lock()
	defer registeredMu.Unlock()
	return slices.Clone(registered)
}

// Go starts f in a new goroutine. While a Run is active and the caller is controlled, the
// new goroutine is named after its parent ("0.2": the third goroutine "0" started), so
// its name, and thus the policy's choices, do not depend on the Go scheduler. Use it for
// the goroutines a test starts itself; instrumented go statements do the same.
func Go(f func()) {
	tok := fork()
	go func() {
		enter(tok)
		f()
	}()
}

// wrapGo returns a function of f's type that, called in the new goroutine of an
// instrumented go statement, claims the name reserved by tok and then calls f.
//
//go:linkname wrapGo
func wrapGo(tok uint64, f any) any {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return f // unchanged: the go statement fails as it would have
	}
	variadic := v.Type().IsVariadic()
	return reflect.MakeFunc(v.Type(), func(args []reflect.Value) []reflect.Value {
		enter(tok)
		if variadic {
			return v.CallSlice(args)
		}
		return v.Call(args)
	}).Interface()
}

// onceEnter is called by a controlled goroutine about to call o.Do (o a *sync.Once): it
// reports whether it may, false while another controlled goroutine of the Run is inside
// o.Do, whose mutex the caller would block on where the bubble cannot see it. The caller
// then parks (blocked) and asks again.
//
//go:linkname onceEnter
func onceEnter(o any) bool {
	if r := active.Load(); r != nil {
		return r.onceEnter(o)
	}
	return true
}

// onceLeave is called once the caller's o.Do has returned.
//
//go:linkname onceLeave
func onceLeave(o any) {
	if r := active.Load(); r != nil {
		r.onceLeave(o)
	}
}

// isActive reports whether a Run is active (in any bubble).
//
//go:linkname isActive
func isActive() bool { return active.Load() != nil }

// wrapDefer returns a function of f's type that reaches the scheduling point at pos and
// then calls f: the deferred form of an instrumented operation.
//
//go:linkname wrapDefer
func wrapDefer(pos string, f any) any {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return f
	}
	variadic := v.Type().IsVariadic()
	return reflect.MakeFunc(v.Type(), func(args []reflect.Value) []reflect.Value {
		point(pos)
		if variadic {
			return v.CallSlice(args)
		}
		return v.Call(args)
	}).Interface()
}

// selectCase is the scheduling point of a seeded select of n channel cases at pos. For a
// controlled goroutine it returns the case to try first, drawn by the Run's policy;
// otherwise -1.
//
//go:linkname selectCase
func selectCase(pos string, n int) int {
	r := active.Load()
	if r == nil || !r.park(pos, atPoint) {
		return -1
	}
	return r.pickCase(n)
}
