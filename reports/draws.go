package reports

import (
	"fmt"
	"math"
	"slices"
	"strconv"
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

// sheetDrawsMin is the least count of the live model's draws:
// minSheetDraws, lowered only by this package's quick-tier tests (see
// TestMain), whose every workbook would otherwise carry a thousand rows of
// draws and formulas.
var sheetDrawsMin = minSheetDraws

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
	n := sheetDrawsMin
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
	hdr := func(first, row int) string { return abs(first, row) + ":" + abs(first+C-1, row) }
	capexC, opexC, upC := cost0, cost0+C, cost0+2*C
	vnpvCell, viewCell := wi(2, L.res["vnpv"]), set("view")

	// A thousand rows of a few hundred formulas each: every part of a
	// row's formulas that does not change from row to row (column letters,
	// absolute references, the What-if sheet's cells, which input is drawn
	// in which column) is made once here, and a row joins them with its
	// number.
	letters := make([]string, npvV+1)
	for col := 1; col <= npvV; col++ {
		letters[col] = colName(col)
	}
	// input is an input as a row's formulas read it: its column on this
	// sheet (0 when it is fixed, and fixed its What-if cell), and the
	// scaling that follows its cell, "*$X$7+$X$8)".
	type input struct {
		col          int
		fixed, scale string
		fraction     bool
	}
	inputOf := func(key, fixed string) input {
		col, ok := where[key]
		if !ok {
			return input{fixed: fixed}
		}
		return input{col: col, scale: "*" + abs(col, drMul) + "+" + abs(col, drOff) + ")", fraction: cols[col-2].fraction}
	}
	// scaled is the input's scaled value in the row numbered rs, or its
	// What-if cell when it is fixed; value the same as the tool computes it.
	scaled := func(in input, rs string) string {
		if in.col == 0 {
			return in.fixed
		}
		s := "(" + letters[in.col] + rs + in.scale
		if in.fraction {
			s = "MIN(1," + s + ")"
		}
		return s
	}
	value := func(in input, d int, fixed float64) float64 {
		if in.col == 0 {
			return fixed
		}
		return cols[in.col-2].vals(d)
	}
	daily, recovery := inputOf("daily", set("daily")), inputOf("recovery", set("recovery"))
	var kfull, hqv input
	if L.harm {
		kfull = inputOf("kfull", set("kfull"))
		hqv = inputOf("hqv", set("deaths")+"*"+set("qalys")+"*"+set("value"))
	}
	// factor is a control's reduction k of a threat, one factor of the
	// threat's m_f, m_s, m_d or m_F: (1 − toggle × reduction).
	type factor struct {
		in     input
		toggle string // the control's toggle × inputs valid on the What-if sheet
		run    float64
		on     bool
	}
	type threatParts struct {
		rate, kd, kr     input
		es, ed, ef       string
		factors          [4][]factor
		mf, ms, md, mF   string // column letters
		lossCol, daysCol string
	}
	parts := make([]threatParts, T)
	for t := range cen.Threats {
		trow := L.t0 + t
		p := &parts[t]
		p.rate = inputOf(fmt.Sprint("rate", t), wi(twRate, trow))
		p.kd = inputOf(fmt.Sprint("kd", t), wi(twKD, trow))
		p.kr = inputOf(fmt.Sprint("kr", t), wi(twKR, trow))
		p.es, p.ed, p.ef = wi(twES, trow), wi(twDur, trow), wi(twFixed, trow)
		p.mf, p.ms, p.md, p.mF = letters[tcol(t, 0)], letters[tcol(t, 1)], letters[tcol(t, 2)], letters[tcol(t, 3)]
		p.lossCol, p.daysCol = letters[tcol(t, 4)], letters[tcol(t, 5)]
		for k := range 4 {
			for c, ctl := range cen.Controls {
				for j, e := range ctl.Effects {
					if e.Threat != t {
						continue
					}
					p.factors[k] = append(p.factors[k], factor{
						in:     inputOf(fmt.Sprint("red", c, ".", j, ".", k), wi(ewF+k, L.effRow[c][j])),
						toggle: wi(cwToggle, L.c0+c) + "*" + wi(cwCheck, L.c0+c),
						run:    [4]float64{e.Frequency, e.Spread, e.Duration, e.Fixed}[k],
						on:     g.value(cwToggle, L.c0+c) == 1,
					})
				}
			}
		}
	}
	type controlParts struct {
		capex, opex, uplift input
		acx, aox, capexPV   float64
		on                  bool
	}
	cparts := make([]controlParts, C)
	for c, ctl := range cen.Controls {
		p := &cparts[c]
		p.capex = inputOf(fmt.Sprint("capex", c), "")
		p.opex = inputOf(fmt.Sprint("opex", c), "")
		p.uplift = inputOf(fmt.Sprint("uplift", c), "")
		p.acx, p.aox = upliftApplies(ctl.Project, ctl.Capex)
		p.capexPV = g.value(cwCapexPV, L.c0+c)
		p.on = g.value(cwToggle, L.c0+c) == 1
	}
	// sc is the scaled block of C columns from first in the row numbered rs.
	hdrMul, hdrOff := map[int]string{}, map[int]string{}
	for _, first := range []int{capexC, opexC, upC} {
		hdrMul[first], hdrOff[first] = hdr(first, drMul), hdr(first, drOff)
	}
	sc := func(first int, rs string) string {
		return "(" + letters[first] + rs + ":" + letters[first+C-1] + rs + "*" + hdrMul[first] + "+" + hdrOff[first] + ")"
	}
	togCx, applyCx, capexPV, applyOx := hdr(capexC, drToggle), hdr(capexC, drApplyCx), hdr(capexC, drCapexPV), hdr(capexC, drApplyOx)

	npvs := make([]float64, n)
	var refs, losses, days []string
	for d := range n {
		rw := drawRow0 + d
		rs := strconv.Itoa(rw)
		dg.put(1, rw, d+1, st.count)
		for i, c := range cols {
			dg.put(i+2, rw, c.vals(d), 0)
		}
		var sumLoss, sumDays float64
		cd := value(daily, d, cen.Daily)
		cr := value(recovery, d, cen.Recovery)
		losses, days = losses[:0], days[:0]
		for t, th := range cen.Threats {
			p := &parts[t]
			var ms [4]float64
			for k := range 4 {
				refs = refs[:0]
				x := 1.0
				for _, fa := range p.factors[k] {
					refs = append(refs, "(1-"+fa.toggle+"*"+scaled(fa.in, rs)+")")
					if fa.on {
						x *= 1 - value(fa.in, d, fa.run)
					}
				}
				ms[k] = x
				fm := "1"
				if len(refs) > 0 {
					fm = strings.Join(refs, "*")
				}
				dg.calc(tcol(t, k), rw, fm, x, st.value)
			}
			mf, msp, md, mF := p.mf+rs, p.ms+rs, p.md+rs, p.mF+rs
			lam, kd, kr := scaled(p.rate, rs), scaled(p.kd, rs), scaled(p.kr, rs)
			cdS, crS := scaled(daily, rs), scaled(recovery, rs)
			lv, kdv, krv := value(p.rate, d, th.Rate), value(p.kd, d, th.KDaily), value(p.kr, d, th.KRecovery)
			esv, edv := g.value(twES, L.t0+t), th.Duration
			loss := lv * ((esv*edv*kdv*cd + esv*krv*cr + th.Fixed) - ms[0]*(esv*edv*ms[1]*ms[2]*kdv*cd+esv*ms[1]*krv*cr+th.Fixed*ms[3]))
			dg.calc(tcol(t, 4), rw, fmt.Sprintf("%[1]s*((%[2]s*%[3]s*%[4]s*%[5]s+%[2]s*%[6]s*%[7]s+%[8]s)-%[9]s*(%[2]s*%[3]s*%[10]s*%[11]s*%[4]s*%[5]s+%[2]s*%[10]s*%[6]s*%[7]s+%[8]s*%[12]s))",
				lam, p.es, p.ed, kd, cdS, kr, crS, p.ef, mf, msp, md, mF), loss, st.money)
			sumLoss += loss
			dd := 0.0
			if L.harm {
				kf := scaled(kfull, rs)
				kfv := value(kfull, d, cen.Harm.KFull)
				dd = lv * esv * edv * math.Min(kdv/kfv, 1) * (1 - ms[0]*ms[1]*ms[2])
				dg.calc(tcol(t, 5), rw, lam+"*"+p.es+"*"+p.ed+"*MIN("+kd+"/"+kf+",1)*(1-"+mf+"*"+msp+"*"+md+")", dd, st.value)
			} else {
				dg.calc(tcol(t, 5), rw, "0", 0.0, st.value)
			}
			sumDays += dd
			losses = append(losses, p.lossCol+rs)
			days = append(days, p.daysCol+rs)
		}
		dg.calc(dale, rw, "SUM("+strings.Join(losses, ",")+")", sumLoss, st.money)
		hv := 0.0
		hf := "0"
		if L.harm {
			hv = sumDays * value(hqv, d, cen.Harm.Deaths*cen.Harm.QALYs*cen.Harm.Value)
			hf = "SUM(" + strings.Join(days, ",") + ")*" + scaled(hqv, rs)
		}
		dg.calc(dharm, rw, hf, hv, st.money)
		var pv float64
		for c, ctl := range cen.Controls {
			p := &cparts[c]
			if !p.on {
				continue
			}
			u := value(p.uplift, d, ctl.Uplift)
			pv += value(p.capex, d, ctl.Capex)*(1+u*p.acx)*p.capexPV + value(p.opex, d, ctl.Opex)*(1+u*p.aox)*annuity
		}
		dg.calc(pvc, rw, "SUMPRODUCT("+togCx+","+sc(capexC, rs)+"*(1+"+sc(upC, rs)+"*"+applyCx+")*"+capexPV+"+"+sc(opexC, rs)+"*(1+"+sc(upC, rs)+"*"+applyOx+")*"+A+")", pv, st.money)
		money := sumLoss*annuity - pv
		social := money + hv*hannuity
		mcell, scell := letters[npvM]+rs, letters[npvS]+rs
		dg.calc(npvM, rw, letters[dale]+rs+"*"+A+"-"+letters[pvc]+rs, money, st.money)
		dg.calc(npvS, rw, mcell+"+"+letters[dharm]+rs+"*"+Ah, social, st.money)
		view := money
		if L.harm && r.Analysis.Appraisal.View == model.Social {
			view = social
		}
		dg.calc(npvV, rw, "IF(ISNUMBER("+vnpvCell+"),IF("+viewCell+`="social",`+scell+","+mcell+"),NA())", view, st.money)
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
