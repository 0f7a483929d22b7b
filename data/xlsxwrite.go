package data

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
)

// templateRows is the number of rows the template's drop-down lists and
// number checks cover, beyond the rows it fills.
const templateRows = 1000

// WriteTemplate writes ds as an editable inputs workbook to w, with the run
// settings s; scopeID, when not empty, must name a scope of ds and is
// written as the Settings scope in place of s.Scope. Reading the workbook
// back with LoadWorkbook gives ds, s and a few example scenarios.
//
// Each header carries a note explaining the column and its unit. Excel's
// data validation offers drop-down lists of scopes, threats and controls
// (Effects, Scenarios, Settings), of project kinds, objectives and metrics,
// and warns about a number out of range (a reduction outside 0 to 1, a
// negative amount), while still letting text such as £250k through, which
// LoadWorkbook reads. The template values column, hidden, keeps each
// number's value and a hash of its provenance, so that a number edited
// without a new source is tagged J ("edited in <file>") when read back.
func WriteTemplate(w io.Writer, ds *Dataset, scopeID string, s Settings) (err error) {
	if len(ds.Scopes) == 0 {
		return fmt.Errorf("%s: no scope to write", ds.File)
	}
	if scopeID != "" {
		if _, err := ds.Scope(scopeID); err != nil {
			return err
		}
		s.Scope = scopeID
	}
	// The Settings row carries the risk tolerance: the settings', else the
	// scope's own.
	if s.RiskTolerance == "" {
		id := s.Scope
		if id == "" {
			id = ds.Scopes[0].ID
		}
		if sc, err := ds.Scope(id); err == nil {
			s.RiskTolerance = sc.RiskTolerance
		}
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	tw := &templateWriter{f: f, ds: ds}
	tw.do(f.SetSheetName("Sheet1", sheetReadme))
	for _, sp := range specs {
		_, err := f.NewSheet(sp.sheet)
		tw.do(err)
	}
	tw.styles()
	tw.readme()
	tw.settings(s)
	tw.scenarios(s)
	tw.scopes()
	tw.threats()
	tw.controls()
	tw.effects()
	tw.calibration()
	tw.holdouts()
	tw.sources()
	if tw.err != nil {
		return tw.err
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:       "cybercba inputs: " + ds.Name,
		Subject:     "Inputs to cybercba, the Monte Carlo cost-benefit model of cyber-security investment",
		Creator:     "cybercba",
		Description: "Edit, then: cybercba validate <file>, cybercba run <file>, cybercba batch <file> -o results.xlsx",
	}); err != nil {
		return err
	}
	return f.Write(w)
}

// templateWriter writes a template, keeping the first error.
type templateWriter struct {
	f   *excelize.File
	ds  *Dataset
	err error
	st  struct{ title, header, wrap, money, pct, hidden int }
}

func (tw *templateWriter) do(err error) {
	if tw.err == nil && err != nil {
		tw.err = err
	}
}

func (tw *templateWriter) styles() {
	style := func(s *excelize.Style) int {
		id, err := tw.f.NewStyle(s)
		tw.do(err)
		return id
	}
	money, pct := `"£"#,##0.##;[Red]-"£"#,##0.##`, `0.0%`
	tw.st.title = style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "1F4E79"}})
	tw.st.header = style(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
	})
	tw.st.wrap = style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	tw.st.money = style(&excelize.Style{CustomNumFmt: &money})
	tw.st.pct = style(&excelize.Style{CustomNumFmt: &pct})
	tw.st.hidden = style(&excelize.Style{Font: &excelize.Font{Color: "808080", Size: 8}})
}

// layout is a table's columns: a text field's name, or a number's name and
// part ("rate/lo"), to its 1-based column.
type layout struct {
	sp   *spec
	cols map[string]int
	n    int // columns, the template values column included
}

func newLayout(sp *spec) *layout {
	lo := &layout{sp: sp, cols: map[string]int{}}
	for _, fd := range sp.fields {
		if fd.num {
			for _, p := range []string{"lo", "hi", "source"} {
				lo.n++
				lo.cols[fd.name+"/"+p] = lo.n
			}
			continue
		}
		lo.n++
		lo.cols[fd.name] = lo.n
	}
	if sp.fingerprint {
		lo.n++
		lo.cols["fingerprint"] = lo.n
	}
	return lo
}

// colRange returns the A1 range of column col from row 2 to the last row
// checked.
func colRange(col, last int) string {
	return cellName(col, 2) + ":" + cellName(col, last)
}

// absRange returns a sheet's column col as an absolute reference.
func absRange(sheet string, col, last int) string {
	c := colLetters(col)
	return fmt.Sprintf("%s!$%s$2:$%s$%d", sheetRef(sheet), c, c, last)
}

// row is one row of a table being written.
type row struct {
	lo     *layout
	vals   []any
	fpName []string
	fpNums []*Number
}

func (lo *layout) row() *row { return &row{lo: lo, vals: make([]any, lo.n)} }

func (r *row) text(name, v string) {
	if v != "" {
		r.vals[r.lo.cols[name]-1] = v
	}
}

func (r *row) value(name string, v any) { r.vals[r.lo.cols[name]-1] = v }

// num writes a number's lo, hi (blank for a fixed value) and source.
func (r *row) num(name string, n *Number) {
	if n == nil {
		return
	}
	r.vals[r.lo.cols[name+"/lo"]-1] = cellFloat(n.Lo)
	if n.ranged || n.Lo != n.Hi {
		r.vals[r.lo.cols[name+"/hi"]-1] = cellFloat(n.Hi)
	}
	if p := formatProvenance(n); p != "" {
		r.vals[r.lo.cols[name+"/source"]-1] = p
	}
	r.fpName = append(r.fpName, name)
	r.fpNums = append(r.fpNums, n)
}

// table writes a table sheet: the header with its notes, the rows, column
// widths and number formats, number checks and the hidden template values.
func (tw *templateWriter) table(lo *layout, rows []*row) {
	if tw.err != nil {
		return
	}
	sp, f := lo.sp, tw.f
	sheet := sp.sheet
	last := len(rows) + 1 + templateRows
	for i, r := range rows {
		if sp.fingerprint {
			fp := formatFingerprint(r.fpName, r.fpNums)
			r.vals[lo.cols["fingerprint"]-1] = fp
			if fp != "" {
				tw.do(f.SetCustomProps(excelize.CustomProperty{Name: fingerprintProp(sheet, r.key(sheet)), Value: fp}))
			}
		}
		tw.do(f.SetSheetRow(sheet, cellName(1, i+2), &r.vals))
	}
	for _, fd := range sp.fields {
		if !fd.num {
			c := lo.cols[fd.name]
			tw.do(f.SetColWidth(sheet, colLetters(c), colLetters(c), fd.width))
			if fd.name == "note" || fd.name == "title" || fd.name == "text" {
				tw.do(f.SetColStyle(sheet, colLetters(c), tw.st.wrap))
			}
			continue
		}
		loC, hiC, srcC := lo.cols[fd.name+"/lo"], lo.cols[fd.name+"/hi"], lo.cols[fd.name+"/source"]
		tw.do(f.SetColWidth(sheet, colLetters(loC), colLetters(hiC), fd.width))
		tw.do(f.SetColWidth(sheet, colLetters(srcC), colLetters(srcC), 28))
		switch fd.kind {
		case kindAmount:
			tw.do(f.SetColStyle(sheet, colLetters(loC)+":"+colLetters(hiC), tw.st.money))
		case kindFraction:
			tw.do(f.SetColStyle(sheet, colLetters(loC)+":"+colLetters(hiC), tw.st.pct))
		}
		tw.rangeCheck(sheet, colRange(loC, last)+" "+colRange(hiC, last), fd)
		tw.prompt(sheet, colRange(srcC, last), "Provenance", "F [source ids]: note, or J: reason. Blank: J, edited in this file.")
	}
	if sp.fingerprint {
		c := colLetters(lo.cols["fingerprint"])
		tw.do(f.SetColStyle(sheet, c, tw.st.hidden))
		tw.do(f.SetColWidth(sheet, c, c, 30))
		tw.do(f.SetColVisible(sheet, c, false))
	}
	tw.header(lo)
	tw.do(f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
}

// header writes a table's header row, each cell with its note.
func (tw *templateWriter) header(lo *layout) {
	f, sheet := tw.f, lo.sp.sheet
	note := func(col int, text string) {
		tw.do(f.AddComment(sheet, excelize.Comment{
			Cell: cellName(col, 1), Author: "cybercba",
			Paragraph: []excelize.RichTextRun{{Text: text}},
			Width:     320, Height: uint(60 + 15*(len(text)/50)),
		}))
	}
	for _, fd := range lo.sp.fields {
		heads := fd.heads()
		if !fd.num {
			c := lo.cols[fd.name]
			tw.do(f.SetCellValue(sheet, cellName(c, 1), heads[0]))
			note(c, fd.note)
			continue
		}
		what := fd.head
		if what == "" {
			what = "the value"
		}
		for i, p := range []string{"lo", "hi", "source"} {
			c := lo.cols[fd.name+"/"+p]
			tw.do(f.SetCellValue(sheet, cellName(c, 1), heads[i]))
			switch p {
			case "lo":
				note(c, fd.note)
			case "hi":
				text := fd.hiNote
				if text == "" {
					text = "The high end (95th percentile) of " + what + "; blank for a fixed value."
				}
				note(c, text)
			default:
				note(c, "Where "+what+" comes from. "+noteSource)
			}
		}
	}
	if lo.sp.fingerprint {
		c := lo.cols["fingerprint"]
		tw.do(f.SetCellValue(sheet, cellName(c, 1), fingerprintHead))
		note(c, "Hidden; do not edit. Each number's value and a hash of its source as the template wrote them: "+
			"a number you change without changing its source is read as your judgement (J, edited in this file).")
	}
	tw.do(f.SetRowHeight(sheet, 1, 30))
	tw.do(f.SetCellStyle(sheet, "A1", cellName(lo.n, 1), tw.st.header))
}

// rangeCheck adds a warning (not a stop: text such as £250k is let
// through) for a number out of its field's range.
func (tw *templateWriter) rangeCheck(sheet, sqref string, fd field) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	var err error
	switch fd.kind {
	case kindFraction:
		if fd.name == "optimism_bias" {
			err = dv.SetRange(0, 10, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
			dv.SetError(excelize.DataValidationErrorStyleWarning, "Optimism bias", "An uplift from 0 (e.g. 20% or 0.2).")
		} else {
			err = dv.SetRange(0, 1, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
			dv.SetError(excelize.DataValidationErrorStyleWarning, "Reduction", "A reduction is a fraction from 0 to 1 (or 0% to 100%).")
		}
	case kindAmount:
		err = dv.SetRange(0, 1e15, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleWarning, "Amount", "An amount of money, not negative. Text such as £1.2m or 250k is read too.")
	default:
		err = dv.SetRange(0, 1e15, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleWarning, "Number", "A number, not negative.")
	}
	tw.do(err)
	tw.do(tw.f.AddDataValidation(sheet, dv))
}

// prompt shows a message when a cell of sqref is selected, without
// restricting what it holds.
func (tw *templateWriter) prompt(sheet, sqref, title, msg string) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	dv.Type = "none"
	dv.SetInput(title, msg)
	tw.do(tw.f.AddDataValidation(sheet, dv))
}

// dropList offers the values in a range (e.g. another sheet's id column)
// or a short list.
func (tw *templateWriter) dropList(sheet, sqref, source string, list []string, title string) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	if list != nil {
		tw.do(dv.SetDropList(list))
	} else {
		dv.SetSqrefDropList(source)
	}
	dv.SetError(excelize.DataValidationErrorStyleWarning, title, "Not in the list; cybercba validate will say if it is unknown.")
	tw.do(tw.f.AddDataValidation(sheet, dv))
}

// idList returns the absolute range of a sheet's id column.
func idList(sp *spec, name string) string {
	return absRange(sp.sheet, newLayout(sp).cols[name], templateRows+500)
}

func (tw *templateWriter) scopeDrop(lo *layout, rows int) {
	if c, ok := lo.cols["scope"]; ok {
		tw.dropList(lo.sp.sheet, colRange(c, rows+1+templateRows), idList(&scopesSpec, "id"), nil, "Scope")
	}
}

func (tw *templateWriter) readme() {
	f, s := tw.f, sheetReadme
	tw.do(f.SetColWidth(s, "A", "A", 110))
	tw.do(f.SetCellValue(s, "A1", "cybercba inputs: "+tw.ds.Name))
	tw.do(f.SetCellStyle(s, "A1", "A1", tw.st.title))
	paras := []string{
		"This workbook holds everything cybercba needs for a cost-benefit analysis of cyber-security controls: the threats, " +
			"the candidate controls and their effects, the incident the outage costs are calibrated on, the sources, " +
			"the run's settings and, for bulk runs, one scenario per row. Edit it, then run:",
		"    cybercba validate inputs.xlsx        lists every problem, naming the sheet and cell\n" +
			"    cybercba run inputs.xlsx             appraises the controls of the Settings scope (flags on the command line override Settings)\n" +
			"    cybercba batch inputs.xlsx -o results.xlsx    runs every row of Scenarios",
		"Every number has three columns: lo and hi bound a 90% interval (the 5th and 95th percentiles; leave hi blank for a fixed value), " +
			"and source gives its provenance: a tag, the ids of its sources (Sources sheet) in brackets, and a note after a colon, for example " +
			"\"F [nao2017]: 80 trusts disrupted\" (a fact read in the source), \"D [hmt-deflators-2026]: 100/77.04\" (derived: the arithmetic) or " +
			"\"J: once in 5 to 30 years\" (a judgement: its reason). Text without a tag counts as a judgement.",
		"If you change a number and leave its source blank, or unchanged, it is read as your judgement: tag J with the note \"edited in <file>\" " +
			"(and the template's value and source, when you kept them), so a changed number never claims a source it did not come from. " +
			"cybercba validate lists these numbers. The hidden \"template values\" column makes this possible: do not edit it.",
		"Money is in the currency and price year on the Settings sheet. Cells may hold numbers or text such as £1.2m, 250k, 1,200,000 or 30%; " +
			"formulas are read by their saved values. Columns may be reordered; headers are matched without regard to case or spaces; " +
			"a column whose header starts with # is yours and is not read. Each header has a note explaining the column and its unit.",
		"Scopes may carry the social view's harm inputs (deaths per organisation-day of outage, QALYs per death, the value of a QALY); " +
			"leave all three blank for a scope without them. The Calibration sheet also holds the Green Book guidance's optimism-bias range " +
			"for each project type (equipment, outsourcing): a uniform range of uplifts, drawn only when a run asks for the guidance's optimism bias.",
		"Scenarios: one bulk run per row. A blank cell keeps the Settings value. Each row's random seed is derived from the master seed " +
			"(Settings) and the row's name, unless the row gives its own; multipliers scale the threats' rates, the losses (outage cost rates " +
			"and fixed costs) and the controls' costs; controls allowed limits the controls the row may use.",
	}
	for i, p := range paras {
		cell := cellName(1, i+3)
		tw.do(f.SetCellValue(s, cell, p))
		tw.do(f.SetCellStyle(s, cell, cell, tw.st.wrap))
		lines := strings.Count(p, "\n") + 1 + len(p)/120
		tw.do(f.SetRowHeight(s, i+3, float64(15*lines+6)))
	}
}

func (tw *templateWriter) settings(s Settings) {
	lo := newLayout(&settingsSpec)
	ds := tw.ds
	num := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	var decisionDraws any // blank for the default
	if s.DecisionDraws > 0 {
		decisionDraws = s.DecisionDraws
	}
	values := map[string]any{
		"name": ds.Name, "currency": ds.Currency, "price year": ds.PriceYear, "format version": ds.Version,
		"scope": s.Scope, "draws": s.Draws, "years": s.Years, "seed": seedCell(s.Seed), "horizon": s.Horizon,
		"decision draws": decisionDraws,
		"discount rate":  num(s.Discount), "optimism bias": s.OptimismBias,
		"budget": num(s.Budget), "capex budget": num(s.CapexBudget), "objective": s.Objective, "metric": s.Metric, "risk tolerance": s.RiskTolerance,
		"budget plan": s.BudgetPlan, "budget plan kind": s.BudgetPlanKind,
		"view": s.View, "correlations": s.Correlations, "baseline scenario": s.Baseline,
	}
	var rows []*row
	for _, k := range settingKeys {
		r := lo.row()
		r.text("setting", k.key)
		if v, ok := values[k.key]; ok && v != "" && v != nil {
			r.value("value", v)
		}
		r.text("note", k.note)
		rows = append(rows, r)
	}
	tw.table(lo, rows)
	valueCol := lo.cols["value"]
	for i, k := range settingKeys {
		cell := cellName(valueCol, i+2)
		switch k.key {
		case "scope":
			tw.dropList(sheetSettings, cell, idList(&scopesSpec, "id"), nil, "Scope")
		case "objective":
			tw.dropList(sheetSettings, cell, "", []string{"npv", "dale", "dtvar"}, "Objective")
		case "metric":
			tw.dropList(sheetSettings, cell, "", []string{"npv", "bcr", "rosi", "dale", "dp95"}, "Metric")
		case "discount rate", "optimism bias":
			tw.do(tw.f.SetCellStyle(sheetSettings, cell, cell, tw.st.pct))
		case "budget", "capex budget":
			tw.do(tw.f.SetCellStyle(sheetSettings, cell, cell, tw.st.money))
		}
	}
}

// seedCell returns a seed as a cell value: a number, or text above 2^53,
// where a spreadsheet's number would lose digits.
func seedCell(seed uint64) any {
	if seed > 1<<53 {
		return strconv.FormatUint(seed, 10)
	}
	return seed
}

// scenarios writes example rows: the Settings run, a budget of a twentieth
// of the yearly cost of every control, threats half as frequent again, controls 30%
// dearer, and (when the scope has both kinds) no capital projects.
func (tw *templateWriter) scenarios(s Settings) {
	lo := newLayout(&scenariosSpec)
	sc := &tw.ds.Scopes[0]
	if s.Scope != "" {
		if found, err := tw.ds.Scope(s.Scope); err == nil {
			sc = found
		}
	}
	var total float64
	var noCapex []string
	for _, c := range sc.Controls {
		units := 1.0
		if c.Units != nil {
			units = c.Units.Lo
		}
		life := math.Max(c.Lifetime.Lo, 1)
		total += units * (mid(c.Capex)/life + mid(c.Opex))
		if c.Capex.Hi == 0 {
			noCapex = append(noCapex, c.ID)
		}
	}
	tight := roundSig(total/20, 2)
	type ex struct {
		name, note string
		set        map[string]any
	}
	examples := []ex{
		{"baseline", "The Settings run.", nil},
		{"tight budget", "The best portfolio within a twentieth of the yearly cost of every control.", map[string]any{"budget": tight}},
		{"threats x1.5", "Every threat half as frequent again.", map[string]any{"rate_multiplier": 1.5}},
		{"costs +30%", "Every control 30% dearer, losses 20% lower.", map[string]any{"cost_multiplier": 1.3, "loss_multiplier": 0.8}},
	}
	if len(noCapex) > 0 && len(noCapex) < len(sc.Controls) {
		examples = append(examples, ex{"no capital projects", "Only the controls without capex, under the same budget.",
			map[string]any{"controls": strings.Join(noCapex, ", "), "budget": tight}})
	}
	var rows []*row
	for _, e := range examples {
		r := lo.row()
		r.text("name", e.name)
		for k, v := range e.set {
			r.value(k, v)
		}
		r.text("note", e.note)
		rows = append(rows, r)
	}
	tw.table(lo, rows)
	last := len(rows) + 1 + templateRows
	tw.scopeDrop(lo, len(rows))
	for _, k := range []string{"budget", "capex_budget"} {
		tw.do(tw.f.SetColStyle(sheetScenarios, colLetters(lo.cols[k]), tw.st.money))
	}
	for _, k := range []string{"discount_rate", "optimism_bias"} {
		tw.do(tw.f.SetColStyle(sheetScenarios, colLetters(lo.cols[k]), tw.st.pct))
	}
	for _, k := range []string{"rate_multiplier", "loss_multiplier", "cost_multiplier"} {
		tw.rangeCheck(sheetScenarios, colRange(lo.cols[k], last), field{kind: kindNumber})
	}
	// The column styles above reach the header cells: restyle them.
	tw.do(tw.f.SetCellStyle(sheetScenarios, "A1", cellName(lo.n, 1), tw.st.header))
}

// mid returns the middle of a number's interval.
func mid(n Number) float64 { return (n.Lo + n.Hi) / 2 }

// roundSig rounds x to k significant figures.
func roundSig(x float64, k int) float64 {
	if x == 0 {
		return 0
	}
	p := math.Pow(10, float64(k)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

func (tw *templateWriter) scopes() {
	lo := newLayout(&scopesSpec)
	var rows []*row
	for i := range tw.ds.Scopes {
		s := &tw.ds.Scopes[i]
		r := lo.row()
		r.text("id", s.ID)
		r.text("name", s.Name)
		r.num("orgs", &s.Orgs)
		r.num("daily", s.Daily)
		r.num("recovery", s.Recovery)
		if h := s.Harm; h != nil {
			r.num("deaths_per_day", &h.DeathsPerDay)
			r.num("qalys_per_death", &h.QALYsPerDeath)
			r.num("value_per_qaly", &h.ValuePerQALY)
			r.num("k_full", &h.KFull)
		}
		rows = append(rows, r)
	}
	tw.table(lo, rows)
}

func (tw *templateWriter) threats() {
	lo := newLayout(&threatsSpec)
	var rows []*row
	for i := range tw.ds.Scopes {
		s := &tw.ds.Scopes[i]
		for j := range s.Threats {
			t := &s.Threats[j]
			r := lo.row()
			r.text("scope", s.ID)
			r.text("id", t.ID)
			r.text("name", t.Name)
			r.num("rate", &t.Rate)
			r.num("dispersion", t.Dispersion)
			r.num("spread", &t.Spread)
			r.num("duration", &t.Duration)
			r.num("k_daily", t.KDaily)
			r.num("k_recovery", t.KRecovery)
			r.num("fixed", t.Fixed)
			r.num("trend", t.Trend)
			r.text("note", t.Note)
			rows = append(rows, r)
		}
	}
	tw.table(lo, rows)
	tw.scopeDrop(lo, len(rows))
}

func (tw *templateWriter) controls() {
	lo := newLayout(&controlsSpec)
	var rows []*row
	for i := range tw.ds.Scopes {
		s := &tw.ds.Scopes[i]
		for j := range s.Controls {
			c := &s.Controls[j]
			r := lo.row()
			r.text("scope", s.ID)
			r.text("id", c.ID)
			r.text("name", c.Name)
			r.text("project", c.Project)
			r.num("units", c.Units)
			r.num("capex", &c.Capex)
			r.num("opex", &c.Opex)
			r.num("lifetime", &c.Lifetime)
			r.num("optimism_bias", c.OptimismBias)
			r.text("exclusive_group", c.Group)
			r.text("requires", strings.Join(c.Requires, ", "))
			r.num("rollout_years", c.RolloutYears)
			r.text("rollout_shape", c.RolloutShape)
			r.text("decay", c.Decay)
			r.num("decay_life", c.DecayLife)
			r.num("decay_shape", c.DecayShape)
			r.text("note", c.Note)
			rows = append(rows, r)
		}
	}
	tw.table(lo, rows)
	tw.scopeDrop(lo, len(rows))
	last := len(rows) + 1 + templateRows
	tw.dropList(sheetControls, colRange(lo.cols["project"], last), "", []string{"equipment", "outsourcing", "none"}, "Project")
	tw.dropList(sheetControls, colRange(lo.cols["rollout_shape"], last), "", []string{"linear", "step"}, "Rollout shape")
	tw.dropList(sheetControls, colRange(lo.cols["decay"], last), "", []string{"none", "step", "exponential", "weibull"}, "Decay")
}

func (tw *templateWriter) effects() {
	lo := newLayout(&effectsSpec)
	var rows []*row
	for i := range tw.ds.Scopes {
		s := &tw.ds.Scopes[i]
		for j := range s.Controls {
			c := &s.Controls[j]
			for k := range c.Effects {
				e := &c.Effects[k]
				r := lo.row()
				r.text("scope", s.ID)
				r.text("control", c.ID)
				r.text("threat", e.Threat)
				r.num("frequency", e.Frequency)
				r.num("spread", e.Spread)
				r.num("duration", e.Duration)
				r.num("fixed", e.Fixed)
				rows = append(rows, r)
			}
		}
	}
	tw.table(lo, rows)
	tw.scopeDrop(lo, len(rows))
	last := len(rows) + 1 + templateRows
	tw.dropList(sheetEffects, colRange(lo.cols["control"], last), idList(&controlsSpec, "id"), nil, "Control")
	tw.dropList(sheetEffects, colRange(lo.cols["threat"], last), idList(&threatsSpec, "id"), nil, "Threat")
}

func (tw *templateWriter) calibration() {
	lo := newLayout(&calibrationSpec)
	c := &tw.ds.Calibration
	nums := map[string]*Number{
		"spread": &c.Spread, "duration": &c.Duration, "lost output": &c.LostOutput,
		"it costs": &c.ITCosts, "total": &c.Total, "deflator": &c.Deflator,
	}
	texts := map[string]string{"incident": c.Incident, "price year": c.PriceYear, "note": c.Note}
	var rows []*row
	for _, it := range calibrationItems {
		r := lo.row()
		r.text("item", it.item)
		r.text("unit", it.unit)
		if it.text {
			r.text("text", texts[it.item])
		} else {
			r.num("value", nums[it.item])
		}
		rows = append(rows, r)
	}
	for i := range c.Checks {
		ch := &c.Checks[i]
		r := lo.row()
		r.text("item", "check")
		r.text("id", ch.ID)
		r.text("text", ch.Name)
		r.num("value", &ch.Value)
		r.text("unit", "£, incident's prices")
		rows = append(rows, r)
	}
	// The optimism-bias ranges, by project type in a fixed order.
	projects := slices.Sorted(maps.Keys(tw.ds.OptimismBias))
	for _, k := range projects {
		r := lo.row()
		r.text("item", "optimism bias")
		r.text("id", k)
		r.num("value", tw.ds.OptimismBias[k])
		r.text("unit", biasUnits[k])
		rows = append(rows, r)
	}
	tw.table(lo, rows)
	tw.dropList(sheetCalibration, colRange(lo.cols["item"], len(rows)+1+templateRows), "",
		[]string{"incident", "price year", "spread", "duration", "lost output", "it costs", "total", "deflator", "note", "check", "optimism bias"}, "Item")
	first := len(rows) - len(projects) + 2 // the first optimism-bias row
	for i := range projects {
		row := first + i
		tw.do(tw.f.SetCellStyle(sheetCalibration, cellName(lo.cols["value/lo"], row), cellName(lo.cols["value/hi"], row), tw.st.pct))
		tw.dropList(sheetCalibration, cellName(lo.cols["id"], row), "", []string{model.ProjectEquipment, model.ProjectOutsourcing}, "Project type")
	}
}

// biasUnits says what each project type's optimism bias is an uplift on.
var biasUnits = map[string]string{
	model.ProjectEquipment:   "uplift on capital costs",
	model.ProjectOutsourcing: "uplift on operating costs",
}

func (tw *templateWriter) holdouts() {
	lo := newLayout(&holdoutsSpec)
	var rows []*row
	for i := range tw.ds.Holdouts {
		h := &tw.ds.Holdouts[i]
		r := lo.row()
		r.text("id", h.ID)
		r.text("name", h.Name)
		r.num("spread", &h.Spread)
		r.num("duration", &h.Duration)
		r.num("k_daily", h.KDaily)
		r.num("k_recovery", h.KRecovery)
		r.num("fixed", h.Fixed)
		r.num("observed", &h.Observed)
		rows = append(rows, r)
	}
	tw.table(lo, rows)
}

func (tw *templateWriter) sources() {
	lo := newLayout(&sourcesSpec)
	var rows []*row
	for _, s := range tw.ds.Sources {
		r := lo.row()
		r.text("id", s.ID)
		r.text("publisher", s.Publisher)
		r.text("title", s.Title)
		if s.Year != 0 {
			r.value("year", s.Year)
		}
		r.text("url", s.URL)
		rows = append(rows, r)
	}
	tw.table(lo, rows)
}

// ClearScenarios empties the Scenarios sheet of an inputs workbook f below
// its header row: every cell of every row, in each column the header names
// and any beyond it, so that the caller (a script, a test) writes its own
// rows whatever columns the template has. Styles and drop-down lists stay.
func ClearScenarios(f *excelize.File) error {
	rows, err := f.GetRows(sheetScenarios)
	if err != nil {
		return fmt.Errorf("%s: %w", sheetScenarios, err)
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: no header row", sheetScenarios)
	}
	for r := 2; r <= len(rows); r++ {
		for c := 1; c <= max(len(rows[0]), len(rows[r-1])); c++ {
			if err := f.SetCellValue(sheetScenarios, cellName(c, r), nil); err != nil {
				return err
			}
		}
	}
	return nil
}
