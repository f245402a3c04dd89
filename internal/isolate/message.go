package isolate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"
)

// tag starts every message line; the rest of the line is the Message as JSON.
const tag = "\x1epoolcheck-child "

// Message is one thing a child tells its parent.
type Message struct {
	Kind string          `json:"kind"`           // what the message is; the parent's protocol decides
	Data json.RawMessage `json:"data,omitempty"` // its payload, decoded with Decode
}

// Decode unmarshals the message's payload into v.
func (m Message) Decode(v any) error { return json.Unmarshal(m.Data, v) }

// Sender writes messages to the parent. Its methods are safe for concurrent use.
type Sender struct {
	mu sync.Mutex
	w  io.Writer
}

// NewSender returns a Sender writing to w, the child's original standard output.
func NewSender(w io.Writer) *Sender { return &Sender{w: w} }

// Send writes one message of kind with data (any value encoding/json accepts, or nil).
func (s *Sender) Send(kind string, data any) error {
	m := Message{Kind: kind}
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("isolate: encoding a %s message: %w", kind, err)
		}
		m.Data = b
	}
	line, err := json.Marshal(m)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = fmt.Fprintf(s.w, "%s%s\n", tag, line)
	return err
}

// scanMessages calls f with every message line read from r, and sends everything else to
// other (which may be nil), until r ends.
func scanMessages(r io.Reader, f func(Message), other io.Writer) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 256<<20)
	for sc.Scan() {
		line := sc.Bytes()
		// A message may follow what the child printed without a newline (a pool that
		// writes to the original standard output): the tag may be anywhere in the line.
		if i := bytes.Index(line, []byte(tag)); i >= 0 {
			var m Message
			if json.Unmarshal(line[i+len(tag):], &m) == nil {
				if other != nil && i > 0 {
					other.Write(append(line[:i:i], '\n'))
				}
				f(m)
				continue
			}
		}
		if other != nil {
			other.Write(append(line, '\n'))
		}
	}
}
