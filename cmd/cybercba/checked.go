package main

import "io"

// checkedWriter passes writes on and keeps the first error, so that a
// command whose output could not be written (a full disk, a closed pipe)
// fails even where it printed with fmt.Fprint and ignored the result.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	c.err = err
	return n, err
}
