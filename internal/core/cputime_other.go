//go:build !unix

package core

import "time"

// cpuKnown says whether cpuTime measures anything on this system.
const cpuKnown = false

// cpuTime is not measured here: busy-waiting is judged by time alone.
func cpuTime() time.Duration { return 0 }
