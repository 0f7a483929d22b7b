package reports

import (
	"bytes"
	"slices"
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
	g, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	out, err := ReadReproduction(g)
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
