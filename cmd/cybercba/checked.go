package main

import (
	"io"
	"unicode/utf8"

	"github.com/cybercba/cybercba/data"
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
	if len(c.part) > 0 || !data.PlainText(p) {
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
		b = data.EscapeControls(b)
	}
	_, err := c.w.Write(b)
	c.err = err
	if err != nil {
		return 0, err
	}
	return len(p), nil
}
