package reports

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/cybercba/cybercba/reports/printtest"
)

// TestPDFText reads every PDF figure back with poppler's pdftotext, as a
// reader copying from the file would: the text must hold the characters
// drawn ("£", "−", "×", "·"), not their UTF-8 bytes read as WinAnsi
// ("Â£"), and every word must lie inside the page. CI installs
// poppler-utils (.ci/run); without pdftotext the test cannot read a PDF
// and skips.
func TestPDFText(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (Debian package poppler-utils) is not installed, so the PDFs' text cannot be read back; .ci/run installs it")
	}
	var figs []Figure
	for _, get := range []func() (*Report, error){typical, noneRecommended, sensitive} {
		fs, err := Figures(report(t, get))
		if err != nil {
			t.Fatal(err)
		}
		figs = append(figs, fs...)
	}
	var all strings.Builder
	for _, f := range figs {
		var pdf bytes.Buffer
		if err := f.Write(&pdf, "pdf"); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "-bbox", "-", "-")
		cmd.Stdin = bytes.NewReader(pdf.Bytes())
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s.pdf: pdftotext: %v", f.Name, err)
		}
		words, w, h := printtest.ParseWords(t, out)
		if len(words) == 0 {
			t.Errorf("%s.pdf: pdftotext found no text", f.Name)
		}
		for _, wd := range words {
			if wd.XMin < 0 || wd.YMin < 0 || wd.XMax > w+0.5 || wd.YMax > h+0.5 {
				t.Errorf("%s.pdf: %q at (%.1f, %.1f)–(%.1f, %.1f) is not inside the %.0f×%.0f page", f.Name, wd.Text, wd.XMin, wd.YMin, wd.XMax, wd.YMax, w, h)
			}
			all.WriteString(wd.Text + " ")
		}
	}
	text := all.String()
	for _, want := range []string{"£", "−£", "×", "·"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF figures' text has no %q: %s", want, text)
		}
	}
	for _, bad := range []string{"Â", "â"} {
		if strings.Contains(text, bad) {
			t.Errorf("the PDF figures' text has %q, a UTF-8 byte read as WinAnsi: %.300s", bad, text)
		}
	}
}

// TestSVGSmall checks that SVG figures carry their text as text in a font
// family with fallbacks, not an embedded font: each file stays small.
func TestSVGSmall(t *testing.T) {
	t.Parallel()
	figs, err := Figures(report(t, typical))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		var b bytes.Buffer
		if err := f.Write(&b, "svg"); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		if strings.Contains(s, "@font-face") || strings.Contains(s, "base64") {
			t.Errorf("%s.svg embeds a font", f.Name)
		}
		if !strings.Contains(s, "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;") {
			t.Errorf("%s.svg names no font family with fallbacks", f.Name)
		}
		// An embedded Liberation Sans alone is about 550 KB.
		if b.Len() > 100_000 {
			t.Errorf("%s.svg is %d bytes; want under 100 KB", f.Name, b.Len())
		}
	}
}

// TestFigureCSV checks the data written beside each figure: it parses as
// CSV with a header and rows of one width, and its numbers are the
// figure's: the ranking's mean NPVs are the results', in rank order, and
// the LEC's baseline losses are the sample's quantiles.
func TestFigureCSV(t *testing.T) {
	t.Parallel()
	for _, get := range []func() (*Report, error){typical, social, sensitive} {
		r := report(t, get)
		figs, err := Figures(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range figs {
			var b bytes.Buffer
			if err := f.WriteCSV(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte(utf8BOM)) {
				t.Errorf("%s.csv does not start with a UTF-8 byte-order mark", f.Name)
			}
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte(utf8BOM)))).ReadAll()
			if err != nil {
				t.Fatalf("%s.csv: %v", f.Name, err)
			}
			if len(rows) < 2 {
				t.Fatalf("%s.csv has %d rows; want a header and data", f.Name, len(rows))
			}
			switch f.Name {
			case "ranking":
				an := r.Analysis
				for k, i := range an.Ranking.Order {
					got, err := strconv.ParseFloat(rows[k+1][2], 64)
					if want := an.Results[i].DecisionNPV.Mean; err != nil || got != want {
						t.Errorf("ranking.csv row %d NPV = %q; want %v", k+1, rows[k+1][2], want)
					}
				}
			case "lec":
				loss := slices.Sorted(slices.Values(r.Analysis.Sim.Loss[0]))
				for _, row := range rows[1:] {
					p, err1 := strconv.ParseFloat(row[0], 64)
					v, err2 := strconv.ParseFloat(row[2], 64)
					if err1 != nil || err2 != nil || v != lossAt(loss, p) {
						t.Errorf("lec.csv row %q: baseline loss; want %v", row, lossAt(loss, p))
						break
					}
				}
			}
		}
	}
}

// goldenDPI is the resolution of the golden images: small, so the files
// stay a few kilobytes, yet every line, label and colour shows.
const goldenDPI = 60

// TestFigureGolden guards the drawing of each kind of figure, from the
// first test report that has it: its PNG at goldenDPI must match testdata/golden/NAME.png pixel
// for pixel. The model's results do not depend on the machine or the
// worker count, and the fonts are embedded, so the images are the same
// everywhere. Run with -regen to rewrite them after an intended change,
// and look at them.
func TestFigureGolden(t *testing.T) {
	t.Parallel()
	var figs []Figure
	seen := map[string]bool{}
	for _, get := range []func() (*Report, error){typical, social, sensitive, chosenNPV} {
		fs, err := Figures(report(t, get))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if !seen[f.Name] {
				seen[f.Name] = true
				figs = append(figs, f)
			}
		}
	}
	for _, f := range figs {
		c := vgimg.NewWith(vgimg.UseWH(f.W, f.H), vgimg.UseDPI(goldenDPI))
		f.draw(draw.New(c))
		var got bytes.Buffer
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&got); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", f.Name+".png")
		if *cmpimg.GenerateTestData {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -run TestFigureGolden -regen to create it)", err)
		}
		ok, err := cmpimg.Equal("png", got.Bytes(), want)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			out := filepath.Join(t.TempDir(), f.Name+".png")
			_ = os.WriteFile(out, got.Bytes(), 0o644)
			t.Errorf("%s.png differs from %s; got written to %s", f.Name, golden, out)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lo, hi float64
		n      int
		want   []string
	}{
		{0, 27.5, 6, []string{"0", "5", "10", "15", "20", "25"}},
		{0, 1.1, 6, []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
		{0, 110, 6, []string{"0", "20", "40", "60", "80", "100"}},
		{-950, 250, 5, []string{"-750", "-500", "-250", "0", "250"}},
		{-950, 250, 4, []string{"-500", "0"}},
	} {
		var got []string
		for _, tk := range (niceTicks{N: tt.n, Label: func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }}).Ticks(tt.lo, tt.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("niceTicks.Ticks(%g, %g) labels = %q; want %q", tt.lo, tt.hi, got, tt.want)
		}
	}
}

// TestEveryFigureHasData checks that every figure of every test report
// writes a CSV with a header and at least one row of data.
func TestEveryFigureHasData(t *testing.T) {
	t.Parallel()
	for _, get := range []func() (*Report, error){typical, social, sensitive, chosenNPV} {
		figs, err := Figures(report(t, get))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range figs {
			if len(f.data) < 2 || len(f.data[0]) == 0 {
				t.Errorf("%s: its CSV has %d rows; want a header and data", f.Name, len(f.data))
			}
		}
	}
}
