package reports

import (
	"bytes"
	"io"
	"strings"

	"github.com/rivo/uniseg"
)

// textWidth returns the columns s takes on a terminal: one for most
// characters (£, −, ±, … included), two for East Asian wide ones, none
// for combining marks; a tab advances to the next multiple of eight.
func textWidth(s string) int {
	if !strings.Contains(s, "\t") {
		return uniseg.StringWidth(s)
	}
	w := 0
	for i, part := range strings.Split(s, "\t") {
		if i > 0 {
			w += 8 - w%8
		}
		w += uniseg.StringWidth(part)
	}
	return w
}

// clipWidth shortens s to at most n columns, ending it with "…" when cut.
func clipWidth(s string, n int) string {
	if textWidth(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	for len(r) > 0 && textWidth(string(r))+1 > n {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// Wrapper is an io.Writer for a terminal Width columns wide: it passes
// each line on, broken at spaces into lines that fit when it is wider.
// A broken line's continuation keeps the line's indent, two columns
// more when it has one (a list item's). A word wider than the terminal
// (a long file name) stays whole. Width 0 or less (unknown: a file or a
// pipe) passes text on unchanged.
type Wrapper struct {
	w     io.Writer
	Width int
	line  []byte // the start of a line not yet ended
	err   error
}

// Wrap returns a Wrapper writing to w for a terminal width columns wide.
func Wrap(w io.Writer, width int) *Wrapper { return &Wrapper{w: w, Width: width} }

// Write writes p, each complete line wrapped; the start of a line not
// ended waits for the rest or Flush.
func (t *Wrapper) Write(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	if t.Width <= 0 {
		_, t.err = t.w.Write(p)
		if t.err != nil {
			return 0, t.err
		}
		return len(p), nil
	}
	t.line = append(t.line, p...)
	end := bytes.LastIndexByte(t.line, '\n')
	if end < 0 {
		return len(p), nil
	}
	var out strings.Builder
	for line := range strings.SplitSeq(string(t.line[:end]), "\n") {
		for _, l := range wrapLine(line, t.Width) {
			out.WriteString(l)
			out.WriteByte('\n')
		}
	}
	t.line = append(t.line[:0], t.line[end+1:]...)
	if _, t.err = io.WriteString(t.w, out.String()); t.err != nil {
		return 0, t.err
	}
	return len(p), nil
}

// Flush writes a line not yet ended, wrapped, and returns the first
// error writing met.
func (t *Wrapper) Flush() error {
	if t.err != nil || len(t.line) == 0 {
		return t.err
	}
	ls := wrapLine(string(t.line), t.Width)
	t.line = t.line[:0]
	_, t.err = io.WriteString(t.w, strings.Join(ls, "\n"))
	return t.err
}

// wrapLine breaks line at spaces into lines of at most width columns.
// A space beside "±" or "×" does not break, so that "£131m ± 8.06m"
// stays on one line.
func wrapLine(line string, width int) []string {
	if width <= 0 || textWidth(line) <= width {
		return []string{line}
	}
	body := strings.TrimLeft(line, " \t")
	lead := line[:len(line)-len(body)]
	indent := lead
	if lead != "" {
		indent += "  "
	}
	var words []string
	glue := false // the last word holds to the next
	for w := range strings.SplitSeq(body, " ") {
		n := len(words)
		if n > 0 && (glue || w == "" || w == "±" || w == "×") {
			words[n-1] += " " + w
		} else {
			words = append(words, w)
		}
		glue = w == "±" || w == "×"
	}
	var out []string
	cur := lead
	empty := true
	for _, w := range words {
		if !empty && textWidth(cur+" "+w) > width {
			out = append(out, cur)
			cur, empty = indent+w, false
			continue
		}
		if empty {
			cur += w
		} else {
			cur += " " + w
		}
		empty = false
	}
	return append(out, cur)
}

// fillParts joins parts with " · " on lines of at most width columns,
// each starting with indent; a part wider than a line is clipped.
func fillParts(parts []string, indent string, width int) string {
	var b strings.Builder
	line := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if width > 0 {
			p = clipWidth(p, width-textWidth(indent))
		}
		switch {
		case line == "":
			line = indent + p
		case width > 0 && textWidth(line+" · "+p) > width:
			b.WriteString(line + "\n")
			line = indent + p
		default:
			line += " · " + p
		}
	}
	if line != "" {
		b.WriteString(line + "\n")
	}
	return b.String()
}

// fit returns the table for a terminal width columns wide (0: unknown,
// the full table). When the full table is wider, the flexible column (a
// name) is shortened, down to flexMin columns; when that is not enough,
// each row is written stacked: its key cells and flexible cell on one
// line, then its other cells, each after its column's label, joined by
// " · " on indented lines.
func (t *textTable) fit(width int) string {
	full := t.String()
	if width <= 0 || tableWidth(full) <= width || len(t.rows) == 0 {
		return full
	}
	if t.flex > 0 {
		col := t.flex - 1
		over := tableWidth(full) - width
		colWidth := 0
		for _, r := range t.rows {
			if col < len(r) {
				colWidth = max(colWidth, textWidth(r[col]))
			}
		}
		if n := colWidth - over; n >= t.flexMin {
			s := &textTable{right: t.right}
			for k, r := range t.rows {
				r = append([]string(nil), r...)
				if col < len(r) {
					r[col] = t.shorten(k, r[col], n)
				}
				s.add(r...)
			}
			if text := s.String(); tableWidth(text) <= width {
				return text
			}
		}
	}
	return t.stacked(width)
}

// shorten returns row k's flexible cell s in at most n columns.
func (t *textTable) shorten(k int, s string, n int) string {
	if t.short != nil && k > 0 {
		return t.short(k, n)
	}
	return clipWidth(s, n)
}

// stacked writes the table one row at a time for a terminal width
// columns wide (see fit).
func (t *textTable) stacked(width int) string {
	head := t.rows[0]
	label := func(i int) string {
		if i < len(t.labels) && t.labels[i] != "" {
			return t.labels[i]
		}
		return head[i]
	}
	var b strings.Builder
	for k, r := range t.rows[1:] {
		var first, rest []string
		for i, c := range r {
			switch {
			case c == "":
			case i < t.key:
				first = append(first, c)
			case i == t.flex-1:
				if t.short != nil {
					c = t.short(k+1, 1<<20)
				}
				first = append(first, c)
			default:
				rest = append(rest, label(i)+" "+c)
			}
		}
		if len(first) == 0 && len(rest) > 0 {
			first, rest = rest[:1], rest[1:]
		}
		b.WriteString(clipWidth(strings.Join(first, "  "), width) + "\n")
		b.WriteString(fillParts(rest, "    ", width))
	}
	return b.String()
}

// fitWidth is the width the run's tables fit: the terminal's, or 0 (the
// full tables) with --wide.
func (j *Run) fitWidth() int {
	if j.Wide {
		return 0
	}
	return j.Width
}
