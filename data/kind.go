package data

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
)

// kindOf names what a file given as a dataset is, when it is not one:
// "a cybercba report (report.xlsx)", "a cybercba bulk-run results
// workbook", "a CSV file", or "" for a file that may be a dataset (an
// inputs workbook, YAML or JSON), which the loader then reads. It looks
// only at the name and the first bytes, and for a workbook at the names of
// its sheets, so that a file of the wrong kind is named as such rather
// than reported as a parse error deep inside it.
func kindOf(b []byte, name string) string {
	if IsWorkbook(name, b) {
		sheets := workbookSheets(b)
		has := func(s string) bool { return sheets[s] }
		switch {
		case has("Reproduce") || (has("Ranking") && has("LEC chart")):
			return "a cybercba report (the report.xlsx that run writes)"
		case has("Check") && has("Errors") && has("Summary"):
			return "a cybercba bulk-run results workbook (written by batch or merge)"
		}
		return ""
	}
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		return "a CSV file"
	}
	first, _, _ := bytes.Cut(bytes.TrimPrefix(b, []byte("\ufeff")), []byte("\n"))
	if bytes.Count(first, []byte(",")) >= 2 && !bytes.ContainsAny(first, ":{}[]#") {
		return "a CSV file"
	}
	return ""
}

// sheetNameRE finds the sheets' names in a workbook's xl/workbook.xml.
var sheetNameRE = regexp.MustCompile(`<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"`)

// workbookSheets returns the names of a workbook's sheets, or none when
// they cannot be read (the loader then reports the problem).
func workbookSheets(b []byte) map[string]bool {
	out := map[string]bool{}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return out
	}
	for _, f := range zr.File {
		if f.Name != "xl/workbook.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return out
		}
		x, _ := io.ReadAll(io.LimitReader(rc, 4<<20))
		rc.Close()
		for _, m := range sheetNameRE.FindAllSubmatch(x, -1) {
			out[string(m[1])] = true
		}
	}
	return out
}

// notADataset is the error for a file of the wrong kind given as a
// dataset.
func notADataset(name, kind string) error {
	return fmt.Errorf("%s: this is %s, not a dataset: give an inputs workbook (cybercba template writes one) or a dataset in YAML or JSON", name, kind)
}
