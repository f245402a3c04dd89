//go:build race

package stress

import "runtime"

// raceEnabled reports whether the binary was built with -race.
const raceEnabled = true

// raceErrors returns how many reports the race detector has printed so far (the counter the
// testing package checks after each test; runtime.RaceErrors is part of the race build's
// public API).
func raceErrors() int { return runtime.RaceErrors() }
