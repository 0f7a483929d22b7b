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
	if err := writeReproduce(f, in); err != nil {
		t.Fatal(err)
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
