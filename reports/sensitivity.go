package reports

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/cybercba/cybercba/model"
)

// This file holds the outputs of the sensitivity analysis: the tornado
// figure and the Sensitivity sheet.

// tornadoTop is the number of inputs the tornado figure and the native
// chart show: those with the largest swings.
const tornadoTop = 15

// sheetSensitivity is the sensitivity analysis's sheet.
const sheetSensitivity = "Sensitivity"

// decisionText names the decision a sensitivity analysis is about, with its
// controls, the list clipped to fit a title: "the best single control (C1)".
func decisionText(r *Report) string {
	sa := r.Sensitivity
	name := orDefault(sa.DecisionName, "the decision")
	return name + " (" + clip(portfolioIDs(r.Model, sa.Decision, "+"), maxLabel) + ")"
}

// portfolioIDs joins the IDs of a portfolio's controls with sep, or gives
// "none" for the empty portfolio: doing nothing.
func portfolioIDs(m *model.Model, p model.Portfolio, sep string) string {
	if len(p) == 0 {
		return "none"
	}
	ids := make([]string, len(p))
	for i, c := range p {
		ids[i] = m.Controls[c].ID
	}
	return strings.Join(ids, sep)
}

// shortFields are brief names of the inputs' fields, by the input's kind
// and key, for a label on one line.
var shortFields = map[string]string{
	"rates/daily": "lost output a day", "rates/recovery": "IT recovery cost",
	"harm/deaths_per_day": "deaths a day", "harm/qalys_per_death": "QALYs a death", "harm/k_full": "k_full",
	"threat/rate": "events a year", "threat/spread": "orgs disrupted", "threat/duration": "days of outage",
	"threat/fixed": "cost per event", "threat/k_daily": "k_d", "threat/k_recovery": "k_r",
	"control/capex": "capex", "control/opex": "opex", "control/optimism_bias": "optimism bias",
	"effect/frequency": "cut in frequency", "effect/spread": "cut in spread", "effect/duration": "cut in duration",
	"effect/fixed": "cut in cost per event",
}

// inputShort names an input in a few words for a figure's axis: its
// control or threat ID and a brief field, "R-C1 on S2: cut in frequency",
// "S2: events a year", "Cost rates: lost output a day". The IDs' full names
// go in the figure's key (see idNames).
func inputShort(in model.Input) string {
	field, ok := shortFields[in.Ref.Kind+"/"+in.Ref.Key]
	if !ok {
		field = in.Field
	}
	switch {
	case in.Ref.Kind == "rates":
		return "Cost rates: " + field
	case in.Ref.Kind == "harm":
		return "Harm: " + field
	case in.Ref.ID == "":
		return in.Name()
	case in.Ref.Threat != "":
		return in.Ref.ID + " on " + in.Ref.Threat + ": " + field
	}
	return in.Ref.ID + ": " + field
}

// idNames returns "ID: name" for each threat and control ID that inputs
// name, threats first, each in model order, for a figure's key.
func idNames(m *model.Model, ins []model.Input) []string {
	used := map[string]bool{}
	for _, in := range ins {
		used[in.Ref.ID] = true
		used[in.Ref.Threat] = true
	}
	var out []string
	for _, t := range m.Threats {
		if used[t.ID] && t.Name != "" && t.Name != t.ID {
			out = append(out, t.ID+": "+t.Name)
		}
	}
	for _, c := range m.Controls {
		if used[c.ID] && c.Name != "" && c.Name != c.ID {
			out = append(out, c.ID+": "+c.Name)
		}
	}
	return out
}

// fitTitle returns a plot title on one line if it fits the figure's width,
// or broken after its last colon or comma if not.
func fitTitle(s string) string {
	if textStyle(titleSize).Width(s) <= figWidth-2*margin {
		return s
	}
	if i := strings.LastIndexAny(s, ":,"); i > 0 {
		return s[:i+1] + "\n" + strings.TrimSpace(s[i+1:])
	}
	return s
}

// sensitivityText is the About paragraph on the sensitivity analysis, or
// "" when the run has none.
func sensitivityText(r *Report) string {
	if r.Sensitivity == nil {
		return ""
	}
	return fmt.Sprintf("Sensitivity (sheet Sensitivity and the tornado plot) asks which assumptions drive the answer for %s. The tornado moves "+
		"each uncertain input alone from its 5th to its 95th percentile, every other input at its expectation, and records the expected NPV at "+
		"each end, centred on the decision's expected NPV; the expected NPV has a closed form, so the swings carry no Monte Carlo error. A "+
		"switching value (the Green Book's term) is the value of an input, nearest its mean, at which the expected NPV crosses zero, or at "+
		"which another decision becomes best: the further into "+
		"the input's distribution it lies, the safer the decision. EVPI, the expected value of perfect information, is what knowing every "+
		"input before deciding would be worth at most: E[max NPV] − max E[NPV] across outer draws. EVPPI is the same for one input: research "+
		"that would pin down an input is worth at most its EVPPI.", decisionText(r))
}

// tornadoFigure plots the tornado of the sensitivity analysis: for each of
// the tornadoTop inputs with the largest swings, largest on top, a bar from
// the decision's NPV with the input at its 5th percentile to its NPV with
// the input at its 95th, every other input at its expectation, in two
// colours meeting at the central NPV, the decision's expected NPV. The NPVs are the closed form, with no Monte
// Carlo error. Inputs that do not move the NPV at all are left out. It is
// omitted when the report has no sensitivity analysis or no input moves
// the NPV.
func tornadoFigure(r *Report, _ []option) (Figure, bool, error) {
	sa := r.Sensitivity
	if sa == nil || sa.Tornado == nil || len(sa.Tornado.Bars) == 0 {
		return Figure{}, false, nil
	}
	tn := sa.Tornado
	names, rows := tornadoRows(tn)
	n := len(names)
	if n == 0 || !finite(tn.Central) {
		return Figure{}, false, nil
	}
	xmin, xmax := tn.Central, tn.Central
	for _, r := range rows {
		xmin, xmax = min(xmin, r.lo, r.hi), max(xmax, r.lo, r.hi)
	}
	title := "Tornado: NPV of " + decisionText(r) + ", " + scopeName(r)
	xLabel := fmt.Sprintf("Expected NPV over %d years (%s)\neach input alone, the others at their expectations", r.Analysis.Appraisal.Horizon, prices(r))
	p := newPlot(fitTitle(title), xLabel, "")
	p.X.Tick.Marker = moneyTicks{niceTicks{N: 5, Label: currencyOf(r).tick, Width: panelWidth}, currencyOf(r)}
	g := newGrid()
	g.Horizontal.Color = nil
	p.Add(g)
	tb := &tornadoBars{rows: rows, central: tn.Central, loColor: skyBlue, hiColor: blue, label: currencyOf(r).text}
	p.Add(tb)
	var k key
	k.add("Input at its 5th percentile (P5)", swatch{skyBlue})
	k.add("Input at its 95th percentile (P95)", swatch{blue})
	if xmin < 0 && xmax > 0 {
		p.Add(&vline{x: 0, LineStyle: draw.LineStyle{Color: grey, Width: 1, Dashes: []vg.Length{4, 2}}})
	}
	mid := &vline{x: tn.Central, LineStyle: draw.LineStyle{Color: black, Width: 1.5}}
	p.Add(mid)
	k.add("Central: the expected NPV, "+currencyOf(r).text(tn.Central), mid)
	k.add("Each bar's ends are labelled with the NPV at P5 and at P95", blank{})
	var shown []model.Input
	for _, b := range tn.Bars {
		if b.Swing() > 0 && len(shown) < tornadoTop {
			shown = append(shown, b.Input)
		}
	}
	for _, nm := range idNames(r.Model, shown) {
		k.add(nm, blank{})
	}
	p.NominalY(names...)
	span := xmax - xmin
	if !(span > 0) {
		span = max(math.Abs(xmax), 1)
	}
	// Room beyond the bars' ends for their labels.
	p.X.Min, p.X.Max = xmin-0.25*span, xmax+0.25*span
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	lines := 1
	for _, nm := range names {
		lines = max(lines, strings.Count(nm, "\n")+1)
	}
	row := max(0.26*vg.Inch, vg.Length(lines)*tickSize*1.2+0.06*vg.Inch)
	h := max(figHeight, vg.Length(n)*row+1.9*vg.Inch) + k.room()
	data := [][]string{{"Input", "NPV with the input at P5 (" + prices(r) + ")", "NPV with the input at P95", "Central NPV"}}
	for _, b := range tn.Bars {
		if b.Swing() > 0 {
			data = append(data, []string{strings.TrimSpace(b.Input.Item + ": " + b.Input.Field), csvNum(b.NPVLo), csvNum(b.NPVHi), csvNum(tn.Central)})
		}
	}
	return Figure{Name: "tornado", Title: title, Caption: figureCaption(r), W: figWidth, H: h, plot: p, key: k, data: data}, true, nil
}

// tornadoRows returns the rows of the tornado figure: the tornadoTop
// inputs with the largest swings, leaving out those that do not move the
// NPV, the largest at the top (y = n − 1), with their axis labels from the
// bottom up. A row whose NPVs are not finite is labelled but not drawn.
func tornadoRows(tn *model.Tornado) (names []string, rows []swing) {
	var top []model.TornadoBar
	for _, b := range tn.Bars {
		if b.Swing() > 0 && len(top) < tornadoTop {
			top = append(top, b)
		}
	}
	n := len(top)
	names = make([]string, n)
	for k, b := range top {
		names[n-1-k] = inputShort(b.Input)
		if finite(b.NPVLo) && finite(b.NPVHi) {
			rows = append(rows, swing{y: float64(n - 1 - k), lo: b.NPVLo, hi: b.NPVHi})
		}
	}
	return names, rows
}

// swing is one row of a tornado: the NPV with the input at its 5th
// percentile (lo) and at its 95th (hi), at height y.
type swing struct{ y, lo, hi float64 }

// tornadoBars draws a tornado's rows: from the central NPV to the NPV at
// the input's 5th percentile in loColor, and to the NPV at its 95th in
// hiColor. Where both ends lie on one side of the centre, the longer bar is
// drawn first, so that the shorter stays in sight.
type tornadoBars struct {
	rows             []swing
	central          float64
	loColor, hiColor color.Color
	// label, if set, writes the NPV at each bar's ends beside them.
	label func(float64) string
}

// tornadoThickness is the thickness of a tornado bar, in rows.
const tornadoThickness = 0.62

// Plot draws the bars.
func (tb *tornadoBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	bar := func(y, end float64, clr color.Color) {
		x0, x1 := trX(tb.central), trX(end)
		y0, y1 := trY(y-tornadoThickness/2), trY(y+tornadoThickness/2)
		c.FillPolygon(clr, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
	}
	for _, r := range tb.rows {
		first, second := swingEnd{r.lo, tb.loColor}, swingEnd{r.hi, tb.hiColor}
		if math.Abs(r.lo-tb.central) < math.Abs(r.hi-tb.central) {
			first, second = second, first
		}
		bar(r.y, first.x, first.clr)
		bar(r.y, second.x, second.clr)
		if tb.label == nil {
			continue
		}
		// The outer end's label sits beyond it; the inner end's, when both
		// ends lie on one side, inside the outer bar in white, else
		// beyond its own end on the other side.
		sty := textStyle(barLabelSize)
		sty.YAlign = draw.YCenter
		y := trY(r.y)
		put := func(end float64, inside bool) {
			right := end >= tb.central
			sty := sty
			x := trX(end)
			switch {
			case inside && right:
				sty.XAlign, sty.Color, x = draw.XRight, color.White, x-3
			case inside:
				sty.XAlign, sty.Color, x = draw.XLeft, color.White, x+3
			case right:
				sty.XAlign, x = draw.XLeft, x+3
			default:
				sty.XAlign, x = draw.XRight, x-3
			}
			c.FillText(sty, vg.Point{X: x, Y: y}, tb.label(end))
		}
		put(first.x, false)
		sameSide := (first.x-tb.central)*(second.x-tb.central) > 0
		put(second.x, sameSide)
	}
}

// barLabelSize is the size of the values at a tornado bar's ends.
const barLabelSize = legendSize

// swingEnd is one end of a tornado bar and its colour.
type swingEnd struct {
	x   float64
	clr color.Color
}

// DataRange returns the extent of the bars.
func (tb *tornadoBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = tb.central, tb.central
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, r := range tb.rows {
		xmin, xmax = min(xmin, r.lo, r.hi), max(xmax, r.lo, r.hi)
		ymin, ymax = min(ymin, r.y-tornadoThickness/2), max(ymax, r.y+tornadoThickness/2)
	}
	return xmin, xmax, ymin, ymax
}

// swatch is a key entry's thumbnail: a block of colour.
type swatch struct{ color.Color }

// Thumbnail fills the thumbnail's box.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.Color, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
}

// inputStyle returns the cell style of an input's values: a share for a
// fraction or an uplift, money for a cost, a plain number otherwise.
func (b *book) inputStyle(in model.Input) int {
	switch in.Unit {
	case model.Share:
		return b.st.pct
	case model.Money:
		// An input's value, read exactly: whole amounts, not millions.
		return b.st.pounds
	}
	return b.st.value
}

// percentileOf returns the share of an input's distribution below x, or
// nil when x is not a number (no switching value).
func percentileOf(in model.Input, x float64) any {
	if math.IsNaN(x) {
		return nil
	}
	return in.Estimate.Dist(in.Kind).CDF(x)
}

// orBlank returns x, or nil for an empty cell when x is not a number.
func orBlank(x float64) any {
	if math.IsNaN(x) {
		return nil
	}
	return x
}

// rankedInput is a row of one of the Sensitivity sheet's tables: an input
// and its rank in the table.
type rankedInput[T any] struct {
	rank int
	row  T
}

// ranked numbers rows from 1.
func ranked[T any](rows []T) []rankedInput[T] {
	out := make([]rankedInput[T], len(rows))
	for i, r := range rows {
		out[i] = rankedInput[T]{rank: i + 1, row: r}
	}
	return out
}

// inputColumns are the first columns of every table of the Sensitivity
// sheet: rank, the input's full name and its field.
func inputColumns[T any](b *book, input func(T) model.Input) []column[rankedInput[T]] {
	return []column[rankedInput[T]]{
		{head: "Rank", width: 7, style: b.st.count, value: func(r rankedInput[T]) any { return r.rank }},
		{head: "Input", width: 44, value: func(r rankedInput[T]) any { return input(r.row).Name() }},
		{head: "Field", width: 22, value: func(r rankedInput[T]) any { return input(r.row).Field }},
	}
}

// sheetLines writes labelled values down a sheet from row 3: a label in
// column A, running on over the empty column B, its value in column C and
// a note in D; a section's title has a blank row before it.
type sheetLines struct {
	b     *book
	sheet string
	row   int
}

func (b *book) lines(sheet string) *sheetLines { return &sheetLines{b: b, sheet: sheet, row: 3} }

// line writes one labelled value in style, with its note if any.
func (l *sheetLines) line(label string, value any, style int, note string) {
	l.b.set(l.sheet, 1, l.row, label, l.b.st.label)
	l.b.set(l.sheet, 3, l.row, value, style)
	if note != "" {
		l.b.set(l.sheet, 4, l.row, note, 0)
	}
	l.row++
}

// section writes a section's title.
func (l *sheetLines) section(title string) {
	l.row++
	l.b.set(l.sheet, 1, l.row, title, l.b.st.section)
	l.row++
}

// sensitivity writes the Sensitivity sheet: the decision and its central
// NPV; the tornado over every input; the switching values of the top
// inputs; EVPI and each parameter's EVPPI; and a native bar chart of the
// largest swings beside the tables.
func (b *book) sensitivity(r *Report) {
	sa := r.Sensitivity
	s := sheetSensitivity
	st := b.st
	b.set(s, 1, 1, "Sensitivity of the NPV of "+decisionText(r)+": "+scopeName(r), st.title)
	b.freeze(s, 1)
	b.widths(s, 7, 44, 22, 16, 16, 16, 16, 16, 18)
	sl := b.lines(s)
	line, section := sl.line, sl.section
	line("Decision analysed", orDefault(sa.DecisionName, "the decision"), 0, "")
	line("Its controls", portfolioIDs(r.Model, sa.Decision, ", "), 0, "")
	horizon := r.Analysis.Appraisal.Horizon
	if tn := sa.Tornado; tn != nil {
		line("Central NPV (the expected NPV, every input at its expectation)", tn.Central, st.money,
			fmt.Sprintf("Expected NPV over %d years by the closed form: no Monte Carlo error.", horizon))
		line("Uncertain inputs", len(tn.Bars), st.count, "Every input given as an interval rather than one value.")

		section("Tornado: each input from its 5th to its 95th percentile, every other input at its expectation; expected NPV at each end")
		cols := append(inputColumns(b, func(t model.TornadoBar) model.Input { return t.Input }),
			column[rankedInput[model.TornadoBar]]{head: "Input at P5", width: 16,
				styleOf: func(t rankedInput[model.TornadoBar]) int { return b.inputStyle(t.row.Input) },
				value:   func(t rankedInput[model.TornadoBar]) any { return t.row.Lo }},
			column[rankedInput[model.TornadoBar]]{head: "Input at P95", width: 16,
				styleOf: func(t rankedInput[model.TornadoBar]) int { return b.inputStyle(t.row.Input) },
				value:   func(t rankedInput[model.TornadoBar]) any { return t.row.Hi }},
			column[rankedInput[model.TornadoBar]]{head: b.cur.in("NPV at P5 (£)"), width: 16, style: st.money,
				value: func(t rankedInput[model.TornadoBar]) any { return t.row.NPVLo }},
			column[rankedInput[model.TornadoBar]]{head: b.cur.in("NPV at P95 (£)"), width: 16, style: st.money,
				value: func(t rankedInput[model.TornadoBar]) any { return t.row.NPVHi }},
			column[rankedInput[model.TornadoBar]]{head: b.cur.in("Swing (£)"), width: 16, style: st.money,
				value: func(t rankedInput[model.TornadoBar]) any { return t.row.Swing() }},
		)
		top := sl.row
		sl.row = writeRows(b, s, top, cols, ranked(tn.Bars)) + 1
		b.tornadoChart(r, top, min(len(tn.Bars), tornadoTop))
	}

	if len(sa.Switches) > 0 {
		section("Switching values: where, every other input at its expectation, the expected NPV crosses zero or another decision becomes best, nearest the input's mean")
		type sw = rankedInput[model.Switch]
		cols := append(inputColumns(b, func(w model.Switch) model.Input { return w.Input }),
			column[sw]{head: "Central (mean)", width: 16, styleOf: func(w sw) int { return b.inputStyle(w.row.Input) },
				value: func(w sw) any { return w.row.Central }},
			column[sw]{head: "NPV = 0 at", width: 16, styleOf: func(w sw) int { return b.inputStyle(w.row.Input) },
				value: func(w sw) any { return orBlank(w.row.NPVZero) }},
			column[sw]{head: "Percentile of NPV = 0", width: 16, style: st.pct,
				value: func(w sw) any { return percentileOf(w.row.Input, w.row.NPVZero) }},
			column[sw]{head: "Decision changes at", width: 16, styleOf: func(w sw) int { return b.inputStyle(w.row.Input) },
				value: func(w sw) any { return orBlank(w.row.Change) }},
			column[sw]{head: "Percentile of the change", width: 16, style: st.pct,
				value: func(w sw) any { return percentileOf(w.row.Input, w.row.Change) }},
			column[sw]{head: "New decision", width: 18, value: func(w sw) any {
				if math.IsNaN(w.row.Change) {
					return nil
				}
				return portfolioIDs(r.Model, w.row.NewDecision, "+")
			}},
		)
		sl.row = writeRows(b, s, sl.row, cols, ranked(sa.Switches)) + 1
		b.set(s, 2, sl.row, "Blank: no crossing between the 5th percentile ÷ 1,000 and the 95th × 1,000 (0 to 100% for a fraction). "+
			"The percentile says how far into the input's distribution the switching value lies.", 0)
		sl.row++
	}

	if v := sa.VOI; v != nil {
		section("Value of information: what knowing the inputs before deciding would be worth, at most")
		line(b.cur.in("EVPI (£)"), v.EVPI, st.money, fmt.Sprintf("Expected value of perfect information: E[max NPV] − max E[NPV] over %s draws of the uncertain inputs (each draw's NPV its exact expectation given them; %s), "+
			"choosing among %d alternatives and doing nothing.", thousands(v.Draws), voiView(v), len(v.Alternatives)))
		line("Best on current information", portfolioIDs(r.Model, v.Best, "+"), 0, "")
		sl.row++
		type ev = rankedInput[model.InputValue]
		cols := append(inputColumns(b, func(iv model.InputValue) model.Input { return iv.Input }),
			column[ev]{head: b.cur.in("EVPPI (£)"), width: 16, style: st.money, value: func(e ev) any { return e.row.Value }},
			column[ev]{head: b.cur.in("EVPPI SE (£)"), width: 14, style: st.money, value: func(e ev) any { return e.row.SE }},
			column[ev]{head: "Share of EVPI", width: 16, style: st.pct, value: func(e ev) any { return e.row.Value / v.EVPI }},
		)
		sl.row = writeRows(b, s, sl.row, cols, ranked(v.EVPPI)) + 1
		b.set(s, 2, sl.row, "EVPPI: the value of learning one input exactly, by regression of net benefit on the input over the outer draws "+
			"(Strong, Oakley and Brennan 2014: a penalised cubic spline chosen by generalised cross-validation). Inputs drawn afresh for each event (spread, duration, fixed cost) vary by chance, not by "+
			"what we know, and have none.", 0)
	}
}

// tornadoChart draws a native bar chart of the largest k swings of the
// tornado table whose header is at row top, beside the tables.
func (b *book) tornadoChart(r *Report, top, k int) {
	if b.err != nil || k == 0 {
		return
	}
	s := sheetSensitivity
	ref := func(col int) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", s, colName(col), top+1, colName(col), top+k)
	}
	const swingCol = 8
	b.do(b.f.AddChart(s, cellName(11, 3), &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("%s!$%s$%d", s, colName(swingCol), top),
			Categories: ref(2),
			Values:     ref(swingCol),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"0072B2"}},
		}},
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf(
			"Swing in NPV of %s from each input's P5 to its P95: the %d largest (%s)", decisionText(r), k, b.cur.unit())}}},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Color: "404040"}, TickLabelPosition: excelize.ChartTickLabelLow},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Color: "404040"}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: b.cur.axisFmt(b.millions)}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 760, Height: uint(max(300, 30*k+120))},
	}))
}

// voiView says which NPV the value of information values.
func voiView(v *model.VOI) string {
	if v.View == model.Social {
		return "NPV with patient harm avoided"
	}
	return "NPV in money only"
}
