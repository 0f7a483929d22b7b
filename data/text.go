package data

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
