package reports

import (
	"fmt"
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
	row := reproFiguresRow + 1
	for _, fg := range rp.Figures {
		do(set(1, row, fg[0]))
		do(set(2, row, fg[1])) // text, so no digit is lost
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

// ReadReproduction reads the Reproduce sheet of an open workbook.
func ReadReproduction(f *excelize.File) (*Reproduction, error) {
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
	return rp, nil
}
