package reports

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/cybercba/cybercba/model"
)

// This file holds the outputs of the health-economic views of the social
// view (Report.Health): the cost-effectiveness plane, the acceptability
// curves and frontier, the EVPI curve, the EVPPI of inputs and groups, the
// acceptability by budget, and their sheets.

// The health-economics sheets.
const (
	sheetHealth        = "Health economics"
	sheetAcceptability = "Acceptability"
	sheetPlane         = "CE plane draws"
)

// healthSheets lists the sheets of the health-economic views, none when
// the report has none.
func healthSheets(r *Report) []string {
	if r.Health == nil {
		return nil
	}
	return []string{sheetHealth, sheetAcceptability, sheetPlane}
}

// More of Okabe and Ito's palette, for figures with many lines.
var (
	orange        = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	reddishPurple = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
	darkYellow    = color.RGBA{0xb8, 0xa9, 0x00, 0xff}
	translucent   = color.NRGBA{0x00, 0x72, 0xb2, 0x50}
	niceBand      = color.RGBA{0xea, 0xea, 0xea, 0xff}
	frontierGrey  = color.RGBA{0xc8, 0xc8, 0xc8, 0xff}
)

// seriesStyle returns the i-th line style of a figure with many lines:
// the palette's colours, then again dashed.
func seriesStyle(i int) draw.LineStyle {
	palette := []color.Color{blue, vermillion, green, orange, reddishPurple, skyBlue, darkYellow, grey}
	ls := line(palette[i%len(palette)])
	if i >= len(palette) {
		ls.Dashes = []vg.Length{6, 3}
	}
	return ls
}

// healthFigures returns the figures of the health-economic views: the
// cost-effectiveness plane (a figure a printed page), the acceptability curves, the EVPI curve, the
// EVPPI and, with a frontier, the acceptability by budget.
func healthFigures(r *Report) ([]Figure, error) {
	he := r.Health
	if he == nil {
		return nil, nil
	}
	figs, err := planeFigures(r)
	if err != nil {
		return nil, err
	}
	for _, build := range []func(*Report) (Figure, bool, error){ceacFigure, evpiFigure, evppiFigure, budgetFigure} {
		f, ok, err := build(r)
		if err != nil {
			return nil, err
		}
		if ok {
			figs = append(figs, f)
		}
	}
	return figs, nil
}

// wtpSlope is the slope of the line NB = 0 on the plane of net cost a year
// against QALYs a year, at lambda per QALY: λ·A_h/A, since QALYs are
// discounted at the health rate and money at the appraisal's.
func wtpSlope(he *model.HealthEconomics, lambda float64) float64 {
	return lambda * he.HealthAnnuity / he.Annuity
}

// qalyText writes a number of QALYs to three significant figures.
func qalyText(x float64) string {
	if !finite(x) {
		return "n/a"
	}
	x = roundSig(x, 3)
	if math.Abs(x) >= 1000 && x == math.Trunc(x) {
		return strings.Replace(thousands(int(x)), "-", "−", 1)
	}
	return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), "-", "−", 1)
}

// The cost-effectiveness plane's figures: the controls in small multiples
// of planeCols columns, at most planePanels a figure, each row planeRow
// tall on a figure planeWidth wide, so that report.html printed on A4
// holds one figure a page at the page's width, its ticks at about 11 pt;
// the recommended portfolio alone on a figure of the house width, its
// panel planeSingle tall.
const (
	planeCols   = 2
	planePanels = 6
	planeWidth  = 7 * vg.Inch
	planeRow    = 2.1 * vg.Inch
	planeSingle = 4.2 * vg.Inch
)

// planeFigures draws the cost-effectiveness plane, one figure a printed
// page: the recommended portfolio, when it has several controls, alone
// (ce-plane), then the controls by expected net benefit, best first, in
// small multiples of two columns (ce-plane-2, ce-plane-3, …, or from
// ce-plane when there is no such portfolio), the figures holding as
// nearly as can be the same number of panels.
func planeFigures(r *Report) ([]Figure, error) {
	he := r.Health
	var pages [][]*model.HealthOption
	if last := &he.Options[len(he.Options)-1]; len(last.Controls) > 1 {
		pages = append(pages, []*model.HealthOption{last})
	}
	var controls []*model.HealthOption
	for i := 1; i < len(he.Options); i++ {
		if len(he.Options[i].Controls) == 1 {
			controls = append(controls, &he.Options[i])
		}
	}
	slices.SortStableFunc(controls, func(a, b *model.HealthOption) int { return cmp.Compare(b.NetBenefit.Mean, a.NetBenefit.Mean) })
	if n := len(controls); n > 0 {
		figs := (n + planePanels - 1) / planePanels
		per := (n + figs - 1) / figs
		for i := 0; i < n; i += per {
			pages = append(pages, controls[i:min(i+per, n)])
		}
	}
	var out []Figure
	done := 0 // controls on the figures so far
	for i, opts := range pages {
		name := "ce-plane"
		if i > 0 {
			name = fmt.Sprintf("ce-plane-%d", i+1)
		}
		title := "Cost-effectiveness plane of the recommended portfolio, social view: " + scopeName(r)
		if len(opts[0].Controls) == 1 {
			span := strconv.Itoa(done + 1)
			if len(opts) > 1 {
				span += "–" + strconv.Itoa(done+len(opts))
			}
			title = fmt.Sprintf("Cost-effectiveness plane of each control (%s of %d by expected net benefit), social view: %s",
				span, len(controls), scopeName(r))
			done += len(opts)
		}
		f, err := planeFigure(r, name, title, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// planeFigure draws the cost-effectiveness plane of the options opts, a
// panel each: each outer draw a point (QALYs gained a year, net cost a
// year), the mean marked, the line of zero net benefit at the Green Book
// value per QALY and at NICE's £20,000 and £30,000. Points below a line
// are cost-effective at its value.
func planeFigure(r *Report, name, title string, opts []*model.HealthOption) (Figure, error) {
	he := r.Health
	cur := currencyOf(r)
	cols, w, rowH := planeCols, planeWidth, planeRow
	if len(opts) == 1 {
		cols, w, rowH = 1, figWidth, planeSingle
	}
	rows := (len(opts) + cols - 1) / cols
	tiles := make([][]*plot.Plot, rows)
	for i := range tiles {
		tiles[i] = make([]*plot.Plot, cols)
	}
	// A panel's width, less the shared y label, the padding between
	// panels and its own y ticks: its title wraps to it.
	titleWidth := (w-2*margin-labelSize-margin-vg.Length(cols-1)*tilePad)/vg.Length(cols) - 0.6*vg.Inch
	gb := draw.LineStyle{Color: black, Width: 1.5}
	nice := draw.LineStyle{Color: grey, Width: 1, Dashes: []vg.Length{4, 2}}
	for i, o := range opts {
		p := newPlot(wrap(o.Name+": "+o.Label, textStyle(labelSize), titleWidth), "", "")
		p.Title.TextStyle.Font.Size = labelSize
		p.Title.Padding = 3
		p.X.Tick.Marker = linearTicks{Label: qalyText}
		p.Y.Tick.Marker = moneyTicks{linearTicks{Label: cur.text}, cur}
		p.Add(newGrid())
		xs := make(plotter.XYs, len(o.QALYsPerYear))
		xmin, xmax, ymin, ymax := 0.0, 0.0, 0.0, 0.0
		for d := range xs {
			xs[d] = plotter.XY{X: o.QALYsPerYear[d], Y: o.CostPerYear[d]}
			xmin, xmax = min(xmin, xs[d].X), max(xmax, xs[d].X)
			ymin, ymax = min(ymin, xs[d].Y), max(ymax, xs[d].Y)
		}
		pts, err := plotter.NewScatter(xs)
		if err != nil {
			return Figure{}, fmt.Errorf("%s: %s: %w", name, o.Name, err)
		}
		pts.GlyphStyle = draw.GlyphStyle{Color: translucent, Radius: 1.6, Shape: draw.CircleGlyph{}}
		p.Add(pts)
		// The axes through the origin: doing nothing.
		axis := draw.LineStyle{Color: grey, Width: 0.75}
		zero := plotter.NewFunction(func(float64) float64 { return 0 })
		zero.LineStyle = axis
		p.Add(&vline{x: 0, LineStyle: axis}, zero)
		for _, w := range []struct {
			lambda float64
			sty    draw.LineStyle
		}{{model.NICELow, nice}, {model.NICEHigh, nice}, {he.ValuePerQALY, gb}} {
			slope := wtpSlope(he, w.lambda)
			f := plotter.NewFunction(func(x float64) float64 { return slope * x })
			f.LineStyle = w.sty
			f.Samples = 2
			p.Add(f)
		}
		mean, err := plotter.NewScatter(plotter.XYs{{X: o.QALYs.Mean, Y: o.Cost.Mean}})
		if err != nil {
			return Figure{}, fmt.Errorf("%s: %s: %w", name, o.Name, err)
		}
		mean.GlyphStyle = draw.GlyphStyle{Color: vermillion, Radius: 5, Shape: draw.PyramidGlyph{}}
		p.Add(mean)
		padX, padY := 0.06*(xmax-xmin), 0.06*(ymax-ymin)
		if !(padX > 0) {
			padX = 1
		}
		if !(padY > 0) {
			padY = 1
		}
		p.X.Min, p.X.Max = xmin-padX, xmax+padX
		p.Y.Min, p.Y.Max = ymin-padY, ymax+padY
		tiles[i/cols][i%cols] = p
	}
	data := [][]string{{"Option", "Draw", "QALYs gained a year", "Net cost a year (" + perYear(r) + ")"}}
	for _, o := range opts {
		for d := range o.QALYsPerYear {
			data = append(data, []string{o.Name, strconv.Itoa(d + 1), csvNum(o.QALYsPerYear[d]), csvNum(o.CostPerYear[d])})
		}
	}
	var k key
	k.add("One outer draw of the uncertain inputs", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: blue, Radius: 2.5, Shape: draw.CircleGlyph{}}})
	k.add("Mean over the draws", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: vermillion, Radius: 5, Shape: draw.PyramidGlyph{}}})
	k.add("Green Book, "+cur.text(he.ValuePerQALY)+" per QALY", &vline{LineStyle: gb})
	k.add("NICE, £20,000 and £30,000 per QALY", &vline{LineStyle: nice})
	f := Figure{
		Name: name, Title: wrap(title, textStyle(titleSize), w-2*margin), Caption: figureCaption(r), W: w, key: k, tiles: tiles, data: data,
		tileLabels: [2]string{
			"QALYs gained a year (patient harm avoided)",
			fmt.Sprintf("Net cost a year (%s): equivalent annual cost − money loss avoided", perYear(r)),
		},
		tileNote: wrap(fmt.Sprintf("Below a line is cost-effective at its value per QALY (%s prices). The lines of zero net benefit have slope "+
			"λ × %.2f/%.2f: QALYs over %d years discounted at the health rate, money at the appraisal's.",
			orDefault(r.PriceYear, "dataset"), he.HealthAnnuity, he.Annuity, he.Horizon), textStyle(captionSize), w-2*margin),
	}
	f.H = vg.Length(rows)*rowH + f.tileRoom()
	return f, nil
}

// tilePad is the space between a figure's tiles.
const tilePad = vg.Length(12)

// tileRoom returns the height a figure of tiles takes beyond its tiles:
// margins, title, the x axis's label, the note, the key and the
// caption's first line (Figures adds the rest of the caption).
func (f Figure) tileRoom() vg.Length {
	height := func(s string, size vg.Length) vg.Length { return textStyle(size).Rectangle(s).Size().Y + margin }
	first, _, _ := strings.Cut(f.Caption, "\n")
	return 2*margin + height(f.Title, titleSize) + height(f.tileLabels[0], labelSize) + height(f.tileNote, captionSize) +
		f.key.height(f.W-2*margin) + margin + height(first, captionSize)
}

// drawTiles draws a figure's tiles in a grid under its title, with one
// label for every x axis and one for every y axis, wrapped to the tiles'
// height.
func (f Figure) drawTiles(c draw.Canvas) {
	title := textStyle(titleSize)
	title.XAlign, title.YAlign = draw.XCenter, draw.YTop
	c.FillText(title, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y}, f.Title)
	c.Max.Y -= title.Rectangle(f.Title).Size().Y + margin
	label := textStyle(labelSize)
	if f.tileNote != "" {
		note := textStyle(captionSize)
		note.Color = grey
		c.FillText(note, c.Min, f.tileNote)
		c.Min.Y += note.Rectangle(f.tileNote).Size().Y + margin
	}
	label.XAlign = draw.XCenter
	c.FillText(label, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Min.Y}, f.tileLabels[0])
	c.Min.Y += label.Rectangle(f.tileLabels[0]).Size().Y + margin
	ylab := textStyle(labelSize)
	ylab.Rotation = math.Pi / 2
	ylab.XAlign, ylab.YAlign = draw.XCenter, draw.YTop
	ytext := wrap(f.tileLabels[1], textStyle(labelSize), c.Max.Y-c.Min.Y)
	c.FillText(ylab, vg.Point{X: c.Min.X, Y: (c.Min.Y + c.Max.Y) / 2}, ytext)
	c.Min.X += label.Rectangle(ytext).Size().Y + margin
	rows, cols := len(f.tiles), len(f.tiles[0])
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: tilePad, PadY: tilePad}
	canvases := plot.Align(f.tiles, tiles, c)
	for i := range f.tiles {
		for j, p := range f.tiles[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
}

// wtpMarks adds the value-per-QALY marks to a plot whose x axis is the
// value per QALY: NICE's range shaded, the Green Book value a line.
func wtpMarks(p *plot.Plot, k *key, r *Report) {
	he := r.Health
	band := &vband{lo: model.NICELow, hi: model.NICEHigh, fill: niceBand}
	p.Add(band)
	k.add("NICE £20,000–£30,000 per QALY", band)
	gb := &vline{x: he.ValuePerQALY, LineStyle: draw.LineStyle{Color: black, Width: 1.5, Dashes: []vg.Length{6, 3}}}
	p.Add(gb)
	k.add(fmt.Sprintf("Green Book %s per QALY (%s prices)", currencyOf(r).text(he.ValuePerQALY), orDefault(r.PriceYear, "dataset")), gb)
}

// vband shades the plot between two x values, top to bottom.
type vband struct {
	lo, hi float64
	fill   color.Color
}

// Plot shades the band.
func (v *vband) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x0, x1 := max(trX(v.lo), c.Min.X), min(trX(v.hi), c.Max.X)
	if x1 <= x0 {
		return
	}
	c.FillPolygon(v.fill, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
}

// Thumbnail fills the key's box.
func (v *vband) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(v.fill, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// ceacTop is the least peak probability of being best for an option to
// get its own curve on the acceptability figure.
const ceacTop = 0.05

// ceacFigure draws the cost-effectiveness acceptability curves: for each
// option, the probability across outer draws that it has the greatest net
// benefit, as the value per QALY goes from £0 to £100,000; and the
// acceptability frontier, the probability of the option with the greatest
// expected net benefit. Options never above 5% share one note in the key.
func ceacFigure(r *Report) (Figure, bool, error) {
	he := r.Health
	ac := he.Acceptability
	title := "Cost-effectiveness acceptability, social view: " + scopeName(r)
	p := newPlot(fitTitle(title), fmt.Sprintf("Value of a QALY (%s)", prices(r)), "Probability of the greatest net benefit")
	p.X.Tick.Marker = moneyTicks{linearTicks{Label: currencyOf(r).text}, currencyOf(r)}
	p.Add(newGrid())
	var k key
	wtpMarks(p, &k, r)
	front := make(plotter.XYs, len(ac.ValuePerQALY))
	for i, l := range ac.ValuePerQALY {
		front[i] = plotter.XY{X: l, Y: ac.FrontierProb[i]}
	}
	fl, err := plotter.NewLine(front)
	if err != nil {
		return Figure{}, false, fmt.Errorf("ceac: %w", err)
	}
	fl.LineStyle = draw.LineStyle{Color: frontierGrey, Width: 9}
	p.Add(fl)
	k.add("Acceptability frontier: the option with the greatest expected net benefit", fl)
	var rest []string
	n := 0
	for a, o := range he.Options {
		peak := 0.0
		for _, x := range ac.Prob[a] {
			peak = max(peak, x)
		}
		if peak < ceacTop {
			rest = append(rest, o.Name)
			continue
		}
		xys := make(plotter.XYs, len(ac.ValuePerQALY))
		for i, l := range ac.ValuePerQALY {
			xys[i] = plotter.XY{X: l, Y: ac.Prob[a][i]}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return Figure{}, false, fmt.Errorf("ceac: %w", err)
		}
		if len(o.Controls) > 1 {
			l.LineStyle = line(black) // the recommendation
		} else {
			l.LineStyle = seriesStyle(n)
			n++
		}
		p.Add(l)
		k.add(optionName(o), l)
	}
	if len(rest) > 0 {
		k.add(fmt.Sprintf("Never above %.0f%%: %s", 100*ceacTop, clip(strings.Join(rest, ", "), 60)), blank{})
	}
	p.X.Min, p.X.Max = 0, ac.ValuePerQALY[len(ac.ValuePerQALY)-1]
	p.Y.Min, p.Y.Max = 0, 1.02
	data := [][]string{{"Value of a QALY (" + prices(r) + ")"}}
	for _, o := range he.Options {
		data[0] = append(data[0], "P(best): "+o.Name)
	}
	data[0] = append(data[0], "Frontier option", "P(best): frontier")
	for i, l := range ac.ValuePerQALY {
		row := []string{csvNum(l)}
		for a := range he.Options {
			row = append(row, csvNum(ac.Prob[a][i]))
		}
		data = append(data, append(row, he.Options[ac.Frontier[i]].Name, csvNum(ac.FrontierProb[i])))
	}
	return Figure{Name: "ceac", Title: title, Caption: figureCaption(r), W: figWidth, H: figHeight + k.room(), plot: p, key: k, data: data}, true, nil
}

// optionName names an option in a key: its name, and a control's or
// portfolio's description, clipped.
func optionName(o model.HealthOption) string {
	if o.Label == "" || o.Label == o.Name {
		return o.Name
	}
	return clip(o.Name+": "+o.Label, 56)
}

// evpiFigure draws the expected value of perfect information over the
// horizon against the value per QALY.
func evpiFigure(r *Report) (Figure, bool, error) {
	he := r.Health
	ac := he.Acceptability
	title := "Expected value of perfect information, social view: " + scopeName(r)
	p := newPlot(fitTitle(title), fmt.Sprintf("Value of a QALY (%s)", prices(r)),
		fmt.Sprintf("EVPI over %d years (%s)", he.Horizon, currencyOf(r).unit()))
	p.X.Tick.Marker = moneyTicks{linearTicks{Label: currencyOf(r).text}, currencyOf(r)}
	p.Y.Tick.Marker = moneyTicks{linearTicks{Label: currencyOf(r).text}, currencyOf(r)}
	p.Add(newGrid())
	var k key
	wtpMarks(p, &k, r)
	xys := make(plotter.XYs, len(ac.ValuePerQALY))
	top := 0.0
	for i, l := range ac.ValuePerQALY {
		xys[i] = plotter.XY{X: l, Y: ac.EVPI[i]}
		top = max(top, ac.EVPI[i])
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return Figure{}, false, fmt.Errorf("evpi: %w", err)
	}
	l.LineStyle = line(blue)
	p.Add(l)
	k.add(fmt.Sprintf("EVPI for the scope over %d years = EVPI a year × %.2f discounted years", he.Horizon, he.Annuity), l)
	k.add(fmt.Sprintf("At the Green Book value: %s (%s a year)", currencyOf(r).text(he.EVPI), currencyOf(r).text(he.EVPIPerYear)), blank{})
	p.X.Min, p.X.Max = 0, ac.ValuePerQALY[len(ac.ValuePerQALY)-1]
	p.Y.Min, p.Y.Max = 0, math.Max(top*1.06, 1)
	data := [][]string{{"Value of a QALY (" + prices(r) + ")", fmt.Sprintf("EVPI over %d years", he.Horizon), "EVPI a year"}}
	for i, l := range ac.ValuePerQALY {
		data = append(data, []string{csvNum(l), csvNum(ac.EVPI[i]), csvNum(ac.EVPIPerYear[i])})
	}
	return Figure{Name: "evpi", Title: title, Caption: figureCaption(r), W: figWidth, H: figHeight + k.room(), plot: p, key: k, data: data}, true, nil
}

// evppiTop is the most rows the EVPPI figure shows; evppiLabelWidth the
// width its labels wrap to.
const (
	evppiTop        = 16
	evppiLabelWidth = 3.0 * vg.Inch
)

// evppiFigure draws the EVPPI of the inputs and groups of inputs with the
// most, at the Green Book value per QALY, each a bar with ±2 standard
// errors, against the EVPI.
func evppiFigure(r *Report) (Figure, bool, error) {
	he := r.Health
	if len(he.Partial) == 0 {
		return Figure{}, false, nil
	}
	rows := he.Partial[:min(evppiTop, len(he.Partial))]
	n := len(rows)
	title := "Value of research: EVPPI by input and group, social view: " + scopeName(r)
	p := newPlot(fitTitle(title), fmt.Sprintf("EVPPI over %d years at %s per QALY (%s)", he.Horizon, currencyOf(r).text(he.ValuePerQALY), prices(r)), "")
	p.X.Tick.Marker = moneyTicks{linearTicks{Label: currencyOf(r).text}, currencyOf(r)}
	g := newGrid()
	g.Horizontal.Color = nil
	p.Add(g)
	names := make([]string, n)
	groupBar := draw.LineStyle{Color: vermillion, Width: 9}
	singleBar := draw.LineStyle{Color: blue, Width: 9}
	var groups, singles, errs []interval
	hi := he.EVPI
	for i, row := range rows {
		y := float64(n - 1 - i)
		// Wrapped, never cut: the words that tell two rows apart often
		// come last.
		names[n-1-i] = wrap(orDefault(row.Label, row.Name), textStyle(tickSize), evppiLabelWidth)
		bar := interval{y: y, lo: 0, hi: row.Value}
		if row.Group {
			groups = append(groups, bar)
		} else {
			singles = append(singles, bar)
		}
		errs = append(errs, interval{y: y, lo: row.Value - 2*row.SE, hi: row.Value + 2*row.SE})
		hi = max(hi, row.Value+2*row.SE)
	}
	p.Add(&intervals{rows: singles, LineStyle: singleBar}, &intervals{rows: groups, LineStyle: groupBar},
		&intervals{rows: errs, LineStyle: draw.LineStyle{Color: black, Width: 1}, capWidth: 5})
	evpi := &vline{x: he.EVPI, LineStyle: draw.LineStyle{Color: black, Width: 1.5, Dashes: []vg.Length{6, 3}}}
	p.Add(evpi)
	var k key
	k.add("One input (penalised regression spline)", &intervals{LineStyle: singleBar})
	k.add("A group of inputs (Gaussian-process regression)", &intervals{LineStyle: groupBar})
	k.add("±2 standard errors of the regression estimate", &intervals{LineStyle: draw.LineStyle{Color: black, Width: 1}})
	k.add("EVPI: the value of learning every input, "+currencyOf(r).text(he.EVPI), evpi)
	p.NominalY(names...)
	p.X.Min, p.X.Max = 0, hi*1.05
	if !(p.X.Max > 0) {
		p.X.Max = 1
	}
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	lines := 0
	for _, nm := range names {
		lines += strings.Count(nm, "\n") + 1
	}
	h := max(figHeight, vg.Length(0.32*float64(n)+0.2*float64(lines-n)+1.8)*vg.Inch) + k.room()
	data := [][]string{{"Input or group", "Group", "Method", fmt.Sprintf("EVPPI over %d years (%s)", he.Horizon, prices(r)), "Standard error", "EVPPI a year", "Standard error a year"}}
	for _, row := range he.Partial {
		data = append(data, []string{row.Name, strconv.FormatBool(row.Group), row.Method, csvNum(row.Value), csvNum(row.SE), csvNum(row.PerYear), csvNum(row.PerYearSE)})
	}
	return Figure{Name: "evppi", Title: title, Caption: figureCaption(r), W: planeWidth, H: h, plot: p, key: k, data: data}, true, nil
}

// budgetFigure draws, at each budget of the efficient frontier, the
// probability that each of the frontier's portfolios affordable within it
// has the greatest net benefit at the Green Book value, with the frontier's
// own choice marked.
func budgetFigure(r *Report) (Figure, bool, error) {
	he := r.Health
	ba := he.Budget
	if ba == nil || len(ba.Budgets) < 2 {
		return Figure{}, false, nil
	}
	title := "Which portfolio is best at each budget, social view: " + scopeName(r)
	xLabel := "Yearly budget: equivalent annual cost (" + perYear(r) + ")"
	if ba.Kind == model.CapexBudget {
		xLabel = "Capital budget (" + prices(r) + ")"
	}
	p := newPlot(fitTitle(title), xLabel, "Probability of the greatest net benefit")
	p.X.Tick.Marker = moneyTicks{linearTicks{Label: currencyOf(r).text}, currencyOf(r)}
	p.Add(newGrid())
	var k key
	// The last budget's step runs on a tenth of the span past it, so that
	// it shows.
	first, last := ba.Budgets[0], ba.Budgets[len(ba.Budgets)-1]
	end := last + 0.1*(last-first)
	for q, o := range ba.Portfolios {
		xys := make(plotter.XYs, len(ba.Budgets), len(ba.Budgets)+1)
		for b, x := range ba.Budgets {
			xys[b] = plotter.XY{X: x, Y: ba.Prob[q][b]}
		}
		xys = append(xys, plotter.XY{X: end, Y: ba.Prob[q][len(ba.Budgets)-1]})
		l, err := plotter.NewLine(xys)
		if err != nil {
			return Figure{}, false, fmt.Errorf("budget-acceptability: %w", err)
		}
		l.StepStyle = plotter.PostStep
		l.LineStyle = seriesStyle(q)
		p.Add(l)
		k.add(optionName(o), l)
	}
	front := make(plotter.XYs, len(ba.Budgets))
	for b, x := range ba.Budgets {
		front[b] = plotter.XY{X: x, Y: ba.FrontierProb[b]}
	}
	fl, err := plotter.NewScatter(front)
	if err != nil {
		return Figure{}, false, fmt.Errorf("budget-acceptability: %w", err)
	}
	fl.GlyphStyle = draw.GlyphStyle{Color: black, Radius: 3, Shape: draw.CircleGlyph{}}
	p.Add(fl)
	k.add("The frontier's portfolio at that budget", fl)
	p.X.Min, p.X.Max = first, end
	p.Y.Min, p.Y.Max = 0, 1.02
	data := [][]string{{"Budget (" + prices(r) + ")"}}
	for _, o := range ba.Portfolios {
		data[0] = append(data[0], "P(best): "+optionName(o))
	}
	data[0] = append(data[0], "Frontier portfolio", "P(best): frontier")
	for b, x := range ba.Budgets {
		row := []string{csvNum(x)}
		for q := range ba.Portfolios {
			row = append(row, csvNum(ba.Prob[q][b]))
		}
		data = append(data, append(row, ba.Portfolios[ba.Frontier[b]].Name, csvNum(ba.FrontierProb[b])))
	}
	return Figure{Name: "budget-acceptability", Title: title, Caption: figureCaption(r), W: figWidth, H: figHeight + k.room(), plot: p, key: k, data: data}, true, nil
}

// health writes the health-economics sheets.
func (b *book) health(r *Report) {
	he := r.Health
	st := b.st
	s := sheetHealth
	b.set(s, 1, 1, "Health economics of the social view: "+scopeName(r), st.title)
	b.freeze(s, 1)
	widths := []float64{22, 36, 15, 15, 15, 12, 12, 12, 15, 12, 15, 15, 15, 11}
	b.widths(s, widths...)
	sl := b.lines(s)
	line, section := sl.line, sl.section
	pr := orDefault(r.PriceYear, "the dataset's")
	line(b.cur.in("Value of a QALY (£)"), he.ValuePerQALY, st.money, "The Green Book's, in "+pr+" prices: the social view's net benefit.")
	line(b.cur.in("NICE thresholds (£ per QALY)"), fmt.Sprintf("%s–%s", b.cur.text(he.NICE[0]), b.cur.text(he.NICE[1])), 0, "As stated by NICE, not restated.")
	line("Horizon (years)", he.Horizon, st.count, "")
	line("Discounted years, money", he.Annuity, st.value, "Σ DF(y) at the appraisal's rate: converts a year's money into the horizon's.")
	line("Discounted years, health", he.HealthAnnuity, st.value, "Σ DF(y) at the Green Book's health rate (1.5%): the same for QALYs.")
	line("Outer draws", he.Draws, st.count, "Each cost and QALY figure is the expectation given one draw of the uncertain inputs.")
	line(b.cur.in("EVPI over the horizon (£)"), he.EVPI, st.money, "Expected value of perfect information at the value of a QALY: what learning every input would be worth, for the whole scope.")
	line(b.cur.in("EVPI a year (£/yr)"), he.EVPIPerYear, st.money, "EVPI over the horizon ÷ the discounted years.")

	section("Options: net cost a year (equivalent annual cost − money loss avoided) and QALYs gained a year, across outer draws")
	type opt = model.HealthOption
	m := func(head string, f func(opt) float64) column[opt] {
		return column[opt]{head: b.cur.in(head), width: 15, style: st.money, value: func(o opt) any { return f(o) }}
	}
	q := func(head string, f func(opt) float64) column[opt] {
		return column[opt]{head: head, width: 12, style: st.value, value: func(o opt) any { return f(o) }}
	}
	cols := []column[opt]{
		{head: "Option", width: 22, value: func(o opt) any { return o.Name }},
		{head: "Description", width: 36, value: func(o opt) any { return o.Label }},
		m("Net cost a year (£)", func(o opt) float64 { return o.Cost.Mean }),
		m("Net cost 5%", func(o opt) float64 { return o.Cost.Lo }),
		m("Net cost 95%", func(o opt) float64 { return o.Cost.Hi }),
		q("QALYs a year", func(o opt) float64 { return o.QALYs.Mean }),
		q("QALYs 5%", func(o opt) float64 { return o.QALYs.Lo }),
		q("QALYs 95%", func(o opt) float64 { return o.QALYs.Hi }),
		m("PV net cost (£)", func(o opt) float64 { return o.PVCost }),
		q("PV QALYs", func(o opt) float64 { return o.PVQALYs }),
		m("Net benefit (£)", func(o opt) float64 { return o.NetBenefit.Mean }),
		m("Net benefit 5%", func(o opt) float64 { return o.NetBenefit.Lo }),
		m("Net benefit 95%", func(o opt) float64 { return o.NetBenefit.Hi }),
		{head: "P(cost-effective)", width: 11, style: st.pct, value: func(o opt) any { return o.PCostEffective }},
	}
	sl.row = writeRows(b, s, sl.row, cols, he.Options) + 1
	b.paragraph(s, sl.row, len(widths), "Net benefit = value of a QALY × PV QALYs − PV net cost over the horizon: the social NPV. P(cost-effective) is the share of draws with positive net benefit.")
	sl.row++

	section("ICER table (dampack's convention): ND on the frontier, ED extendedly dominated, D dominated")
	type ic = model.ICERRow
	num := func(x model.Number) any { return float64(x) }
	icols := []column[ic]{
		{head: "Option", width: 22, value: func(x ic) any { return x.Name }},
		{head: "Status", width: 36, value: func(x ic) any { return string(x.Status) }},
		{head: b.cur.in("PV net cost (£)"), width: 15, style: st.money, value: func(x ic) any { return x.Cost }},
		{head: b.cur.in("Incremental cost (£)"), width: 15, style: st.money, value: func(x ic) any { return num(x.IncCost) }},
		{head: "PV QALYs", width: 12, style: st.value, value: func(x ic) any { return x.Effect }},
		{head: "Incremental QALYs", width: 12, style: st.value, value: func(x ic) any { return num(x.IncEffect) }},
		{head: b.cur.in("ICER (£/QALY)"), width: 12, style: st.money, value: func(x ic) any { return num(x.ICER) }},
	}
	sl.row = writeRows(b, s, sl.row, icols, he.ICERs) + 1
	b.paragraph(s, sl.row, len(widths), "ICER = incremental cost ÷ incremental QALYs against the next cheaper option on the frontier; n/a for the cheapest (the reference) and for dominated options.")
	sl.row++

	section("Value of research: EVPPI at the value of a QALY, by regression on the outer draws (Strong, Oakley & Brennan 2014)")
	type pv = model.PartialRow
	pcols := []column[pv]{
		{head: "Input or group", width: 22, value: func(x pv) any { return x.Name }},
		{head: "Method", width: 36, value: func(x pv) any { return x.Method }},
		{head: b.cur.in("EVPPI over the horizon (£)"), width: 15, style: st.money, value: func(x pv) any { return x.Value }},
		{head: b.cur.in("Its SE (£)"), width: 15, style: st.money, value: func(x pv) any { return x.SE }},
		{head: b.cur.in("EVPPI a year (£/yr)"), width: 15, style: st.money, value: func(x pv) any { return x.PerYear }},
		{head: b.cur.in("Its SE (£/yr)"), width: 12, style: st.money, value: func(x pv) any { return x.PerYearSE }},
		{head: "Share of EVPI", width: 12, style: st.pct, value: func(x pv) any { return x.Value / he.EVPI }},
		{head: "Inputs", width: 12, value: func(x pv) any { return strings.Join(x.Inputs, "; ") }},
	}
	sl.row = writeRows(b, s, sl.row, pcols, he.Partial) + 1
	b.paragraph(s, sl.row, len(widths), "EVPPI: what learning the input (or every input of the group) exactly would be worth before deciding. One input: penalised cubic "+
		"regression spline, smoothing by generalised cross-validation. Groups: Gaussian-process regression, length scales shared across options. "+
		"SE from the regression's posterior. Inputs drawn afresh for each event (spread, duration, fixed cost) vary by chance and have none.")
	b.widths(s, widths...) // the tables' writers set their own
	// Printed, the tables and their notes, wrapped to the tables' width.
	b.layout(s).area = fmt.Sprintf("$A$1:$%s$%d", colName(len(widths)), sl.row)

	b.acceptability(r)
	b.planeDraws(r)
}

// acceptability writes the Acceptability sheet: the curves, frontier and
// EVPI at each value per QALY, a native chart of the curves, and, with a
// frontier, the probabilities by budget.
func (b *book) acceptability(r *Report) {
	he := r.Health
	ac := he.Acceptability
	st := b.st
	s := sheetAcceptability
	cols := []column[int]{{head: b.cur.in("Value of a QALY (£)"), width: 14, style: st.money, value: func(i int) any { return ac.ValuePerQALY[i] }}}
	for a, o := range he.Options {
		cols = append(cols, column[int]{head: "P(best): " + o.Name, width: 11, style: st.pct, value: func(i int) any { return ac.Prob[a][i] }})
	}
	cols = append(cols,
		column[int]{head: "Frontier option", width: 18, value: func(i int) any { return he.Options[ac.Frontier[i]].Name }},
		column[int]{head: "P(best): frontier", width: 11, style: st.pct, value: func(i int) any { return ac.FrontierProb[i] }},
		column[int]{head: b.cur.in("EVPI over the horizon (£)"), width: 15, style: st.money, value: func(i int) any { return ac.EVPI[i] }},
		column[int]{head: b.cur.in("EVPI a year (£/yr)"), width: 15, style: st.money, value: func(i int) any { return ac.EVPIPerYear[i] }},
	)
	idx := make([]int, len(ac.ValuePerQALY))
	for i := range idx {
		idx[i] = i
	}
	last := table(b, s, 1, cols, idx)
	if b.err == nil {
		var series []excelize.ChartSeries
		for a := range he.Options {
			c := colName(2 + a)
			series = append(series, excelize.ChartSeries{
				Name:       fmt.Sprintf("'%s'!$%s$1", s, c),
				Categories: fmt.Sprintf("'%s'!$A$2:$A$%d", s, last),
				Values:     fmt.Sprintf("'%s'!$%s$2:$%s$%d", s, c, c, last),
				Marker:     excelize.ChartMarker{Symbol: "none"},
			})
		}
		b.do(b.f.AddChart(s, cellName(len(cols)+2, 2), &excelize.Chart{
			Type:   excelize.Line,
			Series: series,
			Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Cost-effectiveness acceptability curves (social view, " +
				orDefault(r.PriceYear, "dataset") + " prices)"}}},
			XAxis:     excelize.ChartAxis{Font: excelize.Font{Color: "404040"}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: b.cur.numFmt()}},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Color: "404040"}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: 760, Height: 420},
		}))
	}
	ba := he.Budget
	if ba == nil {
		return
	}
	row := last + 3
	b.set(s, 1, row, "Probability that each of the frontier's portfolios is best at each budget (among those it affords), at the value of a QALY", st.section)
	row++
	bcols := []column[int]{{head: b.cur.in("Budget (£)"), width: 14, style: st.money, value: func(i int) any { return ba.Budgets[i] }}}
	for q, o := range ba.Portfolios {
		bcols = append(bcols, column[int]{head: "P(best): " + o.Name, width: 11, style: st.pct, value: func(i int) any { return ba.Prob[q][i] }})
	}
	bcols = append(bcols,
		column[int]{head: "Frontier portfolio", width: 18, value: func(i int) any { return ba.Portfolios[ba.Frontier[i]].Name }},
		column[int]{head: "P(best): frontier", width: 11, style: st.pct, value: func(i int) any { return ba.FrontierProb[i] }},
	)
	bi := make([]int, len(ba.Budgets))
	for i := range bi {
		bi[i] = i
	}
	row = writeRows(b, s, row, bcols, bi) + 2
	for q, o := range ba.Portfolios {
		b.set(s, 1, row+q, o.Name, st.label)
		b.set(s, 2, row+q, strings.Join(o.Controls, "+"), 0)
		b.set(s, 3, row+q, ba.Cost[q], st.money)
	}
}

// planeDraws writes the CE plane draws sheet: for each outer draw, each
// option's net cost a year and QALYs gained a year.
func (b *book) planeDraws(r *Report) {
	he := r.Health
	st := b.st
	s := sheetPlane
	cols := []column[int]{{head: "Draw", width: 8, style: st.count, value: func(d int) any { return d + 1 }}}
	for a, o := range he.Options[1:] {
		o := o
		a := a + 1
		cols = append(cols,
			column[int]{head: b.cur.in(o.Name + ": net cost a year (£)"), width: 14, style: st.money, value: func(d int) any { return he.Options[a].CostPerYear[d] }},
			column[int]{head: o.Name + ": QALYs a year", width: 12, style: st.value, value: func(d int) any { return he.Options[a].QALYsPerYear[d] }},
		)
	}
	idx := make([]int, he.Draws)
	for i := range idx {
		idx[i] = i
	}
	last := table(b, s, 1, cols, idx)
	// Printed, the first printedDraws draws of the first options, on one
	// page: the thousands of rows are the figure's data, not a page of
	// the report (all of them printed on over three hundred pages).
	l := b.layout(s)
	l.printCols, l.tall = min(len(cols), printedCols+1), 1
	l.area = fmt.Sprintf("$A$1:$%s$%d", colName(l.printCols), min(last, 1+printedDraws))
}

// healthText is the About paragraph on the health-economic views, or ""
// when the report has none.
func healthText(r *Report) string {
	he := r.Health
	if he == nil {
		return ""
	}
	return fmt.Sprintf("The health-economic views (sheets %s, %s and %s; plots ce-plane, the recommended portfolio's plane when it has "+
		"several controls, then ce-plane-2, ce-plane-3 and on, the controls' planes six to a figure by expected net benefit; "+
		"ceac, evpi, evppi and budget-acceptability). "+
		"For each option, in each outer draw of the uncertain inputs, its net cost a year (equivalent annual cost less the money loss it avoids) "+
		"and the QALYs it gains a year, each the expectation given the draw. Over the %d-year horizon money is discounted at the appraisal's rate "+
		"(%.2f discounted years) and QALYs at the health rate (%.2f), so that the net benefit at a value λ per QALY is λ × PV QALYs − PV net cost, "+
		"the social NPV at the Green Book's value. The ICER table follows dampack's convention. The acceptability curves give the share of draws "+
		"in which each option has the greatest net benefit; the frontier follows the option with the greatest expected net benefit. EVPI is "+
		"E[max NB] − max E[NB]; the EVPPI of an input is estimated by regressing net benefit on it over the existing draws (Strong, Oakley and "+
		"Brennan 2014: a penalised regression spline for one input, Gaussian-process regression for a group), with a standard error from the "+
		"regression's posterior. Figures for the scope are over the horizon; a year's figure is that ÷ the discounted years.",
		sheetHealth, sheetAcceptability, sheetPlane, he.Horizon, he.Annuity, he.HealthAnnuity)
}

// healthAlt describes a health-economics figure for a reader who cannot
// see it (report.html's alt text), or reports false for another figure.
func healthAlt(r *Report, f Figure) (string, bool) {
	he := r.Health
	if he == nil {
		return "", false
	}
	cur := currencyOf(r)
	gb := cur.text(he.ValuePerQALY)
	name := f.Name
	if strings.HasPrefix(name, "ce-plane-") {
		name = "ce-plane"
	}
	switch name {
	case "ce-plane":
		// The panels' options, from the figure's data: its first column.
		var opts []string
		for _, row := range f.data[1:] {
			if len(opts) == 0 || opts[len(opts)-1] != row[0] {
				opts = append(opts, row[0])
			}
		}
		s := fmt.Sprintf("Cost-effectiveness plane of %s: one point per outer draw of QALYs gained a year "+
			"against net cost a year (equivalent annual cost less the money loss avoided), the mean marked, with lines of zero net benefit at the "+
			"Green Book's %s per QALY and NICE's £20,000 and £30,000; points below a line are cost-effective at its value.", strings.Join(opts, ", "), gb)
		for _, o := range he.Options {
			if len(o.Controls) > 1 && slices.Contains(opts, o.Name) {
				s += fmt.Sprintf(" The recommended portfolio (%s) gains %s QALYs a year on average at a net cost of %s a year.",
					o.Label, qalyText(o.QALYs.Mean), cur.text(o.Cost.Mean))
			}
		}
		return s, true
	case "ceac":
		ac := he.Acceptability
		i := len(ac.ValuePerQALY) - 1
		for j, l := range ac.ValuePerQALY {
			if l >= he.ValuePerQALY {
				i = j
				break
			}
		}
		return fmt.Sprintf("Acceptability curves: the chance each option has the greatest net benefit as the value of a QALY goes from £0 to £100,000, "+
			"with the frontier. Near the Green Book's %s the option with the greatest expected net benefit is %s, best in %.0f%% of draws.",
			gb, he.Options[ac.Frontier[i]].Name, 100*ac.FrontierProb[i]), true
	case "evpi":
		return fmt.Sprintf("Expected value of perfect information against the value of a QALY: %s over %d years at the Green Book's %s (%s a year).",
			cur.text(he.EVPI), he.Horizon, gb, cur.text(he.EVPIPerYear)), true
	case "evppi":
		s := "Bars of the expected value of partial perfect information of each input and group of inputs, largest on top, with ±2 standard errors, against the EVPI of " + cur.text(he.EVPI) + "."
		if len(he.Partial) > 0 {
			p := he.Partial[0]
			s += fmt.Sprintf(" Largest: %s, %s ± %s.", p.Name, cur.text(p.Value), cur.text(p.SE))
		}
		return s, true
	case "budget-acceptability":
		return "At each budget of the efficient frontier, the chance that each of its portfolios the budget affords has the greatest net benefit at the Green Book's value of a QALY, the frontier's own choice marked.", true
	}
	return "", false
}
