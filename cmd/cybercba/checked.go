package main

import (
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"
)

// checkedWriter passes writes on and keeps the first error, so that a
// command whose output could not be written (a full disk, a closed pipe)
// fails even where it printed with fmt.Fprint and ignored the result. It
// writes control and formatting characters other than newline and tab (an
// escape sequence's ESC, a carriage return, a bidirectional override),
// which could only come from a file name or a file's text, as Go escapes
// (\x1b, \r, \u202e), so that they cannot rewrite the terminal.
type checkedWriter struct {
	w   io.Writer
	err error
	// part holds the start of a character split between two writes.
	part []byte
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	b := p
	if len(c.part) > 0 || !plain(p) {
		b = append(c.part, p...)
		c.part = nil
		// Hold back a character cut off at the end.
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					c.part = append([]byte(nil), b[i:]...)
					b = b[:i]
				}
				break
			}
		}
		b = escapeControls(b)
	}
	_, err := c.w.Write(b)
	c.err = err
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// plain reports whether p is printable ASCII, newlines and tabs.
func plain(p []byte) bool {
	for _, c := range p {
		if (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// escapeControls writes b's control and formatting characters, other than
// newline and tab, as Go escapes.
func escapeControls(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r != '\n' && r != '\t' && r != utf8.RuneError && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
			q := fmt.Sprintf("%+q", string(r))
			out = append(out, q[1:len(q)-1]...)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}
