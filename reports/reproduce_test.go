package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestCompareWorkbooks checks the cell-by-cell comparison behind
// reproduce (issue 13, case 1): stored values at full precision, formatted
// values in the message, missing sheets, blanks, and skipped cells.
func TestCompareWorkbooks(t *testing.T) {
	t.Parallel()
	book := func(edit func(f *excelize.File)) []byte {
		f := excelize.NewFile()
		f.SetSheetName("Sheet1", "Summary")
		f.NewSheet("Ranking")
		f.NewSheet(sheetAbout)
		money := `"£"#,##0.00`
		st, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &money})
		f.SetCellValue("Summary", "B7", 167e6+0.25)
		f.SetCellStyle("Summary", "B7", "B7", st)
		f.SetCellValue("Ranking", "Q2", 1234.5678)
		one := "0.0"
		st1, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &one})
		f.SetCellStyle("Ranking", "Q2", "Q2", st1)
		f.SetCellValue("Ranking", "A1", "ID")
		f.SetCellValue(sheetAbout, "A1", "prose")
		if edit != nil {
			edit(f)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return buf.Bytes()
	}
	open := func(b []byte) *excelize.File {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	want := book(nil)
	if d, err := CompareWorkbooks(book(nil), want, nil); err != nil || len(d) != 0 {
		t.Fatalf("CompareWorkbooks(same) = %v, %v; want none", d, err)
	}
	got, err := CompareWorkbooks(book(func(f *excelize.File) {
		f.SetCellValue("Summary", "B7", 1.0)
		f.SetCellValue("Ranking", "Q2", 1234.5679) // shows as 1234.6 too
		f.SetCellValue("Ranking", "C9", "stray")
		f.SetCellValue(sheetAbout, "A1", "edited prose") // not a results sheet
	}), want, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, d := range got {
		lines = append(lines, d.String())
	}
	wantLines := []string{
		"Summary!B7: the file says £1.00, the inputs give £167,000,000.25",
		"Ranking!Q2: the file says 1234.5679, the inputs give 1234.5678",
		"Ranking!C9: the file says stray, the inputs give nothing",
	}
	if strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("CompareWorkbooks() =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
	got, _ = CompareWorkbooks(book(func(f *excelize.File) { f.DeleteSheet("Ranking") }), want,
		func(sheet, cell string) bool { return false })
	if len(got) != 1 || got[0].Sheet != "Ranking" || got[0].File != "no such sheet" {
		t.Errorf("CompareWorkbooks(no Ranking) = %v; want the missing sheet", got)
	}
	got, _ = CompareWorkbooks(book(func(f *excelize.File) { f.SetCellValue("Summary", "B7", 1.0) }), want,
		func(sheet, cell string) bool { return sheet == "Summary" && cell == "B7" })
	if len(got) != 0 {
		t.Errorf("CompareWorkbooks(skipping Summary!B7) = %v; want none", got)
	}
	// The digest moves with any results cell (to 15 digits), not with
	// About.
	d0, _ := WorkbookDigest(open(want))
	d1, _ := WorkbookDigest(open(book(func(f *excelize.File) { f.SetCellValue(sheetAbout, "A1", "x") })))
	d2, _ := WorkbookDigest(open(book(func(f *excelize.File) { f.SetCellValue("Ranking", "Q2", 1234.5679) })))
	if d0 != d1 || d0 == d2 {
		t.Errorf("WorkbookDigest: %s, About edited %s, Ranking edited %s; want the first two equal, the third not", d0, d1, d2)
	}
}
