package gomod

import "testing"

func TestProxyErrorUnreachable(t *testing.T) {
	for msg, want := range map[string]bool{
		`Get "http://127.0.0.1:9/m/@v/v1.0.0.info": dial tcp 127.0.0.1:9: connect: connection refused`:                               true,
		"module lookup disabled by GOPROXY=off":                                                                                      true,
		`Get "https://proxy.golang.org/m/@v/list": dial tcp: lookup proxy.golang.org: no such host`:                                  true,
		"reading https://proxy.golang.org/m/@v/v9.0.0.info: 403 Forbidden\n\tserver response: This module version is not available.": false,
		"reading https://proxy.golang.org/m/@v/v9.0.0.info: 404 Not Found\n\tserver response: not found":                             false,
	} {
		e := &ProxyError{Query: "m@v9.0.0", Msg: msg}
		if got := e.Unreachable(); got != want {
			t.Errorf("Unreachable(%q) = %v, want %v", msg, got, want)
		}
	}
	e := &ProxyError{Query: "m@v9.0.0", Msg: "reading x: 403 Forbidden\n\tserver response: gone.\n"}
	if got, want := e.Error(), "m@v9.0.0: reading x: 403 Forbidden; server response: gone."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
