package reports

import (
	"context"
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/cybercba/cybercba/model"
)

// AddPlan finds the run's phased plan when it asks for one (--budget-plan),
// into j.Plan: the best plan within each year's budget, the best starting
// everything in year 1, and each year's expected loss and P95 with and
// without it.
func (j *Run) AddPlan(ctx context.Context) error {
	if j.BudgetPlan == nil {
		return nil
	}
	pa, err := model.AnalysePlan(ctx, j.Model, j.Appraisal, *j.BudgetPlan, j.Config)
	if err != nil {
		return fmt.Errorf("phased plan: %w", err)
	}
	j.Plan = pa
	return nil
}

// planKindText says what a kind of yearly budget caps.
func planKindText(k model.PlanBudgetKind) string {
	switch k {
	case model.PlanCapital:
		return "capital (capex in start and renewal years)"
	case model.PlanRunning:
		return "running costs (opex)"
	case model.PlanAnnual:
		return "equivalent annual cost (capex annuitised plus opex)"
	}
	return "capital and running costs together"
}

// planControls returns the controls a plan starts, "(none)" for none.
func planControls(m *model.Model, p model.Plan) string {
	var ids []string
	for c, s := range p.Start {
		if s > 0 {
			ids = append(ids, m.Controls[c].ID)
		}
	}
	if len(ids) == 0 {
		return "(none)"
	}
	return strings.Join(ids, ", ")
}

// planSentence is the plan's headline, the same in every output.
func planSentence(j *Run) string {
	pa := j.Plan
	view := "money only"
	if pa.Social {
		view = "money and patient harm: the social view"
	}
	return fmt.Sprintf("The plan's expected NPV is %s over %d years (%s); starting everything in year 1 instead, within the same budgets, the best is %s (%s): phasing adds %s.",
		j.cur.text(pa.Best.NPV), j.Appraisal.Horizon, view, j.cur.text(pa.YearOne.NPV), planControls(j.Model, pa.YearOne.Plan), j.cur.text(pa.Phasing))
}

// writePlan writes the phased plan: each control's start and spend by
// year against the budgets, each year's expected loss and P95 with and
// without it, its NPV and what starting everything in year 1 would give.
func writePlan(w io.Writer, j *Run) {
	pa := j.Plan
	if pa == nil {
		return
	}
	b := pa.Budgets
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Phased plan: which controls start in which year, within each year's budget for %s, maximising expected NPV:\n\n", planKindText(b.Kind))
	right := map[int]bool{2: true, 3: true, 4: true}
	for i := range b.Labels {
		right[5+i] = true
	}
	t := &textTable{right: right, key: 1}
	head := []string{"Control", "Starts", "Capex", "Opex/yr", "PV of costs"}
	head = append(head, b.Labels...)
	t.add(head...)
	for _, c := range pa.Controls {
		row := []string{c.ID, c.StartLabel, j.cur.text(c.Capex), j.cur.text(c.Opex), j.cur.text(c.PV)}
		for _, v := range c.Spend {
			row = append(row, j.cur.text(v))
		}
		t.add(row...)
	}
	if len(pa.Controls) == 0 {
		t.add("(none)", "", "", "", "")
	}
	spend := []string{"Spend", "", "", "", ""}
	budget := []string{"Budget", "", "", "", ""}
	for i, v := range pa.Spend {
		spend = append(spend, j.cur.text(v))
		budget = append(budget, j.cur.text(b.Amounts[i]))
	}
	t.add(spend...)
	t.add(budget...)
	fmt.Fprint(w, t.fit(j.fitWidth()))
	fmt.Fprintln(w)
	y := &textTable{right: map[int]bool{0: true, 1: true, 2: true, 3: true, 4: true}}
	y.add("Year", "ALE without", "ALE with plan", "P95 without", "P95 with plan")
	for _, py := range pa.Years {
		y.add(fmt.Sprint(py.Year), j.cur.text(py.Baseline), j.cur.text(py.Plan), j.cur.text(py.BaselineP95), j.cur.text(py.PlanP95))
	}
	fmt.Fprint(w, y.fit(j.fitWidth()))
	fmt.Fprintln(w, planSentence(j))
	fmt.Fprintf(w, "Search: %s. ALE by the closed form, year by year (threat trends, roll-outs and decay as the dataset gives); P95 simulated, %s draws × %s years for each year.\n",
		pa.Best.Method, thousands(pa.Draws), thousands(pa.SimYears))
}

// jsonPlan is the phased plan in the JSON output.
type jsonPlan struct {
	Kind         string              `json:"budget_kind"`
	Labels       []string            `json:"years"`
	Budgets      []float64           `json:"budgets"`
	Spend        []float64           `json:"spend"`
	Controls     []model.PlanControl `json:"controls"`
	NPV          float64             `json:"npv"`
	Method       string              `json:"method"`
	Optimal      bool                `json:"optimal"`
	YearOne      []string            `json:"year_one_controls"`
	YearOneNPV   float64             `json:"year_one_npv"`
	YearOneSpend []float64           `json:"year_one_spend"`
	Phasing      float64             `json:"value_of_phasing"`
	Social       bool                `json:"npv_counts_harm"`
	Years        []model.PlanYear    `json:"by_year"`
	Sentence     string              `json:"sentence"`
	Draws        int                 `json:"p95_draws"`
	SimYears     int                 `json:"p95_years"`
}

// planJSON returns the run's plan for the JSON output, nil without one.
func planJSON(j *Run) *jsonPlan {
	pa := j.Plan
	if pa == nil {
		return nil
	}
	out := &jsonPlan{
		Kind: pa.Budgets.Kind.String(), Labels: pa.Budgets.Labels, Budgets: pa.Budgets.Amounts, Spend: pa.Spend,
		Controls: pa.Controls, NPV: pa.Best.NPV, Method: pa.Best.Method, Optimal: pa.Best.Optimal,
		YearOne: []string{}, YearOneNPV: pa.YearOne.NPV, YearOneSpend: pa.YearOneSpend, Phasing: pa.Phasing,
		Social: pa.Social, Years: pa.Years, Sentence: planSentence(j), Draws: pa.Draws, SimYears: pa.SimYears,
	}
	if out.Controls == nil {
		out.Controls = []model.PlanControl{}
	}
	for c, s := range pa.YearOne.Plan.Start {
		if s > 0 {
			out.YearOne = append(out.YearOne, j.Model.Controls[c].ID)
		}
	}
	return out
}

// sheetPlan is the workbook's sheet of the phased plan.
const sheetPlan = "Plan"

// plan writes the Plan sheet: each control's start and spend by budget
// year against the budgets, the expected loss and P95 by year with and
// without the plan, and its NPV beside the best starting everything in
// year 1.
func (b *book) plan(r *Report) {
	pa := r.Plan
	s, st := sheetPlan, b.st
	bud := pa.Budgets
	b.set(s, 1, 1, "Phased plan within yearly budgets: "+scopeName(r), st.title)
	b.set(s, 1, 2, "Each year's budget caps "+planKindText(bud.Kind)+". "+r.PlanSentence, st.wrap)
	b.do(b.f.MergeCell(s, "A2", cellName(6+len(bud.Labels), 2)))
	b.do(b.f.SetRowHeight(s, 2, 3*lineHeight+2))
	head := []string{"Control", "Name", "Starts", "Capex", "Opex a year", "PV of costs"}
	head = append(head, bud.Labels...)
	row := 4
	for j, h := range head {
		b.set(s, j+1, row, h, st.header)
	}
	b.freeze(s, row)
	widths := []float64{10, 44, 10, 13, 13, 13}
	for range bud.Labels {
		widths = append(widths, 13)
	}
	b.widths(s, widths...)
	for _, c := range pa.Controls {
		row++
		b.set(s, 1, row, c.ID, st.plain)
		b.set(s, 2, row, r.Model.Controls[c.Index].Name, st.text)
		b.set(s, 3, row, c.StartLabel, st.plain)
		b.set(s, 4, row, c.Capex, st.money)
		b.set(s, 5, row, c.Opex, st.money)
		b.set(s, 6, row, c.PV, st.money)
		for y, v := range c.Spend {
			b.set(s, 7+y, row, v, st.money)
		}
	}
	if len(pa.Controls) == 0 {
		row++
		b.set(s, 1, row, "(none)", st.plain)
	}
	row++
	b.set(s, 1, row, "Spend", st.label)
	for y, v := range pa.Spend {
		b.set(s, 7+y, row, v, st.money)
	}
	row++
	b.set(s, 1, row, "Budget", st.label)
	for y, v := range bud.Amounts {
		b.set(s, 7+y, row, v, st.money)
	}
	row += 2
	for j, h := range []string{"Year", "ALE without", "ALE with the plan", "P95 without", "P95 with the plan", "Simulated ALE without", "Simulated ALE with"} {
		b.set(s, j+1, row, h, st.header)
	}
	for _, py := range pa.Years {
		row++
		b.set(s, 1, row, py.Year, st.count)
		for j, v := range []float64{py.Baseline, py.Plan, py.BaselineP95, py.PlanP95, py.BaselineSim, py.PlanSim} {
			b.set(s, 2+j, row, v, st.money)
		}
	}
	row += 2
	items := []item{
		{label: "Plan NPV", value: pa.Best.NPV, style: st.money, note: "Expected NPV by the closed form, year by year."},
		{label: "Search", value: pa.Best.Method},
		{label: "Best starting everything in year 1", value: pa.YearOne.NPV, style: st.money, note: "Controls: " + planControls(r.Model, pa.YearOne.Plan) + "; within the same yearly budgets."},
		{label: "Value of phasing", value: pa.Phasing, style: st.money, note: "Plan NPV less the best starting everything in year 1."},
		{label: "P95 sample", value: fmt.Sprintf("%s draws × %s years a year", thousands(pa.Draws), thousands(pa.SimYears)),
			note: "ALE by the closed form; P95 and the simulated ALE (a check) from each year's simulated losses, the rates grown by their trends."},
	}
	for i, it := range items {
		b.set(s, 1, row+i, it.label, st.label)
		style := it.style
		if style == 0 {
			style = st.plain
		}
		b.set(s, 3, row+i, it.value, style)
		if it.note != "" {
			b.set(s, 4, row+i, it.note, st.plain)
		}
	}
}

// planFigure plots the phased plan's timeline: each year's expected loss
// without and with the plan (closed form, solid) and its P95 (simulated,
// dashed), with the years controls start marked.
func planFigure(r *Report, _ []option) (Figure, bool, error) {
	pa := r.Plan
	if pa == nil || len(pa.Years) == 0 {
		return Figure{}, false, nil
	}
	cur := currencyOf(r)
	title := fitTitle("Annual loss by year, with and without the phased plan: " + scopeName(r))
	p := newPlot(title, "Year of the appraisal (year 1 is "+pa.Budgets.Labels[0]+")", "Annual loss\n("+perYear(r)+")")
	p.Y.Tick.Marker = moneyTicks{niceTicks{N: 6, Label: cur.tick}, cur}
	p.Add(newGrid())
	var k key
	sample := fmt.Sprintf("simulated, %s draws × %s years a year", thousands(pa.Draws), thousands(pa.SimYears))
	series := []struct {
		name  string
		value func(model.PlanYear) float64
		style draw.LineStyle
	}{
		{"Expected annual loss without the plan (closed form)", func(y model.PlanYear) float64 { return y.Baseline }, line(grey)},
		{"Expected annual loss with the plan (closed form)", func(y model.PlanYear) float64 { return y.Plan }, line(blue)},
		{"P95 without the plan (" + sample + ")", func(y model.PlanYear) float64 { return y.BaselineP95 }, line(grey, 6, 3)},
		{"P95 with the plan (" + sample + ")", func(y model.PlanYear) float64 { return y.PlanP95 }, line(blue, 6, 3)},
	}
	yhi := 0.0
	for _, s := range series {
		xys := make(plotter.XYs, len(pa.Years))
		for i, py := range pa.Years {
			xys[i] = plotter.XY{X: float64(py.Year), Y: s.value(py)}
			yhi = max(yhi, xys[i].Y)
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return Figure{}, false, fmt.Errorf("plan: %w", err)
		}
		l.LineStyle = s.style
		p.Add(l)
		k.add(s.name, l)
	}
	starts := map[int][]string{}
	for _, c := range pa.Controls {
		starts[c.Start] = append(starts[c.Start], c.ID)
	}
	for y := 1; y <= len(pa.Budgets.Labels); y++ {
		if ids := starts[y]; len(ids) > 0 {
			vl := &vline{x: float64(y), LineStyle: draw.LineStyle{Color: vermillion, Width: 1, Dashes: []vg.Length{2, 2}}}
			p.Add(vl)
			k.add(pa.Budgets.Labels[y-1]+": starts "+strings.Join(ids, ", "), vl)
		}
	}
	p.X.Min, p.X.Max = 0.8, float64(len(pa.Years))+0.2
	p.Y.Min, p.Y.Max = 0, 1.06*yhi
	p.X.Tick.Marker = plot.ConstantTicks(yearTicks(len(pa.Years)))
	data := [][]string{{"Year", "ALE without (" + prices(r) + ")", "ALE with the plan", "P95 without", "P95 with the plan", "Simulated ALE without", "Simulated ALE with"}}
	for _, py := range pa.Years {
		data = append(data, []string{fmt.Sprint(py.Year), csvNum(py.Baseline), csvNum(py.Plan), csvNum(py.BaselineP95), csvNum(py.PlanP95), csvNum(py.BaselineSim), csvNum(py.PlanSim)})
	}
	return Figure{Name: "plan", Title: title, Caption: figureCaption(r), W: figWidth, H: figHeight + k.room(), plot: p, key: k, data: data}, true, nil
}

// yearTicks labels the years 1..n (every other year beyond 12).
func yearTicks(n int) []plot.Tick {
	step := 1
	if n > 12 {
		step = (n + 11) / 12
	}
	var out []plot.Tick
	for y := 1; y <= n; y++ {
		t := plot.Tick{Value: float64(y)}
		if (y-1)%step == 0 {
			t.Label = fmt.Sprint(y)
		}
		out = append(out, t)
	}
	return out
}

// htmlPlan is the phased plan's section of report.html.
type htmlPlan struct {
	Intro, Note     string
	Controls, Years htmlTable
	Figure          *htmlFigure
}

// planOf is the phased plan for report.html: the same tables and sentence
// as the terminal and the workbook.
func planOf(r *Report, fig *htmlFigure) *htmlPlan {
	pa := r.Plan
	cur := currencyOf(r)
	bud := pa.Budgets
	h := &htmlPlan{
		Intro:  "Which controls start in which year, within each year's budget for " + planKindText(bud.Kind) + ", maximising expected NPV. " + r.PlanSentence,
		Figure: fig,
		Note: fmt.Sprintf("Search: %s. Expected annual loss by the closed form, year by year (threat trends, roll-outs and decay as the dataset gives); P95 simulated, %s draws × %s years for each year.",
			pa.Best.Method, thousands(pa.Draws), thousands(pa.SimYears)),
	}
	right := map[int]bool{2: true, 3: true, 4: true}
	for i := range bud.Labels {
		right[5+i] = true
	}
	t := htmlTable{Caption: "The plan: each control's start and spend by year", Head: append([]string{"Control", "Starts", "Capex", "Opex a year", "PV of costs"}, bud.Labels...), Right: right}
	for _, c := range pa.Controls {
		row := []string{c.ID, c.StartLabel, cur.text(c.Capex), cur.text(c.Opex), cur.text(c.PV)}
		for _, v := range c.Spend {
			row = append(row, cur.text(v))
		}
		t.Rows = append(t.Rows, row)
	}
	spend, budget := []string{"Spend", "", "", "", ""}, []string{"Budget", "", "", "", ""}
	for i, v := range pa.Spend {
		spend = append(spend, cur.text(v))
		budget = append(budget, cur.text(bud.Amounts[i]))
	}
	t.Rows = append(t.Rows, spend, budget)
	h.Controls = t
	y := htmlTable{Caption: "Annual loss by year with and without the plan", Head: []string{"Year", "ALE without", "ALE with the plan", "P95 without", "P95 with the plan"},
		Right: map[int]bool{0: true, 1: true, 2: true, 3: true, 4: true}}
	for _, py := range pa.Years {
		y.Rows = append(y.Rows, []string{fmt.Sprint(py.Year), cur.text(py.Baseline), cur.text(py.Plan), cur.text(py.BaselineP95), cur.text(py.PlanP95)})
	}
	h.Years = y
	return h
}

// writeBatchPlans writes a line for each batch row with a phased plan.
func writeBatchPlans(w io.Writer, b *Batch, cur currency) {
	for _, r := range b.Rows {
		pl := r.Plan
		if pl == nil {
			continue
		}
		starts := pl.Starts
		if starts == "" {
			starts = "nothing"
		}
		fmt.Fprintf(w, "%s: phased plan (%s): starts %s; NPV %s, all in year 1 %s, phasing adds %s\n",
			clip(r.Name, 24), pl.Budgets, starts, cur.text(pl.NPV), cur.text(pl.YearOneNPV), cur.text(pl.Phasing))
	}
}
