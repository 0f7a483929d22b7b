package reports

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

// lecPoints is the number of points each loss exceedance curve is drawn
// with.
const lecPoints = 500

// lecFigure plots the loss exceedance curves of the baseline, the best
// single control and the recommended portfolio, and the risk tolerance if
// the report has one. Each curve is the full empirical exceedance of the
// simulated years, read at lecPoints probabilities log-spaced from 1 down
// to 1/n, and drawn only down to the smallest probability whose Monte
// Carlo error can be measured (see runsSE): below it a curve is a
// staircase of a handful of simulated years. A pale band behind the
// baseline shows that error, ±1.96 standard errors by batch means (see
// exceedance). The y axis gives return periods ("1 in 100 years"); a
// vertical line marks the calibration incident (WannaCry) replayed in the
// report's prices. It is omitted when no simulated year has a loss.
func lecFigure(r *Report, opts []option) (Figure, bool, error) {
	an := r.Analysis
	cur := currencyOf(r)
	n := len(opts[0].loss)
	// The grid reaches the decade holding 1/n, kept within [1e-6, 1e-2].
	floorP := math.Pow10(int(min(max(math.Floor(lg(1/float64(n))), -6), -2)))
	ps := exceedanceGrid(1, max(1/float64(n), floorP), lecPoints)

	type curve struct {
		name string
		sty  draw.LineStyle
		vals []float64
		xys  plotter.XYs
	}
	curves := []curve{{name: "Baseline (no new controls)", sty: line(black)}}
	src := []option{opts[0]}
	if len(an.Results) > 0 {
		curves = append(curves, curve{name: "Best single control: " + clip(opts[1].name, 2*maxLabel), sty: line(blue, 7, 3)})
		src = append(src, opts[1])
	}
	if an.Recommended != nil {
		curves = append(curves, curve{name: opts[len(opts)-1].label, sty: line(green)})
		src = append(src, opts[len(opts)-1])
	}
	var sc exceedanceScratch
	// The baseline's loss and its standard error at each p.
	base, se := exceedance(src[0].loss, src[0].draws, src[0].years, ps, &sc)
	end := tailEnd(ps, se, n)
	ps, base, se = ps[:end], base[:end], se[:end]
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range curves {
		vals := base
		if i > 0 {
			sc.runs = append(sc.runs[:0], src[i].loss...)
			selectRanks(sc.runs, gridRanks(ps, len(sc.runs)))
			vals = make([]float64, len(ps))
			for k, p := range ps {
				vals[k] = lossAt(sc.runs, p)
			}
		}
		curves[i].vals = vals
		for k, p := range ps {
			if v := vals[k]; v > 0 {
				curves[i].xys = append(curves[i].xys, plotter.XY{X: lg(v), Y: lg(p)})
			}
		}
		xys := curves[i].xys
		if len(xys) == 0 {
			continue
		}
		// The x axis starts where the curve crosses 0.9, so that a few
		// small years do not stretch it over empty decades.
		k, _ := slices.BinarySearchFunc(xys, lg(0.9), func(xy plotter.XY, p float64) int {
			if xy.Y > p {
				return -1
			}
			return 1
		})
		lo = min(lo, xys[min(k, len(xys)-1)].X)
		hi = max(hi, xys[len(xys)-1].X)
	}
	if math.IsInf(lo, 1) {
		return Figure{}, false, nil
	}
	var tol plotter.XYs
	for _, pt := range r.RiskTolerance {
		if pt.Loss > 0 && pt.Exceedance > 0 && finite(pt.Loss) {
			tol = append(tol, plotter.XY{X: lg(pt.Loss), Y: lg(pt.Exceedance)})
		}
	}
	slices.SortFunc(tol, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) })
	for _, pt := range tol {
		lo, hi = min(lo, pt.X), max(hi, pt.X)
	}
	ref, refOK := incidentNow(r)
	if refOK {
		lo, hi = min(lo, lg(ref)), max(hi, lg(ref))
	}

	title := "Loss exceedance: " + scopeName(r)
	xLabel := "Annual loss (" + prices(r) + "), log scale"
	pEnd := ps[len(ps)-1]
	if pEnd > 1/float64(n) {
		xLabel += "\ncurves end at " + returnPeriod(pEnd) + ": too few simulated years lie beyond"
	}
	p := newPlot(title, xLabel, "Chance in a year of a larger loss")
	p.X.Tick.Marker = logTicks{Label: cur.tick}
	p.Y.Tick.Marker = logTicks{Label: returnPeriod}
	p.Add(newGrid())
	var k key
	band := samplingBand(ps, base, se, math.Pow10(int(math.Floor(lo))-1))
	if band != nil {
		p.Add(band)
	}
	for i, c := range curves {
		if len(c.xys) == 0 {
			continue
		}
		l, err := plotter.NewLine(c.xys)
		if err != nil {
			return Figure{}, false, fmt.Errorf("lec: %s: %w", c.name, err)
		}
		l.LineStyle = c.sty
		p.Add(l)
		k.add(c.name, l)
		if i == 0 && band != nil {
			k.add("Baseline: 95% sampling band, ±1.96 SE (batch means)", band)
		}
	}
	if len(tol) > 0 {
		l, err := plotter.NewLine(tol)
		if err != nil {
			return Figure{}, false, fmt.Errorf("lec: risk tolerance: %w", err)
		}
		l.LineStyle = line(vermillion, 2, 3)
		p.Add(l)
		k.add("Risk tolerance", l)
	}
	if refOK {
		v := &vline{x: lg(ref), LineStyle: draw.LineStyle{Color: vermillion, Width: 1.5, Dashes: []vg.Length{2, 2}}}
		p.Add(v)
		k.add(incidentRefLabel(r, ref), v)
	}
	p.X.Min, p.X.Max = math.Floor(lo), math.Ceil(hi)
	p.Y.Min, p.Y.Max = math.Floor(lg(pEnd)), 0

	data := [][]string{{"Exceedance probability", "Return period (years)", "Baseline annual loss (" + prices(r) + ")", "Baseline: standard error"}}
	for _, c := range curves[1:] {
		data[0] = append(data[0], c.name+": annual loss")
	}
	for i, p := range ps {
		row := []string{csvNum(p), csvNum(1 / p), csvNum(base[i]), csvNum(se[i])}
		for _, c := range curves[1:] {
			row = append(row, csvNum(c.vals[i]))
		}
		data = append(data, row)
	}
	return Figure{Name: "lec", Title: title, Caption: figureCaption(r), W: figWidth, H: figHeight + k.room(), plot: p, key: k, data: data}, true, nil
}

// tailEnd returns how many of the exceedance probabilities ps (falling) a
// loss exceedance curve is drawn at: those down to the last whose standard
// error se is known, where each batch holds at least two years beyond it.
// When no point has one (a sample too small for batches), the curve stops
// where ten simulated years of n lie beyond.
func tailEnd(ps, se []float64, n int) int {
	for i := len(ps) - 1; i > 0; i-- {
		if finite(se[i]) {
			return i + 1
		}
	}
	i := len(ps)
	for i > 1 && ps[i-1]*float64(n) < 10 {
		i--
	}
	return i
}

// returnPeriod writes an annual exceedance probability as a return
// period: "every year", "1 in 2 years", "1 in 1,000 years".
func returnPeriod(p float64) string {
	if p >= 1 {
		return "every year"
	}
	return format.ReturnPeriod(roundSig(1/p, 2)) + " years"
}

// incidentNow returns the calibration incident's modelled cost, the mean of
// its replay, restated in the report's prices (the fitted rates' deflator,
// DailyNow/Daily), and whether the report has one.
func incidentNow(r *Report) (float64, bool) {
	fit := r.Calibration.Fit
	if !(fit.Daily > 0) || !(fit.Replay.Mean > 0) || !finite(fit.DailyNow) {
		return 0, false
	}
	v := fit.Replay.Mean * fit.DailyNow / fit.Daily
	return v, finite(v) && v > 0
}

// incidentRefLabel names the reference line of the calibration incident:
// "WannaCry (2017) replayed in 2024-25 prices: £119m".
func incidentRefLabel(r *Report, v float64) string {
	name := shortName(r.Calibration.Incident)
	if name == "" {
		name = "Calibration incident"
	}
	if y := yearIn(r.Calibration.Incident); y != "" {
		name += " (" + y + ")"
	}
	at := " replayed"
	if r.PriceYear != "" {
		at += " in " + r.PriceYear + " prices"
	}
	return name + at + ": " + currencyOf(r).text(v)
}

// yearIn returns the first four-digit year (1900–2099) in s, or "".
func yearIn(s string) string {
	for i := 0; i+4 <= len(s); i++ {
		y := s[i : i+4]
		if (y[:2] == "19" || y[:2] == "20") && isDigits(y[2:]) &&
			(i == 0 || !isDigit(s[i-1])) && (i+4 == len(s) || !isDigit(s[i+4])) {
			return y
		}
	}
	return ""
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// samplingBand returns the band loss ± 1.96·SE around a loss exceedance
// curve read at exceedance probabilities ps, in log10 coordinates, as one
// pale polygon: the Monte Carlo error of the curve at 95% confidence. The
// band leaves out the points without a standard error or a positive loss,
// and starts its lower edge no lower than floor, below the axis, where a
// log axis cannot go. It is nil when fewer than two points have a band.
func samplingBand(ps, loss, se []float64, floor float64) *plotter.Polygon {
	var upper, lower plotter.XYs
	for i, p := range ps {
		if !(loss[i] > 0) || !finite(se[i]) {
			continue
		}
		upper = append(upper, plotter.XY{X: lg(loss[i] + 1.96*se[i]), Y: lg(p)})
		lower = append(lower, plotter.XY{X: lg(max(loss[i]-1.96*se[i], floor)), Y: lg(p)})
	}
	if len(upper) < 2 {
		return nil
	}
	slices.Reverse(lower)
	band, err := plotter.NewPolygon(append(upper, lower...))
	if err != nil {
		return nil
	}
	band.Color = paleSkyBlue
	band.LineStyle = draw.LineStyle{}
	return band
}

// histogramBinsPerDecade is the number of log-spaced histogram bins in each
// factor of ten of annual loss.
const histogramBinsPerDecade = 10

// histogramFigure plots the histogram of the baseline's simulated annual
// losses in log-spaced bins, with its ALE and 95th percentile marked. Years
// without loss cannot sit on a log axis: the x label gives their share.
// Bins, a tenth of a decade wide, run from the decade holding the 0.1th
// percentile of the positive losses (smaller losses join the first bin) to
// the decade above the largest; the axis is fitted to the bins that hold
// years, with one empty bin either side. It is omitted when no simulated
// year has a loss.
func histogramFigure(r *Report, opts []option) (Figure, bool, error) {
	base := opts[0]
	var pos []float64
	for _, v := range base.loss {
		if v > 0 {
			pos = append(pos, v)
		}
	}
	if len(pos) == 0 {
		return Figure{}, false, nil
	}
	slices.Sort(pos)
	lo, hi := decades(pos[quantileIndex(0.001, len(pos))], pos[len(pos)-1])
	nb := max(int(hi-lo)*histogramBinsPerDecade, 1)
	bins := make([]plotter.HistogramBin, nb)
	for i := range bins {
		bins[i].Min = lo + float64(i)/histogramBinsPerDecade
		bins[i].Max = lo + float64(i+1)/histogramBinsPerDecade
	}
	n := float64(len(base.loss))
	for _, v := range pos {
		i := int(math.Floor((lg(v) - lo) * histogramBinsPerDecade))
		bins[min(max(i, 0), nb-1)].Weight += 100 / n
	}
	var top float64
	first, last := nb, -1
	for i, b := range bins {
		top = max(top, b.Weight)
		if b.Weight > 0 {
			first, last = min(first, i), i
		}
	}
	xlo, xhi := bins[first].Min-1.0/histogramBinsPerDecade, bins[last].Max+1.0/histogramBinsPerDecade
	for _, v := range []float64{base.sum.ALE, base.sum.P95} {
		if v > 0 && finite(v) {
			xlo, xhi = min(xlo, lg(v)-0.5/histogramBinsPerDecade), max(xhi, lg(v)+0.5/histogramBinsPerDecade)
		}
	}
	data := [][]string{{"Bin from (" + prices(r) + ")", "Bin to", "Share of simulated years (%)"}}
	for _, b := range bins[first : last+1] {
		data = append(data, []string{csvNum(math.Pow(10, b.Min)), csvNum(math.Pow(10, b.Max)), csvNum(b.Weight)})
	}

	title := "Annual loss with no new controls: " + scopeName(r)
	xLabel := "Annual loss (" + prices(r) + "), log scale"
	if zero := 1 - float64(len(pos))/n; zero > 0 {
		xLabel += fmt.Sprintf("\n%.1f%% of years had no loss and are not shown", 100*zero)
	}
	p := newPlot(title, xLabel, "Share of simulated years (%)")
	p.X.Tick.Marker = logTicks{Label: currencyOf(r).tick}
	p.Y.Tick.Marker = niceTicks{N: 6, Label: func(v float64) string { return fmt.Sprint(roundSig(v, 3)) }}
	p.Add(newGrid())
	h := &plotter.Histogram{Bins: bins, FillColor: skyBlue, LineStyle: draw.LineStyle{Color: color.White, Width: 0.5}}
	p.Add(h)
	var k key
	for _, m := range []struct {
		name  string
		value float64
		sty   draw.LineStyle
	}{
		{"Expected annual loss (ALE): " + currencyOf(r).text(base.sum.ALE), base.sum.ALE, line(vermillion)},
		{"95th percentile (P95): " + currencyOf(r).text(base.sum.P95), base.sum.P95, line(black, 7, 3)},
	} {
		if !(m.value > 0) || !finite(m.value) {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: lg(m.value), Y: 0}, {X: lg(m.value), Y: 1.08 * top}})
		if err != nil {
			return Figure{}, false, fmt.Errorf("histogram: %w", err)
		}
		l.LineStyle = m.sty
		p.Add(l)
		k.add(m.name, l)
	}
	p.X.Min, p.X.Max = xlo, xhi
	p.Y.Min, p.Y.Max = 0, 1.1*top
	return Figure{Name: "histogram", Title: title, Caption: figureCaption(r), W: figWidth, H: figHeight + k.room(), plot: p, key: k, data: data}, true, nil
}

// intervalRows draws one row per name, the first at the bottom: its mean
// as a point and its 90% interval as a bar (means and bars at y = the
// row's index), against a dashed zero line, with vertical grid lines.
func intervalRows(p *plot.Plot, names []string, means plotter.XYs, bars []interval) error {
	n := len(names)
	g := newGrid()
	g.Horizontal.Color = nil
	p.Add(g)
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.6}, {X: 0, Y: float64(n) - 0.4}})
	if err != nil {
		return err
	}
	zero.LineStyle = draw.LineStyle{Color: grey, Width: 1, Dashes: []vg.Length{4, 2}}
	p.Add(zero, &intervals{rows: bars, LineStyle: draw.LineStyle{Color: blue, Width: 1.5}, capWidth: 7})
	pts, err := plotter.NewScatter(means)
	if err != nil {
		return err
	}
	pts.GlyphStyle = draw.GlyphStyle{Color: blue, Radius: 4, Shape: draw.CircleGlyph{}}
	p.Add(pts)
	p.NominalY(names...)
	span := p.X.Max - p.X.Min
	p.X.Min, p.X.Max = p.X.Min-0.04*span, p.X.Max+0.04*span
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	return nil
}

// rankingFigure plots each control's mean NPV with its 90% interval across
// outer draws, best first from the top, against a zero line. Each control
// is named in full, wrapped onto as many lines as it needs in the left
// rankLabelShare of the width. It is omitted when the model has no
// controls.
func rankingFigure(r *Report, opts []option) (Figure, bool, error) {
	an := r.Analysis
	n := len(an.Results)
	if n == 0 {
		return Figure{}, false, nil
	}
	cur := currencyOf(r)
	names := make([]string, n)
	var means plotter.XYs
	var bars []interval
	data := [][]string{{"Rank", "Control", "NPV mean (" + prices(r) + ")", "NPV 5th percentile", "NPV 95th percentile"}}
	sty := textStyle(tickSize)
	lines := 1
	for k, o := range opts[1 : n+1] {
		y := float64(n - 1 - k)
		names[n-1-k] = wrap(o.name, sty, rankLabelShare*figWidth)
		lines = max(lines, strings.Count(names[n-1-k], "\n")+1)
		npv := o.result.DecisionNPV
		if finite(npv.Mean) {
			means = append(means, plotter.XY{X: npv.Mean, Y: y})
		}
		if finite(npv.Lo) && finite(npv.Hi) {
			bars = append(bars, interval{y: y, lo: npv.Lo, hi: npv.Hi})
		}
		data = append(data, []string{fmt.Sprint(k + 1), o.name, csvNum(npv.Mean), csvNum(npv.Lo), csvNum(npv.Hi)})
	}
	title := "Net present value of each control: " + scopeName(r)
	if m := r.Settings.Metric; m != "" {
		title = "Controls ranked by " + m + ": " + scopeName(r)
	}
	xLabel := fmt.Sprintf("NPV over %d years (%s)\npoint: mean · bar: 90%% interval across outer draws", an.Appraisal.Horizon, prices(r))
	// The axis serves the controls that matter: a long negative tail
	// (one control's interval reaching −£1bn) is cut at a marked break,
	// its true values written beside it.
	ranked := make([]*model.Result, n)
	for k, o := range opts[1 : n+1] {
		ranked[k] = o.result
	}
	clip, clipped := rankAxisMin(bars, rankMatters(r, ranked))
	var shown plotter.XYs
	for _, m := range means {
		if !clipped || m.X >= clip {
			shown = append(shown, m)
		}
	}
	if clipped {
		xLabel += "\n≈: a bar cut at the axis's end, its values written"
	}
	p := newPlot(fitTitle(title), xLabel, "")
	p.X.Tick.Marker = moneyTicks{niceTicks{N: 5, Label: cur.tick, Width: panelWidth}, cur}
	if err := intervalRows(p, names, shown, bars); err != nil {
		return Figure{}, false, fmt.Errorf("ranking: %w", err)
	}
	if clipped {
		span := p.X.Max - clip
		p.X.Min = clip - 0.02*span
		p.Add(&breakMarks{rows: clippedRows(bars, means, p.X.Min, cur.text), at: p.X.Min})
	}
	// Each row is tall enough for its label's lines and a gap.
	row := max(0.3*vg.Inch, vg.Length(lines)*sty.Font.Size*1.2+0.06*vg.Inch)
	h := max(figHeight, vg.Length(n)*row+1.8*vg.Inch)
	return Figure{Name: "ranking", Title: title, Caption: figureCaption(r), W: figWidth, H: h, plot: p, data: data}, true, nil
}

// rankMatters returns the rows (y, the ranking figure's row index, the
// first at the bottom) of the controls a ranking figure's axis must serve:
// the top rankServed ranked and those in the recommendation.
func rankMatters(r *Report, ranked []*model.Result) []int {
	n := len(ranked)
	in := map[string]bool{}
	if rec := r.Analysis.Recommended; rec != nil {
		for _, c := range rec.Controls {
			in[c] = true
		}
	}
	var rows []int
	for k, res := range ranked {
		if k < rankServed || len(res.Controls) == 1 && in[res.Controls[0]] {
			rows = append(rows, n-1-k)
		}
	}
	return rows
}

// rankAxis returns where the axis of a chart of the ranked results' NPV
// starts, and whether it cuts bars there (rankAxisMin): the ranking
// figure's and the workbook's Ranking chart's.
func rankAxis(r *Report, ranked []*model.Result) (float64, bool) {
	n := len(ranked)
	var bars []interval
	for k, res := range ranked {
		if finite(res.DecisionNPV.Lo) && finite(res.DecisionNPV.Hi) {
			bars = append(bars, interval{y: float64(n - 1 - k), lo: res.DecisionNPV.Lo, hi: res.DecisionNPV.Hi})
		}
	}
	return rankAxisMin(bars, rankMatters(r, ranked))
}

// rankServed is how many of the top-ranked controls a ranking figure's
// axis shows whole.
const rankServed = 3

// rankAxisMin returns where a ranking figure's axis starts, and whether it
// cuts bars there: when the intervals run further below the controls that
// matter (rows) than half the span those take (from their lowest end,
// or 0, to the highest end of all), the axis starts half that span below
// them; otherwise at the lowest end (not cut).
func rankAxisMin(bars []interval, rows []int) (float64, bool) {
	lo, hi, all := 0.0, 0.0, 0.0
	for _, b := range bars {
		hi, all = max(hi, b.hi), min(all, b.lo)
		if slices.Contains(rows, int(b.y)) {
			lo = min(lo, b.lo)
		}
	}
	clip := lo - 0.5*(hi-lo)
	if all >= clip || hi <= lo {
		return all, false
	}
	return clip, true
}

// clippedRow is a row of a ranking figure cut at the axis's start, with
// what is written beside its break mark.
type clippedRow struct {
	y    float64
	text string
}

// clippedRows returns the rows whose bar or mean lies left of min, each
// with its true values: the mean, when it is cut too, and the 5th
// percentile, as money.
func clippedRows(bars []interval, means plotter.XYs, min float64, money func(float64) string) []clippedRow {
	var out []clippedRow
	for _, b := range bars {
		if b.lo >= min {
			continue
		}
		t := "5%: " + money(b.lo)
		for _, m := range means {
			if m.Y == b.y && m.X < min {
				t = "mean " + money(m.X) + ", " + t
			}
		}
		out = append(out, clippedRow{y: b.y, text: t})
	}
	return out
}

// breakMarks draws, at the left edge of a ranking figure's panel, a break
// mark (≈) on each cut bar, and its true values written above it.
type breakMarks struct {
	rows []clippedRow
	at   float64
}

// Plot draws the marks and values.
func (bm *breakMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := textStyle(tickSize)
	sty.Color = grey
	mark := textStyle(tickSize * 1.6)
	mark.Color = blue
	mark.XAlign, mark.YAlign = draw.XCenter, draw.YCenter
	for _, r := range bm.rows {
		x, y := trX(bm.at)+0.1*vg.Inch, trY(r.y)
		// White behind the mark, so that the bar reads as broken.
		c.FillPolygon(color.White, []vg.Point{{X: x - 3, Y: y - 4}, {X: x + 3, Y: y - 4}, {X: x + 3, Y: y + 4}, {X: x - 3, Y: y + 4}})
		c.FillText(mark, vg.Point{X: x, Y: y}, "≈")
		c.FillText(sty, vg.Point{X: x, Y: y + 0.09*vg.Inch}, r.text)
	}
}

// DataRange returns nothing: the marks follow the axis.
func (bm *breakMarks) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
}

// rankLabelShare is the most of a ranking figure's width its control names
// take; panelWidth the width left to the data, less the axis's padding
// (measured on the figures: about 0.43 of the width).
const (
	rankLabelShare = 0.45
	panelWidth     = (1 - rankLabelShare - 0.12) * figWidth
)

// calibrationFigure plots the replay of the calibration incident and of
// each hold-out incident: the model's 90% interval, median and mean for
// one incident, against the reported or observed cost, all in the report's
// prices (the calibration incident's own figures restated with the fit's
// deflator), each incident named with its place and year. It is omitted
// when the report has neither a calibration nor hold-outs.
func calibrationFigure(r *Report, _ []option) (Figure, bool, error) {
	cal := r.Calibration
	cur := currencyOf(r)
	type row struct {
		name     string
		replay   replayStats
		observed float64
	}
	var rows []row
	if rp := cal.Fit.Replay; rp.Mean > 0 {
		name := cal.Incident
		if name == "" {
			name = "Calibration incident"
		}
		// The fit's deflator restates the incident in the report's prices.
		f := 1.0
		if cal.Fit.Daily > 0 && cal.Fit.DailyNow > 0 {
			f = cal.Fit.DailyNow / cal.Fit.Daily
		}
		st := statsOf(rp)
		st.p5, st.p50, st.p95, st.mean = f*st.p5, f*st.p50, f*st.p95, f*st.mean
		rows = append(rows, row{incidentName(name, "fitted"), st, f * cal.Target})
	}
	for _, h := range cal.Holdouts {
		name := h.Name
		if name == "" {
			name = h.ID
		}
		rows = append(rows, row{incidentName(name, "hold-out"), statsOf(h.Replay), h.Observed})
	}
	if len(rows) == 0 {
		return Figure{}, false, nil
	}
	n := len(rows)
	names := make([]string, n)
	var bars []interval
	var med, mean, obs plotter.XYs
	var obsLabels []string
	lo, hi := math.Inf(1), math.Inf(-1)
	data := [][]string{{"Incident", "Model P5 (" + prices(r) + ")", "Model median", "Model P95", "Model mean", "Reported or observed cost"}}
	for i, rw := range rows {
		y := float64(n - 1 - i)
		names[n-1-i] = rw.name
		s := rw.replay
		data = append(data, []string{strings.ReplaceAll(rw.name, "\n", ", "), csvNum(s.p5), csvNum(s.p50), csvNum(s.p95), csvNum(s.mean), csvNum(rw.observed)})
		if s.p5 > 0 && s.p95 > s.p5 {
			bars = append(bars, interval{y: y, lo: lg(s.p5), hi: lg(s.p95)})
			lo, hi = min(lo, s.p5), max(hi, s.p95)
		}
		if s.p50 > 0 {
			med = append(med, plotter.XY{X: lg(s.p50), Y: y})
		}
		if s.mean > 0 {
			mean = append(mean, plotter.XY{X: lg(s.mean), Y: y})
			lo, hi = min(lo, s.mean), max(hi, s.mean)
		}
		if rw.observed > 0 && finite(rw.observed) {
			obs = append(obs, plotter.XY{X: lg(rw.observed), Y: y})
			obsLabels = append(obsLabels, cur.text(rw.observed))
			lo, hi = min(lo, rw.observed), max(hi, rw.observed)
		}
	}
	if math.IsInf(lo, 1) {
		return Figure{}, false, nil
	}

	title := "Outage-cost calibration and hold-out incidents"
	xLabel := "Cost of one incident (" + prices(r) + "), log scale"
	p := newPlot(title, xLabel, "")
	p.X.Tick.Marker = logTicks{Label: currencyOf(r).tick}
	g := newGrid()
	g.Horizontal.Color = nil
	p.Add(g)
	box := &intervals{rows: bars, LineStyle: draw.LineStyle{Color: skyBlue, Width: 9}}
	p.Add(box)
	var k key
	k.add("Model 90% interval (P5 to P95)", box)
	for _, s := range []struct {
		name string
		xys  plotter.XYs
		sty  draw.GlyphStyle
	}{
		{"Model median", med, draw.GlyphStyle{Color: blue, Radius: 6, Shape: barGlyph{}}},
		{"Model mean", mean, draw.GlyphStyle{Color: blue, Radius: 4, Shape: draw.RingGlyph{}}},
		{"Reported or observed cost", obs, draw.GlyphStyle{Color: vermillion, Radius: 5, Shape: draw.PyramidGlyph{}}},
	} {
		if len(s.xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(s.xys)
		if err != nil {
			return Figure{}, false, fmt.Errorf("calibration: %w", err)
		}
		sc.GlyphStyle = s.sty
		p.Add(sc)
		k.add(s.name, sc)
	}
	if len(obs) > 0 {
		at := make(plotter.XYs, len(obs))
		for i, xy := range obs {
			at[i] = plotter.XY{X: xy.X, Y: xy.Y + 0.22}
		}
		labels, err := plotter.NewLabels(plotter.XYLabels{XYs: at, Labels: obsLabels})
		if err != nil {
			return Figure{}, false, fmt.Errorf("calibration: %w", err)
		}
		for i := range labels.TextStyle {
			labels.TextStyle[i] = textStyle(tickSize)
			labels.TextStyle[i].Color = vermillion
			labels.TextStyle[i].XAlign = draw.XCenter
		}
		p.Add(labels)
	}
	p.NominalY(names...)
	p.X.Min, p.X.Max = decades(lo, hi)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.2
	return Figure{Name: "calibration", Title: title, Caption: figureCaption(r), W: figWidth, H: figHeight + k.room(), plot: p, key: k, data: data}, true, nil
}

// replayStats are the figures of one incident replay that the calibration
// plot shows.
type replayStats struct{ p5, p50, p95, mean float64 }

func statsOf(rp model.Replay) replayStats {
	return replayStats{p5: rp.P5, p50: rp.P50, p95: rp.P95, mean: rp.Mean}
}

// incidentName names an incident on two lines: its short name, then where
// and when and its role. "Synnovis pathology, SE London, June 2024 (Qilin
// ransomware)" as a hold-out becomes "Synnovis pathology\nSE London, 2024,
// hold-out": the parts after the first comma, a part holding a year cut
// to the year.
func incidentName(s, role string) string {
	parts := strings.Split(s, ",")
	head := shortName(parts[0])
	var rest []string
	for _, p := range parts[1:] {
		p = strings.TrimSpace(p)
		if y := yearIn(p); y != "" {
			p = y
		}
		if p != "" {
			rest = append(rest, p)
		}
	}
	rest = append(rest, role)
	return head + "\n" + strings.Join(rest, ", ")
}

// shortName returns a name up to its first comma or bracket:
// "Synnovis pathology, SE London" → "Synnovis pathology".
func shortName(s string) string {
	if i := strings.IndexAny(s, ",("); i > 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// newGrid returns light grey grid lines at the major ticks.
func newGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical = draw.LineStyle{Color: lightGrey, Width: 0.5}
	g.Horizontal = draw.LineStyle{Color: lightGrey, Width: 0.5}
	return g
}

// interval is one horizontal bar from lo to hi at height y.
type interval struct{ y, lo, hi float64 }

// intervals draws horizontal interval bars, with end caps when capWidth is
// set. Unlike plotter.XErrorBars it takes the ends themselves, so an
// interval need not contain its point estimate.
type intervals struct {
	rows []interval
	draw.LineStyle
	capWidth vg.Length
}

// Plot draws the bars.
func (iv *intervals) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, r := range iv.rows {
		y, x0, x1 := trY(r.y), trX(r.lo), trX(r.hi)
		c.StrokeLines(iv.LineStyle, c.ClipLinesX([]vg.Point{{X: x0, Y: y}, {X: x1, Y: y}})...)
		if iv.capWidth == 0 {
			continue
		}
		for _, x := range []vg.Length{x0, x1} {
			if c.ContainsX(x) {
				c.StrokeLine2(iv.LineStyle, x, y-iv.capWidth/2, x, y+iv.capWidth/2)
			}
		}
	}
}

// DataRange returns the extent of the bars.
func (iv *intervals) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, r := range iv.rows {
		xmin, xmax = min(xmin, r.lo), max(xmax, r.hi)
		ymin, ymax = min(ymin, r.y), max(ymax, r.y)
	}
	return xmin, xmax, ymin, ymax
}

// Thumbnail draws a bar for the legend.
func (iv *intervals) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(iv.LineStyle, c.Min.X, y, c.Max.X, y)
}

// barGlyph is a vertical bar as tall as the glyph's diameter: a median
// mark.
type barGlyph struct{}

// DrawGlyph draws the bar.
func (barGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.StrokeLine2(draw.LineStyle{Color: sty.Color, Width: 2}, pt.X, pt.Y-sty.Radius, pt.X, pt.Y+sty.Radius)
}
