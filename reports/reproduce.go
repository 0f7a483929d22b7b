package reports

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
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

// unchecked lists the sheets CompareWorkbooks and WorkbookDigest leave out:
// the About sheet's prose (which carries the digest) and the Reproduce
// record (checked on its own), and the live sheets a reader edits
// (LiveSheets).
var unchecked = map[string]bool{sheetAbout: true, SheetReproduce: true, SheetWhatIf: true, SheetDraws: true}

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

// WorkbookDigest returns the SHA-256 (hex) of every cell of f's checked
// sheets as stored (raw values, full precision), sheet by sheet, row by
// row: a quick check that no cell value was edited since the run (number
// formats, hidden rows, charts and the About sheet are not in it).
// Numbers enter it as excelize reads them, to 15 significant digits;
// CompareWorkbooks compares them in full.
func WorkbookDigest(f *excelize.File) (string, error) {
	h := sha256.New()
	for _, s := range CheckedSheets(f) {
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			return "", fmt.Errorf("%s: %w", s, err)
		}
		fmt.Fprintf(h, "sheet %q %d\n", s, len(rows))
		for r, row := range rows {
			for c, v := range row {
				if v != "" {
					fmt.Fprintf(h, "%d,%d %q\n", r+1, c+1, v)
				}
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// aboutDigestPrefix starts the About sheet's line recording the results
// digest.
const aboutDigestPrefix = "Results digest (SHA-256 of every cell of the other sheets but Reproduce): "

// RecordedDigest returns the results digest recorded on f's About sheet,
// or "" if it has none.
func RecordedDigest(f *excelize.File) string {
	rows, err := f.GetRows(sheetAbout, excelize.Options{RawCellValue: true})
	if err != nil {
		return ""
	}
	for _, row := range rows {
		if len(row) > 0 && strings.HasPrefix(row[0], aboutDigestPrefix) {
			d, _, _ := strings.Cut(strings.TrimPrefix(row[0], aboutDigestPrefix), ".")
			return strings.TrimSpace(d)
		}
	}
	return ""
}

// CellDiff is a cell whose value differs between a workbook as found and
// the same workbook recomputed.
type CellDiff struct {
	Sheet, Cell string
	// File is the cell as the file shows it, Recomputed as the recomputed
	// workbook does (formatted, as a reader sees them); "" for a blank.
	File, Recomputed string
}

func (d CellDiff) String() string {
	show := func(s string) string {
		if s == "" {
			return "nothing"
		}
		return s
	}
	return fmt.Sprintf("%s!%s: the file says %s, the inputs give %s", sheetRef(d.Sheet), d.Cell, show(d.File), show(d.Recomputed))
}

// sheetRef quotes a sheet name for a cell reference when it needs it.
func sheetRef(s string) string {
	if strings.ContainsAny(s, " !'-()") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return s
}

// CompareWorkbooks compares every cell of every checked sheet of the
// workbook file (its .xlsx bytes) with the same sheet of recomputed, by
// the value stored, at full precision, and returns the cells that differ,
// sheet by sheet in recomputed's order, row by row; a sheet only one of
// them has is reported at its A1. The message shows each cell formatted as
// a reader sees it. skip, if not nil, leaves out cells that may differ
// honestly (when the run was made).
func CompareWorkbooks(file, recomputed []byte, skip func(sheet, cell string) bool) ([]CellDiff, error) {
	a, err := readRawBook(file)
	if err != nil {
		return nil, fmt.Errorf("reading the workbook: %w", err)
	}
	b, err := readRawBook(recomputed)
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
		ca, ok := a.cells[s]
		if !ok {
			out = append(out, CellDiff{Sheet: s, Cell: "A1", File: "no such sheet", Recomputed: "the sheet " + s})
			continue
		}
		cb := b.cells[s]
		refs := map[string]bool{}
		for r := range ca {
			refs[r] = true
		}
		for r := range cb {
			refs[r] = true
		}
		var diffs []CellDiff
		for ref := range refs {
			x, y := ca[ref], cb[ref]
			if x == y || (skip != nil && skip(s, ref)) {
				continue
			}
			dx, _ := fa.GetCellValue(s, ref)
			dy, _ := fb.GetCellValue(s, ref)
			if dx == dy || (isPlainNumber(dx) && isPlainNumber(dy)) {
				// The same to the eye, or shown without a format: the
				// stored values say more.
				dx, dy = x, y
			}
			diffs = append(diffs, CellDiff{Sheet: s, Cell: ref, File: dx, Recomputed: dy})
		}
		slices.SortFunc(diffs, func(p, q CellDiff) int {
			pc, pr, _ := excelize.CellNameToCoordinates(p.Cell)
			qc, qr, _ := excelize.CellNameToCoordinates(q.Cell)
			return cmp.Or(cmp.Compare(pr, qr), cmp.Compare(pc, qc))
		})
		out = append(out, diffs...)
	}
	for _, s := range a.order {
		if _, ok := b.cells[s]; !ok && !unchecked[s] {
			out = append(out, CellDiff{Sheet: s, Cell: "A1", File: "the sheet " + s, Recomputed: "no such sheet"})
		}
	}
	return out, nil
}

// isPlainNumber reports whether s is a number as written without a format.
func isPlainNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
