package data

import (
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// cellKind says how a cell is read as a number.
type cellKind int

const (
	// kindNumber is a non-negative number: 2.5, 1,500, 3e6, 1.5k.
	kindNumber cellKind = iota
	// kindAmount is a non-negative amount of money: 1200000, £1.2m, 250k,
	// 1,200,000 (ParseAmount's forms).
	kindAmount
	// kindFraction is a share: 0.3 or 30% (ParseRate's forms).
	kindFraction
	// kindUplift is a non-negative share that may exceed 1: 0.2, 20% or
	// 200% (an optimism-bias uplift).
	kindUplift
)

// plainNumber matches a number as a spreadsheet stores it: an optional
// sign, digits with an optional point, an optional exponent.
var plainNumber = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)

// spreadsheetErrors are the error values a formula can leave in a cell.
var spreadsheetErrors = []string{
	"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
	"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!", "#PYTHON!",
}

// parseCell reads the text of a non-blank cell as a number of kind. On
// failure it returns a message saying what the cell should hold.
func parseCell(s string, kind cellKind) (float64, string) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "#") && slices.Contains(spreadsheetErrors, strings.ToUpper(t)) {
		return 0, fmt.Sprintf("holds the spreadsheet error %s (from a formula?)", t)
	}
	// "5.000" typed as text (a number cell never keeps a trailing zero):
	// 5 here, 5,000 where the point groups thousands.
	if u := strings.TrimSpace(strings.TrimLeft(t, "£€$")); kind == kindAmount && ambiguousPoint(u) && strings.HasSuffix(u, "0") {
		return 0, ambiguousMsg(s)
	}
	if plainNumber.MatchString(t) {
		v, err := strconv.ParseFloat(t, 64)
		switch {
		case err != nil || math.IsInf(v, 0):
			return 0, fmt.Sprintf("%q is too large", s)
		case v < 0 && kind != kindFraction:
			return 0, wantKind(kind, s)
		}
		return v, ""
	}
	var v float64
	var err error
	switch kind {
	case kindAmount:
		v, err = ParseAmount(t)
	case kindNumber:
		if strings.ContainsAny(t, "£%") {
			return 0, wantKind(kind, s)
		}
		v, err = ParseAmount(t)
	case kindFraction, kindUplift:
		if !strings.HasSuffix(t, "%") {
			return 0, wantKind(kind, s)
		}
		v, err = ParseRate(t)
	}
	if err != nil || (kind == kindUplift && v < 0) {
		return 0, wantKind(kind, s)
	}
	return v, ""
}

// wantKind says what a cell of kind must hold.
func wantKind(kind cellKind, s string) string {
	switch kind {
	case kindAmount:
		return fmt.Sprintf("must be a non-negative amount, got %q", s)
	case kindFraction:
		return fmt.Sprintf("must be a fraction such as 30%% or 0.3, got %q", s)
	case kindUplift:
		return fmt.Sprintf("must be a non-negative uplift such as 20%% or 0.2, got %q", s)
	}
	return fmt.Sprintf("must be a non-negative number, got %q", s)
}

// parseWhole reads a whole number from lo to hi.
func parseWhole(s string, lo, hi int) (int, string) {
	v, msg := parseCell(s, kindNumber)
	if msg == "" && v < 0 {
		msg = "negative"
	}
	if msg != "" || v != math.Trunc(v) || v < float64(lo) || v > float64(hi) {
		return 0, fmt.Sprintf("must be a whole number from %s to %s, got %q", grouped(lo), grouped(hi), s)
	}
	return int(v), ""
}

// grouped writes n with thousands separators.
func grouped(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// parseSeed reads a seed: a whole number from 0 to 2^64−1. A spreadsheet
// number holds whole numbers exactly only up to 2^53, so larger seeds must
// be typed as text.
func parseSeed(s string) (uint64, string) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if v, err := strconv.ParseUint(t, 10, 64); err == nil {
		return v, ""
	}
	if plainNumber.MatchString(t) {
		if v, err := strconv.ParseFloat(t, 64); err == nil && v >= 0 && v == math.Trunc(v) {
			if v > 1<<53 {
				return 0, fmt.Sprintf("%q is above 2^53, where a spreadsheet number loses digits: type the seed as text", s)
			}
			return uint64(v), ""
		}
	}
	return 0, fmt.Sprintf("must be a whole number from 0 to 18,446,744,073,709,551,615, got %q", s)
}

// formatProvenance writes a number's provenance as a source cell holds it:
// "F [nao2017, dhsc2018]: note", "J: note", "D [src]".
func formatProvenance(n *Number) string {
	s := n.Tag
	if len(n.Src) > 0 {
		s += " [" + strings.Join(n.Src, ", ") + "]"
	}
	if n.Note != "" {
		s += ": " + n.Note
	}
	return s
}

// parseProvenance reads a source cell. "F [a, b]: note", "D [a]", "J:
// note" give the tag, sources and note; text that does not start with a
// tag is a judgement whose reason is the text. A tag followed by a
// malformed list or text where the colon should be is an error.
func parseProvenance(s string) (tag string, src []string, note string, msg string) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", nil, "", ""
	}
	c := strings.ToUpper(t[:1])
	rest := strings.TrimLeft(t[1:], " \t")
	if (c != "F" && c != "D" && c != "J") || (rest != "" && rest[0] != '[' && rest[0] != ':') {
		return "J", nil, t, ""
	}
	tag = c
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "", nil, "", fmt.Sprintf("the source list has no closing ], in %q (want e.g. F [nao2017, dhsc2018]: note)", s)
		}
		src = append(src, strings.FieldsFunc(rest[1:end], func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })...)
		rest = strings.TrimLeft(rest[end+1:], " \t")
	}
	switch {
	case rest == "":
	case rest[0] == ':':
		note = strings.TrimSpace(rest[1:])
	default:
		return "", nil, "", fmt.Sprintf("want a colon before the note, in %q (e.g. F [nao2017]: note)", s)
	}
	return tag, src, note, ""
}

// provenanceHash is the hash of a source cell's text that the template
// values column keeps: FNV-1a, 32 bits, in hex.
func provenanceHash(s string) string {
	h := fnv.New32a()
	h.Write([]byte(strings.TrimSpace(s)))
	return fmt.Sprintf("%08x", h.Sum32())
}

// cellFloat returns x as a spreadsheet cell holds it: rounded to 15
// significant digits, Excel's precision (excelize cuts longer numbers).
func cellFloat(x float64) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
	if err != nil {
		return x
	}
	return v
}

// original is what the template wrote for one number.
type original struct {
	lo, hi float64
	ranged bool
	hash   string
}

// formatFingerprint writes a row's template values: for each number,
// "name=lo,hi,hash" (hi empty for a fixed value), separated by "; ".
func formatFingerprint(names []string, nums []*Number) string {
	var parts []string
	for i, n := range nums {
		if n == nil {
			continue
		}
		hi := ""
		if n.ranged || n.Lo != n.Hi {
			hi = strconv.FormatFloat(cellFloat(n.Hi), 'g', -1, 64)
		}
		parts = append(parts, fmt.Sprintf("%s=%s,%s,%s", names[i], strconv.FormatFloat(cellFloat(n.Lo), 'g', -1, 64), hi, provenanceHash(formatProvenance(n))))
	}
	return strings.Join(parts, "; ")
}

// parseFingerprint reads a row's template values, skipping malformed
// parts.
func parseFingerprint(s string) map[string]original {
	out := map[string]original{}
	for part := range strings.SplitSeq(s, ";") {
		name, rest, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		f := strings.Split(rest, ",")
		if len(f) != 3 {
			continue
		}
		lo, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			continue
		}
		o := original{lo: lo, hi: lo, hash: f[2]}
		if f[1] != "" {
			if o.hi, err = strconv.ParseFloat(f[1], 64); err != nil {
				continue
			}
			o.ranged = true
		}
		out[name] = o
	}
	return out
}
