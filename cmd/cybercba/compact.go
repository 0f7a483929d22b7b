package main

import (
	"io"
	"os"
	"strconv"

	"golang.org/x/term"
)

// termWidth returns the width in columns that text for w fits: COLUMNS
// when set to a number, else the terminal's width (80 when it has none),
// else 0 (a file or a pipe: full tables, lines unbroken).
func termWidth(w io.Writer) int {
	if c, ok := w.(*checkedWriter); ok {
		w = c.w
	}
	f, ok := w.(*os.File)
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); ok && err == nil && n > 0 {
		return n
	}
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
		return width
	}
	return 80
}
