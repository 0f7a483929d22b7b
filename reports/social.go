package reports

import (
	"fmt"
	"slices"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/cybercba/cybercba/model"
)

// This file holds the outputs of the social view, where patient harm
// valued in money counts beside the financial loss: the side-by-side
// ranking figure and the Social sheet.

// sheetSocial is the social view's sheet.
const sheetSocial = "Social"

// hasSocial reports whether the run's results carry the social view: every
// control's result has it (the model gives it to all or none).
func hasSocial(r *Report) bool {
	res := r.Analysis.Results
	return len(res) > 0 && !slices.ContainsFunc(res, func(x model.Result) bool { return x.Social == nil })
}

// socialRow is one control in both views.
type socialRow struct {
	ctl             model.Control
	res             *model.Result
	finRank, socRnk int
}

// socialRows returns every control with its rank by expected NPV in the
// financial and in the social view, in financial rank order.
func socialRows(r *Report) []socialRow {
	an := r.Analysis
	fin := model.RankIn(an.Results, model.ByNPV, model.Financial)
	soc := model.RankIn(an.Results, model.ByNPV, model.Social)
	socRank := make([]int, len(an.Results))
	for k, i := range soc.Order {
		socRank[i] = k + 1
	}
	rows := make([]socialRow, len(fin.Order))
	for k, i := range fin.Order {
		res := &an.Results[i]
		rows[k] = socialRow{ctl: r.Model.Controls[res.Portfolio[0]], res: res, finRank: k + 1, socRnk: socRank[i]}
	}
	return rows
}

// moneyNPV is the control's NPV on money alone, whichever view decides.
func (s socialRow) moneyNPV() model.Interval { return s.res.MoneyNPV }

// differs says whether a control's rank or the sign of its NPV differs
// between the two views, and how.
func (s socialRow) differs() string {
	rank := s.finRank != s.socRnk
	sign := (s.moneyNPV().Mean > 0) != (s.res.Social.NPV.Mean > 0)
	switch {
	case rank && sign:
		return "yes: rank and NPV sign"
	case rank:
		return "yes: rank"
	case sign:
		return "yes: NPV sign"
	}
	return "no"
}

// socialOffset is how far above and below its row each view's point sits
// on the social ranking figure, in rows.
const socialOffset = 0.18

// socialFigure plots each control's mean NPV with its 90% interval across
// outer draws in the financial view and, just below it, in the social view,
// controls in financial rank order, best at the top, against a zero line;
// a control that ranks differently in the social view says so under its
// name. It is omitted when the results have no social view.
func socialFigure(r *Report, _ []option) (Figure, bool, error) {
	if !hasSocial(r) {
		return Figure{}, false, nil
	}
	rows := socialRows(r)
	n := len(rows)
	names := make([]string, n)
	views := []struct {
		name   string
		offset float64
		npv    func(socialRow) model.Interval
		sty    pointRange
	}{
		{"Financial view", socialOffset, func(s socialRow) model.Interval { return s.moneyNPV() },
			pointRange{glyph: draw.GlyphStyle{Color: blue, Radius: 4, Shape: draw.CircleGlyph{}}, line: draw.LineStyle{Color: blue, Width: 1.5}}},
		{"Social view, patient harm valued", -socialOffset, func(s socialRow) model.Interval { return s.res.Social.NPV },
			pointRange{glyph: draw.GlyphStyle{Color: vermillion, Radius: 4.5, Shape: draw.PyramidGlyph{}}, line: draw.LineStyle{Color: vermillion, Width: 1.5}}},
	}
	title := "NPV in the financial and social views: " + scopeName(r)
	xLabel := fmt.Sprintf("NPV over %d years (%s)\npoint: mean · bar: 90%% interval across outer draws", r.Analysis.Appraisal.Horizon, prices(r))
	p := newPlot(fitTitle(title), xLabel, "")
	p.X.Tick.Marker = moneyTicks{niceTicks{N: 5, Label: currencyOf(r).tick, Width: panelWidth}, currencyOf(r)}
	g := newGrid()
	g.Horizontal.Color = nil
	p.Add(g)
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.6}, {X: 0, Y: float64(n) - 0.4}})
	if err != nil {
		return Figure{}, false, fmt.Errorf("ranking-social: %w", err)
	}
	zero.LineStyle = draw.LineStyle{Color: grey, Width: 1, Dashes: []vg.Length{4, 2}}
	p.Add(zero)
	var k key
	for _, v := range views {
		var means plotter.XYs
		var bars []interval
		for i, s := range rows {
			y := float64(n-1-i) + v.offset
			names[n-1-i] = wrap(controlName(r.Model, s.res), textStyle(tickSize), rankLabelShare*figWidth)
			if s.socRnk != s.finRank {
				names[n-1-i] += fmt.Sprintf("\n(social view: rank %d)", s.socRnk)
			}
			npv := v.npv(s)
			if finite(npv.Mean) {
				means = append(means, plotter.XY{X: npv.Mean, Y: y})
			}
			if finite(npv.Lo) && finite(npv.Hi) {
				bars = append(bars, interval{y: y, lo: npv.Lo, hi: npv.Hi})
			}
		}
		p.Add(&intervals{rows: bars, LineStyle: v.sty.line, capWidth: 6})
		if len(means) > 0 {
			pts, err := plotter.NewScatter(means)
			if err != nil {
				return Figure{}, false, fmt.Errorf("ranking-social: %w", err)
			}
			pts.GlyphStyle = v.sty.glyph
			p.Add(pts)
		}
		k.add(v.name+": mean NPV and 90% interval", v.sty)
	}
	p.NominalY(names...)
	span := p.X.Max - p.X.Min
	p.X.Min, p.X.Max = p.X.Min-0.04*span, p.X.Max+0.04*span
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	lines := 1
	for _, nm := range names {
		lines = max(lines, strings.Count(nm, "\n")+1)
	}
	row := max(0.45*vg.Inch, vg.Length(lines)*tickSize*1.2+0.1*vg.Inch)
	h := max(figHeight, vg.Length(n)*row+1.8*vg.Inch) + k.room()
	data := [][]string{{"Financial rank", "Social rank", "Control", "Financial NPV mean (" + prices(r) + ")", "Financial NPV P5", "Financial NPV P95", "Social NPV mean", "Social NPV P5", "Social NPV P95"}}
	for _, s := range rows {
		f, so := s.moneyNPV(), s.res.Social.NPV
		data = append(data, []string{fmt.Sprint(s.finRank), fmt.Sprint(s.socRnk), controlName(r.Model, s.res),
			csvNum(f.Mean), csvNum(f.Lo), csvNum(f.Hi), csvNum(so.Mean), csvNum(so.Lo), csvNum(so.Hi)})
	}
	return Figure{Name: "ranking-social", Title: title, Caption: figureCaption(r), W: figWidth, H: h, plot: p, key: k, data: data}, true, nil
}

// pointRange is the key's thumbnail of a point with its interval: a bar
// with the point's glyph at its middle.
type pointRange struct {
	glyph draw.GlyphStyle
	line  draw.LineStyle
}

// Thumbnail draws the bar and the glyph.
func (pr pointRange) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(pr.line, c.Min.X, y, c.Max.X, y)
	c.DrawGlyph(pr.glyph, c.Center())
}

// social writes the Social sheet: one row per control in financial rank
// order, with its NPV in each view, the harm it avoids, its rank in each
// view and whether they differ; and under the table the baseline's
// patient harm.
func (b *book) social(r *Report) {
	an := r.Analysis
	st := b.st
	type row = socialRow
	m := func(head string, f func(row) float64) column[row] {
		return column[row]{head: b.cur.in(head), width: 14, style: st.money, value: func(s row) any { return f(s) }}
	}
	cols := []column[row]{
		{head: "ID", width: 8, value: func(s row) any { return s.ctl.ID }},
		{head: "Control", width: 34, style: st.text, value: func(s row) any { return s.ctl.Name }},
		m("Financial NPV (£)", func(s row) float64 { return s.moneyNPV().Mean }),
		m("Financial NPV 5%", func(s row) float64 { return s.moneyNPV().Lo }),
		m("Financial NPV 95%", func(s row) float64 { return s.moneyNPV().Hi }),
		m("Harm avoided (£/yr)", func(s row) float64 { return s.res.Social.DeltaHarm.Mean }),
		m("Harm avoided SE", func(s row) float64 { return s.res.Social.DeltaHarmSE }),
		m("PV harm avoided (£)", func(s row) float64 { return s.res.Social.PVHarm.Mean }),
		m("Social NPV (£)", func(s row) float64 { return s.res.Social.NPV.Mean }),
		m("Social NPV 5%", func(s row) float64 { return s.res.Social.NPV.Lo }),
		m("Social NPV 95%", func(s row) float64 { return s.res.Social.NPV.Hi }),
		{head: "Social BCR", width: 9, style: st.ratio, value: func(s row) any { return s.res.Social.BCR.Mean }},
		{head: "P(social NPV>0)", width: 10, style: st.pct, value: func(s row) any { return s.res.Social.PNPVPositive }},
		{head: "Financial rank", width: 9, style: st.count, value: func(s row) any { return s.finRank }},
		{head: "Social rank", width: 9, style: st.count, value: func(s row) any { return s.socRnk }},
		{head: "Differs", width: 22, value: func(s row) any { return s.differs() }},
	}
	s := sheetSocial
	last := table(b, s, 1, cols, socialRows(r))
	if b.err != nil {
		return
	}
	note := len(cols) + 2
	b.set(s, note, 1, fmt.Sprintf("Each control alone, in both views, in financial rank order. The financial view counts money only; the social "+
		"view adds the patient harm a control avoids (extra deaths per organisation-day of outage × QALYs lost per death × value of a QALY), "+
		"discounted at the health rate, as a benefit. Ranks are by mean NPV in each view. \"Differs\" marks a control whose rank or the sign "+
		"of whose NPV changes with the view. Intervals are 90%% across outer draws; SE is the Monte Carlo standard error. This run ranks "+
		"its other sheets in the %s view.", orDefault(r.Settings.View, an.Appraisal.View.String())), st.wrap)
	b.do(b.f.SetColWidth(s, colName(note), colName(note), 60))
	// Under the table a label sits in column A, running on over the empty
	// column B, and its value in column C.
	for i, it := range []item{
		{label: b.cur.in("Baseline patient harm, valued (£/yr)"), value: an.BaselineHarm, note: "Expected yearly harm with no new controls, valued in money."},
		{label: "Its standard error", value: an.BaselineHarmSE, note: "Monte Carlo standard error (batch means over outer draws)."},
	} {
		at := last + 2 + i
		b.set(s, 1, at, it.label, st.label)
		b.set(s, 3, at, it.value, st.money)
		b.set(s, 4, at, it.note, 0)
	}
	end := last + 3
	// The implied deaths' sentence, with their sources and caveats (the
	// Summary gives the figures), across the table's width.
	if t := r.Explain.Deaths; t != "" {
		end = last + 5
		b.paragraph(s, end, len(cols), t)
	}
	// The note beside the table stays out of print.
	b.layout(s).labels = 2
	b.layout(s).area = fmt.Sprintf("$A$1:$%s$%d", colName(len(cols)), end)
}

// socialText is the About paragraph on the social view, or "" when the
// run has none.
func socialText(r *Report) string {
	if !hasSocial(r) {
		return ""
	}
	qaly := "the value of a QALY"
	if r.Model != nil && r.Model.Harm != nil && r.Model.Harm.ValuePerQALY > 0 {
		qaly += " (" + currencyOf(r).text(r.Model.Harm.ValuePerQALY)
		if r.PriceYear != "" {
			qaly += " in " + r.PriceYear + " prices"
		}
		qaly += ", as the inputs give it)"
	}
	return "The social view (sheet Social and the ranking-social plot). Beside money, an outage harms patients: the model counts extra deaths " +
		"per full-outage day (a day disrupted at intensity k_d counts as min(k_d/k_full, 1) of one), the QALYs lost with each death, and " +
		qaly + ", so that one event's harm is S·D·min(k_d/k_full, 1)·h·q·v. Harm is discounted at the Green Book's health rate " +
		"(1.5%, lower after year 30), money at the standard rate. A control's social NPV counts the present value of the harm it avoids as a " +
		"benefit beside its financial one. The financial view stays calibrated on WannaCry's reported cost; the Social sheet shows where the " +
		"two views rank controls differently or disagree on whether a control pays for itself."
}
