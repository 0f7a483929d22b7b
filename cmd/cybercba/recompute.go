package main

import (
	"fmt"
	"io"

	"github.com/cybercba/cybercba/reports"
)

// quickCheck compares the results digest recorded on the About sheet with
// the workbook's bytes raw, and says which way it went.
func quickCheck(w io.Writer, raw []byte, path string) error {
	rec, now, err := reports.QuickCheck(raw)
	if err != nil {
		return &inputError{fmt.Errorf("%s: %w", path, err)}
	}
	if rec == "" {
		return &inputError{fmt.Errorf("%s: no results digest on the About sheet (a report made before they were recorded): run cybercba reproduce without --quick", path)}
	}
	if now != rec {
		fmt.Fprintf(w, "Different: the results sheets' digest is %s…, the About sheet records %s…: something a reader sees (%s) was edited since the run, or the report was written by a version that digested less (cybercba reproduce without --quick names what differs).\n", now[:16], rec[:min(16, len(rec))], reports.QuickCheckCovers)
		return errNotReproduced
	}
	fmt.Fprintf(w, "Unedited: what a reader sees on the results sheets (%s) matches the digest recorded when the report was written (%s…). This does not recompute the figures: cybercba reproduce without --quick does.\n", reports.QuickCheckCovers, now[:16])
	return nil
}
