package reports

import (
	"fmt"
	"image/color"
	"io"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is one plot, ready to write as PNG, SVG or PDF.
type Figure struct {
	// Name is the file stem, e.g. "lec"; Title the plot's title.
	Name, Title string
	// Caption is the provenance line printed under the plot: tool, draws ×
	// years, seed and dataset.
	Caption string
	// W and H are the figure's size.
	W, H vg.Length

	plot *plot.Plot
	key  key
}

// formats are the image formats a Figure is written in.
var formats = []string{"png", "svg", "pdf"}

// pngDPI is the resolution of PNG output: 1200×800 pixels at 6×4 in.
const pngDPI = 200

// ParseFormats returns the image formats named in s, a comma-separated
// list of png, svg and pdf, in the order given, without repeats. Case and
// spaces around names are ignored.
func ParseFormats(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("no format given (want one or more of %s)", strings.Join(formats, ", "))
	}
	var out []string
	for name := range strings.SplitSeq(s, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case name == "":
			return nil, fmt.Errorf("empty format in %q (want a comma-separated list of %s)", s, strings.Join(formats, ", "))
		case !slices.Contains(formats, name):
			return nil, fmt.Errorf("unknown format %q (want one or more of %s)", name, strings.Join(formats, ", "))
		case !slices.Contains(out, name):
			out = append(out, name)
		}
	}
	return out, nil
}

// Write writes the figure to w in the given format: "png" (at 200 dpi),
// "svg" or "pdf" (both with the fonts embedded, so they look the same on
// any machine).
func (f Figure) Write(w io.Writer, format string) error {
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.W, f.H), vgimg.UseDPI(pngDPI))}
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(f.W, f.H), vgsvg.EmbedFonts(true))
	case "pdf":
		c = vgpdf.New(f.W, f.H)
	default:
		return fmt.Errorf("%s: unknown format %q (want one of %s)", f.Name, format, strings.Join(formats, ", "))
	}
	f.draw(draw.New(c))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("%s.%s: %w", f.Name, format, err)
	}
	return nil
}

// draw draws the plot on c inside a margin, with its key and caption
// under it.
func (f Figure) draw(c draw.Canvas) {
	c = draw.Crop(c, margin, -margin, margin, -margin)
	if f.Caption != "" {
		sty := textStyle(captionSize)
		sty.Color = grey
		c.FillText(sty, c.Min, f.Caption)
		c.Min.Y += sty.Rectangle(f.Caption).Size().Y + margin
	}
	if h := f.key.height(c.Max.X - c.Min.X); h > 0 {
		band := c
		band.Max.Y = c.Min.Y + h
		f.key.draw(band)
		c.Min.Y += h + margin
	}
	f.plot.Draw(c)
}

// key is a figure's legend, drawn under the plot, where it cannot hide
// data: one entry a row, or two when every entry fits in half the width.
type key []keyEntry

type keyEntry struct {
	name  string
	thumb plot.Thumbnailer
}

// Sizes of the key: thumbnail width, gap between thumbnail and text, and
// row height.
const (
	keyThumb = vg.Length(24)
	keyGap   = vg.Length(6)
	keyRow   = vg.Length(1.35 * legendSize)
)

// add adds an entry.
func (k *key) add(name string, thumb plot.Thumbnailer) {
	*k = append(*k, keyEntry{name, thumb})
}

// columns returns the number of columns the key takes in width w.
func (k key) columns(w vg.Length) int {
	sty := textStyle(legendSize)
	for _, e := range k {
		if keyThumb+keyGap+sty.Width(e.name) > w/2-keyGap {
			return 1
		}
	}
	return 2
}

// height returns the key's height in width w.
func (k key) height(w vg.Length) vg.Length {
	if len(k) == 0 {
		return 0
	}
	cols := k.columns(w)
	return vg.Length((len(k)+cols-1)/cols) * keyRow
}

// room returns the height the key adds to a figure of the house width.
func (k key) room() vg.Length {
	if len(k) == 0 {
		return 0
	}
	return k.height(figWidth-2*margin) + margin
}

// draw draws the key in c, filling columns left to right.
func (k key) draw(c draw.Canvas) {
	w := c.Max.X - c.Min.X
	cols := k.columns(w)
	sty := textStyle(legendSize)
	sty.YAlign = draw.YCenter
	for i, e := range k {
		x := c.Min.X + vg.Length(i%cols)*w/vg.Length(cols)
		y := c.Max.Y - vg.Length(i/cols)*keyRow - keyRow/2
		th := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: y - keyRow/2 + 2},
			Max: vg.Point{X: x + keyThumb, Y: y + keyRow/2 - 2},
		}}
		e.thumb.Thumbnail(&th)
		c.FillText(sty, vg.Point{X: x + keyThumb + keyGap, Y: y}, e.name)
	}
}

// Figures returns every plot of a run: the loss exceedance curve, the
// histogram of baseline annual losses, the ranking of controls and, when
// the report has them, the efficient frontier and the calibration.
func Figures(r *Report) ([]Figure, error) {
	opts, err := options(r)
	if err != nil {
		return nil, err
	}
	var figs []Figure
	for _, build := range []func(*Report, []option) (Figure, bool, error){
		lecFigure, histogramFigure, rankingFigure, frontierFigure, calibrationFigure,
	} {
		f, ok, err := build(r, opts)
		if err != nil {
			return nil, err
		}
		if ok {
			figs = append(figs, f)
		}
	}
	return figs, nil
}

// The house style every figure shares: Liberation Sans (embedded in
// gonum/plot, so images match across machines) at sizes legible on a slide
// at 6×4 in, with no text under 11 pt, and 2 pt data lines.
const (
	figWidth    = 6 * vg.Inch
	figHeight   = 4 * vg.Inch
	margin      = vg.Length(6)
	titleSize   = vg.Length(14)
	labelSize   = vg.Length(12)
	tickSize    = vg.Length(11)
	legendSize  = vg.Length(11)
	captionSize = vg.Length(11)
	lineWidth   = vg.Length(2)
	axisWidth   = vg.Length(0.75)
)

// The colours: Okabe and Ito's palette, which readers with any common form
// of colour blindness can tell apart, and two greys.
var (
	black      = color.RGBA{0x00, 0x00, 0x00, 0xff}
	grey       = color.RGBA{0x55, 0x55, 0x55, 0xff}
	lightGrey  = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	blue       = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	skyBlue    = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	green      = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	vermillion = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
)

// textStyle returns the house text style at the given size. It is never
// bold: gonum/plot v0.17.0's PDF canvas registers every font under the
// regular style and then fails to find a bold one ("undefined font:
// liberationsans-bold B").
func textStyle(size vg.Length) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	return text.Style{Color: black, Font: font.From(f, size), Handler: plot.DefaultTextHandler}
}

// newPlot returns a plot in the house style with the given title and axis
// labels.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = textStyle(titleSize).Font
	p.Title.Padding = 8
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = textStyle(labelSize).Font
		ax.Label.Padding = 4
		ax.Tick.Label.Font = textStyle(tickSize).Font
		ax.Width = axisWidth
		ax.Tick.Width = axisWidth
		ax.Tick.Length = 5
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	return p
}

// line returns a data line's style in colour c, dashed if dashes are given.
func line(c color.Color, dashes ...vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: lineWidth, Dashes: dashes}
}

// caption is the provenance line of every figure of r.
func caption(r *Report) string {
	cfg := r.Analysis.Config
	var b strings.Builder
	if r.Tool != "" {
		b.WriteString(strings.TrimSpace(r.Tool + " " + r.Version))
		b.WriteString(" · ")
	}
	fmt.Fprintf(&b, "%s draws × %s years · seed %d", thousands(cfg.Draws), thousands(cfg.Years), cfg.Seed)
	if r.Dataset != "" {
		b.WriteString(" · " + r.Dataset)
	}
	return b.String()
}

// scopeName names the report's scope for a title.
func scopeName(r *Report) string {
	switch {
	case r.ScopeName != "":
		return r.ScopeName
	case r.ScopeID != "":
		return r.ScopeID
	case r.Model != nil && r.Model.Scope != "":
		return r.Model.Scope
	}
	return "scope"
}

// prices describes the money convention, e.g. "£, 2024-25 prices".
func prices(r *Report) string {
	if r.PriceYear == "" {
		return "£"
	}
	return "£, " + r.PriceYear + " prices"
}

// thousands writes n with commas between thousands: 1,000,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
