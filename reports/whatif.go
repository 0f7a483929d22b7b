package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
)

// SheetWhatIf is the workbook's live model: the closed form of expected
// NPV as spreadsheet formulas over editable inputs.
const SheetWhatIf = "What-if"

// LiveSheets are the sheets a reader may edit (the What-if sheet and its
// draws): `cybercba reproduce` leaves them out of its comparison.
var LiveSheets = []string{SheetWhatIf, SheetDraws}

// LiveSheetsNote says what reproduce does with the live sheets: it
// checks the results sheets and ignores any edit to these.
func LiveSheetsNote() string {
	return "Not compared: " + strings.Join(LiveSheets, ", ") + ", the live model for the reader to edit; reproduce checks the results sheets and ignores edits there."
}

// wcell is one cell of a sheet written through a stream: a value, or a
// formula with its value as cached (nil when the formula's value is an
// error, such as the BCR of a set that costs nothing); set marks a cell
// put.
type wcell struct {
	v       any
	formula string
	style   int
	set     bool
}

// grid is a sheet built in memory, cell by cell in any order, then
// written row by row through excelize's stream writer (the only way it
// writes a formula with a numeric cached value).
type grid struct {
	// cells[row][col], from 1; a row as long as its last cell put.
	cells [][]wcell
	rows  int
	// heights are the rows given a height of their own, in points;
	// merges the ranges merged, each "A2:I2".
	heights map[int]float64
	merges  [][2]string
}

func newCellGrid() *grid { return &grid{heights: map[int]float64{}} }

// cell returns the cell at col, row, making room for it.
func (g *grid) cell(col, row int) *wcell {
	if row >= len(g.cells) {
		g.cells = append(g.cells, make([][]wcell, row+1-len(g.cells))...)
	}
	if r := g.cells[row]; col >= len(r) {
		g.cells[row] = append(r, make([]wcell, col+1-len(r))...)
	}
	g.rows = max(g.rows, row)
	return &g.cells[row][col]
}

func (g *grid) put(col, row int, v any, style int) {
	if x, ok := v.(float64); ok && !finite(x) {
		v = "n/a"
	}
	*g.cell(col, row) = wcell{v: v, style: style, set: true}
}

// calc puts a formula with its value as the tool computes it; a value
// that is not a finite number is left out (the formula's result is then
// an error, #N/A or #DIV/0!, which a cache cannot hold here).
func (g *grid) calc(col, row int, formula string, v any, style int) {
	if x, ok := v.(float64); ok && !finite(x) {
		v = nil
	}
	*g.cell(col, row) = wcell{v: v, formula: formula, style: style, set: true}
}

// value returns the cached value of a cell put before (0 if none).
func (g *grid) value(col, row int) float64 {
	if row >= len(g.cells) || col >= len(g.cells[row]) {
		return 0
	}
	switch x := g.cells[row][col].v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return 0
}

// write writes the grid to sheet through a stream writer, with the column
// widths and frozen rows given.
func (g *grid) write(f *excelize.File, sheet string, widths []float64, freeze int) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if freeze > 0 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: freeze, TopLeftCell: cellName(1, freeze+1), ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	for r := 1; r <= g.rows; r++ {
		row := g.cells[r]
		if len(row) == 0 {
			continue
		}
		vals := make([]any, len(row)-1)
		for c := 1; c < len(row); c++ {
			if wc := row[c]; wc.set {
				vals[c-1] = excelize.Cell{StyleID: wc.style, Formula: wc.formula, Value: wc.v}
			}
		}
		var opts []excelize.RowOpts
		if h, ok := g.heights[r]; ok {
			opts = append(opts, excelize.RowOpts{Height: h})
		}
		if err := sw.SetRow(cellName(1, r), vals, opts...); err != nil {
			return err
		}
	}
	for _, m := range g.merges {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// abs returns a cell's absolute reference, $C$5.
func abs(col, row int) string { return "$" + colName(col) + "$" + fmt.Sprint(row) }

// span returns an absolute range of one column, $C$5:$C$9.
func span(col, r0, r1 int) string { return abs(col, r0) + ":" + abs(col, r1) }

// wiStyles are the What-if sheet's own styles.
type wiStyles struct {
	// input marks an editable cell (pale yellow), in each number format.
	inMoney, inValue, inPct, inFlag, inText int
}

// whatIfStyles registers the styles of editable cells.
func (b *book) whatIfStyles() wiStyles {
	style := func(code string) int {
		s := &excelize.Style{
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
			Alignment: &excelize.Alignment{Vertical: "top"},
			Border:    []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1}, {Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}},
		}
		if code != "" {
			s.CustomNumFmt = &code
		}
		id, err := b.f.NewStyle(s)
		b.do(err)
		return id
	}
	return wiStyles{
		inMoney: style(b.cur.numFmt()),
		inValue: style(`#,##0.0000##`),
		inPct:   style(`0.0%`),
		inFlag:  style(`0`),
		inText:  style(""),
	}
}

// whatIfLayout holds the rows and columns of the What-if sheet's blocks.
type whatIfLayout struct {
	harm bool
	// Results: one row per figure, columns B (toggled), C (recommendation),
	// D (the tool's figure for the recommendation).
	res map[string]int
	// Settings rows (value in column B).
	set map[string]int
	// Threat, control and effect tables: first data row and count.
	t0, nt, c0, nc, e0, ne int
	// Discount table: first row (year 0).
	y0 int
	// Threat columns.
	tc map[string]int
	// effRow[c][j] is the row of control c's effect j.
	effRow [][]int
	// Draws summary rows (on this sheet).
	draws map[string]int
}

// Threat table columns.
const (
	twID = 1 + iota
	twName
	twRate
	twDisp
	twSpread
	twSpreadSD
	twDur
	twFixed
	twKD
	twKDSD
	twKR
	twCheck
	twES
	twNext // first column after the inputs and E[min(S,orgs)]
)

// Control table columns.
const (
	cwID = 1 + iota
	cwName
	cwToggle
	cwRec
	cwCapex
	cwOpex
	cwLife
	cwProject
	cwUplift
	cwCheck
	cwApplyCx
	cwApplyOx
	cwCapexF
	cwOpexF
	cwCapexPV
	cwPV
	cwEAC
	cwCapex0
)

// Effect table columns.
const (
	ewControl = 1 + iota
	ewThreat
	ewF
	ewS
	ewD
	ewFixed
	ewCheck
	ewTog // four toggled factors, then four of the recommendation
)

// Discount table columns.
const (
	ywYear = 1 + iota
	ywRate
	ywDF
	ywHRate
	ywHDF
)

// recommended returns the portfolio the report recommends (empty for
// none).
func recommended(r *Report) model.Portfolio {
	if rec := r.Analysis.Recommended; rec != nil {
		return rec.Portfolio
	}
	return nil
}

// whatIf writes the What-if sheet (see WriteWorkbook): the closed form of
// expected NPV as live formulas. Its cached values are the formulas'
// values as the tool computes them, from the same central inputs, so the
// sheet reads the same before a spreadsheet recalculates it.
func (b *book) whatIf(r *Report) {
	if b.err != nil {
		return
	}
	m, a := r.Model, r.Analysis.Appraisal
	cen := model.Centrals(m, a)
	rec := recommended(r)
	inRec := make([]bool, len(m.Controls))
	for _, c := range rec {
		inRec[c] = true
	}
	st, ws := b.st, b.whatIfStyles()
	g := newCellGrid()
	L := whatIfLayout{harm: cen.Harm != nil, res: map[string]int{}, set: map[string]int{}, tc: map[string]int{}}

	// Layout: results, draws summary, settings, threats, controls,
	// effects, discounting.
	resRows := []string{"count", "dale"}
	if L.harm {
		resRows = append(resRows, "dharm", "deaths", "basedeaths")
	}
	resRows = append(resRows, "capex", "eac", "pvc", "pvb")
	if L.harm {
		resRows = append(resRows, "pvh")
	}
	resRows = append(resRows, "npv")
	if L.harm {
		resRows = append(resRows, "snpv")
	}
	resRows = append(resRows, "bcr")
	if L.harm {
		resRows = append(resRows, "sbcr")
	}
	resRows = append(resRows, "rosi")
	if L.harm {
		resRows = append(resRows, "srosi")
	}
	resRows = append(resRows, "vnpv", "beats", "by")
	row := 5
	for _, k := range resRows {
		row++
		L.res[k] = row
	}
	row += 2
	L.draws = map[string]int{"section": row}
	row++ // header
	for _, k := range []string{"n", "mean", "lo", "hi", "p"} {
		row++
		L.draws[k] = row
	}
	row += 2
	setRow0 := row + 1
	setRows := []string{"horizon", "view", "orgs", "daily", "recovery"}
	if L.harm {
		setRows = append(setRows, "deaths", "qalys", "value", "kfull", "kfullsd")
	}
	setRows = append(setRows, "annuity", "hannuity", "check")
	row = setRow0 + 1
	for _, k := range setRows {
		L.set[k] = row
		row++
	}
	row += 2
	L.nt, L.t0 = len(cen.Threats), row+1
	row = L.t0 + L.nt + 2
	L.nc, L.c0 = len(cen.Controls), row+1
	row = L.c0 + L.nc + 2
	for _, c := range cen.Controls {
		L.ne += len(c.Effects)
	}
	L.e0 = row + 1
	row = L.e0 + L.ne + 2
	L.y0 = row + 1

	// Threat columns after the inputs.
	col := twNext
	next := func(name string) {
		L.tc[name] = col
		col++
	}
	if L.harm {
		next("lnmu")
		next("lnsd")
		next("share")
	}
	for _, set := range []string{"t", "r"} {
		for _, k := range []string{"mf", "ms", "md", "mF", "ale"} {
			next(set + k)
		}
		if L.harm {
			next(set + "days")
		}
	}
	next("base")
	if L.harm {
		next("basedays")
	}

	sref := func(k string) string { return abs(2, L.set[k]) }
	years := span(ywYear, L.y0, L.y0+model.MaxHorizon)
	dfs := span(ywDF, L.y0, L.y0+model.MaxHorizon)
	hdfs := span(ywHDF, L.y0, L.y0+model.MaxHorizon)

	// Title and note.
	g.put(1, 1, "What-if: the expected NPV of any set of controls, live", st.title)
	intro := "Edit the yellow cells (a control's toggle, 1 = in, 0 = out, preset to the recommendation; central costs and effects; a threat's central rate and losses; the settings) and the results recalculate: no macros, no add-ins. " +
		"Untouched, every figure is the tool's exact expectation (the closed form: expected rate × thinning × expected loss per event, the spread capped at the organisations in scope; costs with optimism bias, capex recurring at each lifetime inside the horizon). " +
		"A cell edited to nonsense (text, a negative cost, a toggle other than 0 or 1, a reduction outside 0 to 1) shows #N/A, and so does every figure that uses it. " +
		"`cybercba reproduce` checks the results sheets and ignores this one."
	g.put(1, 2, intro, st.wrap)
	g.merges = append(g.merges, [2]string{"A2", cellName(whatIfPrintCols, 2)})
	g.heights[2] = textLines(intro, whatIfPrintWidth)*lineHeight + 2
	g.put(1, 3, whatIfPrintNote, st.plain)

	// Discount table.
	g.put(1, L.y0-2, "Discounting (edit a year's rate to change the schedule)", st.section)
	for i, h := range []string{"Year", "Rate", "Discount factor", "Health rate", "Health factor"} {
		g.put(i+1, L.y0-1, h, st.header)
	}
	df, hdf := 1.0, 1.0
	for y := 0; y <= model.MaxHorizon; y++ {
		rw := L.y0 + y
		g.put(ywYear, rw, y, st.count)
		if y == 0 {
			g.put(ywDF, rw, 1.0, st.value)
			g.put(ywHDF, rw, 1.0, st.value)
			continue
		}
		g.put(ywRate, rw, cen.Rates[y], ws.inPct)
		g.put(ywHRate, rw, cen.HealthRates[y], ws.inPct)
		df /= 1 + cen.Rates[y]
		hdf /= 1 + cen.HealthRates[y]
		g.calc(ywDF, rw, fmt.Sprintf("IF(AND(ISNUMBER(%[1]s),%[1]s>-1),%[2]s/(1+%[1]s),NA())", abs(ywRate, rw), abs(ywDF, rw-1)), df, st.value)
		g.calc(ywHDF, rw, fmt.Sprintf("IF(AND(ISNUMBER(%[1]s),%[1]s>-1),%[2]s/(1+%[1]s),NA())", abs(ywHRate, rw), abs(ywHDF, rw-1)), hdf, st.value)
	}
	H := a.Horizon
	annuity := 0.0
	for y := 1; y <= H; y++ {
		annuity += g.value(ywDF, L.y0+y)
	}
	hannuity := 0.0
	for y := 1; y <= H; y++ {
		hannuity += g.value(ywHDF, L.y0+y)
	}

	// Settings.
	g.put(1, setRow0, "Settings", st.section)
	type setting struct {
		key, label string
		v          any
		style      int
		note       string
	}
	settings := []setting{
		{"horizon", "Horizon (years)", H, ws.inFlag, "benefits and running costs in years 1 to the horizon (1 to 125)"},
		{"view", "View in force", a.View.String(), ws.inText, "financial (money only) or social (money and patient harm)"},
		{"orgs", "Organisations in scope", cen.Orgs, ws.inValue, "spread is capped here"},
		{"daily", "Lost output per organisation-day (c_d)", cen.Daily, ws.inMoney, "expected value"},
		{"recovery", "IT recovery cost per organisation (c_r)", cen.Recovery, ws.inMoney, "expected value"},
	}
	if L.harm {
		h := cen.Harm
		settings = append(settings,
			setting{"deaths", "Extra deaths per full-outage day (h)", h.Deaths, ws.inValue, "expected value"},
			setting{"qalys", "QALYs lost per death (q)", h.QALYs, ws.inValue, "expected value"},
			setting{"value", "Value of a QALY (v)", h.Value, ws.inMoney, "in the dataset's prices"},
			setting{"kfull", "Intensity of a full outage (k_full)", h.KFull, ws.inValue, "expected value"},
			setting{"kfullsd", "k_full: log-sd of its lognormal", h.KFullSigma, ws.inValue, "0 when fixed"})
	}
	for _, s := range settings {
		g.put(1, L.set[s.key], s.label, st.label)
		g.put(2, L.set[s.key], s.v, s.style)
		g.put(3, L.set[s.key], s.note, st.plain)
	}
	checks := []string{
		fmt.Sprintf("ISNUMBER(%[1]s),%[1]s=INT(%[1]s),%[1]s>=1,%[1]s<=%d", sref("horizon"), model.MaxHorizon),
		fmt.Sprintf(`OR(%[1]s="financial",%[1]s="social")`, sref("view")),
	}
	for _, k := range []string{"orgs", "daily", "recovery", "deaths", "qalys", "value", "kfull", "kfullsd"} {
		if _, ok := L.set[k]; ok {
			lo := ">=0"
			if k == "orgs" || k == "kfull" {
				lo = ">0"
			}
			checks = append(checks, fmt.Sprintf("ISNUMBER(%[1]s),%[1]s%s", sref(k), lo))
		}
	}
	check := sref("check")
	g.put(1, L.set["check"], "Settings valid", st.label)
	g.calc(2, L.set["check"], "IF(AND("+strings.Join(checks, ",")+"),1,NA())", 1.0, st.count)
	g.put(3, L.set["check"], "1 when every setting above is valid, else #N/A", st.plain)
	g.put(1, L.set["annuity"], "Annuity factor (Σ discount factors, years 1 to horizon)", st.label)
	g.calc(2, L.set["annuity"], fmt.Sprintf("%s*SUMPRODUCT((%s>=1)*(%s<=%s)*%s)", check, years, years, sref("horizon"), dfs), annuity, st.value)
	g.put(1, L.set["hannuity"], "Health annuity factor", st.label)
	g.calc(2, L.set["hannuity"], fmt.Sprintf("%s*SUMPRODUCT((%s>=1)*(%s<=%s)*%s)", check, years, years, sref("horizon"), hdfs), hannuity, st.value)
	A, Ah := sref("annuity"), sref("hannuity")

	// Threats.
	thHead := []string{"Threat", "Name", "Events a year E[λ]", "Dispersion φ (the mean does not depend on it)", "Orgs disrupted E[S] (before the cap)", "S: log-sd", "Days of outage E[D]", "Cost per event E[F]", "Lost output intensity E[k_d]", "k_d: log-sd", "Recovery intensity E[k_r]", "Inputs valid", "E[min(S, orgs)]"}
	if L.harm {
		thHead = append(thHead, "ln k_d/k_full: mean", "ln k_d/k_full: sd", "Full-outage share E[min(k_d/k_full,1)]")
	}
	for _, set := range []string{"Toggled", "Recommended"} {
		thHead = append(thHead, set+": m_f", set+": m_s", set+": m_d", set+": m_F", set+": ALE")
		if L.harm {
			thHead = append(thHead, set+": full-outage days a year")
		}
	}
	thHead = append(thHead, "Baseline ALE")
	if L.harm {
		thHead = append(thHead, "Baseline full-outage days a year")
	}
	g.put(1, L.t0-2, "Threats (central inputs: expected values)", st.section)
	for i, h := range thHead {
		g.put(i+1, L.t0-1, h, st.header)
	}
	// Effects' factor cells by threat, for the products.
	byThreat := make([][]int, L.nt)
	er := L.e0
	for _, c := range cen.Controls {
		for _, e := range c.Effects {
			byThreat[e.Threat] = append(byThreat[e.Threat], er)
			er++
		}
	}
	// Effects table (written first: the threats' products read their
	// cached values).
	g.put(1, L.e0-2, "Effects (central reductions: expected fractions cut)", st.section)
	effHead := []string{"Control", "Threat", "Cut in frequency r_f", "Cut in orgs disrupted r_s", "Cut in days of outage r_d", "Cut in cost per event r_F", "Inputs valid",
		"Toggled: 1−T·r_f", "Toggled: 1−T·r_s", "Toggled: 1−T·r_d", "Toggled: 1−T·r_F",
		"Recommended: 1−R·r_f", "Recommended: 1−R·r_s", "Recommended: 1−R·r_d", "Recommended: 1−R·r_F"}
	for i, h := range effHead {
		g.put(i+1, L.e0-1, h, st.header)
	}
	er = L.e0
	L.effRow = make([][]int, len(cen.Controls))
	for ci, c := range cen.Controls {
		crow := L.c0 + ci
		for _, e := range c.Effects {
			L.effRow[ci] = append(L.effRow[ci], er)
			g.put(ewControl, er, c.ID, st.plain)
			g.put(ewThreat, er, cen.Threats[e.Threat].ID, st.plain)
			red := []float64{e.Frequency, e.Spread, e.Duration, e.Fixed}
			var conds []string
			for k, v := range red {
				g.put(ewF+k, er, v, ws.inPct)
				conds = append(conds, fmt.Sprintf("ISNUMBER(%[1]s),%[1]s>=0,%[1]s<=1", abs(ewF+k, er)))
			}
			g.calc(ewCheck, er, "IF(AND("+strings.Join(conds, ",")+"),1,NA())", 1.0, st.count)
			tog, in := toggledDefault(inRec[ci]), inRec[ci]
			for k, v := range red {
				tv, rv := 1.0, 1.0
				if tog {
					tv = 1 - v
				}
				if in {
					rv = 1 - v
				}
				g.calc(ewTog+k, er, fmt.Sprintf("%s*%s*(1-%s*%s)", abs(ewCheck, er), abs(cwCheck, crow), abs(cwToggle, crow), abs(ewF+k, er)), tv, st.value)
				g.calc(ewTog+4+k, er, fmt.Sprintf("%s*%s*(1-%s*%s)", abs(ewCheck, er), abs(cwCheck, crow), abs(cwRec, crow), abs(ewF+k, er)), rv, st.value)
			}
			er++
		}
	}
	orgs, daily, recovery := sref("orgs"), sref("daily"), sref("recovery")
	for t, th := range cen.Threats {
		rw := L.t0 + t
		c := func(col int) string { return abs(col, rw) }
		g.put(twID, rw, th.ID, st.plain)
		g.put(twName, rw, th.Name, st.plain)
		g.put(twRate, rw, th.Rate, ws.inValue)
		g.put(twDisp, rw, th.Dispersion, st.value)
		g.put(twSpread, rw, th.Spread, ws.inValue)
		g.put(twSpreadSD, rw, th.SpreadSigma, ws.inValue)
		g.put(twDur, rw, th.Duration, ws.inValue)
		g.put(twFixed, rw, th.Fixed, ws.inMoney)
		g.put(twKD, rw, th.KDaily, ws.inValue)
		g.put(twKDSD, rw, th.KDailySigma, ws.inValue)
		g.put(twKR, rw, th.KRecovery, ws.inValue)
		var conds []string
		for _, k := range []int{twRate, twSpread, twSpreadSD, twDur, twFixed, twKD, twKDSD, twKR} {
			conds = append(conds, fmt.Sprintf("ISNUMBER(%[1]s),%[1]s>=0", c(k)))
		}
		g.calc(twCheck, rw, "IF(AND("+strings.Join(conds, ",")+"),1,NA())", 1.0, st.count)
		// E[min(S, orgs)]: the capped first moment of the lognormal with
		// mean E[S] and log-sd σ: μ = ln E[S] − σ²/2,
		// E = E[S]·Φ((ln orgs − μ − σ²)/σ) + orgs·(1 − Φ((ln orgs − μ)/σ)).
		S, sd := c(twSpread), c(twSpreadSD)
		mu := fmt.Sprintf("(LN(%s)-%s^2/2)", S, sd)
		es := capped(th.Spread, th.SpreadSigma, cen.Orgs)
		g.calc(twES, rw, fmt.Sprintf("%s*IF(%s=0,MIN(%s,%s),%s*NORMSDIST((LN(%s)-%s-%s^2)/%s)+%s*(1-NORMSDIST((LN(%s)-%s)/%s)))",
			c(twCheck), sd, S, orgs, S, orgs, mu, sd, sd, orgs, orgs, mu, sd), es, st.value)
		share := 0.0
		if L.harm {
			h := cen.Harm
			lnmu, lnsd := 0.0, math.Hypot(th.KDailySigma, h.KFullSigma)
			if th.KDaily != 0 {
				lnmu = math.Log(th.KDaily) - th.KDailySigma*th.KDailySigma/2 - (math.Log(h.KFull) - h.KFullSigma*h.KFullSigma/2)
				share = capped(math.Exp(lnmu+lnsd*lnsd/2), lnsd, 1)
			}
			kd, kdsd, kf, kfsd := c(twKD), c(twKDSD), sref("kfull"), sref("kfullsd")
			g.calc(L.tc["lnmu"], rw, fmt.Sprintf("IF(%s=0,0,LN(%s)-%s^2/2-(LN(%s)-%s^2/2))", kd, kd, kdsd, kf, kfsd), lnmu, st.value)
			g.calc(L.tc["lnsd"], rw, fmt.Sprintf("SQRT(%s^2+%s^2)", kdsd, kfsd), lnsd, st.value)
			m, s := c(L.tc["lnmu"]), c(L.tc["lnsd"])
			g.calc(L.tc["share"], rw, fmt.Sprintf("IF(%s=0,0,IF(%s=0,MIN(EXP(%s),1),EXP(%s+%s^2/2)*NORMSDIST((-%s-%s^2)/%s)+1-NORMSDIST(-%s/%s)))",
				kd, s, m, m, s, m, s, s, m, s), share, st.value)
		}
		// Multipliers and expected losses of the toggled set, the
		// recommendation and the baseline.
		for si, set := range []string{"t", "r"} {
			ms := [4]float64{1, 1, 1, 1}
			for k := range 4 {
				var refs []string
				for _, er := range byThreat[t] {
					refs = append(refs, abs(ewTog+4*si+k, er))
					ms[k] *= g.value(ewTog+4*si+k, er)
				}
				f := "1"
				if len(refs) > 0 {
					f = "PRODUCT(" + strings.Join(refs, ",") + ")"
				}
				g.calc(L.tc[set+[]string{"mf", "ms", "md", "mF"}[k]], rw, f, ms[k], st.value)
			}
			mf, msp, md, mF := c(L.tc[set+"mf"]), c(L.tc[set+"ms"]), c(L.tc[set+"md"]), c(L.tc[set+"mF"])
			ale := th.Rate * ms[0] * (es*ms[1]*(th.Duration*ms[2]*th.KDaily*cen.Daily+th.KRecovery*cen.Recovery) + th.Fixed*ms[3])
			g.calc(L.tc[set+"ale"], rw, fmt.Sprintf("%s*%s*(%s*%s*(%s*%s*%s*%s+%s*%s)+%s*%s)",
				c(twRate), mf, c(twES), msp, c(twDur), md, c(twKD), daily, c(twKR), recovery, c(twFixed), mF), ale, st.money)
			if L.harm {
				days := th.Rate * ms[0] * es * ms[1] * th.Duration * ms[2] * share
				g.calc(L.tc[set+"days"], rw, fmt.Sprintf("%s*%s*%s*%s*%s*%s*%s", c(twRate), mf, c(twES), msp, c(twDur), md, c(L.tc["share"])), days, st.value)
			}
		}
		base := th.Rate * (es*(th.Duration*th.KDaily*cen.Daily+th.KRecovery*cen.Recovery) + th.Fixed)
		g.calc(L.tc["base"], rw, fmt.Sprintf("%s*(%s*(%s*%s*%s+%s*%s)+%s)", c(twRate), c(twES), c(twDur), c(twKD), daily, c(twKR), recovery, c(twFixed)), base, st.money)
		if L.harm {
			g.calc(L.tc["basedays"], rw, fmt.Sprintf("%s*%s*%s*%s", c(twRate), c(twES), c(twDur), c(L.tc["share"])), th.Rate*es*th.Duration*share, st.value)
		}
	}

	// Controls.
	g.put(1, L.c0-2, "Controls (toggle 1 = in, 0 = out; central costs: expected values before optimism bias)", st.section)
	ctlHead := []string{"Control", "Name", "Toggle (1 in, 0 out)", "In the recommendation", "Capital cost E[capex]", "Running cost a year E[opex]", "Lifetime (years; 0 = the horizon)", "Project type", "Optimism bias E[u]", "Inputs valid",
		"Uplift applies to capex (1/0)", "Uplift applies to opex (1/0)", "Capex factor 1+u·applies", "Opex factor 1+u·applies", "PV of 1 of capex with renewals", "PV of costs over the horizon", "Cost a year (EAC)", "Capex in year 0, with uplift"}
	for i, h := range ctlHead {
		g.put(i+1, L.c0-1, h, st.header)
	}
	for ci, c := range cen.Controls {
		rw := L.c0 + ci
		ref := func(col int) string { return abs(col, rw) }
		g.put(cwID, rw, c.ID, st.plain)
		g.put(cwName, rw, c.Name, st.plain)
		g.put(cwToggle, rw, flag(toggledDefault(inRec[ci])), ws.inFlag)
		g.put(cwRec, rw, flag(inRec[ci]), st.count)
		g.put(cwCapex, rw, c.Capex, ws.inMoney)
		g.put(cwOpex, rw, c.Opex, ws.inMoney)
		g.put(cwLife, rw, c.Lifetime, ws.inFlag)
		g.put(cwProject, rw, c.Project, ws.inText)
		g.put(cwUplift, rw, c.Uplift, ws.inPct)
		g.calc(cwCheck, rw, fmt.Sprintf("IF(AND(ISNUMBER(%[1]s),OR(%[1]s=0,%[1]s=1),ISNUMBER(%[2]s),OR(%[2]s=0,%[2]s=1),ISNUMBER(%[3]s),%[3]s>=0,ISNUMBER(%[4]s),%[4]s>=0,ISNUMBER(%[5]s),%[5]s>=0,%[5]s=INT(%[5]s),ISNUMBER(%[6]s),%[6]s>=0),1,NA())",
			ref(cwToggle), ref(cwRec), ref(cwCapex), ref(cwOpex), ref(cwLife), ref(cwUplift)), 1.0, st.count)
		p := ref(cwProject)
		acx, aox := upliftApplies(c.Project, c.Capex)
		g.calc(cwApplyCx, rw, fmt.Sprintf(`IF(%s="outsourcing",0,IF(AND(%s="equipment",%s=0),0,1))`, p, p, ref(cwCapex)), acx, st.count)
		g.calc(cwApplyOx, rw, fmt.Sprintf(`IF(%s="outsourcing",1,IF(%s="equipment",IF(%s=0,1,0),1))`, p, p, ref(cwCapex)), aox, st.count)
		cx, ox := 1+c.Uplift*acx, 1+c.Uplift*aox
		g.calc(cwCapexF, rw, fmt.Sprintf("1+%s*%s", ref(cwUplift), ref(cwApplyCx)), cx, st.value)
		g.calc(cwOpexF, rw, fmt.Sprintf("1+%s*%s", ref(cwUplift), ref(cwApplyOx)), ox, st.value)
		cpv := 1.0
		if c.Lifetime > 0 {
			for y := c.Lifetime; y < H; y += c.Lifetime {
				cpv += g.value(ywDF, L.y0+y)
			}
		}
		g.calc(cwCapexPV, rw, fmt.Sprintf("IF(%[1]s>0,SUMPRODUCT((MOD(%[2]s,%[1]s)=0)*(%[2]s<%[3]s)*%[4]s),1)", ref(cwLife), years, sref("horizon"), dfs), cpv, st.value)
		pv := c.Capex*cx*cpv + c.Opex*ox*annuity
		g.calc(cwPV, rw, fmt.Sprintf("%s*(%s*%s*%s+%s*%s*%s)", ref(cwCheck), ref(cwCapex), ref(cwCapexF), ref(cwCapexPV), ref(cwOpex), ref(cwOpexF), A), pv, st.money)
		g.calc(cwEAC, rw, fmt.Sprintf("%s/%s", ref(cwPV), A), pv/annuity, st.money)
		g.calc(cwCapex0, rw, fmt.Sprintf("%s*%s*%s", ref(cwCheck), ref(cwCapex), ref(cwCapexF)), c.Capex*cx, st.money)
	}

	// Results.
	g.put(1, 4, "Results (expected values, over the horizon, by the closed form)", st.section)
	for i, h := range []string{"Figure", "Toggled set", "Recommendation, under the inputs below", "The tool's figure for the recommendation", "Note"} {
		g.put(i+1, 5, h, st.header)
	}
	exp := model.ClosedFormAppraisal(m, a, rec)
	tr := func(col int, r0, r1 int) string { return span(col, r0, r1) }
	ts := func(k string) string { return tr(L.tc[k], L.t0, L.t0+L.nt-1) }
	cs := func(col int) string { return tr(col, L.c0, L.c0+L.nc-1) }
	// sum of a threat column's cached values
	tsum := func(k string) float64 {
		var s float64
		for t := range L.nt {
			s += g.value(L.tc[k], L.t0+t)
		}
		return s
	}
	csum := func(col, flagCol int) float64 {
		var s float64
		for ci := range L.nc {
			s += g.value(flagCol, L.c0+ci) * g.value(col, L.c0+ci)
		}
		return s
	}
	for si, set := range []string{"t", "r"} {
		col := 2 + si
		flagCol := cwToggle + si
		R := func(k string) string { return abs(col, L.res[k]) }
		put := func(k, f string, v float64, style int) { g.calc(col, L.res[k], f, v, style) }
		var n float64
		for ci := range L.nc {
			n += g.value(flagCol, L.c0+ci)
		}
		put("count", fmt.Sprintf("SUM(%s)", cs(flagCol)), n, st.count)
		dale := tsum("base") - tsum(set+"ale")
		put("dale", fmt.Sprintf("(SUM(%s)-SUM(%s))*%s", ts("base"), ts(set+"ale"), check), dale, st.money)
		var dharm float64
		if L.harm {
			h := cen.Harm
			dharm = (tsum("basedays") - tsum(set+"days")) * h.Deaths * h.QALYs * h.Value
			put("dharm", fmt.Sprintf("(SUM(%s)-SUM(%s))*%s*%s*%s*%s", ts("basedays"), ts(set+"days"), sref("deaths"), sref("qalys"), sref("value"), check), dharm, st.money)
			put("deaths", fmt.Sprintf("SUM(%s)*%s*%s", ts(set+"days"), sref("deaths"), check), tsum(set+"days")*h.Deaths, st.ratio)
			put("basedeaths", fmt.Sprintf("SUM(%s)*%s*%s", ts("basedays"), sref("deaths"), check), tsum("basedays")*h.Deaths, st.ratio)
		}
		pvc := csum(cwPV, flagCol)
		put("capex", fmt.Sprintf("SUMPRODUCT(%s,%s)", cs(flagCol), cs(cwCapex0)), csum(cwCapex0, flagCol), st.money)
		put("pvc", fmt.Sprintf("SUMPRODUCT(%s,%s)", cs(flagCol), cs(cwPV)), pvc, st.money)
		eac := pvc / annuity
		put("eac", fmt.Sprintf("%s/%s", R("pvc"), A), eac, st.money)
		pvb := dale * annuity
		put("pvb", fmt.Sprintf("%s*%s", R("dale"), A), pvb, st.money)
		npv := pvb - pvc
		put("npv", fmt.Sprintf("%s-%s", R("pvb"), R("pvc")), npv, st.money)
		put("bcr", fmt.Sprintf("IF(%[2]s=0,NA(),%[1]s/%[2]s)", R("pvb"), R("pvc")), pvb/pvc, st.ratio)
		put("rosi", fmt.Sprintf("IF(%[2]s=0,NA(),(%[1]s-%[2]s)/%[2]s)", R("dale"), R("eac")), (dale-eac)/eac, st.pct)
		vnpv := npv
		vf := R("npv")
		if L.harm {
			pvh := dharm * hannuity
			put("pvh", fmt.Sprintf("%s*%s", R("dharm"), Ah), pvh, st.money)
			snpv := pvb + pvh - pvc
			put("snpv", fmt.Sprintf("%s+%s-%s", R("pvb"), R("pvh"), R("pvc")), snpv, st.money)
			put("sbcr", fmt.Sprintf("IF(%[3]s=0,NA(),(%[1]s+%[2]s)/%[3]s)", R("pvb"), R("pvh"), R("pvc")), (pvb+pvh)/pvc, st.ratio)
			put("srosi", fmt.Sprintf("IF(%[3]s=0,NA(),(%[1]s+%[2]s-%[3]s)/%[3]s)", R("dale"), R("dharm"), R("eac")), (dale+dharm-eac)/eac, st.pct)
			vf = fmt.Sprintf(`IF(%s="social",%s,%s)`, sref("view"), R("snpv"), R("npv"))
			if a.View == model.Social {
				vnpv = snpv
			}
		}
		put("vnpv", vf, vnpv, st.money)
	}
	// The tool's own figures for the recommendation.
	tool := map[string]float64{"count": float64(len(rec)), "dale": exp.DeltaALE, "capex": exp.Capex, "eac": exp.Annual, "pvc": exp.PVCost, "pvb": exp.PVBenefit,
		"npv": exp.MoneyNPV, "bcr": exp.MoneyBCR, "rosi": exp.MoneyROSI, "vnpv": exp.DecisionNPV}
	if L.harm {
		for k, v := range map[string]float64{"dharm": exp.DeltaHarm, "deaths": exp.Deaths, "basedeaths": exp.BaselineDeaths, "pvh": exp.PVHarm,
			"snpv": exp.SocialNPV, "sbcr": exp.SocialBCR, "srosi": exp.SocialROSI} {
			tool[k] = v
		}
	}
	labels := map[string][2]string{
		"count":      {"Controls in the set", ""},
		"dale":       {"Expected annual loss avoided (ΔALE), a year", "money only"},
		"dharm":      {"Patient harm avoided a year, valued in money", "deaths avoided × QALYs per death × value of a QALY"},
		"deaths":     {"Expected extra deaths a year, with the set", "Σ rate·E[min(S,orgs)]·E[D]·E[min(k_d/k_full,1)]·h under the set"},
		"basedeaths": {"Expected extra deaths a year, without new controls", ""},
		"capex":      {"Capital cost in year 0 (with optimism bias)", ""},
		"eac":        {"Cost a year (equivalent annual cost)", "PV of costs ÷ annuity factor"},
		"pvc":        {"Present value of costs", "capex with renewals, and opex, with optimism bias"},
		"pvb":        {"Present value of benefits, money only", "ΔALE × annuity factor"},
		"pvh":        {"Present value of harm avoided", "at the health discount rate"},
		"npv":        {"NPV, money only", ""},
		"snpv":       {"NPV with patient harm", ""},
		"bcr":        {"BCR, money only", "#N/A when the set costs nothing"},
		"sbcr":       {"BCR with patient harm", ""},
		"rosi":       {"ROSI, money only", "(ΔALE − cost a year) ÷ cost a year"},
		"srosi":      {"ROSI with patient harm", ""},
		"vnpv":       {"NPV in the view in force", "the view is set under Settings"},
		"beats":      {"Does the toggled set beat the recommendation?", "by expected NPV in the view in force, both under the inputs below"},
		"by":         {"By how much (toggled − recommendation)", ""},
	}
	for _, k := range resRows {
		g.put(1, L.res[k], labels[k][0], st.label)
		if v, ok := tool[k]; ok {
			style := st.money
			switch k {
			case "count":
				style = st.count
			case "bcr", "sbcr", "deaths", "basedeaths":
				style = st.ratio
			case "rosi", "srosi":
				style = st.pct
			}
			g.put(4, L.res[k], v, style)
		}
		g.put(5, L.res[k], labels[k][1], st.plain)
	}
	d := abs(2, L.res["vnpv"]) + "-" + abs(3, L.res["vnpv"])
	g.calc(2, L.res["beats"], fmt.Sprintf(`IF(%[1]s>0,"yes, by "&TEXT(%[1]s,"#,##0"),IF(%[1]s=0,"no: the same expected NPV","no, it falls short by "&TEXT(-(%[1]s),"#,##0")))`, d), "no: the same expected NPV", st.plain)
	g.calc(2, L.res["by"], d, 0.0, st.money)

	tb, err := sheetDraws(r)
	b.do(err)
	b.drawsSheet(r, g, &L, cen, tb)
	b.streamed(SheetWhatIf, whatIfWidths)
	// Printed, one landscape page: the results, the uncertainty and the
	// settings (whatIfPrintNote says so on the sheet).
	b.pageSetup(SheetWhatIf, false, 1, 1)
	b.layout(SheetWhatIf).area = fmt.Sprintf("$A$1:$%s$%d", colName(whatIfPrintCols), L.set["check"])
	b.do(g.write(b.f, SheetWhatIf, whatIfWidths, 0))
}

// whatIfWidths are the What-if sheet's column widths, in characters.
var whatIfWidths = []float64{44, 18, 18, 18, 16, 12, 12, 12, 12, 12, 12, 10, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12}

// whatIfPrintCols is the number of the What-if sheet's columns printed,
// whatIfPrintWidth their width: the results and settings with their notes.
const whatIfPrintCols = 9

var whatIfPrintWidth = func() float64 {
	var w float64
	for _, x := range whatIfWidths[:whatIfPrintCols] {
		w += x
	}
	return w
}()

// whatIfPrintNote says on the What-if sheet what of it prints.
const whatIfPrintNote = "Printed: the results, the uncertainty and the settings, on one page. The input tables below are for editing on screen " +
	"(their values as used are on the Inputs sheet), and the draws are on the Draws sheet, hidden (unhide it to see or edit them)."

// streamed gives a sheet about to be streamed its page setup (a stream
// writer carries the setup the sheet has when it starts and takes none
// after): landscape A4, as many pages across as its widths need.
func (b *book) streamed(sheet string, widths []float64) {
	l := b.layout(sheet)
	l.widths = widths
	var w float64
	for _, x := range widths {
		w += x
	}
	b.pageSetup(sheet, false, max(1, int(math.Ceil(w/printChars))), 0)
	b.footer(sheet)
}

// toggledDefault is a control's preset toggle: in when recommended.
func toggledDefault(inRec bool) bool { return inRec }

// flag returns 1 or 0.
func flag(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

// capped returns E[min(X, c)] for X lognormal with mean m and log-sd sd
// (min(m, c) when sd is 0), as the What-if sheet computes it.
func capped(m, sd, c float64) float64 {
	if sd == 0 {
		return math.Min(m, c)
	}
	mu := math.Log(m) - sd*sd/2
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	return m*phi((math.Log(c)-mu-sd*sd)/sd) + c*(1-phi((math.Log(c)-mu)/sd))
}

// upliftApplies returns whether an optimism-bias uplift applies to a
// control's capex and to its opex (1 or 0), as the What-if sheet decides
// from its project type and capex (model.Control.BiasProject): capex for
// equipment with a capital cost, opex for outsourcing and for equipment
// without one, both otherwise.
func upliftApplies(project string, capex float64) (cx, ox float64) {
	switch {
	case project == model.ProjectOutsourcing, project == model.ProjectEquipment && capex == 0:
		return 0, 1
	case project == model.ProjectEquipment:
		return 1, 0
	}
	return 1, 1
}
