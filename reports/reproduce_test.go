package reports

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReproductionRoundTrip writes a Reproduce sheet and reads it back:
// digest, arguments, figures and the dataset's text, indentation, blank
// lines and formula-like lines included, come back exactly.
func TestReproductionRoundTrip(t *testing.T) {
	t.Parallel()
	in := &Reproduction{
		Digest:  "0123456789abcdef",
		Args:    []string{"--scope=acute-trust", "--seed=7", "--budget=£400k"},
		Figures: [][2]string{{"baseline ALE", "1130478.0163491592"}, {"C1 NPV", "-3.5e-07"}},
		Dataset: []byte("version: 1\n  indented: {lo: 1, hi: 2}\n\n=SUM(A1:A2)\n# a comment with trailing space \n"),
	}
	f := excelize.NewFile()
	last, err := writeReproduce(f, in)
	if err != nil {
		t.Fatal(err)
	}
	// The printed part ends with the figures, before the dataset.
	if want := reproFiguresRow + len(in.Figures); last != want {
		t.Errorf("writeReproduce printed rows end at %d; want %d", last, want)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out, err := ReadReproduction(&buf, "report.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if out.Digest != in.Digest || !slices.Equal(out.Args, in.Args) || !slices.Equal(out.Figures, in.Figures) {
		t.Errorf("ReadReproduction = %+v; want %+v", out, in)
	}
	if !bytes.Equal(out.Dataset, in.Dataset) {
		t.Errorf("dataset = %q; want %q", out.Dataset, in.Dataset)
	}
}

// TestEditedInputs writes a report's workbook, reads it back with
// ReadReproduction and compares its Inputs sheet with the inputs written:
// nothing differs, until a bound is edited, when the edit is named by its
// cell.
func TestEditedInputs(t *testing.T) {
	t.Parallel()
	r := *report(t, typical)
	r.Reproduce = &Reproduction{Digest: testDigest, Args: []string{"--seed=1"}, Dataset: []byte("version: 1\n")}
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, &r); err != nil {
		t.Fatal(err)
	}
	rp, err := ReadReproduction(bytes.NewReader(buf.Bytes()), "report.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if got := rp.EditedInputs(r.Inputs); len(got) != 0 {
		t.Errorf("EditedInputs of an unedited report = %q; want none", got)
	}

	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue(sheetInputs, "E3", 123456.0); err != nil {
		t.Fatal(err)
	}
	var edited bytes.Buffer
	if err := f.Write(&edited); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rp, err = ReadReproduction(&edited, "edited.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	in := r.Inputs[1]
	want := fmt.Sprintf(`Inputs!E3: %s %s was %g in the recorded inputs, the sheet says "123456"`, in.Item, in.Field, in.Hi)
	if got := rp.EditedInputs(r.Inputs); !slices.Equal(got, []string{want}) {
		t.Errorf("EditedInputs after editing Inputs!E3 = %q; want %q", got, want)
	}
	if got := rp.EditedInputs(append(r.Inputs, Input{Item: "extra", Field: "rate"})); len(got) != 2 ||
		got[1] != fmt.Sprintf("Inputs!A%d: row missing (extra rate)", len(r.Inputs)+2) {
		t.Errorf("EditedInputs with an input the sheet lacks = %q; want the edit and a missing row", got)
	}
}

// TestReadReproductionBadInput checks that what is not a report gives an
// error naming the file, never a panic.
func TestReadReproductionBadInput(t *testing.T) {
	t.Parallel()
	plain := excelize.NewFile()
	var noSheet bytes.Buffer
	if err := plain.Write(&noSheet); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("version: 1\n"),
		"no sheet":  noSheet.Bytes(),
		"truncated": noSheet.Bytes()[:noSheet.Len()/2],
	} {
		_, err := ReadReproduction(bytes.NewReader(in), "x.xlsx")
		if err == nil || !strings.HasPrefix(err.Error(), "x.xlsx: ") {
			t.Errorf("ReadReproduction(%s) error = %v; want one starting with the file's name", name, err)
		}
	}
}

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
		f.NewSheet(SheetWhatIf)
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
	want := book(nil)
	if d, err := CompareWorkbooks(book(nil), want, nil); err != nil || len(d) != 0 {
		t.Fatalf("CompareWorkbooks(same) = %v, %v; want none", d, err)
	}
	got, err := CompareWorkbooks(book(func(f *excelize.File) {
		f.SetCellValue("Summary", "B7", 1.0)
		f.SetCellValue("Ranking", "Q2", 1234.5679) // shows as 1234.6 too
		f.SetCellValue("Ranking", "C9", "stray")
		f.SetCellValue(sheetAbout, "A1", "edited prose")
		f.SetCellValue(SheetWhatIf, "A1", "a reader's edit") // a live sheet, not compared
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
		"About!A1: the file says edited prose, the inputs give prose",
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
	// The digest moves with any results cell (at full precision), and
	// About's, not with a live sheet's.
	d0, _ := WorkbookDigest(want)
	d1, _ := WorkbookDigest(book(func(f *excelize.File) { f.SetCellValue(SheetWhatIf, "A1", "x") }))
	d2, _ := WorkbookDigest(book(func(f *excelize.File) { f.SetCellValue("Ranking", "Q2", 1234.5678000001) }))
	d3, _ := WorkbookDigest(book(func(f *excelize.File) { f.SetCellValue(sheetAbout, "A1", "x") }))
	if d0 != d1 || d0 == d2 || d0 == d3 {
		t.Errorf("WorkbookDigest: %s, What-if edited %s, Ranking edited %s, About edited %s; want the first two equal, the others not", d0, d1, d2, d3)
	}
}
