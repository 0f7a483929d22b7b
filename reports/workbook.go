package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

// The workbook's sheets, in order.
const (
	sheetSummary     = "Summary"
	sheetRanking     = "Ranking"
	sheetPercentiles = "Percentiles"
	sheetLEC         = "LEC"
	sheetLECChart    = "LEC chart"
	sheetCalibration = "Calibration"
	sheetInputs      = "Inputs"
	sheetSources     = "Sources"
	sheetAbout       = "About"
)

var sheets = []string{
	sheetSummary, sheetRanking, sheetPercentiles, sheetLEC, sheetLECChart,
	sheetCalibration, sheetInputs, sheetSources, sheetAbout,
}

// WriteWorkbook writes the run's Excel workbook to w. Its sheets are:
//
//	Summary      headline figures with their standard errors, scope, run
//	             settings and provenance: seed, draws used, target SE,
//	             aggregation, view, the inputs' SHA-256
//	Ranking      one row per control in rank order, every metric with its
//	             90% interval and standard error, its optimism-bias uplift,
//	             and a bar chart of NPV
//	Social       when the results have the social view: each control's NPV
//	             in the financial and social views, the harm it avoids, its
//	             rank in each view and whether they differ; the baseline harm
//	Portfolio    when the report has a portfolio choice: the best portfolio
//	             under the budget, how it was found, its appraisal with
//	             intervals, its P95 and TVaR95 against the baseline's, and
//	             its spend against the Gordon–Loeb bound
//	Frontier     when the choice has a frontier: the best portfolio at each
//	             budget, and a native chart of the objective by budget
//	Sensitivity  when the report has a sensitivity analysis: the decision
//	             and its central NPV, the tornado over every input, the
//	             switching values, EVPI and each input's EVPPI, and a native
//	             chart of the largest swings
//	Percentiles  the annual-loss distribution of the baseline, each control
//	             alone and the recommended portfolio, each figure with its
//	             standard error
//	LEC          the loss exceedance table: the loss of each option at 1,000
//	             exceedance probabilities log-spaced from 0.5 to 1/n, each
//	             with its standard error by batch means (blank in the far
//	             tail), and the rows nearest 1 in 2, 1 in 10, 1 in 100, …
//	             marked
//	LEC chart    a native chart of the LEC (log probability axis)
//	What-if      the live model: the closed form of expected NPV as
//	             formulas over editable central inputs, a toggle per
//	             control preset to the recommendation (whatif.go); and
//	             from the Draws sheet the toggled set's NPV across draws
//	Draws        at least 1,000 outer draws of the uncertain inputs, one
//	             row each (SIPmath style), with formulas giving each
//	             draw's expected NPV for the toggled set (draws.go)
//	Calibration  the WannaCry fit, its replay, checks and hold-outs
//	Inputs       every input number as used, with its sources
//	Sources      every publication the inputs cite
//	About        the model and its assumptions in plain words
//
// Money cells carry a number format with the report's currency symbol, shares a % format; header rows are
// frozen, and table sheets have filters. Numbers are written at full
// precision; a value that is not a finite number (the BCR of a control
// that costs nothing) is written as "n/a".
func WriteWorkbook(w io.Writer, r *Report) (err error) {
	opts, err := options(r)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("closing the workbook: %w", cerr)
		}
	}()
	b := &book{f: f, cur: currencyOf(r), millions: inMillions(r), title: "Cost-benefit of cyber-security controls: " + scopeName(r)}
	b.do(f.SetSheetName("Sheet1", sheetSummary))
	for _, name := range sheetList(r)[1:] {
		_, err := f.NewSheet(name)
		b.do(err)
	}
	// The LEC table is data for the chart, hidden so that it does not
	// print (the LEC chart sheet prints the curve, and plots/lec.csv holds
	// the table too); the Reproduce record is for cybercba reproduce, not
	// for reading, hidden so that it neither prints nor invites edits
	// (Format ▸ Sheet ▸ Show brings them back). Both are hidden now, and
	// Summary made the active sheet, while every sheet is empty: either
	// reads every worksheet back, and reading back the streamed ones (LEC,
	// What-if, Draws) would cost more than writing them.
	// The draws, a thousand rows of data for the What-if sheet's formulas
	// (summarised there), are hidden likewise: they are not a page of the
	// report.
	hidden := []string{sheetLEC, SheetDraws}
	if r.Reproduce != nil {
		_, err := f.NewSheet(SheetReproduce) // filled last, by writeReproduce
		b.do(err)
		hidden = append(hidden, SheetReproduce)
	}
	for _, s := range hidden {
		b.do(f.SetSheetVisible(s, false))
	}
	f.SetActiveSheet(0) // Summary; it too reads every sheet
	b.styles()
	b.summary(r, opts)
	b.ranking(r)
	if r.Decision != nil && len(r.Decision.BuildUp) > 0 {
		b.buildUp(r)
	}
	if hasSocial(r) {
		b.social(r)
	}
	if pa := r.Portfolio; pa != nil {
		b.portfolio(r)
		if len(pa.Frontier) > 0 {
			b.frontier(r)
		}
	}
	if r.Plan != nil {
		b.plan(r)
	}
	if r.Sensitivity != nil {
		b.sensitivity(r)
	}
	if r.Health != nil {
		b.health(r)
	}
	b.whatIf(r)
	b.percentiles(opts)
	b.lec(r, opts)
	b.calibration(r)
	b.inputs(r)
	b.sources(r)
	b.about(r)
	if r.Reproduce != nil {
		_, err := writeReproduce(f, r.Reproduce) // hidden above
		b.do(err)
	}
	b.printSetup()
	if b.err != nil {
		return b.err
	}
	props := &excelize.DocProperties{
		Title:       "Cost-benefit of cyber-security controls: " + scopeName(r),
		Subject:     caption(r),
		Creator:     strings.TrimSpace(r.Tool + " " + r.Version),
		Description: "Monte Carlo cost-benefit analysis. Seed, draws, years and dataset are on the Summary sheet.",
	}
	if !r.Generated.IsZero() {
		props.Created = r.Generated.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	if err := f.SetDocProps(props); err != nil {
		return err
	}
	return f.Write(w)
}

// book is a workbook being written. It keeps the first error, so that the
// sheets read as lists of cells (the pattern of bufio.Writer): after an
// error, the methods do nothing.
type book struct {
	f  *excelize.File
	st styles
	// cur is the currency of money cells, charts and headings.
	cur currency
	// millions shows money results in millions (see inMillions).
	millions bool
	// title is printed in each page's footer.
	title string
	err   error
	// layouts records each sheet's header rows and column widths, for
	// its print setup.
	layouts map[string]*sheetLayout
}

// styles are the cell styles, registered once and used by ID.
type styles struct {
	title, section, header, label, wrap, link int
	money, pct, ratio, count, exceed, date    int
	// pounds is a whole amount of money, for inputs and rates that must
	// read exactly whatever the money style; seed a plain integer; period
	// a return period, "1 in 1,000"; text a wrapped value; plain a cell
	// of a table column without a style of its own.
	pounds, seed, period, text, plain int
	// value is a plain number: a rate, a number of days.
	value int
}

// The workbook's font, excelize's default: every style names it.
const (
	bookFont     = "Calibri"
	bookFontSize = 11
)

// Row heights in points: a header row of two lines, and one line of text.
const (
	headerHeight = 32
	lineHeight   = 15
)

// Number formats.
const (
	fmtPct   = `0.0%`
	fmtRatio = `0.00`
	fmtCount = `#,##0`
	// fmtExceed writes an exceedance probability as a percentage with
	// the digits it needs: 50%, 0.10%, 0.0001%.
	fmtExceed = `[>=0.01]0%;[>=0.0001]0.00%;0.0000%`
	fmtSeed   = `0`
	fmtPeriod = `"1 in "#,##0`
	fmtDate   = `yyyy-mm-dd hh:mm "UTC"`
	fmtValue  = `#,##0.00##`
)

// inMillions reports whether a report's money results read best in
// millions: when the baseline's expected annual loss is £10m or more, as
// for a region or a nation. The cells keep exact amounts either way.
func inMillions(r *Report) bool { return r.Analysis.Baseline.ALE >= 10e6 }

// moneyFmt is the number format of money results: millions to one
// decimal, or whole amounts.
func (b *book) moneyFmt() string {
	if b.millions {
		return b.cur.millionsFmt()
	}
	return b.cur.numFmt()
}

// do records err if it is the first.
func (b *book) do(err error) {
	if b.err == nil && err != nil {
		b.err = err
	}
}

// styles registers the workbook's styles.
func (b *book) styles() {
	style := func(s *excelize.Style) int {
		id, err := b.f.NewStyle(s)
		b.do(err)
		return id
	}
	// Cells sit at the top of their row, level with a wrapped label or
	// note beside them.
	top := &excelize.Alignment{Vertical: "top"}
	num := func(code string) int {
		return style(&excelize.Style{CustomNumFmt: &code, Alignment: top})
	}
	// Every font names the workbook's face and size: a font without them
	// reads, in LibreOffice, as its default serif face.
	font := func(f excelize.Font) *excelize.Font {
		f.Family = bookFont
		if f.Size == 0 {
			f.Size = bookFontSize
		}
		return &f
	}
	b.st = styles{
		title: style(&excelize.Style{Font: font(excelize.Font{Bold: true, Size: 14, Color: "1F4E79"})}),
		header: style(&excelize.Style{
			Font:      font(excelize.Font{Bold: true, Color: "FFFFFF"}),
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
			Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
		}),
		section: style(&excelize.Style{Font: font(excelize.Font{Bold: true, Size: 12, Color: "1F4E79"}),
			Border: []excelize.Border{{Type: "bottom", Color: "1F4E79", Style: 1}}}),
		label:  style(&excelize.Style{Font: font(excelize.Font{Bold: true}), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}),
		wrap:   style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		link:   style(&excelize.Style{Font: font(excelize.Font{Color: "0563C1", Underline: "single"})}),
		money:  num(b.moneyFmt()),
		pounds: num(b.cur.numFmt()),
		seed:   num(fmtSeed),
		period: num(fmtPeriod),
		text:   style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: "left"}}),
		plain:  style(&excelize.Style{Alignment: top}),
		pct:    num(fmtPct),
		ratio:  num(fmtRatio),
		count:  num(fmtCount),
		exceed: num(fmtExceed),
		date:   num(fmtDate),
		value:  num(fmtValue),
	}
}

// cellValue returns v as a cell value: a non-finite number becomes "n/a",
// since a spreadsheet cell cannot hold one.
func cellValue(v any) any {
	if x, ok := v.(float64); ok && !finite(x) {
		return "n/a"
	}
	return v
}

// cellName returns the A1 name of a cell. Callers keep rows and columns in
// range (table checks its length against the sheet limit), so the
// conversion does not fail.
func cellName(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err)
	}
	return s
}

// set writes one cell with a style (0 for none).
func (b *book) set(sheet string, col, row int, v any, style int) {
	if b.err != nil {
		return
	}
	name := cellName(col, row)
	b.do(b.f.SetCellValue(sheet, name, cellValue(v)))
	if style != 0 {
		b.do(b.f.SetCellStyle(sheet, name, name, style))
	}
}

// widths sets the widths of the columns from the first, in characters.
func (b *book) widths(sheet string, widths ...float64) {
	b.layout(sheet).widths = widths
	for i, w := range widths {
		col := colName(i + 1)
		if b.err == nil {
			b.do(b.f.SetColWidth(sheet, col, col, w))
		}
	}
}

// freeze freezes the top rows of a sheet.
func (b *book) freeze(sheet string, rows int) {
	if b.err != nil {
		return
	}
	b.layout(sheet).header = rows
	b.do(b.f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: rows, TopLeftCell: cellName(1, rows+1), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: cellName(1, rows+1), ActiveCell: cellName(1, rows+1), Pane: "bottomLeft"}},
	}))
}

// column is one column of a table sheet.
type column[T any] struct {
	head  string
	width float64
	// style is the column's cell style; styleOf, when set, overrides it
	// row by row.
	style   int
	styleOf func(T) int
	value   func(T) any
}

// errTooManyRows is returned for a table longer than a sheet.
var errTooManyRows = errors.New("more rows than a sheet holds (1,048,576)")

// table writes rows under a header at row top, sets the column widths,
// freezes the rows down to the header and puts a filter on the header. It
// returns the last row written.
func table[T any](b *book, sheet string, top int, cols []column[T], rows []T) int {
	last := writeRows(b, sheet, top, cols, rows)
	if b.err != nil {
		return last
	}
	widths := make([]float64, len(cols))
	for j, c := range cols {
		widths[j] = c.width
	}
	b.widths(sheet, widths...)
	b.freeze(sheet, top)
	if b.err == nil {
		b.do(b.f.AutoFilter(sheet, cellName(1, top)+":"+cellName(len(cols), max(last, top+1)), nil))
	}
	return last
}

// writeRows writes rows under a header at row top, with the columns'
// styles, and returns the last row written. Unlike table it leaves the
// sheet's widths, panes and filter alone, so that a sheet can hold several
// tables.
func writeRows[T any](b *book, sheet string, top int, cols []column[T], rows []T) int {
	last := top + len(rows)
	if last > excelize.TotalRows {
		b.do(fmt.Errorf("%s: %d %w", sheet, len(rows), errTooManyRows))
		return top
	}
	for j, c := range cols {
		b.set(sheet, j+1, top, c.head, b.st.header)
	}
	if b.err == nil {
		b.do(b.f.SetRowHeight(sheet, top, headerHeight))
	}
	vals := make([]any, len(cols))
	for i, row := range rows {
		for j, c := range cols {
			vals[j] = cellValue(c.value(row))
		}
		if b.err == nil {
			b.do(b.f.SetSheetRow(sheet, cellName(1, top+1+i), &vals))
		}
		for j, c := range cols {
			if c.styleOf != nil {
				if s := c.styleOf(row); s != 0 && b.err == nil {
					name := cellName(j+1, top+1+i)
					b.do(b.f.SetCellStyle(sheet, name, name, s))
				}
			}
		}
	}
	// A row with wrapped text is made tall enough for it: LibreOffice
	// keeps a row's height as written.
	for i, row := range rows {
		lines := 1.0
		for _, c := range cols {
			if c.style == b.st.text || c.style == b.st.wrap {
				if v, ok := c.value(row).(string); ok {
					lines = max(lines, textLines(v, c.width))
				}
			}
		}
		if lines > 1 && b.err == nil {
			b.do(b.f.SetRowHeight(sheet, top+1+i, lines*lineHeight+2))
		}
	}
	for j, c := range cols {
		st := c.style
		if st == 0 {
			st = b.st.plain
		}
		if c.styleOf == nil && len(rows) > 0 && b.err == nil {
			b.do(b.f.SetCellStyle(sheet, cellName(j+1, top+1), cellName(j+1, last), st))
		}
	}
	return last
}

// textLines estimates the lines text takes wrapped in a column width
// characters wide: about 1.2 characters of 11 pt text fit a unit of
// width, less a little for the words that do not fill a line.
func textLines(text string, width float64) float64 {
	var lines float64
	for l := range strings.SplitSeq(text, "\n") {
		lines += max(1, math.Ceil(float64(utf8.RuneCountInString(l))/(1.15*width)))
	}
	return lines
}

// item is one row of a key–value sheet.
type item struct {
	label string
	value any
	style int
	// se, when set, is the value's Monte Carlo standard error, in the
	// column after the value on a sheet that has one (sheetLayout.se).
	se   any
	note string
}

// items writes label, value and note rows from row top, returning the next
// free row. An item without a label is a blank row; one with a label alone
// is a section heading. On a sheet with a standard-error column the note
// is in the fourth column; a text value too long for its cell spans the
// columns up to the note (all of them when it has none).
func (b *book) items(sheet string, top int, items []item) int {
	l := b.layout(sheet)
	w := l.widths
	width := func(col int) float64 {
		if col <= len(w) {
			return w[col-1]
		}
		return 10
	}
	noteCol := 3
	if l.se {
		noteCol = 4
	}
	for _, it := range items {
		lines := 1.0
		// A long text spans the value column and those after it up to the
		// note, or through the note column when there is no note.
		v, isText := it.value.(string)
		end := 2
		if isText {
			lines = textLines(v, width(2))
			last := noteCol - 1
			if it.note == "" && (l.se || lines > 2) {
				last = noteCol
			}
			if lines > 1 && last > 2 {
				end = last
				var sum float64
				for c := 2; c <= end; c++ {
					sum += width(c)
				}
				lines = textLines(v, sum)
			}
		}
		if _, isTime := it.value.(time.Time); isTime && l.se {
			end = 3 // a date and time is wider than a number
		}
		if it.note != "" {
			lines = max(lines, textLines(it.note, width(noteCol)))
		}
		if it.value != nil || it.note != "" { // a label, wrapped
			lines = max(lines, textLines(it.label, width(1)))
		}
		if lines > 1 && b.err == nil {
			b.do(b.f.SetRowHeight(sheet, top, wrappedHeight(lines)))
		}
		switch {
		case it.label != "" && it.value == nil && it.note == "":
			b.set(sheet, 1, top, it.label, b.st.section)
		case it.label != "":
			b.set(sheet, 1, top, it.label, b.st.label)
		}
		if it.value != nil {
			st := it.style
			if _, ok := it.value.(string); ok && st == 0 {
				st = b.st.text
			}
			b.set(sheet, 2, top, it.value, st)
			if end > 2 && b.err == nil {
				b.do(b.f.MergeCell(sheet, cellName(2, top), cellName(end, top)))
			}
		}
		if it.se != nil && l.se {
			b.set(sheet, 3, top, it.se, it.style)
		}
		if it.note != "" {
			b.set(sheet, noteCol, top, it.note, b.st.wrap)
		}
		top++
	}
	return top
}

// paragraph writes text at the row given, wrapped across the sheet's
// first cols columns (merged), the row as tall as its lines: a note that
// prints inside the page instead of running on past the table's edge.
func (b *book) paragraph(sheet string, row, cols int, text string) {
	if b.err != nil {
		return
	}
	var w float64
	for i, x := range b.layout(sheet).widths {
		if i < cols {
			w += x
		}
	}
	b.set(sheet, 1, row, text, b.st.wrap)
	b.do(b.f.MergeCell(sheet, cellName(1, row), cellName(cols, row)))
	b.do(b.f.SetRowHeight(sheet, row, wrappedHeight(textLines(text, w))))
}

// wrappedHeight is the height of a row of lines of wrapped 11 pt text:
// 13.5 points a line (Calibri's line spacing, 1.22 of its size), a little
// less than a row of one line takes.
func wrappedHeight(lines float64) float64 {
	return math.Max(lineHeight, lines*13.5+3)
}

// summary writes the Summary sheet: the headline figures and the run's
// settings and provenance.
func (b *book) summary(r *Report, opts []option) {
	an := r.Analysis
	s := sheetSummary
	st := b.st
	b.set(s, 1, 1, "Cost-benefit of cyber-security controls: "+scopeName(r), st.title)
	for j, h := range []string{"Item", "Value", "± 1 SE", "Note"} {
		b.set(s, j+1, 2, h, st.header)
	}
	b.freeze(s, 2)
	// 102 characters: a portrait page at 8 point once printed, in
	// LibreOffice's stand-in for Calibri (DejaVu Sans, the wider face).
	b.widths(s, 32, 16, 12, 42)
	b.layout(s).se = true
	scope := scopeName(r)
	if r.ScopeID != "" && r.ScopeID != scope {
		scope += " (" + r.ScopeID + ")"
	}
	money := "money"
	if r.Currency != "" || r.PriceYear != "" {
		money = strings.TrimSpace(r.Currency + ", " + r.PriceYear + " prices")
	}
	base := an.Baseline
	sim := an.Sim
	rows := []item{
		{label: "Scope", value: scope},
		{label: "Money", value: money, note: "All amounts are in this currency and price year."},
		{},
		{label: "Baseline: with no new controls"},
		{label: "Expected annual loss (ALE)", value: base.ALE, se: base.ALESE, style: st.money, note: "Mean loss a year over all simulated years."},
		{label: "95th percentile of annual loss (P95)", value: base.P95, se: base.P95SE, style: st.money, note: "One year in twenty is worse than this."},
		{label: "TVaR95", value: base.TVaR95, se: base.TVaR95SE, style: st.money, note: "Mean loss in the worst 5% of years."},
	}
	if hasSocial(r) {
		rows = append(rows,
			item{label: b.cur.in("Patient harm, valued (£/yr)"), value: an.BaselineHarm, se: an.BaselineHarmSE, style: st.money,
				note: "Valued in money, outside the financial figures; see the Social sheet."},
		)
	}
	rows = append(rows, item{})
	if len(an.Results) > 0 {
		best := opts[1].result
		fig := best.InView(an.Appraisal.View)
		rows = append(rows,
			item{label: "Best single control (by " + metricName(r) + ")", value: opts[1].name},
			item{label: "Its NPV (mean)", value: best.DecisionNPV.Mean, style: st.money,
				note: fmt.Sprintf("Exact expectation (closed form); P(NPV > 0) = %.0f%% across %s draws of the uncertain inputs.",
					100*fig.PNPVPositive, thousands(best.DecisionDraws))},
			item{label: "Its NPV, simulated (the check)", value: best.DecisionSimNPV, se: best.DecisionNPVSE, style: st.money},
			item{label: "Its NPV, 5th percentile", value: best.DecisionNPV.Lo, style: st.money, note: "The 90% interval across the draws."},
			item{label: "Its NPV, 95th percentile", value: best.DecisionNPV.Hi, style: st.money},
			item{label: "Its BCR", value: fig.BCR.Mean, se: fig.BCRSE, style: st.ratio},
			item{},
		)
	}
	if r.Explain.Recommendation != "" {
		// No note: the sentence spans the value and note columns.
		rows = append(rows, item{label: "Recommendation", value: r.Explain.Recommendation})
	}
	if rec := an.Recommended; rec != nil {
		rows = append(rows,
			item{label: "Recommended portfolio", value: strings.Join(rec.Controls, ", "),
				note: "The optimiser's best set (the same in every output); see Build-up."},
			item{label: "Its NPV (mean, " + viewName(r) + " view)", value: rec.DecisionNPV.Mean, style: st.money,
				note: fmt.Sprintf("Exact (closed form); 90%% interval %s across %s draws.", b.cur.interval(rec.DecisionNPV.Lo, rec.DecisionNPV.Hi), thousands(rec.DecisionDraws))},
			item{label: "Its NPV, simulated (the check)", value: rec.DecisionSimNPV, se: rec.DecisionNPVSE, style: st.money},
			item{label: "Its equivalent annual cost (EAC)", value: rec.EAC.Mean, style: st.money, note: "Exact; the same in every table."},
			item{label: "Its ΔALE (money)", value: rec.DeltaALE.Mean, style: st.money},
			item{label: "Its ALE", value: rec.Loss.ALE, style: st.money},
		)
	} else {
		rows = append(rows, item{label: "Recommended portfolio", value: "none", note: "No set of controls improves on doing nothing."})
	}
	for _, l := range r.Explain.LeftOut {
		rows = append(rows, item{label: "Left out", value: l})
	}
	// With the Social sheet, the deaths' sentence (their sources and
	// caveats) is there, under the table, so that the Summary prints on
	// one page at 8 point; the figures stay here.
	deaths := r.Explain.Deaths
	if hasSocial(r) {
		deaths = ""
	}
	for _, x := range []struct{ label, text string }{
		{"Weak point", r.Explain.WeakPoint}, {"Top control's weak point", topWeakPoint(r)},
		{"Hold-outs", r.Explain.Holdouts}, {"Implied extra deaths", deaths}, {"Risk tolerance", r.Explain.Tolerance},
	} {
		if x.text != "" {
			rows = append(rows, item{label: x.label, value: x.text})
		}
	}
	if d := r.Decision; d != nil && d.Sim.Harm != nil {
		note := "Expected value, by the closed form."
		if deaths == "" && r.Explain.Deaths != "" {
			note = "Closed form. Statistical excess deaths: sources and caveats on the " + sheetSocial + " sheet."
		}
		rows = append(rows,
			item{label: "Extra deaths a year, no new controls", value: d.Deaths, style: st.ratio, note: note},
			item{label: "Extra deaths a year, with the recommendation", value: d.DeathsRecommended, style: st.ratio},
		)
	}
	rows = append(rows,
		item{label: "Gordon–Loeb bound (per year)", value: an.GordonLoeb, style: st.money,
			note: "(1/e) × baseline ALE: Gordon and Loeb's (2002) bound on the yearly spend worth making."},
		item{},
		item{label: "Run"},
		item{label: "Seed", value: seedValue(an.Config.Seed), style: st.seed},
		item{label: "Outer draws", value: sim.Draws, style: st.count, note: drawsNote(r)},
		targetItem(r, st.pct),
	)
	if targetSE(r) > 0 {
		rows = append(rows, item{label: "Outer draws asked for (block size)", value: an.Config.Draws, style: st.count,
			note: "With a target standard error, draws are added in blocks of this many."})
	}
	rows = append(rows,
		item{label: "Years per draw", value: sim.Years, style: st.count},
		item{label: "Simulated years", value: sim.Draws * sim.Years, style: st.count},
		item{label: "Appraisal horizon (years)", value: an.Appraisal.Horizon, style: st.count},
		item{label: "Discounting", value: discountText(r)},
		item{label: "Optimism bias", value: an.Appraisal.OptimismBias, style: st.pct, note: "Cost uplift for controls that state none."},
		item{label: "Ranking metric", value: metricName(r)},
		item{label: "View", value: viewName(r), note: "Money only, or with patient harm valued."},
		item{label: "Aggregation", value: aggregation(r)},
		item{label: "Tool version", value: strings.TrimSpace(r.Tool + " " + r.Version)},
		generated(r, st.date),
		item{label: "Dataset", value: r.Dataset},
		digestItem(r),
	)
	b.items(s, 3, rows)
}

// topWeakPoint is the top-ranked control's weak point, as the Summary
// gives it: as the terminal and the page do (topWeakPointShown), none
// when the top control is in the recommendation.
func topWeakPoint(r *Report) string {
	if d := r.Decision; d != nil && !topWeakPointShown(d) {
		return ""
	}
	return r.Explain.TopWeakPoint
}

// drawsNote explains the Summary's count of outer draws: with a target
// standard error, how they were reached.
func drawsNote(r *Report) string {
	if t := targetSE(r); t > 0 {
		return fmt.Sprintf("Draws of the uncertain inputs: blocks of %s draws were added until the baseline ALE's relative standard error "+
			"was at most %s, or the most draws allowed were reached.", thousands(r.Analysis.Config.Draws), percentText(t))
	}
	return "Draws of the uncertain inputs."
}

// targetItem is the Summary's row for the target standard error.
func targetItem(r *Report, style int) item {
	const label = "Target standard error (relative, baseline ALE)"
	t := targetSE(r)
	if t <= 0 {
		return item{label: label, value: "none", note: "The run used the draws asked for."}
	}
	reached := r.Analysis.Baseline.ALESE / r.Analysis.Baseline.ALE
	return item{label: label, value: t, style: style, note: "Reached " + percentText(roundSig(reached, 3)) + "."}
}

// digestItem is the Summary's row for the inputs' digest.
func digestItem(r *Report) item {
	const label = "Inputs SHA-256"
	if r.Settings.InputsDigest == "" {
		return item{label: label, value: "not recorded"}
	}
	// No note, so that the digest prints on one line; About says what it
	// is for.
	return item{label: label, value: r.Settings.InputsDigest}
}

// viewName names the view the run ranks by.
func viewName(r *Report) string {
	return orDefault(r.Settings.View, r.Analysis.Appraisal.View.String())
}

// aggregation states how the run's threats combine: as the command stated
// it, or, when it did not, from the model.
func aggregation(r *Report) string {
	switch {
	case r.Settings.Aggregation != "":
		return r.Settings.Aggregation
	case r.Model != nil:
		return format.Aggregation(r.Model)
	}
	return "Threats summed, independent of one another"
}

// generated is the Summary's row for the time the run was made.
func generated(r *Report, style int) item {
	if r.Generated.IsZero() {
		return item{label: "Generated", value: "not recorded"}
	}
	return item{label: "Generated", value: r.Generated.UTC(), style: style}
}

// seedValue returns the seed as a number, or as text when a spreadsheet's
// double could not hold it exactly (above 2^53).
func seedValue(seed uint64) any {
	if seed > 1<<53 {
		return strconv.FormatUint(seed, 10)
	}
	return seed
}

// metricName names the ranking metric.
func metricName(r *Report) string {
	if r.Settings.Metric != "" {
		return r.Settings.Metric
	}
	return format.Metric(r.Analysis.Ranking.Metric)
}

// discountText describes the discounting.
func discountText(r *Report) string {
	if r.Settings.Discount != "" {
		return r.Settings.Discount
	}
	var parts []string
	for _, s := range r.Analysis.Appraisal.Discount {
		parts = append(parts, fmt.Sprintf("%g%% to year %d", 100*s.Rate, s.Through))
	}
	return strings.Join(parts, ", ")
}

// upliftValue returns the optimism-bias uplift applied to a single
// control's costs (the mean across outer draws when it is drawn), or nil
// when the result does not record one.
func upliftValue(res *model.Result) any {
	if len(res.Uplift) == 0 {
		return nil
	}
	return res.Uplift[0]
}

// rankRow is one control of the Ranking sheet.
type rankRow struct {
	rank int
	ctl  model.Control
	res  *model.Result
	// fig is res's figures in the view that decides (with harm in the
	// social view).
	fig   model.Figures
	prob1 float64
}

// ranking writes the Ranking sheet, one row per control in rank order, and
// a bar chart of mean NPV under the table.
func (b *book) ranking(r *Report) {
	an := r.Analysis
	st := b.st
	var rows []rankRow
	for k, i := range an.Ranking.Order {
		res := &an.Results[i]
		var p1 float64
		if i < len(an.Ranking.Prob) && len(an.Ranking.Prob[i]) > 0 {
			p1 = an.Ranking.Prob[i][0]
		}
		rows = append(rows, rankRow{rank: k + 1, ctl: r.Model.Controls[res.Portfolio[0]], res: res, fig: res.InView(an.Appraisal.View), prob1: p1})
	}
	h := an.Appraisal.Horizon
	payback := func(y int) any {
		if y < 1 || y > h {
			return fmt.Sprintf("none in %d yr", h)
		}
		return y
	}
	m := func(head string, f func(*model.Result) float64) column[rankRow] {
		return column[rankRow]{head: b.cur.in(head), width: 11, style: st.money, value: func(r rankRow) any { return f(r.res) }}
	}
	mf := func(head string, f func(*model.Figures) float64) column[rankRow] {
		return column[rankRow]{head: b.cur.in(head), width: 11, style: st.money, value: func(r rankRow) any { return f(&r.fig) }}
	}
	// The headline columns first (rankPrinted of them, the printed
	// page), then each figure's parts, interval and standard error.
	cols := []column[rankRow]{
		{head: "Rank", width: 6, style: st.count, value: func(r rankRow) any { return r.rank }},
		{head: "ID", width: 8, value: func(r rankRow) any { return r.ctl.ID }},
		{head: "Control", width: 40, style: st.text, value: func(r rankRow) any { return r.ctl.Name }},
		m("EAC (£/yr)", func(r *model.Result) float64 { return r.EAC.Mean }),
		m("ΔALE (£/yr)", func(r *model.Result) float64 { return r.DeltaALE.Mean }),
		m("NPV (£)", func(r *model.Result) float64 { return r.DecisionNPV.Mean }),
		m("NPV 5%", func(r *model.Result) float64 { return r.DecisionNPV.Lo }),
		m("NPV 95%", func(r *model.Result) float64 { return r.DecisionNPV.Hi }),
		{head: "BCR", width: 8, style: st.ratio, value: func(r rankRow) any { return r.fig.BCR.Mean }},
		{head: "ROSI", width: 9, style: st.pct, value: func(r rankRow) any { return r.fig.ROSI.Mean }},
		{head: "P(NPV>0)", width: 9, style: st.pct, value: func(r rankRow) any { return r.fig.PNPVPositive }},
		{head: "P(rank 1)", width: 9, style: st.pct, value: func(r rankRow) any { return r.prob1 }},
		{head: "Payback (yr)", width: 11, value: func(r rankRow) any { return payback(r.fig.Payback) }},
		m("Capex (£)", func(r *model.Result) float64 { return r.Capex.Mean }),
		m("Opex (£/yr)", func(r *model.Result) float64 { return r.Opex.Mean }),
		{head: "Uplift", width: 8, style: st.pct, value: func(r rankRow) any { return upliftValue(r.res) }},
		mf("PV benefit (£)", func(f *model.Figures) float64 { return f.PVBenefit.Mean }),
		m("PV cost (£)", func(r *model.Result) float64 { return r.PVCost.Mean }),
		m("ΔALE simulated SE", func(r *model.Result) float64 { return r.DeltaALESE }),
		m("ΔALE 5%", func(r *model.Result) float64 { return r.DeltaALE.Lo }),
		m("ΔALE 95%", func(r *model.Result) float64 { return r.DeltaALE.Hi }),
		m("ΔP95 (£/yr)", func(r *model.Result) float64 { return r.DeltaP95.Mean }),
		m("ΔP95 5%", func(r *model.Result) float64 { return r.DeltaP95.Lo }),
		m("ΔP95 95%", func(r *model.Result) float64 { return r.DeltaP95.Hi }),
		m("NPV simulated SE", func(r *model.Result) float64 { return r.DecisionNPVSE }),
		{head: "BCR 5%", width: 8, style: st.ratio, value: func(r rankRow) any { return r.fig.BCR.Lo }},
		{head: "BCR 95%", width: 8, style: st.ratio, value: func(r rankRow) any { return r.fig.BCR.Hi }},
		{head: "BCR SE", width: 8, style: st.ratio, value: func(r rankRow) any { return r.fig.BCRSE }},
		{head: "ROSI 5%", width: 9, style: st.pct, value: func(r rankRow) any { return r.fig.ROSI.Lo }},
		{head: "ROSI 95%", width: 9, style: st.pct, value: func(r rankRow) any { return r.fig.ROSI.Hi }},
		{head: "ROSI SE", width: 9, style: st.pct, value: func(r rankRow) any { return r.fig.ROSISE }},
		{head: "P(NPV>0) SE", width: 9, style: st.pct, value: func(r rankRow) any { return r.fig.PNPVPositiveSE }},
		{head: "Payback 5%", width: 11, value: func(r rankRow) any { return payback(r.fig.PaybackLo) }},
		{head: "Payback 95%", width: 11, value: func(r rankRow) any { return payback(r.fig.PaybackHi) }},
	}
	last := table(b, sheetRanking, 1, cols, rows)
	b.layout(sheetRanking).labels = 3
	if len(rows) == 0 || b.err != nil {
		return
	}
	npv := 1 + slices.IndexFunc(cols, func(c column[rankRow]) bool { return c.head == b.cur.in("NPV (£)") })
	// The chart prints under a short table; under a long one, on a page
	// of its own, not split across two.
	if len(rows) > 15 {
		b.do(b.f.InsertPageBreak(sheetRanking, cellName(1, last+2)))
	}
	ref := func(col int) string {
		return fmt.Sprintf("%s!$%s$2:$%s$%d", sheetRanking, colName(col), colName(col), last)
	}
	// Printed: the headline columns and the chart, on one page for a
	// short table; the note under the table says so.
	height := max(240, 26*len(rows)+100)
	withHarm := ""
	if an.Appraisal.View == model.Social && hasSocial(r) {
		withHarm = "Social view: NPV, PV benefit, BCR, ROSI, P(NPV>0) and payback count patient harm avoided (the NPV on money alone is on the Social sheet). "
	}
	b.set(sheetRanking, 1, last+1, fmt.Sprintf("%sPrinted: columns A to %s and the chart. Each figure's parts, 90%% interval and standard error follow, in columns %s to %s.",
		withHarm, colName(rankPrinted), colName(rankPrinted+1), colName(len(cols))), st.plain)
	b.layout(sheetRanking).area = fmt.Sprintf("$A$1:$%s$%d", colName(rankPrinted), last+3+height/20+1)
	b.layout(sheetRanking).printCols = rankPrinted
	if len(rows) <= 15 {
		b.layout(sheetRanking).tall = 1
	}
	// The axis as the ranking figure's: a long negative tail cut, each
	// bar's value written at its end.
	var yAxisMin *float64
	ranked := make([]*model.Result, len(rows))
	for k, rw := range rows {
		ranked[k] = rw.res
	}
	if lo, cut := rankAxis(r, ranked); cut {
		step := math.Pow(10, math.Floor(math.Log10(-lo)))
		lo = math.Floor(lo/step) * step // a round start: −£300m
		yAxisMin = &lo
	}
	b.do(b.f.AddChart(sheetRanking, cellName(2, last+3), &excelize.Chart{
		Type:     excelize.Bar,
		PlotArea: excelize.ChartPlotArea{ShowVal: true},
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("%s!$%s$1", sheetRanking, colName(npv)),
			Categories: ref(3),
			Values:     ref(npv),
			// A light fill, so that each value written at the bar's base
			// (where a cut bar still shows) reads on it.
			Fill:              excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"9CC9E6"}},
			DataLabelPosition: excelize.ChartDataLabelsPositionInsideBase,
		}},
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf("Mean NPV over %d years by control (%s)", h, b.cur.unit())}}},
		// The control names sit at the low end of the value axis, clear
		// of the bars that run left of zero.
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Color: "404040"}, TickLabelPosition: excelize.ChartTickLabelLow},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Minimum: yAxisMin, Font: excelize.Font{Color: "404040"}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: b.cur.axisFmt(b.millions)}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 720, Height: uint(height)},
	}))
}

// rankPrinted is the number of the Ranking sheet's columns printed: rank,
// control, cost, benefit, NPV with its interval, BCR, ROSI, the chances
// and payback.
const rankPrinted = 13

// colName returns the letters of column col (1-based).
func colName(col int) string {
	return strings.TrimRight(cellName(col, 1), "0123456789")
}

// percentiles writes the Percentiles sheet: one row per option.
func (b *book) percentiles(opts []option) {
	st := b.st
	m := func(head string, f func(model.Summary) float64) column[option] {
		return column[option]{head: b.cur.in(head), width: 12, style: st.money, value: func(o option) any { return f(o.sum) }}
	}
	cols := []column[option]{
		{head: "Option", width: 34, value: func(o option) any { return o.label }},
		{head: "Controls", width: 14, value: func(o option) any { return o.short }},
		m("ALE (£/yr)", func(s model.Summary) float64 { return s.ALE }),
		m("ALE SE", func(s model.Summary) float64 { return s.ALESE }),
		m("P50", func(s model.Summary) float64 { return s.P50 }),
		m("P50 SE", func(s model.Summary) float64 { return s.P50SE }),
		m("P90", func(s model.Summary) float64 { return s.P90 }),
		m("P90 SE", func(s model.Summary) float64 { return s.P90SE }),
		m("P95", func(s model.Summary) float64 { return s.P95 }),
		m("P95 SE", func(s model.Summary) float64 { return s.P95SE }),
		m("P99", func(s model.Summary) float64 { return s.P99 }),
		m("P99 SE", func(s model.Summary) float64 { return s.P99SE }),
		m("TVaR95", func(s model.Summary) float64 { return s.TVaR95 }),
		m("TVaR95 SE", func(s model.Summary) float64 { return s.TVaR95SE }),
		m("Max", func(s model.Summary) float64 { return s.Max }),
	}
	table(b, sheetPercentiles, 1, cols, opts)
	b.layout(sheetPercentiles).labels = 1
}

// lecChartSeries are the options drawn on the LEC chart: the baseline, the
// best single control and the recommended portfolio, as on the plot.
func lecChartSeries(r *Report, opts []option) []int {
	s := []int{0}
	if len(r.Analysis.Results) > 0 {
		s = append(s, 1)
	}
	if r.Analysis.Recommended != nil {
		s = append(s, len(opts)-1)
	}
	return s
}

// lecOptionCol is the LEC sheet's first column of losses: after the
// exceedance probability, the return period and the mark. Each option has
// two columns: its loss, then the loss's standard error.
const lecOptionCol = 4

// lecLossCol returns the LEC sheet's column of option j's losses; its
// standard errors are in the next.
func lecLossCol(j int) int { return lecOptionCol + 2*j }

// lec writes the LEC sheet through a stream writer: for each exceedance
// probability p of lecGrid, its return period 1/p, a mark such as "1 in
// 100" on the rows nearest 1 in 2 and each power of ten, and for each
// option the loss exceeded with probability p and its standard error by
// batch means (see exceedance; blank where a batch holds fewer than two
// years beyond p). Then it draws the LEC chart on its own sheet, since a
// stream-written sheet takes no normal-API calls.
func (b *book) lec(r *Report, opts []option) {
	if b.err != nil {
		return
	}
	grid := lecGrid(len(opts[0].loss))
	q, se := lecQuantiles(opts, grid)
	// The table stops where the plot's curve does: at the last loss with a
	// standard error, beyond which a batch of outer draws holds fewer than
	// two simulated years. A quantile further out would be a guess.
	if k := tailEnd(grid, se[0], len(opts[0].loss)); k < len(grid) {
		grid = grid[:k]
		for j := range q {
			q[j], se[j] = q[j][:k], se[j][:k]
		}
	}
	sw, err := b.f.NewStreamWriter(sheetLEC)
	if err != nil {
		b.do(err)
		return
	}
	b.do(sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	b.do(sw.SetColWidth(1, 3, 14))
	for j := range opts {
		b.do(sw.SetColWidth(lecLossCol(j), lecLossCol(j), 18))
		b.do(sw.SetColWidth(lecLossCol(j)+1, lecLossCol(j)+1, 14))
	}
	head := []any{
		excelize.Cell{StyleID: b.st.header, Value: "Exceedance probability"},
		excelize.Cell{StyleID: b.st.header, Value: "Return period (years)"},
		excelize.Cell{StyleID: b.st.header, Value: "Mark"},
	}
	marks := returnMarks(grid)
	var names []string
	for _, o := range opts {
		names = append(names, o.label, o.label+" SE")
	}
	for _, name := range unique(names) {
		head = append(head, excelize.Cell{StyleID: b.st.header, Value: name})
	}
	b.do(sw.SetRow("A1", head, excelize.RowOpts{Height: headerHeight}))
	row := make([]any, len(head))
	for i, p := range grid {
		row[0] = excelize.Cell{StyleID: b.st.exceed, Value: p}
		row[1] = excelize.Cell{StyleID: b.st.period, Value: 1 / p}
		row[2] = nil
		if m, ok := marks[i]; ok {
			row[2] = m
		}
		for j := range opts {
			row[lecLossCol(j)-1] = excelize.Cell{StyleID: b.st.money, Value: cellValue(q[j][i])}
			row[lecLossCol(j)] = nil
			if finite(se[j][i]) {
				row[lecLossCol(j)] = excelize.Cell{StyleID: b.st.money, Value: se[j][i]}
			}
		}
		if b.err == nil {
			b.do(sw.SetRow(cellName(1, i+2), row))
		}
	}
	last := len(grid) + 1
	if b.err == nil {
		b.do(sw.AddTable(&excelize.Table{Range: "A1:" + cellName(len(head), max(last, 2)), Name: "LossExceedance", StyleName: "TableStyleLight1"}))
	}
	if b.err == nil {
		b.do(sw.Flush()) // the sheet is hidden (WriteWorkbook)
	}
	b.lecChart(r, opts, grid, q, se)
}

// returnMarks returns, by row of the grid, the marks "1 in 2", "1 in 10",
// "1 in 100", … on the rows whose return period 1/p is nearest each of
// them (on a log scale), for return periods within the grid.
func returnMarks(grid []float64) map[int]string {
	marks := map[int]string{}
	lo, hi := 1/grid[0], 1/grid[len(grid)-1]
	for t := 2.0; t <= hi*(1+1e-9); t = nextMark(t) {
		if t < lo*(1-1e-9) {
			continue
		}
		best := 0
		for i, p := range grid {
			if math.Abs(math.Log(t*p)) < math.Abs(math.Log(t*grid[best])) {
				best = i
			}
		}
		marks[best] = format.ReturnPeriod(t)
	}
	return marks
}

// nextMark returns the return period marked after t: 2, 10, 100, 1000, …
func nextMark(t float64) float64 {
	if t < 10 {
		return 10
	}
	return 10 * t
}

// lecQuantiles returns q[j][i], the loss of option j exceeded with
// probability grid[i], and se[j][i], its standard error by batch means (see
// exceedance). Each option's batches are sorted in scratch memory per
// worker, so memory stays at about one and a half copies of the losses per
// worker.
func lecQuantiles(opts []option, grid []float64) (q, se [][]float64) {
	q, se = make([][]float64, len(opts)), make([][]float64, len(opts))
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(opts)) {
		wg.Go(func() {
			var sc exceedanceScratch
			for j := range jobs {
				o := opts[j]
				q[j], se[j] = exceedance(o.loss, o.draws, o.years, grid, &sc)
			}
		})
	}
	for j := range opts {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	return q, se
}

// lecChart draws the LEC as a native scatter chart on the LEC chart sheet,
// as the plot draws it: annual loss across, exceedance probability up,
// both on log axes (the loss axis only when every loss drawn is positive,
// since a log axis cannot show zero), in straight segments between the
// table's points. Under the chart, a table gives each option's loss at the
// marked return periods (1 in 2, 1 in 10, …), the LEC sheet's own values.
func (b *book) lecChart(r *Report, opts []option, grid []float64, q, se [][]float64) {
	if b.err != nil {
		return
	}
	s := sheetLECChart
	last := len(grid) + 1
	b.set(s, 1, 1, "Loss exceedance: "+scopeName(r), b.st.title)
	b.set(s, 1, 2, "Data on the LEC sheet: the probability, in any one year, that the annual loss exceeds each amount, "+
		"with the Monte Carlo standard error of each amount (batch means over outer draws). Curve and tables stop at "+
		format.ReturnPeriod(roundSig(1/grid[len(grid)-1], 2))+" years: further out, each batch of outer draws holds fewer than two simulated years, too few to estimate a loss.", 0)
	colours := []string{"000000", "0072B2", "009E73"}
	var cs []excelize.ChartSeries
	series := lecChartSeries(r, opts)
	lo := math.Inf(1)
	for k, j := range series {
		col := colName(lecLossCol(j))
		cs = append(cs, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$1", sheetLEC, col),
			Categories: fmt.Sprintf("%s!$%s$2:$%s$%d", sheetLEC, col, col, last),
			Values:     fmt.Sprintf("%s!$A$2:$A$%d", sheetLEC, last),
			Line:       excelize.LineOptions{Type: excelize.LineSolid, Width: 2},
			Marker:     excelize.ChartMarker{Symbol: "none"},
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colours[k%len(colours)]}},
		})
		for _, v := range q[j] {
			lo = min(lo, v)
		}
	}
	hi := math.Inf(-1)
	for _, j := range series {
		for _, v := range q[j] {
			hi = max(hi, v)
		}
	}
	logLoss := lo > 0 && finite(lo) && finite(hi)
	xmin := 0.0
	var xmax *float64
	xTitle := "Annual loss (" + b.cur.unit() + ")"
	if logLoss {
		xmin = math.Pow10(int(math.Floor(lg(lo))))
		xmax = new(math.Pow10(int(math.Ceil(lg(hi)))))
		xTitle += ", log scale"
	}
	ymin, ymax := math.Pow10(int(math.Floor(lg(grid[len(grid)-1])))), 1.0
	b.do(b.f.AddChart(s, "A4", &excelize.Chart{
		Type:   excelize.Scatter,
		Series: cs,
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Loss exceedance curve (" + prices(r) + ")"}}},
		XAxis: excelize.ChartAxis{
			MajorGridLines: true,
			Minimum:        &xmin,
			Maximum:        xmax,
			Font:           excelize.Font{Color: "404040"},
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: b.cur.axisFmt(b.millions)},
			Title:          excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: xTitle}}},
		},
		YAxis: excelize.ChartAxis{
			LogBase: 10, MajorGridLines: true,
			Minimum: &ymin, Maximum: &ymax,
			Font:   excelize.Font{Color: "404040"},
			NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtExceed},
			Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Chance in a year (log scale)"}}},
		},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 900, Height: 520},
	}))
	b.patchChart(func(x []byte) []byte {
		x = straightScatter(x)
		if logLoss {
			x = logX(x)
		}
		return x
	})

	// The losses at the marked return periods, under the chart.
	const top = 32
	marks := returnMarks(grid)
	rows := slices.Sorted(maps.Keys(marks))
	b.set(s, 1, top-1, "Annual loss at round return periods ("+prices(r)+"); the full table is on the hidden LEC sheet (show it from the sheet tabs' menu)", b.st.section)
	b.set(s, 1, top, "Return period", b.st.header)
	b.set(s, 2, top, "Exceedance probability", b.st.header)
	for k, j := range series {
		b.set(s, 3+2*k, top, opts[j].label, b.st.header)
		b.set(s, 4+2*k, top, "Standard error", b.st.header)
	}
	if b.err == nil {
		b.do(b.f.SetRowHeight(s, top, 2*headerHeight))
	}
	for i, g := range rows {
		b.set(s, 1, top+1+i, marks[g], 0)
		b.set(s, 2, top+1+i, grid[g], b.st.exceed)
		for k, j := range series {
			b.set(s, 3+2*k, top+1+i, q[j][g], b.st.money)
			if finite(se[j][g]) {
				b.set(s, 4+2*k, top+1+i, se[j][g], b.st.money)
			}
		}
	}
	b.widths(s, 14, 12, 20, 11, 20, 11, 20, 11)
}

// unique makes names distinct, as table headers must be, by numbering
// repeats: "X", "X (2)".
func unique(names []string) []string {
	seen := map[string]bool{"Exceedance probability": true, "Return period (years)": true, "Mark": true}
	out := make([]string, len(names))
	for i, n := range names {
		u := n
		for k := 2; seen[u]; k++ {
			u = fmt.Sprintf("%s (%d)", n, k)
		}
		seen[u] = true
		out[i] = u
	}
	return out
}

// calibration writes the Calibration sheet: the target, the fitted rates
// in both price years, the replay, the checks and the hold-outs.
func (b *book) calibration(r *Report) {
	s := sheetCalibration
	st := b.st
	c := r.Calibration
	fit := c.Fit
	inc := c.Incident
	if inc == "" {
		inc = "the calibration incident"
	}
	b.set(s, 1, 1, "Calibration of the outage cost rates on "+inc, st.title)
	b.freeze(s, 1)
	b.widths(s, 52, 18, 18, 18, 18, 18, 18, 14, 34)
	py := func(y string) string {
		if y == "" {
			return "prices"
		}
		return y + " prices"
	}
	head := func(row int, cells ...string) {
		for j, h := range cells {
			b.set(s, j+1, row, h, st.header)
		}
	}
	row := 3
	head(row, "Calibration target", "Value", "")
	row = b.items(s, row+1, []item{
		{label: "Incident", value: inc},
		{label: "Price year of its costs", value: c.PriceYear},
		{label: "Reported total cost", value: c.Target, style: st.money},
		{label: "of which lost output", value: c.LostOutput, style: st.money},
		{label: "of which IT costs", value: c.IT, style: st.money},
	})
	for _, e := range []struct {
		name string
		est  model.Estimate
	}{{"Spread S, organisations disrupted (90% interval)", c.Spread}, {"Duration D, outage days (90% interval)", c.Duration}} {
		b.set(s, 1, row, e.name, st.label)
		b.set(s, 2, row, e.est.Lo, 0)
		b.set(s, 3, row, e.est.Hi, 0)
		row++
	}
	row++
	head(row, "Fitted rates", py(c.PriceYear), py(r.PriceYear))
	row++
	for _, e := range []struct {
		name      string
		then, now float64
	}{
		{"c_d: lost output per organisation-day = lost output / (E[S]·E[D])", fit.Daily, fit.DailyNow},
		{"c_r: IT recovery per disrupted organisation = IT costs / E[S]", fit.Recovery, fit.RecoveryNow},
	} {
		b.set(s, 1, row, e.name, st.label)
		b.set(s, 2, row, e.then, st.pounds)
		b.set(s, 3, row, e.now, st.pounds)
		row++
	}
	row++
	rp := fit.Replay
	head(row, "Replay with the fitted rates ("+py(c.PriceYear)+")", "Value", "")
	off := any("n/a")
	if c.Target > 0 {
		off = (rp.SimMean - c.Target) / c.Target
	}
	row = b.items(s, row+1, []item{
		{label: "Expected cost (closed form)", value: rp.Mean, style: st.money},
		{label: "of which lost output", value: rp.LostOutput, style: st.money},
		{label: "of which IT", value: rp.IT, style: st.money},
		{label: "of which fixed", value: rp.Fixed, style: st.money},
		{label: "Simulated mean", value: rp.SimMean, style: st.money},
		{label: "Simulated mean, standard error", value: rp.SE, style: st.money},
		{label: "5th percentile", value: rp.P5, style: st.money},
		{label: "Median", value: rp.P50, style: st.money},
		{label: "95th percentile", value: rp.P95, style: st.money},
		{label: "Simulated mean against the reported cost", value: off, style: st.pct},
	})
	if len(c.Checks) > 0 {
		row++
		head(row, "Checks (shown beside the fit, not fitted)", "Value", "")
		row++
		for _, ch := range c.Checks {
			b.set(s, 1, row, ch.Name, st.wrap)
			b.set(s, 2, row, ch.Value, st.money)
			row++
		}
	}
	row++
	head(row, "Hold-out incident (validation, not fitted; "+py(r.PriceYear)+")", "ID", b.cur.in("Observed (£)"), b.cur.in("Model mean (£)"),
		b.cur.in("Model 5% (£)"), b.cur.in("Model median (£)"), b.cur.in("Model 95% (£)"), "Observed / model", "Verdict")
	if b.err == nil {
		b.do(b.f.SetRowHeight(s, row, headerHeight))
	}
	row++
	for _, h := range c.Holdouts {
		b.set(s, 1, row, h.Name, st.wrap)
		b.set(s, 2, row, h.ID, 0)
		for j, v := range []float64{h.Observed, h.Replay.Mean, h.Replay.P5, h.Replay.P50, h.Replay.P95} {
			b.set(s, 3+j, row, v, st.money)
		}
		var ratio any
		if h.Replay.Mean > 0 {
			ratio = h.Observed / h.Replay.Mean
		}
		b.set(s, 8, row, ratio, st.ratio)
		b.set(s, 9, row, verdict(h), 0)
		row++
	}
}

// verdict says where a hold-out's observed cost falls against the model's
// 90% interval.
func verdict(h Holdout) string {
	switch {
	case h.Observed < h.Replay.P5:
		return "below the model's 90% interval"
	case h.Observed > h.Replay.P95:
		return "above the model's 90% interval"
	}
	return "inside the model's 90% interval"
}

// The Inputs sheet's columns (from 0) of an input's bounds, which
// Reproduction.EditedInputs reads back.
const inputsLoCol, inputsHiCol = 3, 4

// inputs writes the Inputs sheet: every input as used, its bounds in
// columns inputsLoCol and inputsHiCol.
func (b *book) inputs(r *Report) {
	st := b.st
	unitStyle := func(in Input) int {
		switch in.Measure {
		case model.Money:
			return st.pounds
		case model.Share:
			return st.pct
		}
		return st.value
	}
	// Printed, the columns before Note, 114 characters: a portrait page
	// at over 7 point (LibreOffice's stand-in for Calibri, DejaVu Sans,
	// sets some 76 characters across at 100%), two pages for the
	// default dataset; the notes, free text that would wrap every row,
	// stay on screen.
	cols := []column[Input]{
		{head: "Section", width: 10, value: func(in Input) any { return in.Section }},
		{head: "Item", width: 34, value: func(in Input) any { return in.Item }},
		{head: "Field", width: 17, value: func(in Input) any { return in.Field }},
		{head: "Low (5%)", width: 13, styleOf: unitStyle, value: func(in Input) any { return in.Lo }},
		{head: "High (95%)", width: 13, styleOf: unitStyle, value: func(in Input) any { return in.Hi }},
		{head: "Unit", width: 10, value: func(in Input) any { return in.Unit }},
		{head: "Tag", width: 4, value: func(in Input) any { return in.Tag }},
		{head: "Sources", width: 13, value: func(in Input) any { return in.Sources }},
		{head: "Note", width: 90, style: st.wrap, value: func(in Input) any { return in.Note }},
	}
	last := table(b, sheetInputs, 1, cols, r.Inputs)
	l := b.layout(sheetInputs)
	l.labels, l.portrait, l.printCols = 3, true, len(cols)-1
	// The notes and the tag key beside the table stay out of print.
	l.area = fmt.Sprintf("$A$1:$%s$%d", colName(l.printCols), max(last, 2))
	if b.err == nil {
		b.set(sheetInputs, 11, 1, "Tags: F fact, D derived, J judgement. Low and high bound a 90% interval; equal for a fixed value.", st.wrap)
		b.do(b.f.SetColWidth(sheetInputs, "K", "K", 50))
	}
}

// sources writes the Sources sheet, with each URL a link.
func (b *book) sources(r *Report) {
	cols := []column[Source]{
		{head: "ID", width: 20, value: func(s Source) any { return s.ID }},
		{head: "Publisher", width: 28, value: func(s Source) any { return s.Publisher }},
		{head: "Title", width: 70, style: b.st.wrap, value: func(s Source) any { return s.Title }},
		{head: "Year", width: 8, value: func(s Source) any {
			if s.Year == 0 {
				return nil
			}
			return s.Year
		}},
		{head: "URL", width: 60, style: b.st.link, value: func(s Source) any { return s.URL }},
	}
	table(b, sheetSources, 1, cols, r.Sources)
	for i, src := range r.Sources {
		// Excel keeps at most 65,530 links a sheet.
		// Only web addresses become links: a javascript: or file: address
		// in a dataset stays inert text.
		if isWebURL(src.URL) && i < 65530 && b.err == nil {
			b.do(b.f.SetCellHyperLink(sheetSources, cellName(5, i+2), src.URL, "External"))
		}
	}
}

// about writes the About sheet: one paragraph a row, wrapped, with each
// row tall enough for its text.
func (b *book) about(r *Report) {
	s := sheetAbout
	const width = 140
	b.set(s, 1, 1, "About this workbook: the model and its assumptions", b.st.title)
	b.freeze(s, 1)
	b.widths(s, width)
	paras := aboutText(r)
	for i, p := range paras {
		b.aboutPara(i+3, p)
	}
	if b.err == nil {
		// Every other sheet is written (Reproduce, which does not count,
		// comes after): record the digest of what a reader sees, for a
		// quick check.
		d, err := b.resultsDigest()
		b.do(err)
		b.aboutPara(len(paras)+3, aboutDigestPrefix+d+". `cybercba reproduce --quick` checks it without re-running; `cybercba reproduce` recomputes every cell.")
	}
}

// aboutPara writes the About paragraph p at row, wrapped, the row tall
// enough for its text.
func (b *book) aboutPara(row int, p string) {
	const width = 140
	b.set(sheetAbout, 1, row, p, b.st.wrap)
	// About 1.1 characters of 11 pt prose fit a unit of column width.
	lines := math.Ceil(float64(utf8.RuneCountInString(p))/(1.1*width)) + 1
	if b.err == nil {
		b.do(b.f.SetRowHeight(sheetAbout, row, lines*lineHeight+4))
	}
}

// resultsDigest returns the digest of what a reader sees on the workbook
// as written so far (QuickCheck), from its parts as they would be saved,
// kept in memory, uncompressed.
func (b *book) resultsDigest() (string, error) {
	parts := capturedParts{}
	save := b.f.ZipWriter
	b.f.ZipWriter = func(io.Writer) excelize.ZipWriter { return parts }
	defer func() { b.f.ZipWriter = save }()
	if _, err := b.f.WriteToBuffer(); err != nil {
		return "", err
	}
	rb, _, err := readResults(parts.read)
	if err != nil {
		return "", err
	}
	return rb.digest(), nil
}

// capturedParts is a ZipWriter keeping each part in memory by name.
type capturedParts map[string]*bytes.Buffer

func (c capturedParts) Create(name string) (io.Writer, error) {
	w := &bytes.Buffer{}
	c[name] = w
	return w, nil
}

func (c capturedParts) AddFS(fs.FS) error { return errors.New("not supported") }
func (c capturedParts) Close() error      { return nil }

func (c capturedParts) read(name string) ([]byte, error) {
	w, ok := c[name]
	if !ok {
		return nil, fmt.Errorf("no part %s", name)
	}
	return w.Bytes(), nil
}

// isWebURL reports whether s is an http or https address.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && (strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https"))
}
