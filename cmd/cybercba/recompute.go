package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

// provenanceLabels are the Summary rows that honestly differ between a
// report and its recomputation: when and by which build it was made, and
// the name its dataset was read under.
var provenanceLabels = map[string]bool{"Generated": true, "Tool version": true, "Dataset": true}

// recomputedCells rebuilds the report's workbook in memory from the re-run
// (an, pa, sens) and compares every cell of every results sheet with the
// file's bytes, returning the cells that differ.
func recomputedCells(fileBytes []byte, file *excelize.File, j *job, d *model.Decision, rec *reports.Reproduction) ([]reports.CellDiff, error) {
	rep := buildReport(j, d)
	rep.Reproduce = rec
	var buf bytes.Buffer
	if err := reports.WriteWorkbook(&buf, rep); err != nil {
		return nil, fmt.Errorf("recomputing the workbook: %w", err)
	}
	skip := provenanceCells(file)
	return reports.CompareWorkbooks(fileBytes, buf.Bytes(), func(sheet, cell string) bool { return skip[sheet+"!"+cell] })
}

// provenanceCells returns the file's Summary cells (label and value) of
// the provenanceLabels rows, as "Summary!B40".
func provenanceCells(f *excelize.File) map[string]bool {
	out := map[string]bool{}
	rows, err := f.GetRows("Summary")
	if err != nil {
		return out
	}
	for r, row := range rows {
		for c := 0; c+1 < len(row); c++ {
			if provenanceLabels[strings.TrimSpace(row[c])] {
				cell, _ := excelize.CoordinatesToCellName(c+2, r+1)
				out["Summary!"+cell] = true
			}
		}
	}
	return out
}

// maxCellsShown is how many differing cells reproduce lists.
const maxCellsShown = 20

// writeCellDiffs lists the differing cells, the first maxCellsShown.
func writeCellDiffs(w io.Writer, diffs []reports.CellDiff) {
	if len(diffs) == 0 {
		return
	}
	what := fmt.Sprintf("%d cells", len(diffs))
	if len(diffs) == 1 {
		what = "1 cell"
	}
	fmt.Fprintf(w, "Different: %s of the results sheets differ from what the recorded inputs give:\n", what)
	for i, d := range diffs {
		if i == maxCellsShown {
			fmt.Fprintf(w, "  … and %d more\n", len(diffs)-maxCellsShown)
			break
		}
		fmt.Fprintln(w, "  "+d.String())
	}
}

// quickCheck compares the results digest recorded on the About sheet with
// the file's cells, and says which way it went.
func quickCheck(w io.Writer, f *excelize.File, path string) error {
	rec := reports.RecordedDigest(f)
	if rec == "" {
		return &inputError{fmt.Errorf("%s: no results digest on the About sheet (a report made before they were recorded): run cybercba reproduce without --quick", path)}
	}
	now, err := reports.WorkbookDigest(f)
	if err != nil {
		return &inputError{fmt.Errorf("%s: %w", path, err)}
	}
	if now != rec {
		fmt.Fprintf(w, "Different: the results sheets' digest is %s…, the About sheet records %s…: a cell was edited since the run (cybercba reproduce without --quick names it).\n", now[:16], rec[:min(16, len(rec))])
		return errNotReproduced
	}
	fmt.Fprintf(w, "Unedited: the results sheets match the digest recorded when the report was written (%s…). This checks the file, not the figures: cybercba reproduce without --quick recomputes them.\n", now[:16])
	return nil
}
