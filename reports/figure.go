package reports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"github.com/cybercba/cybercba/data"
	"image/color"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/cybercba/cybercba/reports/format"
)

// Figure is one plot, ready to write as PNG, SVG or PDF.
type Figure struct {
	// Name is the file stem, e.g. "lec"; Title the plot's title.
	Name, Title string
	// Caption is the provenance printed under the plot, on one or more
	// lines: tool, draws × years, seed, target SE, the inputs' digest,
	// dataset and aggregation.
	Caption string
	// W and H are the figure's size.
	W, H vg.Length

	plot *plot.Plot
	key  key
	// tiles, when set, are drawn instead of plot: a grid of panels under
	// the title, with shared axis labels and a note (see drawTiles).
	tiles      [][]*plot.Plot
	tileLabels [2]string
	tileNote   string
	// data is the table the figure draws, a header row first, written by
	// WriteCSV.
	data [][]string
}

// utf8BOM is the UTF-8 byte-order mark, U+FEFF.
const utf8BOM = "\ufeff"

// WriteCSV writes the numbers the figure draws to w as CSV, a header row
// first, so that an analyst can restyle the figure in their own tool.
// Amounts are in the report's currency and price year, unrounded.
// A text cell that a spreadsheet would read as a formula (starting with =,
// +, -, −, @, a tab or a carriage return) is written with a ' before it
// (OWASP's CSV-injection rule); numbers, negative ones included, are
// written as they are. The file starts with a UTF-8 byte-order mark, so
// that Excel on Windows reads "£" and "Δ" in the headers as they are
// rather than as "Â£" (Excel takes a CSV without one as the system's
// code page); other tools skip it.
func (f Figure) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return fmt.Errorf("%s.csv: %w", f.Name, err)
	}
	cw := csv.NewWriter(w)
	for _, row := range f.data {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = csvCell(c)
		}
		if err := cw.Write(out); err != nil {
			return fmt.Errorf("%s.csv: %w", f.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("%s.csv: %w", f.Name, err)
	}
	return nil
}

// csvCell neutralises a text cell a spreadsheet would run as a formula.
func csvCell(c string) string {
	if !data.FormulaLike(c) {
		return c
	}
	if x, err := strconv.ParseFloat(c, 64); err == nil && finite(x) {
		return c
	}
	return "'" + c
}

// csvNum writes x for a CSV file in full precision: "" for NaN or ±Inf.
func csvNum(x float64) string {
	if !finite(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// formats are the image formats a Figure is written in.
var formats = data.PlotFormats

// pngDPI is the resolution of PNG output: 1200×800 pixels at 6×4 in.
const pngDPI = 200

// ParseFormats returns the image formats named in s, a comma-separated
// list of png, svg and pdf, in the order given, without repeats. Case and
// spaces around names are ignored.
func ParseFormats(s string) ([]string, error) { return data.ParseFormats(s) }

// Write writes the figure to w in the given format: "png" (at 200 dpi),
// "svg" (text as text in Liberation Sans, falling back to the metrically
// identical Arial, then any sans-serif font, so the file stays small) or
// "pdf" (Liberation Sans embedded as a UTF-8 font, subset to the glyphs
// used, so "£" and "−" print and copy as themselves).
func (f Figure) Write(w io.Writer, format string) error {
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.W, f.H), vgimg.UseDPI(pngDPI))}
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(f.W, f.H), vgsvg.EmbedFonts(false))
	case "pdf":
		c = newPDFCanvas(f.W, f.H)
	default:
		return fmt.Errorf("%s: unknown format %q (want one of %s)", f.Name, format, strings.Join(formats, ", "))
	}
	f.draw(draw.New(c))
	var err error
	if format == "svg" {
		var buf bytes.Buffer
		if _, err = c.WriteTo(&buf); err == nil {
			_, err = w.Write(svgFontFallback(buf.Bytes()))
		}
	} else {
		_, err = c.WriteTo(w)
	}
	if err != nil {
		return fmt.Errorf("%s.%s: %w", f.Name, format, err)
	}
	return nil
}

// svgFontFallback rewrites the font family gonum's SVG canvas names,
// "Liberation Sans", as a list that ends in fonts every reader has:
// Arial and Helvetica have Liberation Sans's widths, so text laid out for
// one fits the others.
func svgFontFallback(svg []byte) []byte {
	return bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
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
	if f.tiles != nil {
		f.drawTiles(c)
		return
	}
	f.plot.Draw(c)
}

// key is a figure's legend, drawn under the plot, where it cannot hide
// data: one entry a row, or two when every entry fits in half the width.
// An entry too long for its column wraps onto more lines, never cut.
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

// lines returns each entry's text wrapped to its column in width w.
func (k key) lines(w vg.Length) []string {
	cols := k.columns(w)
	room := w/vg.Length(cols) - keyThumb - keyGap
	if cols > 1 {
		room -= keyGap
	}
	sty := textStyle(legendSize)
	out := make([]string, len(k))
	for i, e := range k {
		out[i] = wrap(e.name, sty, room)
	}
	return out
}

// rowLines returns the number of lines of each row of entries.
func (k key) rowLines(w vg.Length) []int {
	cols := k.columns(w)
	var rows []int
	for i, l := range k.lines(w) {
		n := strings.Count(l, "\n") + 1
		if i%cols == 0 {
			rows = append(rows, n)
		} else {
			rows[len(rows)-1] = max(rows[len(rows)-1], n)
		}
	}
	return rows
}

// height returns the key's height in width w.
func (k key) height(w vg.Length) vg.Length {
	var n int
	for _, l := range k.rowLines(w) {
		n += l
	}
	return vg.Length(n) * keyRow
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
	sty.YAlign = draw.YTop
	texts := k.lines(w)
	rows := k.rowLines(w)
	top := c.Max.Y
	for i, e := range k {
		x := c.Min.X + vg.Length(i%cols)*w/vg.Length(cols)
		y := top - keyRow/2
		th := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: y - keyRow/2 + 2},
			Max: vg.Point{X: x + keyThumb, Y: y + keyRow/2 - 2},
		}}
		e.thumb.Thumbnail(&th)
		// The first line's middle level with the thumbnail's.
		c.FillText(sty, vg.Point{X: x + keyThumb + keyGap, Y: top - (keyRow-legendSize)/2 + 0.1*legendSize}, texts[i])
		if i%cols == cols-1 || i == len(k)-1 {
			top -= vg.Length(rows[i/cols]) * keyRow
		}
	}
}

// Figures returns every plot of a run: the loss exceedance curve, the
// histogram of baseline annual losses, the ranking of controls and, when
// the report has them, the ranking in the financial and social views, the
// efficient frontier, the tornado of the sensitivity analysis and the
// calibration.
func Figures(r *Report) ([]Figure, error) {
	opts, err := options(r)
	if err != nil {
		return nil, err
	}
	var figs []Figure
	for _, build := range []func(*Report, []option) (Figure, bool, error){
		lecFigure, histogramFigure, rankingFigure, buildUpFigure, socialFigure, frontierFigure, planFigure, tornadoFigure, calibrationFigure,
	} {
		f, ok, err := build(r, opts)
		if err != nil {
			return nil, err
		}
		if ok {
			// A caption of more than one line makes the figure taller,
			// not its plot smaller.
			f.H += captionRoom(f.Caption)
			figs = append(figs, f)
		}
	}
	health, err := healthFigures(r)
	if err != nil {
		return nil, err
	}
	for _, f := range health {
		f.H += captionRoom(f.Caption)
		figs = append(figs, f)
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

// provenance returns the parts of every output's provenance line: the tool
// and its version, the draws actually used × years, the seed, the target
// standard error if any, the first 16 hex digits of the inputs' SHA-256,
// the dataset and how threats combine.
func provenance(r *Report) []string {
	sim := r.Analysis.Sim
	var parts []string
	if r.Tool != "" {
		parts = append(parts, strings.TrimSpace(r.Tool+" "+r.Version))
	}
	parts = append(parts, fmt.Sprintf("%s draws × %s years", thousands(sim.Draws), thousands(sim.Years)),
		fmt.Sprintf("seed %d", r.Analysis.Config.Seed))
	if t := targetSE(r); t > 0 {
		parts = append(parts, "target SE "+percentText(t))
	}
	if d := r.Settings.InputsDigest; d != "" {
		parts = append(parts, "sha256:"+d[:min(len(d), 16)])
	}
	if r.Dataset != "" {
		parts = append(parts, r.Dataset)
	}
	return append(parts, aggregation(r))
}

// caption is the provenance line of every output of r, on one line.
func caption(r *Report) string { return strings.Join(provenance(r), " · ") }

// figureCaption is the provenance of every figure of r: the parts of
// caption, broken into lines between parts so that each line fits the
// figure's width, a part too long for a line of its own clipped.
func figureCaption(r *Report) string { return wrapCaption(provenance(r)) }

// wrapCaption joins a caption's parts with " · ", breaking the line
// between parts so that each line fits the figure's width; a part wider
// than the figure alone is clipped to fit.
func wrapCaption(parts []string) string {
	return fill(parts, " · ", textStyle(captionSize), figWidth-2*margin)
}

// wrap breaks s at spaces into lines no wider than w in style sty. A word
// wider than w alone is clipped to fit.
func wrap(s string, sty text.Style, w vg.Length) string {
	return fill(strings.Fields(s), " ", sty, w)
}

// fill joins items with sep into lines no wider than w in style sty,
// breaking only between items; an item wider than w alone is clipped to
// fit.
func fill(items []string, sep string, sty text.Style, w vg.Length) string {
	var lines []string
	cur := ""
	for _, item := range items {
		for sty.Width(item) > w && utf8.RuneCountInString(item) > 1 {
			item = clip(item, utf8.RuneCountInString(item)-1)
		}
		switch {
		case cur == "":
			cur = item
		case sty.Width(cur+sep+item) <= w:
			cur += sep + item
		default:
			lines = append(lines, cur)
			cur = item
		}
	}
	return strings.Join(append(lines, cur), "\n")
}

// captionRoom returns the height a caption takes beyond its first line.
func captionRoom(caption string) vg.Length {
	sty := textStyle(captionSize)
	first, _, _ := strings.Cut(caption, "\n")
	return sty.Rectangle(caption).Size().Y - sty.Rectangle(first).Size().Y
}

// targetSE returns the relative standard error the run aimed for, or 0.
func targetSE(r *Report) float64 {
	if t := r.Settings.TargetSE; t > 0 {
		return t
	}
	return r.Analysis.Config.TargetSE
}

// percentText writes a share as a percentage with as many digits as it
// needs: 1%, 0.5%.
func percentText(x float64) string { return format.PercentExact(x) }

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
	u := currencyOf(r).unit()
	if r.PriceYear == "" {
		return u
	}
	return u + ", " + r.PriceYear + " prices"
}

// thousands writes n with commas between thousands: 1,000,000.
func thousands(n int) string { return format.Count(n) }
