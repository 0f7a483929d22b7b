package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// SheetDraws holds the outer draws of the uncertain inputs, one row a
// draw (SIPmath's stochastic information packets), with formulas giving
// each draw's expected NPV for the What-if sheet's toggled set.
const SheetDraws = "Draws"

// Draw counts of the Draws sheet: at least minSheetDraws, the run's own
// count when larger, at most maxSheetDraws (a sheet row each).
const (
	minSheetDraws = 1000
	maxSheetDraws = 10000
)

// sheetDraws returns the outer draws the workbook's live model carries:
// the run's parameter draws on its seed, the first of them the
// simulation's own, with the recommendation's expected NPV given each.
// (Here, and only here, the workbook chooses its source of draws.)
func sheetDraws(r *Report) (*model.InputDraws, error) {
	return liveRows(r, liveDraws(r), []model.Portfolio{recommended(r)})
}

// liveRows returns the first n draws of the run's decision table
// (model.DrawTable) as rows, with the options' NPVs in the run's view:
// the decision's own draws, each row its raw expectations given the draw.
// When the run has no table, or its table is shorter or lacks an option,
// the rows come from a table built by the same code on the run's seed,
// whose draws are the same.
func liveRows(r *Report, n int, options []model.Portfolio) (*model.InputDraws, error) {
	an := r.Analysis
	if t := an.Table; t != nil && t.Seed == an.Config.Seed {
		if rows, err := t.Rows(r.Model, n, options, an.Appraisal.View); err == nil {
			return rows, nil
		}
	}
	return model.Tabulate(r.Model, an.Appraisal, an.Config.Seed, n, options)
}

// liveDraws returns the number of outer draws the live model (the Draws
// sheet and the SIP library) carries: at least minSheetDraws, the run's
// own count when larger, at most maxSheetDraws.
func liveDraws(r *Report) int {
	n := minSheetDraws
	if s := r.Analysis.Sim; s != nil {
		n = min(max(n, s.Draws), maxSheetDraws)
	}
	return n
}

// decisionDrawCount returns the number of draws behind the decision's
// intervals and probabilities (Result.DecisionDraws), 0 if none.
func decisionDrawCount(r *Report) int {
	if rec := r.Analysis.Recommended; rec != nil {
		return rec.DecisionDraws
	}
	if res := r.Analysis.Results; len(res) > 0 {
		return res[0].DecisionDraws
	}
	return 0
}

// liveDrawsText says which n draws the live model (the Draws sheet, the
// What-if sheet's uncertainty and report.html's what-if panel) holds,
// against the decision's: the decision's own draws, each row its raw
// expectations, not moment matched as the decision's are (see
// model.DrawTable), so that the untouched recommendation's interval and
// P(NPV > 0) there differ from the decision's by sampling error alone.
func liveDrawsText(r *Report, n int) string {
	D := decisionDrawCount(r)
	var which string
	switch {
	case D == 0:
		which = fmt.Sprintf("%s draws of the uncertain inputs on the run's seed", thousands(n))
	case n < D:
		which = fmt.Sprintf("the first %s of the run's %s decision draws", thousands(n), thousands(D))
	case n == D:
		which = fmt.Sprintf("the run's %s decision draws", thousands(D))
	default:
		which = fmt.Sprintf("the run's %s decision draws and %s more on its seed", thousands(D), thousands(n-D))
	}
	return which + ", as drawn: the decision's are moment matched (each column's mean set to its exact expectation)"
}

// printedDraws is how many draws the Draws sheet's print area holds.
const printedDraws = 40

// printedCols is how many of the Draws sheet's columns its print area holds.
const printedCols = 12

// Header rows of the Draws sheet; the draws start at drawRow0.
const (
	drNow = 4 + iota
	drRun
	drMul
	drOff
	drToggle
	drApplyCx
	drApplyOx
	drCapexPV
	drHead
	drawRow0
)

// drawCol is one drawn input's column: its values, its central value in
// the run and a formula for its central value now.
type drawCol struct {
	name     string
	vals     func(d int) float64
	run      float64
	now      string
	fraction bool
}

// drawsSheet writes the Draws sheet and the summary of its NPVs on the
// What-if grid g. An edited central value moves its input's draws in
// proportion (draw × now/run), or, for an input whose central value in
// the run was 0, sets every draw to it; a reduction stays at most 1.
// Inputs that are fixed are not drawn: the formulas read them on the
// What-if sheet.
func (b *book) drawsSheet(r *Report, g *grid, L *whatIfLayout, cen model.Central, tb *model.InputDraws) {
	if b.err != nil {
		return
	}
	st := b.st
	wi := func(col, row int) string { return "'" + SheetWhatIf + "'!" + abs(col, row) }
	set := func(k string) string { return wi(2, L.set[k]) }
	f := cen // the run's central values: the What-if sheet's before any edit
	n := tb.Draws
	varies := func(v func(d int) float64) bool {
		for d := 1; d < n; d++ {
			if v(d) != v(0) {
				return true
			}
		}
		return false
	}
	var cols []drawCol
	// where[key] is the column of a drawn input, or 0 when it is fixed.
	where := map[string]int{}
	add := func(key string, c drawCol, always bool) {
		if !always && !varies(c.vals) {
			return
		}
		cols = append(cols, c)
		where[key] = 1 + len(cols) // column A numbers the draws
	}
	add("daily", drawCol{"c_d", func(d int) float64 { return tb.Daily[d] }, f.Daily, set("daily"), false}, false)
	add("recovery", drawCol{"c_r", func(d int) float64 { return tb.Recovery[d] }, f.Recovery, set("recovery"), false}, false)
	for t, th := range f.Threats {
		row := L.t0 + t
		add(fmt.Sprint("rate", t), drawCol{th.ID + " λ", func(d int) float64 { return tb.Rate[d][t] }, th.Rate, wi(twRate, row), false}, false)
		add(fmt.Sprint("kd", t), drawCol{th.ID + " k_d", func(d int) float64 { return tb.KDaily[d][t] }, th.KDaily, wi(twKD, row), false}, false)
		add(fmt.Sprint("kr", t), drawCol{th.ID + " k_r", func(d int) float64 { return tb.KRecovery[d][t] }, th.KRecovery, wi(twKR, row), false}, false)
	}
	if L.harm {
		h := f.Harm
		add("hqv", drawCol{"h·q·v", func(d int) float64 { return tb.HarmValue[d] }, h.Deaths * h.QALYs * h.Value,
			set("deaths") + "*" + set("qalys") + "*" + set("value"), false}, false)
		add("kfull", drawCol{"k_full", func(d int) float64 { return tb.KFull[d] }, h.KFull, set("kfull"), false}, false)
	}
	C := len(f.Controls)
	cost0 := 2 + len(cols) // the capex, opex and uplift blocks, C columns each, always drawn
	for _, blk := range []struct {
		name string
		vals func(d, c int) float64
		run  func(c model.CentralControl) float64
		col  int
	}{
		{"capex", func(d, c int) float64 { return tb.Capex[d][c] }, func(c model.CentralControl) float64 { return c.Capex }, cwCapex},
		{"opex", func(d, c int) float64 { return tb.Opex[d][c] }, func(c model.CentralControl) float64 { return c.Opex }, cwOpex},
		{"uplift", func(d, c int) float64 { return tb.Uplift[d][c] }, func(c model.CentralControl) float64 { return c.Uplift }, cwUplift},
	} {
		for c, ctl := range f.Controls {
			add(fmt.Sprint(blk.name, c), drawCol{ctl.ID + " " + blk.name, func(d int) float64 { return blk.vals(d, c) }, blk.run(ctl), wi(blk.col, L.c0+c), false}, true)
		}
	}
	for c, ctl := range f.Controls {
		for j, e := range ctl.Effects {
			run := [4]float64{e.Frequency, e.Spread, e.Duration, e.Fixed}
			for k, nm := range []string{"r_f", "r_s", "r_d", "r_F"} {
				add(fmt.Sprint("red", c, ".", j, ".", k), drawCol{ctl.ID + " on " + f.Threats[e.Threat].ID + " " + nm,
					func(d int) float64 { return tb.Reduction[d][c][j][k] }, run[k], wi(ewF+k, L.effRow[c][j]), true}, false)
			}
		}
	}

	// Scaled value of input key in draw row rw, or its What-if cell when
	// it is fixed; and the same as the tool computes it.
	scaled := func(key string, rw int, fixed string) string {
		col, ok := where[key]
		if !ok {
			return fixed
		}
		s := fmt.Sprintf("(%s*%s+%s)", cellName(col, rw), abs(col, drMul), abs(col, drOff))
		if cols[col-2].fraction {
			s = "MIN(1," + s + ")"
		}
		return s
	}
	value := func(key string, d int, fixed float64) float64 {
		col, ok := where[key]
		if !ok {
			return fixed
		}
		return cols[col-2].vals(d)
	}

	dg := newCellGrid()
	dg.put(1, 1, "Draws: the uncertain inputs, one row per outer draw, and each draw's expected NPV for the What-if sheet's toggled set", st.title)
	dg.put(1, 2, fmt.Sprintf("Each row is one outer draw of the inputs that are uncertain, as the tool draws them (seed %d; the first %d rows are the simulation's own draws). "+
		"An input edited on the What-if sheet moves its draws in proportion (each draw × central now ÷ central in the run; a reduction stays at most 1; an input whose central value was 0 takes the new value in every draw). "+
		"Fixed inputs are not drawn: the formulas read them on the What-if sheet. Spread, duration and cost per event vary from event to event, not from draw to draw: their expected values come from the What-if sheet. "+
		"Each draw's NPV is its expected NPV given the draw's inputs (the closed form, no year-to-year noise); the What-if sheet summarises them. "+
		"The rows are %s.", r.Analysis.Config.Seed, min(n, simDraws(r)), liveDrawsText(r, n)), st.wrap)
	for i, lb := range []string{"Central now (What-if)", "Central in the run", "Multiplier", "Offset", "Toggle × inputs valid", "Uplift applies to capex", "Uplift applies to opex", "PV of 1 of capex"} {
		dg.put(1, drNow+i, lb, st.label)
	}
	dg.put(1, drHead, "Draw", st.header)
	for i, c := range cols {
		col := i + 2
		dg.put(col, drHead, c.name, st.header)
		dg.calc(col, drNow, c.now, c.run, st.value)
		dg.put(col, drRun, c.run, st.value)
		dg.calc(col, drMul, fmt.Sprintf("IF(%[1]s=0,0,%[2]s/%[1]s)", abs(col, drRun), abs(col, drNow)), mulOf(c.run), st.value)
		dg.calc(col, drOff, fmt.Sprintf("IF(%s=0,%s,0)", abs(col, drRun), abs(col, drNow)), 0.0, st.value)
	}
	for c := range C {
		col := cost0 + c
		row := L.c0 + c
		dg.calc(col, drToggle, fmt.Sprintf("%s*%s", wi(cwToggle, row), wi(cwCheck, row)), g.value(cwToggle, row), st.count)
		dg.calc(col, drApplyCx, wi(cwApplyCx, row), g.value(cwApplyCx, row), st.count)
		dg.calc(col, drApplyOx, wi(cwApplyOx, row), g.value(cwApplyOx, row), st.count)
		dg.calc(col, drCapexPV, wi(cwCapexPV, row), g.value(cwCapexPV, row), st.value)
	}
	// Formula columns.
	fc := 2 + len(cols)
	tcol := func(t, k int) int { return fc + 6*t + k } // mf, ms, md, mF, Δloss, Δfull-days
	T := len(f.Threats)
	dale, dharm, pvc, npvM, npvS, npvV := fc+6*T, fc+6*T+1, fc+6*T+2, fc+6*T+3, fc+6*T+4, fc+6*T+5
	for t, th := range f.Threats {
		for k, nm := range []string{"m_f", "m_s", "m_d", "m_F", "Δ loss a year", "Δ full-outage days"} {
			dg.put(tcol(t, k), drHead, th.ID+" "+nm, st.header)
		}
	}
	for i, nm := range []string{"ΔALE a year", "Harm avoided a year", "PV of costs", "NPV, money only", "NPV with harm", "NPV in the view in force"} {
		dg.put(dale+i, drHead, nm, st.header)
	}
	A, Ah := wi(2, L.set["annuity"]), wi(2, L.set["hannuity"])
	annuity, hannuity := g.value(2, L.set["annuity"]), g.value(2, L.set["hannuity"])
	cref := func(c int) string { return wi(cwToggle, L.c0+c) + "*" + wi(cwCheck, L.c0+c) }
	blk := func(first, row int) string { return cellName(first, row) + ":" + cellName(first+C-1, row) }
	hdr := func(first, row int) string { return abs(first, row) + ":" + abs(first+C-1, row) }
	capexC, opexC, upC := cost0, cost0+C, cost0+2*C
	sc := func(first, rw int) string {
		return fmt.Sprintf("(%s*%s+%s)", blk(first, rw), hdr(first, drMul), hdr(first, drOff))
	}
	vnpvCell := wi(2, L.res["vnpv"])
	npvs := make([]float64, n)
	for d := range n {
		rw := drawRow0 + d
		dg.put(1, rw, d+1, st.count)
		for i, c := range cols {
			dg.put(i+2, rw, c.vals(d), 0)
		}
		var sumLoss, sumDays float64
		cd := value("daily", d, cen.Daily)
		cr := value("recovery", d, cen.Recovery)
		for t, th := range cen.Threats {
			trow := L.t0 + t
			var ms [4]float64
			for k := range 4 {
				var refs []string
				x := 1.0
				for c, ctl := range cen.Controls {
					for j, e := range ctl.Effects {
						if e.Threat != t {
							continue
						}
						key := fmt.Sprint("red", c, ".", j, ".", k)
						refs = append(refs, fmt.Sprintf("(1-%s*%s)", cref(c), scaled(key, rw, wi(ewF+k, L.effRow[c][j]))))
						if g.value(cwToggle, L.c0+c) == 1 {
							x *= 1 - value(key, d, [4]float64{e.Frequency, e.Spread, e.Duration, e.Fixed}[k])
						}
					}
				}
				ms[k] = x
				fm := "1"
				if len(refs) > 0 {
					fm = strings.Join(refs, "*")
				}
				dg.calc(tcol(t, k), rw, fm, x, st.value)
			}
			mf, msp, md, mF := cellName(tcol(t, 0), rw), cellName(tcol(t, 1), rw), cellName(tcol(t, 2), rw), cellName(tcol(t, 3), rw)
			lam := scaled(fmt.Sprint("rate", t), rw, wi(twRate, trow))
			kd := scaled(fmt.Sprint("kd", t), rw, wi(twKD, trow))
			kr := scaled(fmt.Sprint("kr", t), rw, wi(twKR, trow))
			cdS, crS := scaled("daily", rw, set("daily")), scaled("recovery", rw, set("recovery"))
			es, ed, ef := wi(twES, trow), wi(twDur, trow), wi(twFixed, trow)
			lv, kdv, krv := value(fmt.Sprint("rate", t), d, th.Rate), value(fmt.Sprint("kd", t), d, th.KDaily), value(fmt.Sprint("kr", t), d, th.KRecovery)
			esv, edv := g.value(twES, trow), th.Duration
			loss := lv * ((esv*edv*kdv*cd + esv*krv*cr + th.Fixed) - ms[0]*(esv*edv*ms[1]*ms[2]*kdv*cd+esv*ms[1]*krv*cr+th.Fixed*ms[3]))
			dg.calc(tcol(t, 4), rw, fmt.Sprintf("%[1]s*((%[2]s*%[3]s*%[4]s*%[5]s+%[2]s*%[6]s*%[7]s+%[8]s)-%[9]s*(%[2]s*%[3]s*%[10]s*%[11]s*%[4]s*%[5]s+%[2]s*%[10]s*%[6]s*%[7]s+%[8]s*%[12]s))",
				lam, es, ed, kd, cdS, kr, crS, ef, mf, msp, md, mF), loss, st.money)
			sumLoss += loss
			days := 0.0
			if L.harm {
				kf := scaled("kfull", rw, set("kfull"))
				kfv := value("kfull", d, cen.Harm.KFull)
				days = lv * esv * edv * math.Min(kdv/kfv, 1) * (1 - ms[0]*ms[1]*ms[2])
				dg.calc(tcol(t, 5), rw, fmt.Sprintf("%s*%s*%s*MIN(%s/%s,1)*(1-%s*%s*%s)", lam, es, ed, kd, kf, mf, msp, md), days, st.value)
			} else {
				dg.calc(tcol(t, 5), rw, "0", 0.0, st.value)
			}
			sumDays += days
		}
		var losses, days []string
		for t := range T {
			losses = append(losses, cellName(tcol(t, 4), rw))
			days = append(days, cellName(tcol(t, 5), rw))
		}
		dg.calc(dale, rw, "SUM("+strings.Join(losses, ",")+")", sumLoss, st.money)
		hv := 0.0
		hf := "0"
		if L.harm {
			hv = sumDays * value("hqv", d, cen.Harm.Deaths*cen.Harm.QALYs*cen.Harm.Value)
			hf = fmt.Sprintf("SUM(%s)*%s", strings.Join(days, ","), scaled("hqv", rw, set("deaths")+"*"+set("qalys")+"*"+set("value")))
		}
		dg.calc(dharm, rw, hf, hv, st.money)
		var pv float64
		for c, ctl := range cen.Controls {
			if g.value(cwToggle, L.c0+c) != 1 {
				continue
			}
			u := value(fmt.Sprint("uplift", c), d, ctl.Uplift)
			acx, aox := upliftApplies(ctl.Project, ctl.Capex)
			pv += value(fmt.Sprint("capex", c), d, ctl.Capex)*(1+u*acx)*g.value(cwCapexPV, L.c0+c) + value(fmt.Sprint("opex", c), d, ctl.Opex)*(1+u*aox)*annuity
		}
		dg.calc(pvc, rw, fmt.Sprintf("SUMPRODUCT(%s,%s*(1+%s*%s)*%s+%s*(1+%s*%s)*%s)",
			hdr(capexC, drToggle), sc(capexC, rw), sc(upC, rw), hdr(capexC, drApplyCx), hdr(capexC, drCapexPV),
			sc(opexC, rw), sc(upC, rw), hdr(capexC, drApplyOx), A), pv, st.money)
		money := sumLoss*annuity - pv
		social := money + hv*hannuity
		dg.calc(npvM, rw, fmt.Sprintf("%s*%s-%s", cellName(dale, rw), A, cellName(pvc, rw)), money, st.money)
		dg.calc(npvS, rw, fmt.Sprintf("%s+%s*%s", cellName(npvM, rw), cellName(dharm, rw), Ah), social, st.money)
		view := money
		if L.harm && r.Analysis.Appraisal.View == model.Social {
			view = social
		}
		dg.calc(npvV, rw, fmt.Sprintf(`IF(ISNUMBER(%s),IF(%s="social",%s,%s),NA())`, vnpvCell, set("view"), cellName(npvS, rw), cellName(npvM, rw)), view, st.money)
		npvs[d] = view
	}
	widths := make([]float64, npvV)
	for i := range widths {
		widths[i] = 13
	}
	widths[0] = 24
	b.streamed(SheetDraws, widths)
	b.layout(SheetDraws).header = drHead
	// Printed, the sheet shows its header and its first printedCols columns
	// of the first printedDraws draws on one page: the thousand rows and
	// hundred-odd columns are data for the formulas, not a page of the
	// report (all of it would print on over a hundred pages).
	b.pageSetup(SheetDraws, false, 1, 1)
	b.layout(SheetDraws).area = fmt.Sprintf("$A$1:$%s$%d", colName(min(len(widths), printedCols)), drawRow0+min(n, printedDraws)-1)
	b.do(dg.write(b.f, SheetDraws, widths, drHead))

	// The summary on the What-if sheet.
	rng := "'" + SheetDraws + "'!" + span(npvV, drawRow0, drawRow0+n-1)
	g.put(1, L.draws["section"], "The uncertainty, live: the toggled set's expected NPV across the outer draws (Draws sheet), in the view in force", st.section)
	for i, h := range []string{"Figure", "Toggled set", "", "The run's figure for the recommendation", "Note"} {
		if h != "" {
			g.put(i+1, L.draws["section"]+1, h, st.header)
		}
	}
	sorted := slices.Clone(npvs)
	slices.Sort(sorted)
	var mean, pos float64
	for _, x := range npvs {
		mean += x / float64(n)
		if x > 0 {
			pos++
		}
	}
	lo, hi := int(math.Ceil(0.05*float64(n))), int(math.Ceil(0.95*float64(n)))
	rec := r.Analysis.Recommended
	for _, it := range []struct {
		key, label, formula string
		v                   float64
		style               int
		run                 any
		note                string
	}{
		{"n", "Outer draws", fmt.Sprintf("COUNT(%s)", rng), float64(n), st.count, decisionDrawCount(r), "the toggled set's figures are across " + liveDrawsText(r, n) +
			"; so for the recommendation untouched they differ from the run's (this column: across all its decision draws) by sampling error alone"},
		{"mean", "Expected NPV across the draws", fmt.Sprintf("AVERAGE(%s)", rng), mean, st.money, runFig(rec, func(x *model.Result) any { return x.DecisionNPV.Mean }), "a Monte Carlo estimate of the exact figure above"},
		{"lo", "5th percentile of NPV", fmt.Sprintf("SMALL(%s,%d)", rng, lo), sorted[lo-1], st.money, runFig(rec, func(x *model.Result) any { return x.DecisionNPV.Lo }), "the 90% interval's lower end"},
		{"hi", "95th percentile of NPV", fmt.Sprintf("SMALL(%s,%d)", rng, hi), sorted[hi-1], st.money, runFig(rec, func(x *model.Result) any { return x.DecisionNPV.Hi }), "the 90% interval's upper end"},
		{"p", "P(NPV > 0)", fmt.Sprintf("COUNTIF(%s,\">0\")/COUNT(%s)", rng, rng), pos / float64(n), st.pct, runFig(rec, func(x *model.Result) any { return x.InView(r.Analysis.Appraisal.View).PNPVPositive }), "the share of draws with a positive expected NPV"},
	} {
		row := L.draws[it.key]
		g.put(1, row, it.label, st.label)
		g.calc(2, row, it.formula, it.v, it.style)
		g.put(4, row, it.run, it.style)
		g.put(5, row, it.note, st.plain)
	}
}

// mulOf returns the multiplier of an input's draws when nothing is
// edited: 1, or 0 for an input whose central value is 0.
func mulOf(run float64) float64 {
	if run == 0 {
		return 0
	}
	return 1
}

// simDraws returns the run's count of simulated outer draws.
func simDraws(r *Report) int {
	if s := r.Analysis.Sim; s != nil {
		return s.Draws
	}
	return 0
}

// runFig returns a figure of the run's recommendation, or "none".
func runFig(rec *model.Result, f func(*model.Result) any) any {
	if rec == nil {
		return "none"
	}
	return f(rec)
}
