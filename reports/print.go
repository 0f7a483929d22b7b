package reports

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// How the workbook prints. Every sheet prints on A4 with its name and page
// numbers in the footer, and its header rows (the rows frozen on screen)
// repeated on every page. Summary prints on one landscape page. A table
// sheet prints landscape, as many pages wide as keep its text at a
// readable size (printChars columns of width a page), its first columns
// (the row labels) repeated on each page across. The LEC table (a
// thousand rows of data for the chart) and the Reproduce record (the
// dataset as YAML) are not printed beyond their first rows: the LEC chart
// sheet prints the curve and the losses at round return periods.

// printChars is the total column width, in characters, printed across
// one landscape A4 page: some 140 fit at 100%, so a table fitted to pages
// of this width prints at no less than about 70%, 7.7 pt for 11 pt text.
const printChars = 230

// sheetLayout is what the workbook records of a sheet as it writes it, for
// its print setup.
type sheetLayout struct {
	// header is the number of rows frozen at the top: the title and
	// header rows, repeated on each printed page.
	header int
	// widths are the column widths set, in characters, from column A.
	widths []float64
	// labels is the number of leading columns that label a row, repeated
	// on each page across.
	labels int
	// area, if set, is the only range printed, e.g. "$A$1:$F$20".
	area string
	// se: a key–value sheet with a standard-error column after the value
	// (see items).
	se bool
	// printCols, if set, is the number of columns printed (those of
	// area), which sets the pages across.
	printCols int
	// tall, if set, is the number of pages down the sheet is fitted to.
	tall int
	// portrait prints a table sheet portrait: a narrow table with many
	// rows, which it fits at a larger size than landscape.
	portrait bool
}

// layout returns the record of a sheet, making it.
func (b *book) layout(sheet string) *sheetLayout {
	if b.layouts == nil {
		b.layouts = map[string]*sheetLayout{}
	}
	l := b.layouts[sheet]
	if l == nil {
		l = &sheetLayout{}
		b.layouts[sheet] = l
	}
	return l
}

// printSetup gives every sheet of the workbook its page setup, from what
// was recorded as the sheets were written.
func (b *book) printSetup() {
	for _, s := range b.f.GetSheetList() {
		if b.err != nil {
			return
		}
		if v, err := b.f.GetSheetVisible(s); err == nil && !v {
			continue // hidden: not printed
		}
		l := b.layout(s)
		portrait := false
		wide, tall := 1, 0
		switch s {
		case sheetSummary:
			// Portrait holds its rows at a larger size than landscape.
			portrait, tall = true, 1
		case sheetAbout:
			portrait, tall = true, 1
		default:
			var w float64
			for i, x := range l.widths {
				if l.printCols == 0 || i < l.printCols {
					w += x
				}
			}
			var lw float64
			for _, x := range l.widths[:min(l.labels, len(l.widths))] {
				lw += x
			}
			// Each page across repeats the label columns.
			wide = max(1, int(math.Ceil((w-lw)/(printChars-lw))))
			tall, portrait = l.tall, l.portrait
		}
		if !slices.Contains(LiveSheets, s) { // set before they were streamed
			b.pageSetup(s, portrait, wide, tall)
			b.footer(s)
		}
		var titles []string
		if l.labels > 0 && wide > 1 {
			titles = append(titles, fmt.Sprintf("%s!$A:$%s", quoteSheet(s), colName(l.labels)))
		}
		if l.header > 0 {
			titles = append(titles, fmt.Sprintf("%s!$1:$%d", quoteSheet(s), l.header))
		}
		if len(titles) > 0 {
			b.do(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: strings.Join(titles, ","), Scope: s}))
		}
		if l.area != "" {
			b.do(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: quoteSheet(s) + "!" + l.area, Scope: s}))
		}
	}
}

// pageSetup prints a sheet on A4, landscape unless portrait, fitted to
// wide pages across and tall pages down (0: as many as it takes). Excel
// and LibreOffice fit to pages only with the sheet's fitToPage property
// set, which is set here too.
func (b *book) pageSetup(sheet string, portrait bool, wide, tall int) {
	if b.err != nil {
		return
	}
	orient, a4, fit := "landscape", 9, true
	if portrait {
		orient = "portrait"
	}
	b.do(b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient, FitToWidth: &wide, FitToHeight: &tall}))
	b.do(b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}))
	side, top, hf := 0.4, 0.5, 0.25
	b.do(b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &hf, Footer: &hf}))
}

// footer puts the workbook's title, the sheet's name and the page number
// at the foot of each printed page.
func (b *book) footer(sheet string) {
	if b.err != nil {
		return
	}
	b.do(b.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddFooter: "&L&8" + footerText(b.title) + "&C&8&A&R&8Page &P of &N",
	}))
}

// footerText makes s safe in a header or footer, where & starts a code,
// and short enough to leave room for the page number.
func footerText(s string) string {
	return strings.ReplaceAll(clip(s, 90), "&", "&&")
}

// patchChart rewrites the XML of the chart added last, for what excelize
// cannot say: a scatter chart's straight lines and a log scale on its
// horizontal axis. Each rewrite is of markup excelize writes, and a test
// reads the result back.
func (b *book) patchChart(patch func([]byte) []byte) {
	if b.err != nil {
		return
	}
	last, name := 0, ""
	b.f.Pkg.Range(func(k, _ any) bool {
		p, _ := k.(string)
		var n int
		if _, err := fmt.Sscanf(p, "xl/charts/chart%d.xml", &n); err == nil && n > last {
			last, name = n, p
		}
		return true
	})
	v, ok := b.f.Pkg.Load(name)
	if !ok {
		b.do(fmt.Errorf("no chart to rewrite"))
		return
	}
	x, _ := v.([]byte)
	b.f.Pkg.Store(name, patch(x))
}

// straightScatter makes a scatter chart's lines straight: excelize writes
// the style "smoothMarker", which LibreOffice draws as smoothed curves.
func straightScatter(x []byte) []byte {
	return bytes.Replace(x, []byte(`<scatterStyle val="smoothMarker">`), []byte(`<scatterStyle val="lineMarker">`), 1)
}

// logX puts a scatter chart's horizontal axis, the first axis excelize
// writes, on a base-10 log scale.
func logX(x []byte) []byte {
	return bytes.Replace(x, []byte(`<scaling>`), []byte(`<scaling><logBase val="10"></logBase>`), 1)
}

// quoteSheet quotes a sheet name for a reference: 'LEC chart'.
func quoteSheet(s string) string {
	if strings.ContainsAny(s, " -'()") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return s
}

// commandWords returns a command's arguments as a shell reads them back:
// each quoted when it holds anything but letters, digits and -_=.,:/+%@
// (in single quotes, a quote within closed, escaped and reopened), so that the words
// joined by spaces, copied from a page, run the command.
func commandWords(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.IndexFunc(a, func(c rune) bool {
			return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_=.,:/+%@", c))
		}) >= 0 {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return out
}
