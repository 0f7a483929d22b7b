package reports

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
)

// SheetReproduce is the sheet that records what `cybercba reproduce` needs
// to re-run a report: the inputs as used, the run's arguments, and the
// headline figures at full precision.
const SheetReproduce = "Reproduce"

// Reproduction is the record behind the Reproduce sheet.
type Reproduction struct {
	// Digest is the SHA-256 of the inputs as used (hex).
	Digest string
	// Args are the run's settings as command-line arguments.
	Args []string
	// Figures are headline figures, each exact ('g', −1 formatting).
	Figures [][2]string
	// Dataset is the canonical YAML of the inputs as used.
	Dataset []byte

	// inputs are the cells of the report's Inputs sheet, as read, for
	// EditedInputs; noInputs is set when the sheet is missing.
	inputs   [][]string
	noInputs bool
}

// Cells of the Reproduce sheet.
const (
	reproDigestRow  = 3
	reproArgsRow    = 4
	reproFiguresRow = 6 // header; figures below, then the dataset
)

// writeReproduce writes the Reproduce sheet: a note, the digest, the
// arguments (one per column), the figures (name, value), and the dataset
// one line per row in column A. It returns the last row of the figures,
// the end of what is printed.
func writeReproduce(f *excelize.File, rp *Reproduction) (int, error) {
	s := SheetReproduce
	if _, err := f.NewSheet(s); err != nil {
		return 0, err
	}
	set := func(col, row int, v any) error {
		name, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		return f.SetCellValue(s, name, v)
	}
	var errs []error
	do := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	do(set(1, 1, "Record for `cybercba reproduce report.xlsx`: the inputs and settings of this run, and its headline figures at full precision. Editing anything here, or on the Inputs sheet, shows as a digest mismatch."))
	do(set(1, reproDigestRow, "Inputs SHA-256"))
	do(set(2, reproDigestRow, rp.Digest))
	do(set(1, reproArgsRow, "Arguments"))
	for i, a := range rp.Args {
		do(set(2+i, reproArgsRow, a))
	}
	do(set(1, reproFiguresRow, "Figure"))
	do(set(2, reproFiguresRow, "Value"))
	do(set(3, reproFiguresRow, "Exact (text)"))
	row := reproFiguresRow + 1
	for _, fg := range rp.Figures {
		do(set(1, row, fg[0]))
		// A number as a number (a spreadsheet keeps 15 significant
		// digits), beside it the exact text that reproduce compares.
		if x, err := strconv.ParseFloat(fg[1], 64); err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) {
			do(set(2, row, x))
		} else {
			do(set(2, row, fg[1]))
		}
		do(set(3, row, fg[1])) // text, so no digit is lost
		row++
	}
	printed := row - 1
	row++
	do(set(1, row, "Dataset (YAML)"))
	row++
	for line := range strings.Lines(string(rp.Dataset)) {
		do(set(1, row, strings.TrimSuffix(line, "\n"))) // a string cell: never a formula
		row++
	}
	if row > excelize.TotalRows {
		return 0, fmt.Errorf("%s: the dataset has too many lines for a sheet", s)
	}
	do(f.SetColWidth(s, "A", "A", 60))
	do(f.SetColWidth(s, "B", "B", 30))
	if len(errs) > 0 {
		return 0, errs[0]
	}
	return printed, nil
}

// Limits on the reports ReadReproduction opens.
const (
	maxReportSize   = 256 << 20
	reportUnzip     = 256 << 20
	reportUnzipPart = 64 << 20
)

// ReadReproduction reads the Reproduce and Inputs sheets of a report that
// WriteWorkbook wrote, naming it name in errors. It opens the workbook
// with limits on what it unpacks to, and turns a panic inside excelize
// into an error.
func ReadReproduction(r io.Reader, name string) (*Reproduction, error) {
	return readWorkbook(r, name, "report", maxReportSize, reportUnzip, reportUnzipPart,
		func(f *excelize.File) (*Reproduction, error) {
			rp, err := readReproduction(f)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return rp, nil
		})
}

// readReproduction reads the Reproduce sheet, and the Inputs sheet's
// cells, of an open workbook.
func readReproduction(f *excelize.File) (*Reproduction, error) {
	rows, err := f.GetRows(SheetReproduce, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("no %s sheet: not a cybercba report, or one made before reports recorded their inputs", SheetReproduce)
	}
	cell := func(r, c int) string {
		if r-1 < len(rows) && c-1 < len(rows[r-1]) {
			return rows[r-1][c-1]
		}
		return ""
	}
	rp := &Reproduction{Digest: cell(reproDigestRow, 2)}
	if reproArgsRow-1 < len(rows) {
		for _, a := range rows[reproArgsRow-1][1:] {
			if a != "" {
				rp.Args = append(rp.Args, a)
			}
		}
	}
	r := reproFiguresRow + 1
	for ; r <= len(rows) && cell(r, 1) != ""; r++ {
		// The exact text in column C; a report written before it had one
		// holds the text in column B.
		rp.Figures = append(rp.Figures, [2]string{cell(r, 1), cmp.Or(cell(r, 3), cell(r, 2))})
	}
	for ; r <= len(rows) && cell(r, 1) != "Dataset (YAML)"; r++ {
	}
	var b strings.Builder
	for r++; r <= len(rows); r++ {
		b.WriteString(cell(r, 1))
		b.WriteByte('\n')
	}
	rp.Dataset = []byte(b.String())
	if rp.Digest == "" || len(rp.Dataset) == 0 {
		return nil, fmt.Errorf("the %s sheet is incomplete", SheetReproduce)
	}
	rp.inputs, err = f.GetRows(sheetInputs, excelize.Options{RawCellValue: true})
	rp.noInputs = err != nil
	return rp, nil
}

// EditedInputs compares the Inputs sheet that ReadReproduction read with
// the inputs as recorded (want, in the order the sheet lists them) and
// describes each bound whose cell differs: "Inputs!D12: threat T1 rate was
// 0.005 in the recorded inputs, the sheet says "0.01"".
func (rp *Reproduction) EditedInputs(want []Input) []string {
	if rp.noInputs {
		return []string{"the " + sheetInputs + " sheet is missing"}
	}
	var out []string
	for i, in := range want {
		r := i + 2 // header in row 1
		if r-1 >= len(rp.inputs) {
			out = append(out, fmt.Sprintf("%s!A%d: row missing (%s %s)", sheetInputs, r, in.Item, in.Field))
			continue
		}
		row := rp.inputs[r-1]
		get := func(c int) string {
			if c < len(row) {
				return row[c]
			}
			return ""
		}
		for _, cv := range []struct {
			c int
			v float64
		}{{inputsLoCol, in.Lo}, {inputsHiCol, in.Hi}} {
			x, err := strconv.ParseFloat(get(cv.c), 64)
			if err != nil || math.Abs(x-cv.v) > 1e-12*math.Max(math.Abs(cv.v), 1) {
				out = append(out, fmt.Sprintf("%s!%s: %s %s was %g in the recorded inputs, the sheet says %q",
					sheetInputs, cellName(cv.c+1, r), in.Item, in.Field, cv.v, get(cv.c)))
			}
		}
	}
	return out
}

// unchecked lists the sheets CompareWorkbooks and WorkbookDigest leave
// out: the Reproduce record (checked on its own) and the live sheets a
// reader edits (LiveSheets). The About sheet is checked, but for its line
// recording the digest.
var unchecked = map[string]bool{SheetReproduce: true, SheetWhatIf: true, SheetDraws: true}

// CheckedSheets returns the sheets of f that CompareWorkbooks and
// WorkbookDigest cover, in the workbook's order: every sheet a reader sees
// figures on.
func CheckedSheets(f *excelize.File) []string {
	var out []string
	for _, s := range f.GetSheetList() {
		if !unchecked[s] {
			out = append(out, s)
		}
	}
	return out
}

// readResults reads what a reader sees on a workbook's checked sheets, and
// the results digest its About sheet records ("" if none), which it
// leaves out of the About sheet's cells.
func readResults(read data.Parts) (*rawBook, string, error) {
	rb, err := readRawBook(read, func(s string) bool { return !unchecked[s] })
	if err != nil {
		return nil, "", err
	}
	recorded := ""
	if about := rb.sheets[sheetAbout]; about != nil && about.read {
		for ref, v := range about.cells {
			if strings.HasPrefix(v, aboutDigestPrefix) {
				d, _, _ := strings.Cut(strings.TrimPrefix(v, aboutDigestPrefix), ".")
				recorded = strings.TrimSpace(d)
				delete(about.cells, ref)
				delete(about.formats, ref)
			}
		}
	}
	return rb, recorded, nil
}

// digest is the SHA-256 (hex) of what a reader sees on rb's checked
// sheets, sheet by sheet in the workbook's order: each sheet's state,
// every cell's value as stored (full precision) and number format, row by
// row, the hidden rows and columns, and each chart's type, titles and
// series references.
func (rb *rawBook) digest() string {
	h := sha256.New()
	for _, name := range rb.order {
		s := rb.sheets[name]
		if unchecked[name] || !s.read {
			continue
		}
		fmt.Fprintf(h, "sheet %q state %q\n", name, s.state)
		for _, ref := range sortedRefs(s.cells) {
			fmt.Fprintf(h, "%s %q %q\n", ref, s.cells[ref], s.formats[ref])
		}
		fmt.Fprintf(h, "hidden rows %v\nhidden columns %v\n", sortedKeys(s.hiddenRows), sortedKeys(s.hiddenCols))
		for i, c := range s.charts {
			fmt.Fprintf(h, "chart %d at %s\n", i+1, c.anchor)
			for _, k := range slices.Sorted(maps.Keys(c.props)) {
				fmt.Fprintf(h, "%q %q\n", k, c.props[k])
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sortedRefs returns the cell references of m row by row.
func sortedRefs[V any](m map[string]V) []string {
	refs := slices.Collect(maps.Keys(m))
	slices.SortFunc(refs, compareRefs)
	return refs
}

// compareRefs orders cell references row by row, then column by column.
func compareRefs(p, q string) int {
	pc, pr, _ := excelize.CellNameToCoordinates(p)
	qc, qr, _ := excelize.CellNameToCoordinates(q)
	return cmp.Or(cmp.Compare(pr, qr), cmp.Compare(pc, qc), strings.Compare(p, q))
}

func sortedKeys(m map[int]bool) []int { return slices.Sorted(maps.Keys(m)) }

// WorkbookDigest returns the digest of what a reader sees on the checked
// sheets of the .xlsx workbook b (see QuickCheck).
func WorkbookDigest(b []byte) (string, error) {
	_, now, err := QuickCheck(b)
	return now, err
}

// QuickCheck returns the results digest recorded on the About sheet of
// the .xlsx workbook b ("" if it has none), and the digest of the
// workbook as it is now: of what a reader sees on every sheet but the
// Reproduce record and the live sheets (LiveSheets), the About sheet's
// prose included and its digest line left out: cell values as stored (at
// full precision) and their number formats, hidden rows, columns and
// sheets, and the charts' types, titles and series references.
func QuickCheck(b []byte) (recorded, now string, err error) {
	read, err := zipParts(b)
	if err != nil {
		return "", "", err
	}
	rb, recorded, err := readResults(read)
	if err != nil {
		return "", "", err
	}
	return recorded, rb.digest(), nil
}

// QuickCheckCovers says what QuickCheck's digest covers, for the help and
// the verdict.
const QuickCheckCovers = "cell values, number formats, hidden rows, columns and sheets, chart titles and series, and the About sheet's text"

// aboutDigestPrefix starts the About sheet's line recording the results
// digest.
const aboutDigestPrefix = "Results digest (SHA-256 of what a reader sees on the other sheets but Reproduce, What-if and Draws: " + QuickCheckCovers + "): "

// CellDiff is something a reader sees that differs between a workbook as
// found and the same workbook recomputed: a cell's value or number format,
// a row's, column's or sheet's visibility, a chart's title or series.
type CellDiff struct {
	Sheet, Cell string
	// What names the property when it is not a cell's value: "number
	// format", "row", "column", "sheet", "chart 1 title".
	What string
	// File is the property as the file shows it, Recomputed as the
	// recomputed workbook does (formatted, as a reader sees them); "" for
	// a blank.
	File, Recomputed string
}

func (d CellDiff) String() string {
	show := func(s string) string {
		if s == "" {
			return "nothing"
		}
		return s
	}
	where := sheetRef(d.Sheet)
	if d.Cell != "" {
		where += "!" + d.Cell
	}
	if d.What != "" {
		where += " (" + d.What + ")"
	}
	return fmt.Sprintf("%s: the file says %s, the inputs give %s", where, show(d.File), show(d.Recomputed))
}

// sheetRef quotes a sheet name for a cell reference when it needs it.
func sheetRef(s string) string {
	if strings.ContainsAny(s, " !'-()") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return s
}

// CompareWorkbooks compares what a reader sees on every checked sheet of
// the workbook file (its .xlsx bytes) with the same sheet of recomputed:
// each cell's value as stored (at full precision) and number format, the
// hidden rows and columns, the sheet's state, and its charts' types,
// titles and series references; the About sheet's line recording the
// digest is left out. It returns what differs, sheet by sheet in
// recomputed's order, row by row; a sheet only one of them has is reported
// at its A1. The message shows each cell formatted as a reader sees it.
// skip, if not nil, leaves out cells that may differ honestly (when the
// run was made).
func CompareWorkbooks(file, recomputed []byte, skip func(sheet, cell string) bool) ([]CellDiff, error) {
	pa, err := zipParts(file)
	if err != nil {
		return nil, fmt.Errorf("reading the workbook: %w", err)
	}
	a, _, err := readResults(pa)
	if err != nil {
		return nil, fmt.Errorf("reading the workbook: %w", err)
	}
	pb, err := zipParts(recomputed)
	if err != nil {
		return nil, fmt.Errorf("reading the recomputed workbook: %w", err)
	}
	b, _, err := readResults(pb)
	if err != nil {
		return nil, fmt.Errorf("reading the recomputed workbook: %w", err)
	}
	fa, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		return nil, err
	}
	defer fa.Close()
	fb, err := excelize.OpenReader(bytes.NewReader(recomputed))
	if err != nil {
		return nil, err
	}
	defer fb.Close()
	var out []CellDiff
	for _, s := range b.order {
		if unchecked[s] {
			continue
		}
		sa, ok := a.sheets[s]
		if !ok {
			out = append(out, CellDiff{Sheet: s, Cell: "A1", File: "no such sheet", Recomputed: "the sheet " + s})
			continue
		}
		out = append(out, compareSheet(s, sa, b.sheets[s], fa, fb, skip)...)
	}
	for _, s := range a.order {
		if _, ok := b.sheets[s]; !ok && !unchecked[s] {
			out = append(out, CellDiff{Sheet: s, Cell: "A1", File: "the sheet " + s, Recomputed: "no such sheet"})
		}
	}
	return out, nil
}

// compareSheet compares what a reader sees of the sheet s in the file (a,
// fa) and the recomputed workbook (b, fb).
func compareSheet(s string, a, b *rawSheet, fa, fb *excelize.File, skip func(sheet, cell string) bool) []CellDiff {
	var out []CellDiff
	visible := func(state string) string { return cmp.Or(state, "visible") }
	if a.state != b.state {
		out = append(out, CellDiff{Sheet: s, What: "sheet", File: visible(a.state), Recomputed: visible(b.state)})
	}
	refs := map[string]bool{}
	for r := range a.cells {
		refs[r] = true
	}
	for r := range b.cells {
		refs[r] = true
	}
	for _, ref := range sortedRefs(refs) {
		x, y := a.cells[ref], b.cells[ref]
		fx, fy := a.formats[ref], b.formats[ref]
		if (x == y && fx == fy) || (skip != nil && skip(s, ref)) {
			continue
		}
		dx, _ := fa.GetCellValue(s, ref)
		dy, _ := fb.GetCellValue(s, ref)
		switch {
		case x == y && dx == dy:
			// The same value, formatted alike here: the format codes
			// say what differs.
			out = append(out, CellDiff{Sheet: s, Cell: ref, What: "number format", File: strconv.Quote(fx), Recomputed: strconv.Quote(fy)})
			continue
		case x == y:
			out = append(out, CellDiff{Sheet: s, Cell: ref, What: "number format", File: dx, Recomputed: dy})
			continue
		case dx == dy || (isPlainNumber(dx) && isPlainNumber(dy)):
			// The same to the eye, or shown without a format: the
			// stored values say more.
			dx, dy = x, y
		}
		out = append(out, CellDiff{Sheet: s, Cell: ref, File: dx, Recomputed: dy})
	}
	shown := func(hidden bool) string {
		if hidden {
			return "hidden"
		}
		return "shown"
	}
	for _, r := range sortedKeys(union(a.hiddenRows, b.hiddenRows)) {
		if a.hiddenRows[r] != b.hiddenRows[r] {
			out = append(out, CellDiff{Sheet: s, Cell: fmt.Sprintf("%d:%d", r, r), What: "row", File: shown(a.hiddenRows[r]), Recomputed: shown(b.hiddenRows[r])})
		}
	}
	for _, c := range sortedKeys(union(a.hiddenCols, b.hiddenCols)) {
		if a.hiddenCols[c] != b.hiddenCols[c] {
			name, _ := excelize.ColumnNumberToName(c)
			out = append(out, CellDiff{Sheet: s, Cell: name + ":" + name, What: "column", File: shown(a.hiddenCols[c]), Recomputed: shown(b.hiddenCols[c])})
		}
	}
	for i := range max(len(a.charts), len(b.charts)) {
		what := fmt.Sprintf("chart %d", i+1)
		switch {
		case i >= len(a.charts):
			out = append(out, CellDiff{Sheet: s, Cell: b.charts[i].anchor, What: what, File: "no chart", Recomputed: "a chart"})
			continue
		case i >= len(b.charts):
			out = append(out, CellDiff{Sheet: s, Cell: a.charts[i].anchor, What: what, File: "a chart", Recomputed: "no chart"})
			continue
		}
		ca, cb := a.charts[i], b.charts[i]
		if ca.anchor != cb.anchor {
			out = append(out, CellDiff{Sheet: s, What: what + " position", File: "at " + ca.anchor, Recomputed: "at " + cb.anchor})
		}
		keys := map[string]bool{}
		for k := range ca.props {
			keys[k] = true
		}
		for k := range cb.props {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			if ca.props[k] != cb.props[k] {
				out = append(out, CellDiff{Sheet: s, Cell: cb.anchor, What: what + " " + k, File: quoteOrNone(ca.props[k]), Recomputed: quoteOrNone(cb.props[k])})
			}
		}
	}
	return out
}

// union returns the keys of a and b.
func union(a, b map[int]bool) map[int]bool {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

// quoteOrNone quotes s, or returns "" (shown as nothing) for "".
func quoteOrNone(s string) string {
	if s == "" {
		return ""
	}
	return strconv.Quote(s)
}

// isPlainNumber reports whether s is a number as written without a format.
func isPlainNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
