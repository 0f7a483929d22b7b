package main

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/reports"
)

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
	fmt.Fprintf(w, "Unedited: the results sheets match the digest recorded when the report was written (%s…). This checks the cells' values, not the figures, and not number formats, hidden rows, charts or the About sheet: cybercba reproduce without --quick recomputes the figures.\n", now[:16])
	return nil
}
