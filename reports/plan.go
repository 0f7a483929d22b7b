package reports

import (
	"context"
	"fmt"
	"io"
	"strings"

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
		view = "with patient harm (the social view)"
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
	t := &textTable{right: right}
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
	fmt.Fprint(w, t.String())
	fmt.Fprintln(w)
	y := &textTable{right: map[int]bool{0: true, 1: true, 2: true, 3: true, 4: true}}
	y.add("Year", "ALE without", "ALE with plan", "P95 without", "P95 with plan")
	for _, py := range pa.Years {
		y.add(fmt.Sprint(py.Year), j.cur.text(py.Baseline), j.cur.text(py.Plan), j.cur.text(py.BaselineP95), j.cur.text(py.PlanP95))
	}
	fmt.Fprint(w, y.String())
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
