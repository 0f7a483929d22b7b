package data

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// cellProblem returns what is wrong with a number cell beyond its text, or
// "": a TRUE or FALSE, a date (a spreadsheet stores a date as the days
// since 1900, so 5 June 2024 would read as 45,448), or an amount in another
// currency than the dataset's, whether typed with its sign ("$1,200") or
// shown in a currency format.
func (l *loader) cellProblem(sheet string, col, row int, text string, kind cellKind) string {
	if col < 1 {
		return ""
	}
	cell := cellName(col, row)
	if typ, err := l.f.GetCellType(sheet, cell); err == nil {
		switch typ {
		case excelize.CellTypeBool:
			return fmt.Sprintf("holds the logical value %s, not a number: type the number", boolText(text))
		case excelize.CellTypeDate:
			return "holds a date, not a number: type the number"
		}
	}
	var format string
	if id, err := l.f.GetCellStyle(sheet, cell); err == nil && id != 0 {
		if st, ok := l.numFmt(id); ok {
			format = st.custom
			if isDateFormat(st.id, format) {
				return fmt.Sprintf("is formatted as a date or time, so %s is not the number it shows: type the number in a cell formatted as a number", text)
			}
		}
	}
	if kind != kindAmount && kind != kindNumber {
		return ""
	}
	want := strings.TrimSpace(CurrencySymbol(l.currency))
	if want == "" {
		return ""
	}
	if sym := AmountSymbol(text); sym != "" && sym != want {
		return fmt.Sprintf("%q is in %s, but the dataset's amounts are in %s (%s): convert it and type the %s amount", text, sym, l.currency, want, l.currency)
	}
	if sym := formatSymbol(format); sym != "" && sym != want && format != templateMoneyFormat {
		return fmt.Sprintf("is formatted in %s, but the dataset's amounts are in %s (%s): convert it and type the %s amount", sym, l.currency, want, l.currency)
	}
	return ""
}

// numFmt is a style's number format: built-in id, or custom.
type numFmt struct {
	id     int
	custom string
}

// numFmt returns the number format of style id, false when excelize
// cannot read the style; each style is read once (GetStyle rebuilds the
// whole style, and every number cell of a workbook is checked).
func (l *loader) numFmt(id int) (numFmt, bool) {
	if nf, ok := l.numFmts[id]; ok {
		return nf, nf.id >= 0
	}
	nf := numFmt{id: -1}
	if st, err := l.f.GetStyle(id); err == nil && st != nil {
		nf.id = st.NumFmt
		if st.CustomNumFmt != nil {
			nf.custom = *st.CustomNumFmt
		}
	}
	if l.numFmts == nil {
		l.numFmts = map[int]numFmt{}
	}
	l.numFmts[id] = nf
	return nf, nf.id >= 0
}

// templateMoneyFormat is the money format WriteTemplate gives amounts.
const templateMoneyFormat = `"£"#,##0.##;[Red]-"£"#,##0.##`

// boolText names a logical cell's raw value as a spreadsheet shows it.
func boolText(raw string) string {
	if raw == "1" || strings.EqualFold(raw, "true") {
		return "TRUE"
	}
	return "FALSE"
}

// isDateFormat reports whether a number format shows a date or a time:
// one of the built-in date formats, or a custom format with day, month,
// year, hour or second codes outside its quoted text and brackets.
func isDateFormat(id int, custom string) bool {
	if custom == "" {
		return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58) || (id >= 71 && id <= 81)
	}
	codes := formatCodes(custom)
	return strings.ContainsAny(codes, "dDyYhHsS") || (strings.ContainsAny(codes, "mM") && !strings.ContainsAny(codes, "0#?"))
}

// formatCodes returns a custom number format without its quoted text,
// escaped characters and bracketed parts (colours, conditions, locales).
func formatCodes(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		switch c := f[i]; c {
		case '"':
			j := strings.IndexByte(f[i+1:], '"')
			if j < 0 {
				return b.String()
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is literal (or padding)
		case '[':
			j := strings.IndexByte(f[i+1:], ']')
			if j < 0 {
				return b.String()
			}
			i += j + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// formatSymbol returns the currency sign a number format shows (£, € or
// $), in quotes, escaped, bare or in a locale bracket such as [$€-x-euro2],
// or "".
func formatSymbol(f string) string {
	for _, sym := range []string{"£", "€", "$"} {
		for _, form := range []string{`"` + sym, `\` + sym, `[$` + sym} {
			if strings.Contains(f, form) {
				return sym
			}
		}
	}
	codes := formatCodes(f)
	for _, sym := range []string{"£", "€", "$"} {
		if strings.Contains(codes, sym) {
			return sym
		}
	}
	return ""
}
