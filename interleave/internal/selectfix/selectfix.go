// Package selectfix is a fixture for seeded selects: instrumented at compile time, a
// select between ready channels takes the case the run's policy draws.
package selectfix

// First receives from whichever of a and b the select takes.
func First(a, b <-chan string) string {
	select {
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}
