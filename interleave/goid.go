package interleave

import (
	"bytes"
	"runtime"
	"strconv"
)

// current returns the calling goroutine's id and its synctest bubble's id ("" outside any
// bubble), read from its own stack header: "goroutine 7 [running, synctest bubble 1]:".
// It costs about a microsecond, and is called only while a Run is active.
func current() (id int64, bubble string) {
	var buf [128]byte
	n := runtime.Stack(buf[:], false)
	h := buf[:n]
	if i := bytes.IndexByte(h, '\n'); i >= 0 {
		h = h[:i]
	}
	h = bytes.TrimPrefix(h, []byte("goroutine "))
	sp := bytes.IndexByte(h, ' ')
	if sp < 0 {
		return -1, ""
	}
	id, _ = strconv.ParseInt(string(h[:sp]), 10, 64)
	const tag = "synctest bubble "
	if i := bytes.Index(h, []byte(tag)); i >= 0 {
		rest := h[i+len(tag):]
		end := bytes.IndexAny(rest, ",]")
		if end < 0 {
			end = len(rest)
		}
		bubble = string(rest[:end])
	}
	return id, bubble
}
