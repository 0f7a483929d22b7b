package data

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Limits on the length of text in a dataset, in characters: long enough for
// any real id, name or note (the NHS default's longest note is under 300),
// short enough that a table, a terminal line and a workbook row stay
// readable.
const (
	maxIDLen   = 64
	maxNameLen = 200
	maxNoteLen = 4000
)

// textProblem returns what is wrong with s as a piece of text of at most
// max characters, or "". Control characters (which recolour, clear or
// retitle a terminal: ESC, CR, BEL, …), Unicode's bidirectional overrides
// (which reorder what a reader sees) and invalid UTF-8 are refused; a note
// (multiline) may hold line breaks and tabs.
func textProblem(s string, max int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("is %d characters long; at most %d are allowed", n, max)
	}
	for i, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || isBidiControl(r) {
			return fmt.Sprintf("holds the control character %U at byte %d: remove it (control characters could rewrite a terminal or hide text)", r, i)
		}
	}
	return ""
}

// isBidiControl reports whether r is one of Unicode's explicit
// bidirectional formatting characters.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// Escape returns s with every control character, bidirectional override
// and invalid byte written as a Go escape (\x1b, \u202e), so that text
// from a file cannot rewrite the terminal it is printed on. A message
// naming a field whose id holds such a character goes through it.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n') || isBidiControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, n := utf8.DecodeRuneInString(s[i:])
		w = n
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r == '\n':
			b.WriteRune(r)
		case unicode.IsControl(r) || isBidiControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// urlProblem returns what is wrong with a source's address, or "": only
// http and https addresses become links.
func urlProblem(s string) string {
	if p := textProblem(s, 2000, false); p != "" {
		return p
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) {
		return fmt.Sprintf("want an http:// or https:// address, got %q", s)
	}
	return ""
}

// text reports a problem with a piece of text at line (or workbook
// position) line, naming field.
func (v *validator) text(line int, field, s string, max int, multiline bool) {
	if p := textProblem(s, max, multiline); p != "" {
		v.errf(line, field, "%s", p)
	}
}

// texts checks every piece of text in the dataset outside its numbers:
// ids, names, notes and sources.
func (v *validator) texts(ds *Dataset) {
	v.text(v.at("name"), "name", ds.Name, maxNameLen, false)
	v.text(v.at("currency"), "currency", ds.Currency, maxIDLen, false)
	v.text(v.at("price_year"), "price_year", ds.PriceYear, maxIDLen, false)
	for i, s := range ds.Sources {
		f := fmt.Sprintf("sources[%d]", i)
		line := v.at(f)
		v.text(line, f+".id", s.ID, maxIDLen, false)
		v.text(line, f+".publisher", s.Publisher, maxNameLen, false)
		v.text(line, f+".title", s.Title, maxNoteLen, false)
		if s.URL != "" {
			if p := urlProblem(s.URL); p != "" {
				v.errf(cmpLine(v.at(f+".url"), line), f+".url", "%s", p)
			}
		}
	}
	c := &ds.Calibration
	v.text(v.at("calibration.incident"), "calibration.incident", c.Incident, maxNameLen, false)
	v.text(v.at("calibration.price_year"), "calibration.price_year", c.PriceYear, maxIDLen, false)
	v.text(v.at("calibration.note"), "calibration.note", c.Note, maxNoteLen, true)
	for i, k := range c.Checks {
		f := fmt.Sprintf("calibration.checks[%d]", i)
		v.text(v.at(f), f+".id", k.ID, maxIDLen, false)
		v.text(v.at(f), f+".name", k.Name, maxNameLen, false)
	}
	for i, h := range ds.Holdouts {
		f := fmt.Sprintf("holdouts[%d]", i)
		v.text(v.at(f), f+".id", h.ID, maxIDLen, false)
		v.text(v.at(f), f+".name", h.Name, maxNameLen, false)
	}
	for i := range ds.Scopes {
		s := &ds.Scopes[i]
		at := fmt.Sprintf("scopes[%d]", i)
		v.text(cmpLine(v.at(at+".id"), v.at(at)), at+".id", s.ID, maxIDLen, false)
		v.text(cmpLine(v.at(at+".name"), v.at(at)), at+".name", s.Name, maxNameLen, false)
		for j, t := range s.Threats {
			ta := fmt.Sprintf("%s.threats[%d]", at, j)
			v.text(cmpLine(v.at(ta+".id"), v.at(ta)), ta+".id", t.ID, maxIDLen, false)
			v.text(cmpLine(v.at(ta+".name"), v.at(ta)), ta+".name", t.Name, maxNameLen, false)
			v.text(cmpLine(v.at(ta+".note"), v.at(ta)), ta+".note", t.Note, maxNoteLen, true)
		}
		for j, c := range s.Controls {
			ca := fmt.Sprintf("%s.controls[%d]", at, j)
			v.text(cmpLine(v.at(ca+".id"), v.at(ca)), ca+".id", c.ID, maxIDLen, false)
			v.text(cmpLine(v.at(ca+".name"), v.at(ca)), ca+".name", c.Name, maxNameLen, false)
			v.text(cmpLine(v.at(ca+".exclusive_group"), v.at(ca)), ca+".exclusive_group", c.Group, maxIDLen, false)
			v.text(cmpLine(v.at(ca+".note"), v.at(ca)), ca+".note", c.Note, maxNoteLen, true)
			for k, r := range c.Requires {
				v.text(cmpLine(v.at(fmt.Sprintf("%s.requires[%d]", ca, k)), v.at(ca)), fmt.Sprintf("%s.requires[%d]", ca, k), r, maxIDLen, false)
			}
			for k, e := range c.Effects {
				ea := fmt.Sprintf("%s.effects[%d]", ca, k)
				v.text(cmpLine(v.at(ea+".threat"), v.at(ea)), ea+".threat", e.Threat, maxIDLen, false)
			}
		}
	}
}

// cmpLine returns a if it is known (non-zero), else b.
func cmpLine(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// PlainText reports whether p is printable ASCII, newlines and tabs: text
// EscapeControls would leave as it is.
func PlainText(p []byte) bool {
	for _, c := range p {
		if (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// EscapeControls returns b with its control and formatting characters,
// other than newline and tab, written as Go escapes (\x1b, \r, \u202e),
// as a command's standard output is shown: what Escape does for one
// message, for a stream of text.
func EscapeControls(b []byte) []byte {
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

// yamlLine is how go.yaml.in/yaml/v3 places a syntax error: "line N: ".
var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// yamlProblem splits a YAML syntax error into the line the parser gives
// (0 when none) and the problem.
func yamlProblem(err error) (int, string) {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 0, s
}

// maxLocateBytes bounds the text yamlSyntaxError parses again to place
// an error: a few dozen parses of a large file.
const maxLocateBytes = 64 << 20

// yamlSyntaxError places the syntax error err that parsing b gave: its
// line and column (from 1, 0 and 0 when it cannot be placed) and the
// problem. The parser's own line is that of the construct it was in when
// it failed, counted from 0 (a flow sequence opened two lines up, the end
// of the line before a tab), so it is not used: the place is found by
// parsing ever longer beginnings of b, each with the quote and brackets it
// leaves open closed, and taking the shortest that fails with the same
// problem (a binary search: once the error is in, every longer beginning
// fails there). When only the end of the file shows the problem, the
// place is the quote or bracket left open.
func yamlSyntaxError(b []byte, err error) (line, col int, problem string) {
	_, problem = yamlProblem(err)
	budget := maxLocateBytes
	fails := func(p []byte) bool {
		budget -= len(p)
		var n yaml.Node
		c, _ := closers(p)
		e := yaml.Unmarshal(append(p[:len(p):len(p)], c...), &n)
		if e == nil {
			return false
		}
		_, s := yamlProblem(e)
		return s == problem
	}
	at := func(off int) (int, int) {
		return 1 + bytes.Count(b[:off], []byte("\n")), 1 + utf8.RuneCount(b[bytes.LastIndexByte(b[:off], '\n')+1:off])
	}
	if !fails(b) {
		if _, open := closers(b); open >= 0 {
			line, col = at(open)
			return line, col, fmt.Sprintf("%s (the %c here is never closed)", problem, b[open])
		}
		return 0, 0, strings.TrimPrefix(err.Error(), "yaml: ")
	}
	lo, hi := 0, len(b) // b[:hi] fails; b[:lo] is not known to
	for hi-lo > 1 && budget > 0 {
		mid := (lo + hi) / 2
		for mid > lo && !utf8.RuneStart(b[mid]) {
			mid--
		}
		if mid == lo {
			break
		}
		if fails(b[:mid]) {
			hi = mid
		} else {
			lo = mid
		}
	}
	if budget <= 0 {
		return 0, 0, strings.TrimPrefix(err.Error(), "yaml: ")
	}
	r := hi - 1
	for r > 0 && !utf8.RuneStart(b[r]) {
		r--
	}
	line, col = at(r)
	return line, col, problem
}

// yamlErrorf returns the syntax error err that parsing file name's b
// gave, placed as file:line:column.
func yamlErrorf(name string, b []byte, err error) error {
	line, col, problem := yamlSyntaxError(b, err)
	if line == 0 {
		return fmt.Errorf("%s: %s", name, problem)
	}
	return fmt.Errorf("%s:%d:%d: %s", name, line, col, problem)
}

// closers returns what closes the quoted scalar and the flow collections
// ([ and {) left open at the end of p, innermost first, and the offset of
// the innermost one opened (−1 when none is). Brackets and quotes count
// only where YAML reads them so: a quote that starts a value, a bracket
// that starts one or sits inside a flow collection; not in a plain
// scalar ("it's", "a[1]") or a comment.
func closers(p []byte) ([]byte, int) {
	var stack []byte
	var opened []int
	var quote byte
	quoteAt := -1
	atValue := true // where a collection or a quoted scalar may start
	for i := 0; i < len(p); i++ {
		c := p[i]
		if quote != 0 {
			switch {
			case quote == '"' && c == '\\':
				i++
			case quote == '\'' && c == '\'' && i+1 < len(p) && p[i+1] == '\'':
				i++
			case c == quote:
				quote = 0
				atValue = false
			}
			continue
		}
		space := func(j int) bool { return j >= len(p) || p[j] == ' ' || p[j] == '\t' || p[j] == '\n' || p[j] == '\r' }
		switch {
		case c == '#' && (i == 0 || space(i-1)):
			for i < len(p) && p[i] != '\n' {
				i++
			}
			atValue = len(stack) == 0 || atValue
		case (c == '"' || c == '\'') && atValue:
			quote, quoteAt = c, i
		case (c == '[' || c == '{') && (atValue || len(stack) > 0):
			stack = append(stack, c)
			opened = append(opened, i)
			atValue = true
		case (c == ']' || c == '}') && len(stack) > 0:
			stack = stack[:len(stack)-1]
			opened = opened[:len(opened)-1]
			atValue = false
		case c == ',' && len(stack) > 0:
			atValue = true
		case space(i):
			if c == '\n' && len(stack) == 0 {
				atValue = true
			}
		case (c == ':' || c == '-' || c == '?') && space(i+1):
			atValue = true
		default:
			atValue = false
		}
	}
	var out []byte
	at := -1
	if len(opened) > 0 {
		at = opened[len(opened)-1]
	}
	if quote != 0 {
		out = append(out, quote)
		at = quoteAt
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i] == '[' {
			out = append(out, ']')
		} else {
			out = append(out, '}')
		}
	}
	return out, at
}
