// Package xlsxtest holds helpers for tests that edit .xlsx workbooks
// below excelize, part by part: adding far cells (issue 27's memory
// bomb), editing a chart or a sheet's XML.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
)

// RewriteParts returns the zip archive b with each part passed through
// edit (given the part's name and bytes, it returns the new bytes).
func RewriteParts(t testing.TB, b []byte, edit func(name string, part []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(edit(zf.Name, part)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Parts returns every part of the zip archive b (a workbook), its text by
// its name.
func Parts(t testing.TB, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := make(map[string]string, len(zr.File))
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[zf.Name] = string(part)
	}
	return parts
}

// FarCells returns the workbook b with n blank cells added to each of its
// worksheets, one a row in column col, from row from (or below the
// sheet's last row, when from is 0): issue 27's memory bomb (71 KB with
// column XFD and 1,000 rows took 3.3 GB to validate, as excelize lays out
// every row to its last cell).
func FarCells(t testing.TB, b []byte, col string, n, from int) []byte {
	t.Helper()
	rowRe := regexp.MustCompile(`<row r="(\d+)"`)
	return RewriteParts(t, b, func(name string, part []byte) []byte {
		if !strings.HasPrefix(name, "xl/worksheets/sheet") {
			return part
		}
		first := from
		if first == 0 {
			for _, m := range rowRe.FindAllSubmatch(part, -1) {
				fmt.Sscan(string(m[1]), &first)
			}
			first++
		}
		var rows strings.Builder
		for r := first; r < first+n; r++ {
			fmt.Fprintf(&rows, `<row r="%d"><c r="%s%d"/></row>`, r, col, r)
		}
		s := string(part)
		if i := strings.LastIndex(s, "</sheetData>"); i >= 0 {
			return []byte(s[:i] + rows.String() + s[i:])
		}
		return []byte(strings.Replace(s, "<sheetData/>", "<sheetData>"+rows.String()+"</sheetData>", 1))
	})
}
