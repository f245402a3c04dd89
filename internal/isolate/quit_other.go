//go:build !unix

package isolate

import "os"

// quit ends p; without SIGQUIT there is no goroutine dump.
func quit(p *os.Process) { _ = p.Kill() }
