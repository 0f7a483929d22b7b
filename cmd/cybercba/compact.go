package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// termWidth returns the width in columns of w when it is a terminal, or 0
// (unknown: write the full table) when it is a file or a pipe.
func termWidth(w io.Writer) int {
	if c, ok := w.(*checkedWriter); ok {
		w = c.w
	}
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}
