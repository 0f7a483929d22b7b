package reports

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

// This file holds the outputs of the portfolio choice: the frontier
// figure and the Portfolio and Frontier sheets.

// paleSkyBlue is sky blue mixed 40:60 with white: the fill of an interval
// band, light enough for the line and grid to read through it.
var paleSkyBlue = color.RGBA{0xbb, 0xe1, 0xf6, 0xff}

// objectiveName names what a portfolio choice maximises, as an axis label.
func objectiveName(o model.Objective) string { return format.ObjectiveAxis(o) }

// objectiveShort names the objective inside a sentence or a header.
func objectiveShort(o model.Objective) string { return format.Objective(o) }

// objectiveSource says how the search valued portfolios: by the closed
// form, or on the simulated years of the ΔTVaR sample.
func objectiveSource(pa *model.PortfolioAnalysis) string {
	if pa.Objective == model.MaxDeltaTVaR {
		return "on " + thousands(pa.SampleYears) + " simulated years"
	}
	return "closed form"
}

// objectiveInterval returns the 90% interval across outer draws of the
// objective of a portfolio appraised as res: [0, 0] for the empty
// portfolio (res nil), which changes nothing in any draw, and ok false for
// ΔTVaR95, which the appraisal does not estimate draw by draw.
func objectiveInterval(o model.Objective, res *model.Result) (lo, hi float64, ok bool) {
	switch {
	case o == model.MaxDeltaTVaR:
		return 0, 0, false
	case res == nil:
		return 0, 0, true
	case o == model.MaxDeltaALE:
		return res.DeltaALE.Lo, res.DeltaALE.Hi, true
	}
	return res.DecisionNPV.Lo, res.DecisionNPV.Hi, true
}

// spend returns a chosen portfolio's cost in a kind of budget: its
// expected equivalent annual cost, or its capex.
func spend(kind model.BudgetKind, ch model.Choice) float64 {
	if kind == model.CapexBudget {
		return ch.Capex
	}
	return ch.Annual
}

// controlsText joins a choice's control IDs with sep, or gives "(none)".
func controlsText(ch model.Choice, sep string) string {
	if len(ch.Controls) == 0 {
		return "(none)"
	}
	return strings.Join(ch.Controls, sep)
}

// withinText describes a portfolio's budget: "within £50m a year",
// "within £2m of capital", both, or "with no budget limit".
func withinText(cur currency, c model.Constraints) string {
	var s []string
	if finite(c.Annual) {
		s = append(s, cur.text(c.Annual)+" a year")
	}
	if finite(c.Capex) {
		s = append(s, cur.text(c.Capex)+" of capital")
	}
	if len(s) == 0 {
		return "with no budget limit"
	}
	return "within " + strings.Join(s, " and ")
}

// perYear describes a yearly amount's money convention, e.g. "£ a year,
// 2024-25 prices".
func perYear(r *Report) string {
	u := currencyOf(r).unit()
	if r.PriceYear == "" {
		return u + " a year"
	}
	return u + " a year, " + r.PriceYear + " prices"
}

// tread is one step of the frontier's staircase: from budget x on, the
// best portfolio found is worth y, with a 90% interval [lo, hi] across
// outer draws when band is set.
type tread struct {
	x, y, lo, hi float64
	band         bool
}

// staircase returns the frontier as a staircase. A portfolio found at one
// budget fits every larger budget, so at any budget b the best portfolio
// found is worth
//
//	S(b) = max { objective_j : cost_j ≤ b }
//
// over the frontier's points j, costs counted in the frontier's kind of
// budget. S rises at the cost of each portfolio that beats every cheaper
// one, where it becomes affordable, and is flat until the next. At the
// grid's budgets it is the frontier itself; between them it is a lower
// bound, since a portfolio the grid did not find may do better. Points
// with a non-finite objective are left out, and a non-finite interval is
// drawn as none.
func staircase(pa *model.PortfolioAnalysis) []tread {
	pts := slices.Clone(pa.Frontier)
	slices.SortStableFunc(pts, func(a, b model.FrontierPoint) int {
		if c := cmp.Compare(spend(pa.FrontierKind, a.Choice), spend(pa.FrontierKind, b.Choice)); c != 0 {
			return c
		}
		return cmp.Compare(b.Choice.Objective, a.Choice.Objective)
	})
	var out []tread
	for _, p := range pts {
		x, y := spend(pa.FrontierKind, p.Choice), p.Choice.Objective
		if !finite(x) || !finite(y) || (len(out) > 0 && y <= out[len(out)-1].y) {
			continue
		}
		lo, hi, ok := objectiveInterval(pa.Objective, p.Result)
		if ok && !(finite(lo) && finite(hi)) {
			lo, hi = y, y // no interval to show, but the band stays whole
		}
		out = append(out, tread{x: x, y: y, lo: lo, hi: hi, band: ok})
	}
	return out
}

// frontierFigure plots the efficient frontier: the objective of the best
// portfolio found at each budget, as a staircase (see staircase), with its
// 90% interval across outer draws as a band behind it, and the chosen
// portfolio marked. The line is the objective as the search valued it
// (the closed form, or the ΔTVaR sample); the band comes from the
// portfolios' simulation. ΔTVaR95 has no band, and the key says so. The
// figure is omitted when the report has no frontier.
func frontierFigure(r *Report, _ []option) (Figure, bool, error) {
	pa := r.Portfolio
	if pa == nil || len(pa.Frontier) == 0 {
		return Figure{}, false, nil
	}
	steps := staircase(pa)
	if len(steps) == 0 {
		return Figure{}, false, nil
	}
	kind := pa.FrontierKind
	chosen := plotter.XY{X: spend(kind, pa.Choice), Y: pa.Choice.Objective}
	xmin, xmax := 0.0, steps[len(steps)-1].x
	for _, p := range pa.Frontier {
		if finite(p.Budget) {
			xmin, xmax = min(xmin, p.Budget), max(xmax, p.Budget)
		}
	}
	hasChosen := finite(chosen.X) && finite(chosen.Y)
	if hasChosen {
		xmax = max(xmax, chosen.X)
	}
	// The frontier lists the budgets where the portfolio changes: the
	// budget limit may lie beyond the last; the staircase runs on to it.
	limit := pa.Constraints.Annual
	if kind == model.CapexBudget {
		limit = pa.Constraints.Capex
	}
	if finite(limit) {
		xmax = max(xmax, limit)
	}
	if !(xmax > xmin) {
		xmax = xmin + 1
	}

	title := "Efficient frontier: " + scopeName(r)
	xLabel := "Yearly budget: equivalent annual cost (" + perYear(r) + ")"
	if kind == model.CapexBudget {
		xLabel = "Capital budget (" + prices(r) + ")"
	}
	// Two lines, each short enough for the height of the axis.
	var yLabel string
	switch pa.Objective {
	case model.MaxNPV:
		yLabel = fmt.Sprintf("%s over %d years\n(%s)", objectiveName(pa.Objective), r.Analysis.Appraisal.Horizon, prices(r))
	case model.MaxDeltaALE:
		yLabel = "Reduction in expected annual loss\n(ΔALE, " + perYear(r) + ")"
	default:
		yLabel = objectiveName(pa.Objective) + "\n(" + perYear(r) + ")"
	}
	p := newPlot(title, xLabel, yLabel)
	p.X.Tick.Marker = moneyTicks{niceTicks{N: 6, Label: currencyOf(r).tick, Width: panelWidth}, currencyOf(r)}
	p.Y.Tick.Marker = moneyTicks{niceTicks{N: 6, Label: currencyOf(r).tick}, currencyOf(r)}
	p.Add(newGrid())
	var k key

	ylo, yhi := math.Min(0, steps[0].y), steps[len(steps)-1].y
	var upper, lower plotter.XYs
	wide := false // some interval is wider than a point
	for i, s := range steps {
		if !s.band {
			continue
		}
		wide = wide || s.hi > s.lo
		end := xmax
		if i+1 < len(steps) {
			end = steps[i+1].x
		}
		upper = append(upper, plotter.XY{X: s.x, Y: s.hi}, plotter.XY{X: end, Y: s.hi})
		lower = append(lower, plotter.XY{X: s.x, Y: s.lo}, plotter.XY{X: end, Y: s.lo})
		ylo, yhi = min(ylo, s.lo), max(yhi, s.hi)
	}
	if wide {
		// One ring: along the upper edge, back along the lower. Consecutive
		// treads meet on a vertical edge, so the ring encloses each tread's
		// interval and nothing else, whether or not the intervals overlap.
		slices.Reverse(lower)
		band, err := plotter.NewPolygon(append(upper, lower...))
		if err != nil {
			return Figure{}, false, fmt.Errorf("frontier: %w", err)
		}
		band.Color = paleSkyBlue
		band.LineStyle = draw.LineStyle{}
		p.Add(band)
		k.add("90% interval across outer draws (simulated)", band)
	}

	xys := make(plotter.XYs, 0, len(steps)+1)
	for _, s := range steps {
		xys = append(xys, plotter.XY{X: s.x, Y: s.y})
	}
	xys = append(xys, plotter.XY{X: xmax, Y: steps[len(steps)-1].y})
	l, err := plotter.NewLine(xys)
	if err != nil {
		return Figure{}, false, fmt.Errorf("frontier: %w", err)
	}
	l.StepStyle = plotter.PostStep
	l.LineStyle = line(blue)
	p.Add(l)
	name := "Best portfolio at each budget: " + objectiveShort(pa.Objective) + " (" + objectiveSource(pa) + ")"
	k.add(name, l)
	if pa.Objective == model.MaxDeltaTVaR {
		k.add("No band: ΔTVaR95 has no interval across outer draws", blank{})
	}

	if finite(limit) && limit >= xmin && limit <= xmax {
		bl := &vline{x: limit, LineStyle: draw.LineStyle{Color: grey, Width: 1, Dashes: []vg.Length{4, 2}}}
		p.Add(bl)
		name := "Budget: " + currencyOf(r).text(limit) + " a year"
		if kind == model.CapexBudget {
			name = "Capital budget: " + currencyOf(r).text(limit)
		}
		k.add(name, bl)
	}

	labelAbove := false
	if hasChosen {
		ylo, yhi = min(ylo, chosen.Y), max(yhi, chosen.Y)
		pt, err := plotter.NewScatter(plotter.XYs{chosen})
		if err != nil {
			return Figure{}, false, fmt.Errorf("frontier: %w", err)
		}
		pt.GlyphStyle = draw.GlyphStyle{Color: vermillion, Radius: 5.5, Shape: draw.PyramidGlyph{}}
		p.Add(pt)
		k.add("Chosen portfolio, "+withinText(currencyOf(r), pa.Constraints), pt)
		labels := &tag{at: chosen, label: chosenLabel(pa.Choice)}
		sty := textStyle(tickSize)
		sty.Color = vermillion
		// The staircase never falls, so it stays out of the quarter below
		// and to the right of the point, and of the quarter above and to
		// its left. The label goes in the first when the point sits in the
		// left half of the plot, in the second otherwise, with room made
		// for it above; and above and to the right of a point at the foot
		// of the plot, where only a later tread can cross it. A white
		// ground keeps the budget line from crossing it.
		sty.YAlign = draw.YTop
		labels.offset = vg.Point{X: 6, Y: -8}
		switch {
		case chosen.X > xmin+0.5*(xmax-xmin):
			sty.XAlign, sty.YAlign = draw.XRight, draw.YBottom
			labels.offset = vg.Point{X: -8, Y: 8}
			labelAbove = true
		case chosen.Y-ylo < 0.2*(yhi-ylo) || !(yhi > ylo):
			sty.YAlign = draw.YBottom
			labels.offset = vg.Point{X: 6, Y: 8}
			labelAbove = true
		}
		labels.Style = sty
		p.Add(labels)
	}

	span := yhi - ylo
	if !(span > 0) {
		// Nothing rises: give the axis the scale of the budgets.
		span = max(math.Abs(yhi), 0.1*(xmax-xmin), 1)
	}
	top := yhi + 0.06*span
	if labelAbove {
		top = max(top, chosen.Y+0.16*span)
	}
	p.X.Min, p.X.Max = xmin, xmax+0.02*(xmax-xmin)
	p.Y.Min, p.Y.Max = ylo-0.06*span, top
	if ylo >= 0 {
		// Keep a non-negative axis from dipping below zero: the band's foot
		// and the empty portfolio sit on the axis.
		p.Y.Min = 0
	}
	data := [][]string{{"Budget (" + perYear(r) + ")", "Spend", objectiveName(pa.Objective) + " (as searched)", "Interval P5", "Interval P95", "Controls"}}
	for _, fp := range pa.Frontier {
		lo, hi, ok := objectiveInterval(pa.Objective, fp.Result)
		if !ok {
			lo, hi = math.NaN(), math.NaN()
		}
		data = append(data, []string{csvNum(fp.Budget), csvNum(spend(kind, fp.Choice)), csvNum(fp.Choice.Objective), csvNum(lo), csvNum(hi), strings.Join(fp.Choice.Controls, "+")})
	}
	return Figure{Name: "frontier", Title: title, Caption: figureCaption(r), W: figWidth, H: figHeight + k.room(), plot: p, key: k, data: data}, true, nil
}

// chosenLabel labels the chosen portfolio on the plot: "chosen: " and its
// controls' IDs, the list clipped to fit.
func chosenLabel(ch model.Choice) string {
	if len(ch.Controls) == 0 {
		return "chosen: none"
	}
	return "chosen: " + clip(strings.Join(ch.Controls, "+"), maxLabel)
}

// vline is a vertical line across the whole plot at x.
type vline struct {
	x float64
	draw.LineStyle
}

// Plot draws the line.
func (v *vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	if x := trX(v.x); c.ContainsX(x) {
		c.StrokeLine2(v.LineStyle, x, c.Min.Y, x, c.Max.Y)
	}
}

// DataRange returns x alone: the line spans whatever the y axis does.
func (v *vline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return v.x, v.x, math.Inf(1), math.Inf(-1)
}

// Thumbnail draws a horizontal stroke for the key.
func (v *vline) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(v.LineStyle, c.Min.X, y, c.Max.X, y)
}

// tag is a line of text at a point of the data, moved by offset, on a
// white ground so that lines behind it do not cross it.
type tag struct {
	at     plotter.XY
	label  string
	offset vg.Point
	text.Style
}

// Plot draws the tag.
func (t *tag) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pt := vg.Point{X: trX(t.at.X), Y: trY(t.at.Y)}.Add(t.offset)
	const pad = 2
	r := t.Style.Rectangle(t.label).Add(pt)
	c.FillPolygon(color.White, []vg.Point{
		{X: r.Min.X - pad, Y: r.Min.Y - pad}, {X: r.Max.X + pad, Y: r.Min.Y - pad},
		{X: r.Max.X + pad, Y: r.Max.Y + pad}, {X: r.Min.X - pad, Y: r.Max.Y + pad},
	})
	c.FillText(t.Style, pt, t.label)
}

// blank is a key entry's empty thumbnail, for a line of the key that is a
// note.
type blank struct{}

// Thumbnail draws nothing.
func (blank) Thumbnail(*draw.Canvas) {}

// The portfolio sheets.
const (
	sheetPortfolio = "Portfolio"
	sheetFrontier  = "Frontier"
)

// sheetList returns the workbook's sheets in order: the fixed sheets, with
// after Ranking the Social sheet when the results have the social view,
// Portfolio when the report has a portfolio choice, Frontier when the
// choice has a frontier, and Sensitivity when the report has a
// sensitivity analysis.
func sheetList(r *Report) []string {
	var extra []string
	if r.Decision != nil && len(r.Decision.BuildUp) > 0 {
		extra = append(extra, sheetBuildUp)
	}
	if hasSocial(r) {
		extra = append(extra, sheetSocial)
	}
	if pa := r.Portfolio; pa != nil {
		extra = append(extra, sheetPortfolio)
		if len(pa.Frontier) > 0 {
			extra = append(extra, sheetFrontier)
		}
	}
	if r.Plan != nil {
		extra = append(extra, sheetPlan)
	}
	if r.Sensitivity != nil {
		extra = append(extra, sheetSensitivity)
	}
	extra = append(extra, healthSheets(r)...)
	at := slices.Index(sheets, sheetRanking) + 1
	live := slices.Index(sheets, sheetCalibration)
	return slices.Concat(sheets[:at], extra, sheets[at:live], LiveSheets, sheets[live:])
}

// limitValue returns a budget as a cell value: the amount, or "none" when
// there is no limit.
func limitValue(x float64) any {
	if math.IsInf(x, 1) {
		return "none"
	}
	return x
}

// yesNo writes a flag for a reader.
func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// portfolio writes the Portfolio sheet: the chosen portfolio, how it was
// found, its simulated appraisal and the Gordon–Loeb check.
func (b *book) portfolio(r *Report) {
	pa := r.Portfolio
	an := r.Analysis
	ch := pa.Choice
	s := sheetPortfolio
	st := b.st
	b.set(s, 1, 1, "Best portfolio under a budget: "+scopeName(r), st.title)
	for j, h := range []string{"Item", "Value", "Note"} {
		b.set(s, j+1, 2, h, st.header)
	}
	b.freeze(s, 2)
	b.widths(s, 44, 30, 90)
	objNote := "Portfolios are compared by the closed-form expectation, which has no simulation noise."
	if pa.Objective == model.MaxDeltaTVaR {
		objNote = fmt.Sprintf("Portfolios are compared on %s simulated years of common events; a tail measure has no closed form.", thousands(pa.SampleYears))
	}
	proven := "The search proved that no portfolio within the budget does better."
	if !ch.Optimal {
		proven = "The search stopped early: this is the best portfolio it found, not proven best."
	}
	rows := []item{
		{label: "Objective", value: objectiveName(pa.Objective), note: objNote},
		{label: "Yearly budget (equivalent annual cost)", value: limitValue(pa.Constraints.Annual), style: st.money,
			note: "Capex and its renewals annuitised over the horizon, plus opex, with optimism bias."},
		{label: "Capital budget (year 0)", value: limitValue(pa.Constraints.Capex), style: st.money, note: "Capex in year 0, with optimism bias."},
		{label: "Search method", value: ch.Method},
		{label: "Proven optimal", value: yesNo(ch.Optimal), note: proven},
		{label: "Portfolios evaluated", value: ch.Evaluated, style: st.count, note: "Portfolios, or search nodes for branch and bound."},
		{},
		{label: "Controls"},
	}
	if len(ch.Portfolio) == 0 {
		rows = append(rows, item{label: "None", value: "(none)", note: "No set of controls within the budget improves on doing nothing."})
	}
	for _, c := range ch.Portfolio {
		ctl := r.Model.Controls[c]
		rows = append(rows, item{label: ctl.ID, value: ctl.Name})
	}
	rows = append(rows,
		item{},
		item{label: "Cost and objective"},
		item{label: "Expected annual cost (EAC)", value: ch.Annual, style: st.money, note: "With optimism bias: what the yearly budget counts."},
		item{label: "Capex (year 0)", value: ch.Capex, style: st.money, note: "With optimism bias: what the capital budget counts."},
		item{label: "Objective (" + objectiveSource(pa) + ")", value: ch.Objective, style: st.money,
			note: "The portfolio's " + objectiveShort(pa.Objective) + " as the search valued it."},
	)
	if res := pa.Result; res != nil {
		fig := res.InView(an.Appraisal.View)
		rows = append(rows,
			item{},
			item{label: fmt.Sprintf("Appraisal (expected values exact; intervals across %s draws of the uncertain inputs)", thousands(res.DecisionDraws))},
			item{label: "ΔALE (mean)", value: res.DeltaALE.Mean, style: st.money,
				note: fmt.Sprintf("Exact expectation (closed form); 90%% interval %s.", currencyOf(r).interval(res.DeltaALE.Lo, res.DeltaALE.Hi))},
			item{label: "ΔALE, simulated (the check)", value: res.SimDeltaALE, style: st.money,
				note: fmt.Sprintf("± %s (one Monte Carlo standard error).", currencyOf(r).text(res.DeltaALESE))},
			item{label: "ΔALE simulated standard error", value: res.DeltaALESE, style: st.money},
			item{label: "ΔALE, 5th percentile", value: res.DeltaALE.Lo, style: st.money},
			item{label: "ΔALE, 95th percentile", value: res.DeltaALE.Hi, style: st.money},
			item{label: "NPV (mean)", value: res.DecisionNPV.Mean, style: st.money,
				note: fmt.Sprintf("Over %d years; 90%% interval %s.", an.Appraisal.Horizon, currencyOf(r).interval(res.DecisionNPV.Lo, res.DecisionNPV.Hi))},
			item{label: "NPV, simulated (the check)", value: res.DecisionSimNPV, style: st.money},
			item{label: "NPV simulated standard error", value: res.DecisionNPVSE, style: st.money},
			item{label: "NPV, 5th percentile", value: res.DecisionNPV.Lo, style: st.money},
			item{label: "NPV, 95th percentile", value: res.DecisionNPV.Hi, style: st.money},
			item{label: "BCR", value: fig.BCR.Mean, style: st.ratio, note: "PV(benefits) / PV(costs), the ratio of the means."},
			item{label: "BCR, 5th percentile", value: fig.BCR.Lo, style: st.ratio},
			item{label: "BCR, 95th percentile", value: fig.BCR.Hi, style: st.ratio},
			item{label: "P(NPV > 0)", value: fig.PNPVPositive, style: st.pct, note: "Share of outer draws in which the portfolio pays for itself."},
			item{},
			item{label: "Annual loss: baseline and with the portfolio"},
			item{label: "ALE, baseline", value: an.Baseline.ALE, style: st.money},
			item{label: "ALE, with the portfolio", value: res.Loss.ALE, style: st.money},
			item{label: "P95, baseline", value: an.Baseline.P95, style: st.money, note: "One year in twenty is worse than this."},
			item{label: "P95, with the portfolio", value: res.Loss.P95, style: st.money},
			item{label: "TVaR95, baseline", value: an.Baseline.TVaR95, style: st.money, note: "Mean loss in the worst 5% of years."},
			item{label: "TVaR95, with the portfolio", value: res.Loss.TVaR95, style: st.money},
		)
	}
	rows = append(rows,
		item{},
		item{label: "Gordon–Loeb check"},
		item{label: "Portfolio's yearly spend (EAC)", value: ch.Annual, style: st.money},
		item{label: "Gordon–Loeb bound (per year)", value: an.GordonLoeb, style: st.money,
			note: "(1/e) × baseline ALE: Gordon and Loeb's (2002) bound on the yearly security spend worth making against the loss at stake."},
		item{label: "Spend as a share of the bound", value: model.GordonLoebShare(ch.Annual, an.Baseline.ALE), style: st.pct,
			note: "Above 100%, the portfolio spends more than the rule of thumb suggests."},
	)
	b.items(s, 3, rows)
}

// frontier writes the Frontier sheet: one row per budget of the frontier,
// in the grid's order, and a native chart of the objective against the
// budget, with its 90% interval when the objective has one.
func (b *book) frontier(r *Report) {
	pa := r.Portfolio
	st := b.st
	kind := pa.FrontierKind
	budgetHead := b.cur.in("Budget (£/yr)")
	if kind == model.CapexBudget {
		budgetHead = b.cur.in("Capital budget (£)")
	}
	objHead := "Objective: " + objectiveShort(pa.Objective) + " (" + b.cur.unit() + ", " + objectiveSource(pa) + ")"
	sim := func(f func(*model.Result) any) func(model.FrontierPoint) any {
		return func(p model.FrontierPoint) any {
			if p.Result == nil {
				return nil
			}
			return f(p.Result)
		}
	}
	// empty is the value of a simulated figure that is zero for the empty
	// portfolio: nothing changes, in any draw.
	empty := func(f func(*model.Result) float64) func(model.FrontierPoint) any {
		return func(p model.FrontierPoint) any {
			if p.Result == nil {
				return 0.0
			}
			return f(p.Result)
		}
	}
	m := func(head string, f func(model.FrontierPoint) any) column[model.FrontierPoint] {
		return column[model.FrontierPoint]{head: b.cur.in(head), width: 14, style: st.money, value: f}
	}
	base, view := r.Analysis.Baseline, r.Analysis.Appraisal.View
	cols := []column[model.FrontierPoint]{
		m(budgetHead, func(p model.FrontierPoint) any { return p.Budget }),
		m("Spend (£/yr)", func(p model.FrontierPoint) any { return p.Choice.Annual }),
		m("Capex (£)", func(p model.FrontierPoint) any { return p.Choice.Capex }),
		{head: "Controls", width: 30, value: func(p model.FrontierPoint) any { return controlsText(p.Choice, "+") }},
		{head: objHead, width: 20, style: st.money, value: func(p model.FrontierPoint) any { return p.Choice.Objective }},
		m("NPV (£)", empty(func(r *model.Result) float64 { return r.DecisionNPV.Mean })),
		m("NPV 5%", empty(func(r *model.Result) float64 { return r.DecisionNPV.Lo })),
		m("NPV 95%", empty(func(r *model.Result) float64 { return r.DecisionNPV.Hi })),
		m("ΔALE (£/yr)", empty(func(r *model.Result) float64 { return r.DeltaALE.Mean })),
		m("ΔALE 5%", empty(func(r *model.Result) float64 { return r.DeltaALE.Lo })),
		m("ΔALE 95%", empty(func(r *model.Result) float64 { return r.DeltaALE.Hi })),
		{head: "BCR", width: 8, style: st.ratio, value: sim(func(r *model.Result) any { return r.InView(view).BCR.Mean })},
		{head: "P(NPV>0)", width: 9, style: st.pct, value: sim(func(r *model.Result) any { return r.InView(view).PNPVPositive })},
		{head: "Proven best", width: 9, value: func(p model.FrontierPoint) any { return yesNo(p.Choice.Optimal) }},
		// What each breakpoint adds, and the risk it buys.
		{head: "Adds", width: 16, value: func(p model.FrontierPoint) any { return addedText(p) }},
		m("ΔP95 (£)", empty(func(res *model.Result) float64 { return base.P95 - res.Loss.P95 })),
		m("ΔTVaR95 (£)", empty(func(res *model.Result) float64 { return base.TVaR95 - res.Loss.TVaR95 })),
		{head: "ΔALE per " + b.cur.unit() + "1 spent", width: 12, style: st.ratio, value: sim(func(res *model.Result) any {
			return res.DeltaALE.Mean / res.EAC.Mean
		})},
	}
	s := sheetFrontier
	last := table(b, s, 1, cols, pa.Frontier)
	if b.err != nil {
		return
	}
	note := len(cols) + 2
	b.set(s, note, 1, "The best portfolio at each budget. The objective is as the search valued it ("+objectiveSource(pa)+
		"); NPV, ΔALE, BCR and P(NPV>0) come from simulating each portfolio, with 90% intervals across outer draws. "+
		"BCR and P(NPV>0) are blank for the empty portfolio, which changes nothing.", st.wrap)
	b.do(b.f.SetColWidth(s, colName(note), colName(note), 50))

	ref := func(col int) string {
		return fmt.Sprintf("%s!$%s$2:$%s$%d", s, colName(col), colName(col), last)
	}
	series := func(col int, colour string, width float64, dash excelize.LineDashType, marker string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$1", s, colName(col)),
			Categories: ref(1),
			Values:     ref(col),
			Line:       excelize.LineOptions{Type: excelize.LineSolid, Width: width, Dash: dash},
			Marker:     excelize.ChartMarker{Symbol: marker, Size: 5},
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
		}
	}
	cs := []excelize.ChartSeries{series(5, "0072B2", 2, excelize.LineDashSolid, "circle")}
	switch pa.Objective {
	case model.MaxNPV:
		cs = append(cs, series(7, "56B4E9", 1.25, excelize.LineDashDash, "none"), series(8, "56B4E9", 1.25, excelize.LineDashDash, "none"))
	case model.MaxDeltaALE:
		cs = append(cs, series(10, "56B4E9", 1.25, excelize.LineDashDash, "none"), series(11, "56B4E9", 1.25, excelize.LineDashDash, "none"))
	}
	xTitle := b.cur.in("Yearly budget, equivalent annual cost (£)")
	if kind == model.CapexBudget {
		xTitle = b.cur.in("Capital budget (£)")
	}
	b.do(b.f.AddChart(s, cellName(2, last+3), &excelize.Chart{
		Type:   excelize.Scatter,
		Series: cs,
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Efficient frontier: " + objectiveShort(pa.Objective) + " of the best portfolio at each budget (" + prices(r) + ")"}}},
		XAxis: excelize.ChartAxis{
			MajorGridLines: true,
			Minimum:        new(0.0),
			Font:           excelize.Font{Color: "404040"},
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: b.cur.axisFmt(b.millions)},
			Title:          excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: xTitle}}},
		},
		YAxis: excelize.ChartAxis{
			MajorGridLines: true,
			Font:           excelize.Font{Color: "404040"},
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: b.cur.axisFmt(b.millions)},
			Title:          excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: objectiveName(pa.Objective) + " (" + b.cur.unit() + ")"}}},
		},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 900, Height: 520},
	}))
	b.patchChart(straightScatter)
	// The note beside the table stays out of print.
	b.layout(s).area = fmt.Sprintf("$A$1:$%s$%d", colName(len(cols)), last+30)
}

// addedText lists what a frontier point adds to (and drops from) the
// point before it.
func addedText(p model.FrontierPoint) string {
	s := strings.Join(p.Added, "+")
	if len(p.Removed) > 0 {
		s = strings.TrimSpace(s + " (drops " + strings.Join(p.Removed, "+") + ")")
	}
	return s
}
