package reports

import (
	"bytes"
	"fmt"
	"io"
	"math"
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
// one line per row in column A.
func writeReproduce(f *excelize.File, rp *Reproduction) error {
	s := SheetReproduce
	if _, err := f.NewSheet(s); err != nil {
		return err
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
	row := reproFiguresRow + 1
	for _, fg := range rp.Figures {
		do(set(1, row, fg[0]))
		do(set(2, row, fg[1])) // text, so no digit is lost
		row++
	}
	row++
	do(set(1, row, "Dataset (YAML)"))
	row++
	for line := range strings.Lines(string(rp.Dataset)) {
		do(set(1, row, strings.TrimSuffix(line, "\n"))) // a string cell: never a formula
		row++
	}
	if row > excelize.TotalRows {
		return fmt.Errorf("%s: the dataset has too many lines for a sheet", s)
	}
	do(f.SetColWidth(s, "A", "A", 60))
	do(f.SetColWidth(s, "B", "B", 30))
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
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
func ReadReproduction(r io.Reader, name string) (rp *Reproduction, err error) {
	defer func() {
		if p := recover(); p != nil {
			rp, err = nil, fmt.Errorf("%s: cannot read the workbook: %v", name, p)
		}
	}()
	b, err := io.ReadAll(io.LimitReader(r, maxReportSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(b) > maxReportSize {
		return nil, fmt.Errorf("%s: larger than %d MiB: not a cybercba report", name, maxReportSize>>20)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: reportUnzip, UnzipXMLSizeLimit: reportUnzipPart})
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, fmt.Errorf("%s: not a readable .xlsx workbook (%v)", name, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: %w", name, cerr)
		}
	}()
	rp, err = readReproduction(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rp, nil
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
		rp.Figures = append(rp.Figures, [2]string{cell(r, 1), cell(r, 2)})
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
