// Package gomod runs the go command on modules the way a user's machine would: through the
// module proxy (GOPROXY) and the module cache, never from a vendored or local copy. It is
// shared by the command's -pool LIB@VERSION and -history modes (internal/cli) and by the
// standalone reproducers' test (package findings), which build scratch or alternative
// modules.
//
// Every function runs one go command and returns when it exits or its ctx is done; none
// retries. Errors carry the go command's own message, classified by ProxyError.
package gomod

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Command returns the go command: the one of the toolchain that built this binary when it is
// still there (so a test or a command rebuilds with its own toolchain), else the one on PATH.
func Command() (string, error) {
	if root := runtime.GOROOT(); root != "" {
		exe := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(exe); err == nil {
			return exe, nil
		}
	}
	exe, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the go command is not available: %w", err)
	}
	return exe, nil
}

// Env is the environment of the go commands run here: this process's, with requirements
// resolved and go.sum completed as needed (-mod=mod), no workspace, and no toolchain
// download (a release needing a newer Go fails with go's own message instead).
func Env() []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
}

// Module is what go mod download -json reports for one module.
type Module struct{ Path, Version, Dir, Error string }

// Download runs go mod download -json in dir with args (module@version queries, or none for
// every requirement of dir's module) and returns what it reports. A module that could not be
// fetched comes back with its Error set, and err is a *ProxyError for the first one.
func Download(ctx context.Context, goCmd, dir string, args ...string) ([]Module, error) {
	cmd := exec.CommandContext(ctx, goCmd, append([]string{"mod", "download", "-json"}, args...)...)
	cmd.Dir, cmd.Env = dir, Env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	var mods []Module
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m Module
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return mods, fmt.Errorf("go mod download -json: %v\n%s%s", err, out, stderr.String())
		}
		mods = append(mods, m)
	}
	for _, m := range mods {
		if m.Error != "" {
			return mods, &ProxyError{Query: m.Path + "@" + m.Version, Msg: m.Error}
		}
	}
	if runErr != nil {
		return mods, &ProxyError{Query: strings.Join(args, " "), Msg: cmp.Or(strings.TrimSpace(stderr.String()), runErr.Error())}
	}
	return mods, nil
}

// Versions returns the releases of module that the module proxy lists (go list -m -versions,
// retracted ones included), in semantic version order. A proxy may list fewer releases than
// it serves.
func Versions(ctx context.Context, goCmd, dir, module string) ([]string, error) {
	cmd := exec.CommandContext(ctx, goCmd, "list", "-m", "-versions", "-retracted", "-json", module)
	cmd.Dir, cmd.Env = dir, Env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var m struct {
		Versions []string
		Error    *struct{ Err string }
	}
	if jerr := json.Unmarshal(out, &m); jerr == nil && m.Error != nil {
		return nil, &ProxyError{Query: module, Msg: m.Error.Err}
	}
	if err != nil {
		return nil, &ProxyError{Query: module, Msg: cmp.Or(strings.TrimSpace(stderr.String()), err.Error())}
	}
	if jerr := json.Unmarshal(out, &m); jerr != nil {
		return nil, fmt.Errorf("go list -m -versions %s: %v", module, jerr)
	}
	return m.Versions, nil
}

// ProxyError is a module or version the go command could not fetch.
type ProxyError struct {
	Query string // module or module@version
	Msg   string // the go command's message
}

func (e *ProxyError) Error() string { return e.Query + ": " + OneLine(e.Msg) }

// Unreachable reports whether the proxy could not be reached at all (no network, a refused
// connection, GOPROXY=off), as opposed to answering that it does not serve the module or
// version.
func (e *ProxyError) Unreachable() bool {
	for _, s := range []string{"dial tcp", "no such host", "connection refused", "i/o timeout", "TLS handshake",
		"network is unreachable", "GOPROXY=off", "context deadline exceeded", "connection reset"} {
		if strings.Contains(e.Msg, s) {
			return true
		}
	}
	return false
}

// OneLine joins the non-blank lines of s, trimmed, with "; ".
func OneLine(s string) string {
	var lines []string
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "; ")
}
