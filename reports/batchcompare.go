package reports

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The results workbook's comparison: its first sheet sets each scenario
// beside the baseline row (the first, or the one the Settings name), and a
// hidden sheet keeps the batch
// means behind the standard errors of the differences, so that merged
// parts compare as one run does.
const (
	batchCompare = "Comparison"
	batchPairs   = "Pairs"
)

// batchMeans returns the means of x over min(20, len(x)) batches of
// consecutive values (batch b holding x[b·n/B : (b+1)·n/B]): with x an
// option's values by outer draw, the batches the model's standard errors
// are computed on.
func batchMeans(x []float64) []float64 {
	n := len(x)
	B := min(maxBatches, n)
	out := make([]float64, B)
	for b := range B {
		lo, hi := b*n/B, (b+1)*n/B
		var s float64
		for _, v := range x[lo:hi] {
			s += v
		}
		out[b] = s / float64(hi-lo)
	}
	return out
}

// BatchMeans returns x's batch means, as a BatchRow's ALEBatches holds
// them.
func BatchMeans(x []float64) []float64 { return batchMeans(x) }

// diffSE returns the standard error of the difference of the means of a
// and base, each given by its batch means: paired (the standard error of
// the mean of the batch-by-batch differences) when the two share common
// random numbers, else as independent estimates. NaN when either has
// fewer than two batches or they differ in number when paired.
//
//	paired:      SE = sqrt( Σ_b (d_b − d̄)² / (B(B − 1)) ),  d_b = a_b − base_b
//	independent: SE = sqrt( s²(a)/B_a + s²(base)/B_base )
func diffSE(a, base []float64, paired bool) float64 {
	v := func(x []float64) float64 {
		var m, s float64
		for _, y := range x {
			m += y
		}
		m /= float64(len(x))
		for _, y := range x {
			s += (y - m) * (y - m)
		}
		return s / float64(len(x)-1) / float64(len(x))
	}
	if len(a) < 2 || len(base) < 2 {
		return math.NaN()
	}
	if !paired {
		return math.Sqrt(v(a) + v(base))
	}
	if len(a) != len(base) {
		return math.NaN()
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - base[i]
	}
	return math.Sqrt(v(d))
}

// recommendationOf returns a row's recommended set: its portfolio's
// controls, "(none)" for doing nothing, "" when it has none.
func recommendationOf(r *BatchRow) string {
	if r.Portfolio == nil {
		return ""
	}
	if r.Portfolio.Controls == "" {
		return batchEmptyPortfolio
	}
	return r.Portfolio.Controls
}

// recommendationChange says how a row's recommended set differs from the
// baseline row's: "same", or the controls it adds and drops.
func recommendationChange(r, base *BatchRow) string {
	ids := func(r *BatchRow) []string {
		if r.Portfolio == nil || r.Portfolio.Controls == "" {
			return nil
		}
		return strings.Split(r.Portfolio.Controls, "+")
	}
	a, b := ids(r), ids(base)
	var add, drop []string
	for _, id := range a {
		if !slices.Contains(b, id) {
			add = append(add, id)
		}
	}
	for _, id := range b {
		if !slices.Contains(a, id) {
			drop = append(drop, id)
		}
	}
	var parts []string
	if len(add) > 0 {
		parts = append(parts, "adds "+strings.Join(add, ", "))
	}
	if len(drop) > 0 {
		parts = append(parts, "drops "+strings.Join(drop, ", "))
	}
	if len(parts) == 0 {
		return "same"
	}
	return strings.Join(parts, "; ")
}

// rowDiff is a row's difference from the baseline row, as the
// Comparison sheet and the batch page show it: in ALE with the standard
// error of the difference (paired when the two share a seed), in the
// recommendation's NPV (exact expectations: no Monte Carlo error) when
// both have one in the same view, and what changes in the recommendation.
// ALE is money in either view; the NPVs are each in their row's view
// (with harm in a social row, money only in a financial one), so a row
// whose view differs from the baseline row's has no ΔNPV (OtherView says
// so) rather than an NPV with harm less a money-only one.
type rowDiff struct {
	ALE, ALESE float64
	NPV        float64
	HasNPV     bool
	OtherView  bool
	Change     string
}

// viewNote is what the Comparison and the batch page say of a row in
// another view than the baseline row's, beside its blank ΔNPV.
func viewNote(r, base *BatchRow) string {
	return fmt.Sprintf("ΔNPV blank: %s view against the baseline row's %s (NPVs in different views do not subtract)", r.View, base.View)
}

// diffOf returns r's difference from base, from the figures as the cells
// hold them, so that a merged book (its figures read back from the parts'
// cells) shows the same bits as a single run.
func diffOf(r, base *BatchRow) rowDiff {
	d := rowDiff{
		ALE:    batchCellFloat(r.ALE) - batchCellFloat(base.ALE),
		ALESE:  diffSE(r.ALEBatches, base.ALEBatches, r.Seed == base.Seed),
		Change: recommendationChange(r, base),
	}
	if d.OtherView = r.View != base.View; d.OtherView {
		d.Change += "; " + viewNote(r, base)
	}
	if r.Portfolio != nil && base.Portfolio != nil && !d.OtherView {
		d.NPV, d.HasNPV = batchCellFloat(r.Portfolio.DecisionNPV.Mean)-batchCellFloat(base.Portfolio.DecisionNPV.Mean), true
	}
	return d
}

// baselineRow returns the row the Comparison sets every scenario beside:
// the one named b.Baseline, else (no name, or that row did not run) the
// first.
func (b *Batch) baselineRow() *BatchRow {
	if len(b.Rows) == 0 {
		return nil
	}
	for i := range b.Rows {
		if b.Baseline != "" && b.Rows[i].Name == b.Baseline {
			return &b.Rows[i]
		}
	}
	return &b.Rows[0]
}

// comparison writes the Comparison sheet: for each scenario its baseline
// ALE and P95, its recommendation with its cost a year and NPV with a 90%
// interval, and its differences from the baseline row in ALE and in the
// recommendation's NPV, each with its standard error, and what changes in
// the recommendation. It prints on one landscape page (up to some 20
// scenarios at a readable size).
func (bb *batchBook) comparison(b *Batch) {
	if bb.err != nil {
		return
	}
	f, s := bb.f, batchCompare
	title := "Scenario comparison: " + b.Input
	prices := strings.TrimSpace(b.Currency + " " + b.PriceYear + " prices")
	bb.do(f.SetCellValue(s, "A1", title))
	bb.do(f.SetCellStyle(s, "A1", "A1", bb.title))
	if len(b.Rows) == 0 {
		bb.do(f.SetCellValue(s, "A2", "No scenario ran: see the Errors sheet."))
		return
	}
	base := b.baselineRow()
	millions := slices.ContainsFunc(b.Rows, func(r BatchRow) bool { return math.Abs(r.ALE) >= 10e6 })
	money := bb.st[bfMoney]
	if millions {
		money = bb.millions
	}
	which := "the first row"
	if base.Name == b.Baseline {
		which = "the Settings' baseline scenario"
	}
	note := fmt.Sprintf("Each scenario against the baseline row, #%d %s (%s). Δ columns are the scenario's figure less the baseline row's, "+
		"each with the standard error of the difference by batch means over outer draws: paired when the two rows share a seed, "+
		"and so the same simulated incidents (common random numbers), which makes differences far sharper than either figure alone. "+
		"Expected NPVs are exact (closed forms), so their differences carry no Monte Carlo error: ΔNPV SE is 0. "+
		"NPVs are in each row's view (View: with patient harm avoided in a social row, money only in a financial one); "+
		"a row in another view than the baseline row's has no ΔNPV (blank; its Change says so), since an NPV with harm less a money-only one means nothing. "+
		"Recommendation: the best set of controls for the row's view, within its budget if any. Amounts in %s; a blank is not applicable. "+
		"Every figure of every row is on the Summary sheet.", base.Index, base.Name, which, prices)
	bb.do(f.SetCellValue(s, "A2", note))
	bb.do(f.MergeCell(s, "A2", "O2"))
	bb.do(f.SetCellStyle(s, "A2", "O2", bb.wrap))
	bb.do(f.SetRowHeight(s, 2, 72))
	cols := []struct {
		head  string
		width float64
	}{
		{"#", 4}, {"Scenario", 22}, {"View", 9}, {"Baseline ALE (£/yr)", 10}, {"Baseline P95 (£/yr)", 10},
		{"Recommendation", 20}, {"Its cost (£/yr)", 10}, {"Its NPV in the row's view (£)", 10}, {"NPV 5%", 10}, {"NPV 95%", 10},
		{"ΔALE vs baseline row (£/yr)", 11}, {"ΔALE SE", 9}, {"ΔNPV vs baseline row (£)", 11}, {"ΔNPV SE", 9},
		{"Change in recommendation", 30},
	}
	const top = 4
	for i, c := range cols {
		bb.do(f.SetCellValue(s, batchCell(i+1, top), bb.cur.in(c.head)))
		bb.do(f.SetColWidth(s, batchCol(i+1), batchCol(i+1), c.width))
	}
	bb.do(f.SetCellStyle(s, batchCell(1, top), batchCell(len(cols), top), bb.hdr))
	bb.do(f.SetRowHeight(s, top, 45))
	num := func(x float64) any {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return batchCellFloat(x)
	}
	for k := range b.Rows {
		r := &b.Rows[k]
		row := top + 1 + k
		vals := []any{r.Index, r.Name, r.View, num(r.ALE), num(r.P95), recommendationOf(r)}
		if p := r.Portfolio; p != nil {
			vals = append(vals, num(p.Cost), num(p.DecisionNPV.Mean), num(p.DecisionNPV.Lo), num(p.DecisionNPV.Hi))
		} else {
			vals = append(vals, nil, nil, nil, nil)
		}
		if r == base {
			vals = append(vals, nil, nil, nil, nil, "baseline row")
		} else {
			d := diffOf(r, base)
			vals = append(vals, num(d.ALE), num(d.ALESE))
			if d.HasNPV {
				vals = append(vals, num(d.NPV), 0.0) // exact expectations: no Monte Carlo error
			} else {
				vals = append(vals, nil, nil)
			}
			vals = append(vals, d.Change)
		}
		bb.do(f.SetSheetRow(s, batchCell(1, row), &vals))
		bb.do(f.SetCellStyle(s, batchCell(1, row), batchCell(1, row), bb.st[bfCount]))
		bb.do(f.SetCellStyle(s, batchCell(4, row), batchCell(5, row), money))
		bb.do(f.SetCellStyle(s, batchCell(7, row), batchCell(14, row), money))
	}
	bb.do(f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: top, TopLeftCell: batchCell(1, top+1), ActivePane: "bottomLeft"}))
	bb.fitPage(s, 1, 1)
	bb.do(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("%s!$1:$%d", s, top), Scope: s}))
}

// pairs writes the hidden Pairs sheet: for each scenario, the batch means
// of its baseline's annual loss, behind the Comparison's standard errors
// of ΔALE.
func (bb *batchBook) pairs(b *Batch) {
	if bb.err != nil {
		return
	}
	f, s := bb.f, batchPairs
	head := []any{"#", "Figure", "Batch means over outer draws"}
	bb.do(f.SetSheetRow(s, "A1", &head))
	row := 2
	for _, r := range b.Rows {
		if len(r.ALEBatches) == 0 {
			continue
		}
		vals := []any{r.Index, "ALE"}
		for _, x := range r.ALEBatches {
			vals = append(vals, strconv.FormatFloat(x, 'g', -1, 64))
		}
		bb.do(f.SetSheetRow(s, batchCell(1, row), &vals))
		row++
	}
	bb.do(f.SetSheetVisible(s, false))
}

// readPairs reads the Pairs sheet into rows, by scenario number. A
// workbook without one (written before it) leaves the rows without
// batches.
func readPairs(f *excelize.File, name string, rows []BatchRow) error {
	cells, err := f.GetRows(batchPairs, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil
	}
	at := map[int]*BatchRow{}
	for i := range rows {
		at[rows[i].Index] = &rows[i]
	}
	for k, c := range cells[min(1, len(cells)):] {
		if len(c) < 2 {
			continue
		}
		idx, err := strconv.Atoi(c[0])
		r := at[idx]
		if err != nil || r == nil {
			return fmt.Errorf("%s: %s!A%d: want a scenario's number, got %q", name, batchPairs, k+2, c[0])
		}
		var x []float64
		for j, v := range c[2:] {
			y, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Errorf("%s: %s!%s: want a number, got %q", name, batchPairs, batchCell(j+3, k+2), v)
			}
			x = append(x, y)
		}
		switch c[1] {
		case "ALE":
			r.ALEBatches = x
		case "NPV":
			// Written by earlier versions (all zeros: the NPVs are exact
			// closed forms, their differences' standard error 0); ignored.
		default:
			return fmt.Errorf("%s: %s!B%d: want ALE or NPV, got %q", name, batchPairs, k+2, c[1])
		}
	}
	return nil
}

// fitPage prints a sheet of the results workbook on A4 landscape, fitted
// to wide pages across and tall down (0: as many as it takes), with the
// sheet's name and page numbers in the footer.
func (bb *batchBook) fitPage(sheet string, wide, tall int) {
	if bb.err != nil {
		return
	}
	orient, a4, fit := "landscape", 9, true
	bb.do(bb.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient, FitToWidth: &wide, FitToHeight: &tall}))
	bb.do(bb.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}))
	side, top, hf := 0.5, 0.6, 0.3
	bb.do(bb.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &hf, Footer: &hf}))
	bb.do(bb.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&L&8cybercba bulk run&C&8&A&R&8Page &P of &N"}))
}
