package reports

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestParseFormats(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in      string
		want    []string
		wantErr string // a substring of the error; "" for none
	}{
		{in: "png", want: []string{"png"}},
		{in: "png,svg,pdf", want: []string{"png", "svg", "pdf"}},
		{in: " PDF , png ", want: []string{"pdf", "png"}},
		{in: "svg,svg,png,svg", want: []string{"svg", "png"}},
		{in: "", wantErr: "no format"},
		{in: "  ", wantErr: "no format"},
		{in: "png,gif", wantErr: `"gif"`},
		{in: "png,,svg", wantErr: "empty format"},
		{in: "jpeg", wantErr: `"jpeg"`},
	} {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFormats(tt.in)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("ParseFormats(%q) = %v, %v; want an error containing %s", tt.in, got, err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("ParseFormats(%q): %v", tt.in, err)
			case !slices.Equal(got, tt.want):
				t.Errorf("ParseFormats(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestFigures writes every figure of a run in every format and checks each
// output decodes: the PNG to the figure's size at 200 dpi, the SVG as XML
// to its end, the PDF from its header to its end-of-file marker.
func TestFigures(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		get  func() (*Report, error)
		want []string
	}{
		{"typical", typical, []string{"lec", "histogram", "ranking", "calibration"}},
		{"none recommended", noneRecommended, []string{"lec", "histogram", "ranking", "calibration"}},
		{"social", social, []string{"lec", "histogram", "ranking", "ranking-social", "calibration"}},
		{"sensitivity", sensitive, []string{"lec", "histogram", "ranking", "tornado", "calibration"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			figs, err := Figures(report(t, tt.get))
			if err != nil {
				t.Fatalf("Figures: %v", err)
			}
			var names []string
			for _, f := range figs {
				names = append(names, f.Name)
			}
			if !slices.Equal(names, tt.want) {
				t.Fatalf("Figures names = %q; want %q", names, tt.want)
			}
			for _, f := range figs {
				for _, want := range []string{"20 draws × 500 years · seed 1", "sha256:" + testDigest[:16], "Threats summed, independent of one another"} {
					if !strings.Contains(f.Caption, want) {
						t.Errorf("%s: caption %q does not say %q", f.Name, f.Caption, want)
					}
				}
				if !strings.Contains(f.Title, "Test trusts") && f.Name != "calibration" {
					t.Errorf("%s: title %q does not name the scope", f.Name, f.Title)
				}
				for _, format := range formats {
					var buf bytes.Buffer
					if err := f.Write(&buf, format); err != nil {
						t.Fatalf("%s.Write(%s): %v", f.Name, format, err)
					}
					checkImage(t, f, format, buf.Bytes())
				}
			}
		})
	}
}

// checkImage checks that b is a well-formed image of figure f in format.
func checkImage(t *testing.T, f Figure, format string, b []byte) {
	t.Helper()
	switch format {
	case "png":
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s.png: %v", f.Name, err)
			return
		}
		w, h := int(math.Round(f.W.Dots(pngDPI))), int(math.Round(f.H.Dots(pngDPI)))
		if cfg.Width != w || cfg.Height != h {
			t.Errorf("%s.png is %d×%d; want %d×%d", f.Name, cfg.Width, cfg.Height, w, h)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%s.png: %v", f.Name, err)
		}
	case "svg":
		d := xml.NewDecoder(bytes.NewReader(b))
		var root string
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s.svg: %v", f.Name, err)
				return
			}
			if se, ok := tok.(xml.StartElement); ok && root == "" {
				root = se.Name.Local
			}
		}
		if root != "svg" {
			t.Errorf("%s.svg: root element %q; want svg", f.Name, root)
		}
	case "pdf":
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[max(len(b)-32, 0):], []byte("%%EOF")) {
			t.Errorf("%s.pdf: no PDF header or end-of-file marker (%d bytes)", f.Name, len(b))
		}
	}
}

// TestFigureCaption checks the captions' provenance: the parts in order,
// broken between parts into lines that fit the figure's width, a part too
// long for a line clipped, and a figure taller by the lines beyond the
// first.
func TestFigureCaption(t *testing.T) {
	t.Parallel()
	base := report(t, typical)
	targeted := *base
	targeted.Settings.TargetSE = 0.005
	long := *base
	long.Settings.Aggregation = "Threats summed; rates rank-correlated across outer draws (Gaussian copula): " +
		strings.Repeat("S1–S3 0.50, ", 12) + "others independent"
	noDigest := *base
	noDigest.Settings.InputsDigest = ""
	for _, tt := range []struct {
		name         string
		r            *Report
		want, absent []string
		lines        int
	}{
		{"typical", base, []string{"cybercba test · 20 draws × 500 years · seed 1 · sha256:0123456789abcdef", "test dataset · Threats summed"}, []string{"target SE", testDigest}, 2},
		{"target", &targeted, []string{"seed 1 · target SE 0.5%"}, nil, 3},
		{"long aggregation", &long, []string{"Threats summed; rates rank-correlated", "…"}, []string{"others independent"}, 3},
		{"no digest", &noDigest, []string{"seed 1 · test dataset"}, []string{"sha256"}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := figureCaption(tt.r)
			lines := strings.Split(got, "\n")
			if len(lines) != tt.lines {
				t.Errorf("figureCaption = %q: %d lines; want %d", got, len(lines), tt.lines)
			}
			sty := textStyle(captionSize)
			for _, l := range lines {
				if w := sty.Width(l); w > figWidth-2*margin {
					t.Errorf("caption line %q is %v wide; the figure has %v", l, w, figWidth-2*margin)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("figureCaption = %q; want it to contain %q", got, w)
				}
			}
			for _, w := range tt.absent {
				if strings.Contains(got, w) {
					t.Errorf("figureCaption = %q; want no %q", got, w)
				}
			}
			figs, err := Figures(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			// The histogram is the house size plus its key.
			h := figs[1]
			if want := figHeight + h.key.room() + captionRoom(got); h.H != want {
				t.Errorf("histogram height %v; want %v", h.H, want)
			}
		})
	}
}

// TestLECBand checks the baseline's sampling band on the loss exceedance
// figure: in the key right after the baseline, and left out when no point
// has a standard error.
func TestLECBand(t *testing.T) {
	t.Parallel()
	figs, err := Figures(report(t, typical))
	if err != nil {
		t.Fatal(err)
	}
	var k []string
	for _, e := range figs[0].key {
		k = append(k, e.name)
	}
	if len(k) < 2 || k[0] != "Baseline (no new controls)" || !strings.HasPrefix(k[1], "Baseline: 95% sampling band, ±1.96 SE") {
		t.Errorf("lec key %q; want the baseline, then its sampling band", k)
	}
	ps := []float64{0.5, 0.1, 0.01}
	loss := []float64{1e6, 5e6, 2e7}
	if band := samplingBand(ps, loss, []float64{math.NaN(), math.NaN(), math.NaN()}, 1); band != nil {
		t.Errorf("samplingBand with no standard errors = %v; want nil", band)
	}
	band := samplingBand(ps, loss, []float64{1e5, 1e6, math.NaN()}, 1)
	if band == nil || len(band.XYs) != 1 || len(band.XYs[0]) != 4 {
		t.Fatalf("samplingBand = %+v; want one ring of 4 points", band)
	}
	if got, want := band.XYs[0][0].X, math.Log10(1e6+1.96e5); math.Abs(got-want) > 1e-12 {
		t.Errorf("samplingBand upper edge at p = 0.5: %v; want %v", got, want)
	}
}

func TestFigureWriteUnknownFormat(t *testing.T) {
	t.Parallel()
	figs, err := Figures(report(t, typical))
	if err != nil {
		t.Fatal(err)
	}
	if err := figs[0].Write(io.Discard, "gif"); err == nil || !strings.Contains(err.Error(), `"gif"`) {
		t.Errorf("Write(gif) = %v; want an error naming the format", err)
	}
}

// TestFiguresOmitted checks that a figure with nothing to show is left out,
// not drawn empty: the calibration without a calibration, the ranking
// without controls.
func TestFiguresOmitted(t *testing.T) {
	t.Parallel()
	base := report(t, typical)
	noCal := *base
	noCal.Calibration = Calibration{}
	noCtl := *base
	an := *base.Analysis
	an.Results, an.Ranking.Order, an.Ranking.Prob, an.Recommended = nil, nil, nil, nil
	noCtl.Analysis = &an
	for _, tt := range []struct {
		name string
		r    *Report
		want []string
	}{
		{"no calibration", &noCal, []string{"lec", "histogram", "ranking"}},
		{"no controls", &noCtl, []string{"lec", "histogram", "calibration"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			figs, err := Figures(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range figs {
				names = append(names, f.Name)
				if err := f.Write(io.Discard, "png"); err != nil {
					t.Errorf("%s: %v", f.Name, err)
				}
			}
			if !slices.Equal(names, tt.want) {
				t.Errorf("Figures names = %q; want %q", names, tt.want)
			}
		})
	}
}

func TestFiguresBadReport(t *testing.T) {
	t.Parallel()
	for _, r := range []*Report{nil, {}, {Model: testModel()}} {
		if _, err := Figures(r); err == nil {
			t.Errorf("Figures(%+v) succeeded; want an error", r)
		}
	}
}

func TestMoneyTick(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   float64
		want string
	}{
		{0, "£0"},
		{950, "£950"},
		{1e3, "£1k"},
		{12_345, "£12.3k"},
		{999_600, "£1m"},
		{1e6, "£1m"},
		{2.5e6, "£2.5m"},
		{-2.5e6, "−£2.5m"},
		{92e6, "£92m"},
		{1.234e9, "£1.23bn"},
		{math.Inf(1), "∞"},
		{math.NaN(), "n/a"},
	} {
		if got := currency("£").tick(tt.in); got != tt.want {
			t.Errorf("currency(\"£\").tick(%g) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestLogTicks(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lo, hi float64 // log10 of the axis ends
		want   []string
	}{
		{3, 4, []string{"£1k", "£2k", "£5k", "£10k"}},
		{6, 8, []string{"£1m", "£3m", "£10m", "£30m", "£100m"}},
		{4, 9, []string{"£10k", "£100k", "£1m", "£10m", "£100m", "£1bn"}},
		{0, 10, []string{"£1", "£100", "£10k", "£1m", "£100m", "£10bn"}},
	} {
		var got []string
		ticks := logTicks{Label: currency("£").tick}.Ticks(tt.lo, tt.hi)
		for _, tk := range ticks {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("logTicks.Ticks(%g, %g) labels = %q; want %q", tt.lo, tt.hi, got, tt.want)
		}
		if want := int(tt.hi-tt.lo)*9 + 1; len(ticks) != want {
			t.Errorf("logTicks.Ticks(%g, %g) gives %d ticks; want %d", tt.lo, tt.hi, len(ticks), want)
		}
	}
}

// TestFigureWriteTwice checks that writing a figure leaves it unchanged,
// so that one figure can be written in several formats.
func TestFigureWriteTwice(t *testing.T) {
	t.Parallel()
	figs, err := Figures(report(t, typical))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		var a, b bytes.Buffer
		if err := f.Write(&a, "png"); err != nil {
			t.Fatal(err)
		}
		if err := f.Write(io.Discard, "pdf"); err != nil {
			t.Fatal(err)
		}
		if err := f.Write(&b, "png"); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: the second PNG differs from the first", f.Name)
		}
	}
}

// fixedTicks is a ticker with labelled ticks at given values.
type fixedTicks []float64

func (f fixedTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, v := range f {
		out = append(out, plot.Tick{Value: v, Label: "x"})
	}
	return out
}

// TestMoneyTicks checks that an axis's money labels share one unit and
// one number of decimals.
func TestMoneyTicks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		vals []float64
		want string
	}{
		{[]float64{0, 5e5, 1e6, 1.5e6}, "£0 £0.5m £1.0m £1.5m"},
		{[]float64{0, 50e3, 100e3}, "£0 £50k £100k"},
		{[]float64{-2e8, 0, 2e8}, "−£200m £0 £200m"},
		{[]float64{2.5e9, 5e9}, "£2.5bn £5.0bn"},
		{[]float64{0, 250, 500}, "£0 £250 £500"},
	} {
		var got []string
		for _, tk := range (moneyTicks{fixedTicks(tc.vals), "£"}).Ticks(0, 1) {
			got = append(got, tk.Label)
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("moneyTicks(%v) = %q; want %q", tc.vals, s, tc.want)
		}
	}
}
