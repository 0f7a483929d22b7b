package reports

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/cybercba/cybercba/model"
)

// HoldoutLine says in one line how the calibrated model fares on the
// hold-out incidents, and what that means for the decision, or "" when
// there are none.
func HoldoutLine(hs []Holdout) string {
	if len(hs) == 0 {
		return ""
	}
	var above, below []string
	var ratioAbove, ratioBelow []float64
	for _, h := range hs {
		r := h.Observed / h.Replay.Mean
		switch {
		case h.Observed > h.Replay.P95:
			above = append(above, h.Name)
			ratioAbove = append(ratioAbove, r)
		case h.Observed < h.Replay.P5:
			below = append(below, h.Name)
			ratioBelow = append(ratioBelow, 1/r)
		}
	}
	n := len(hs)
	geo := func(rs []float64) float64 {
		var s float64
		for _, r := range rs {
			s += math.Log(r)
		}
		return math.Exp(s / float64(len(rs)))
	}
	var parts []string
	if len(above) > 0 {
		parts = append(parts, fmt.Sprintf("falls short of %d of %d hold-out incidents by about %.1f× (observed above its 90%% interval: %s): losses, and so the benefits of controls, are probably understated",
			len(above), n, geo(ratioAbove), strings.Join(above, "; ")))
	}
	if len(below) > 0 {
		parts = append(parts, fmt.Sprintf("overshoots %d of %d by about %.1f× (%s): losses, and so benefits, may be overstated",
			len(below), n, geo(ratioBelow), strings.Join(below, "; ")))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("Hold-outs: the calibrated model's 90%% interval holds all %d hold-out incidents (not fitted to them).", n)
	}
	inside := n - len(above) - len(below)
	return "Hold-outs: the calibrated model " + strings.Join(parts, "; it ") + fmt.Sprintf("; %d of %d fall inside its 90%% interval (not fitted; see cybercba calibrate).", inside, n)
}

// Explanation holds the decision's sentences exactly as the terminal
// prints them, so that every output words them alike.
type Explanation struct {
	// Recommendation is the recommendation in one sentence.
	Recommendation string
	// WeakPoint and TopWeakPoint say what the recommendation and the
	// top-ranked control hang on most, with the switching value.
	WeakPoint, TopWeakPoint string
	// LeftOut explains each control with a positive NPV alone that the
	// recommendation leaves out.
	LeftOut []string
	// Holdouts says how the calibrated model fares on the hold-outs.
	Holdouts string
	// Deaths is the social view's sanity line ("" in the financial view).
	Deaths string
	// Tolerance says whether the baseline and the recommendation stay
	// within the risk tolerance ("" without one).
	Tolerance string
}

// sheetBuildUp is the sheet of the recommendation's build-up.
const sheetBuildUp = "Build-up"

// buildUp writes the Build-up sheet: the recommendation in a sentence,
// each control added in turn with what it adds given those before it (by
// the closed form, and simulated with its standard error), the total, and
// the controls left out and why.
func (b *book) buildUp(r *Report) {
	d := r.Decision
	s := sheetBuildUp
	st := b.st
	b.set(s, 1, 1, "How the recommendation builds up: "+scopeName(r), st.title)
	b.set(s, 1, 2, r.Explain.Recommendation, 0)
	cols := []column[model.BuildStep]{
		{head: "Step", width: 6, style: st.count, value: func(x model.BuildStep) any { return stepOf(d, x) }},
		{head: "ID", width: 8, value: func(x model.BuildStep) any { return x.ID }},
		{head: "Control", width: 48, value: func(x model.BuildStep) any { return r.Model.Controls[x.Control].Name }},
		{head: b.cur.in("Cost (£/yr)"), width: 14, style: st.money, value: func(x model.BuildStep) any { return x.Annual }},
		{head: b.cur.in("Adds ΔALE (£/yr)"), width: 16, style: st.money, value: func(x model.BuildStep) any { return x.MarginalDeltaALE }},
		{head: b.cur.in("Adds NPV (£), closed form"), width: 18, style: st.money, value: func(x model.BuildStep) any { return x.MarginalNPV }},
		{head: b.cur.in("Adds NPV (£), simulated"), width: 18, style: st.money, value: func(x model.BuildStep) any { return x.SimNPV }},
		{head: b.cur.in("Simulated SE (£)"), width: 14, style: st.money, value: func(x model.BuildStep) any { return x.SimNPVSE }},
		{head: b.cur.in("Cumulative NPV (£)"), width: 18, style: st.money, value: func(x model.BuildStep) any { return cumulative(d, x) }},
	}
	last := writeRows(b, s, 4, cols, d.BuildUp)
	b.widths(s, 6, 8, 48, 14, 16, 18, 18, 14, 18)
	b.freeze(s, 4)
	row := last + 1
	if len(d.BuildUp) > 0 {
		b.set(s, 3, row, "Total: the recommended portfolio", st.header)
		b.set(s, 4, row, d.Portfolio.Choice.Annual, st.money)
		b.set(s, 6, row, cumulative(d, d.BuildUp[len(d.BuildUp)-1]), st.money)
		if d.Recommended != nil {
			b.set(s, 7, row, d.Recommended.DecisionSimNPV, st.money)
			b.set(s, 8, row, d.Recommended.DecisionNPVSE, st.money)
		}
		row++
	}
	row++
	b.set(s, 1, row, "NPV is in the "+r.Settings.View+" view; ΔALE in money. Each step's figures are given the controls above it, so they add up to the portfolio's.", 0)
	row += 2
	if len(r.Explain.LeftOut) > 0 {
		b.set(s, 1, row, "Left out", st.header)
		for _, l := range r.Explain.LeftOut {
			row++
			b.set(s, 1, row, l, 0)
		}
		row += 2
	}
	for _, l := range []string{r.Explain.WeakPoint, r.Explain.TopWeakPoint, r.Explain.Holdouts, r.Explain.Deaths} {
		if l != "" {
			b.set(s, 1, row, l, 0)
			row++
		}
	}
}

func stepOf(d *model.Decision, x model.BuildStep) int {
	for i := range d.BuildUp {
		if d.BuildUp[i].ID == x.ID {
			return i + 1
		}
	}
	return 0
}

// cumulative is the recommendation's expected NPV after step x.
func cumulative(d *model.Decision, x model.BuildStep) float64 {
	var sum float64
	for _, st := range d.BuildUp {
		sum += st.MarginalNPV
		if st.ID == x.ID {
			break
		}
	}
	return sum
}

// buildUpFigure draws the recommendation's build-up as a waterfall: each
// control's marginal expected NPV as a bar from the running total, and the
// portfolio's total. It is omitted when nothing is recommended.
func buildUpFigure(r *Report, _ []option) (Figure, bool, error) {
	d := r.Decision
	if d == nil || len(d.BuildUp) == 0 {
		return Figure{}, false, nil
	}
	n := len(d.BuildUp)
	title := "How the recommended portfolio builds up: " + scopeName(r)
	// On two lines, so that the label stays within the plot's height.
	yLabel := fmt.Sprintf("Expected NPV over %d years\n(%s)", r.Analysis.Appraisal.Horizon, prices(r))
	p := newPlot(title, "", yLabel)
	p.Y.Tick.Marker = moneyTicks{linearTicks{Label: currencyOf(r).tick}, currencyOf(r)}
	g := newGrid()
	g.Vertical.Color = nil
	p.Add(g)
	names := make([]string, n+1)
	var run float64
	lo, hi := 0.0, 0.0
	for i, st := range d.BuildUp {
		from, to := run, run+st.MarginalNPV
		run = to
		col := green
		if st.MarginalNPV < 0 {
			col = vermillion
		}
		p.Add(&floatingBar{x: float64(i), lo: math.Min(from, to), hi: math.Max(from, to), fill: col})
		names[i] = "+ " + st.ID
		lo, hi = math.Min(lo, math.Min(from, to)), math.Max(hi, math.Max(from, to))
	}
	p.Add(&floatingBar{x: float64(n), lo: math.Min(0, run), hi: math.Max(0, run), fill: blue})
	names[n] = "Portfolio"
	p.NominalX(names...)
	span := math.Max(hi-lo, 1)
	p.Y.Min, p.Y.Max = lo-0.05*span, hi+0.08*span
	p.X.Min, p.X.Max = -0.6, float64(n)+0.6
	data := [][]string{{"Step", "Control", "Marginal expected NPV (" + prices(r) + ")", "Running total", "Marginal ΔALE a year", "Equivalent annual cost"}}
	run = 0
	for i, st := range d.BuildUp {
		run += st.MarginalNPV
		data = append(data, []string{strconv.Itoa(i + 1), st.ID, csvNum(st.MarginalNPV), csvNum(run), csvNum(st.MarginalDeltaALE), csvNum(st.Annual)})
	}
	return Figure{Name: "buildup", Title: title, Caption: figureCaption(r), W: figWidth, H: figHeight, plot: p, data: data}, true, nil
}

// floatingBar is one bar of a waterfall, from lo to hi at x.
type floatingBar struct {
	x, lo, hi float64
	fill      color.Color
}

func (f *floatingBar) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	w := vg.Length(28)
	x := tx(f.x)
	y0, y1 := ty(f.lo), ty(f.hi)
	if y1-y0 < 1 {
		y1 = y0 + 1
	}
	pts := []vg.Point{{X: x - w/2, Y: y0}, {X: x + w/2, Y: y0}, {X: x + w/2, Y: y1}, {X: x - w/2, Y: y1}}
	c.FillPolygon(f.fill, c.ClipPolygonXY(pts))
}

func (f *floatingBar) DataRange() (xmin, xmax, ymin, ymax float64) {
	return f.x, f.x, f.lo, f.hi
}
