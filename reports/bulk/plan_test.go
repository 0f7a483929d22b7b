package bulk

import (
	"context"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

// TestRunBudgetPlanRows: a row with yearly budgets carries its phased
// plan, the same as the planner gives its model; a row without none.
func TestRunBudgetPlanRows(t *testing.T) {
	t.Parallel()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	st := data.DefaultSettings()
	st.Draws, st.Years = 4, 100
	const plan = "2026-27:20m,2027-28:20m,2028-29:20m"
	sc := []data.Scenario{
		{Index: 1, Row: 2, Name: "plan", BudgetPlan: plan, RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
		{Index: 2, Row: 3, Name: "no plan", RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
	}
	b, err := Run(context.Background(), Input{Dataset: ds, Settings: st, Scenarios: sc}, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rows) != 2 || b.Rows[1].Plan != nil {
		t.Fatalf("rows %d, second row's plan %+v; want 2 rows, the second without a plan", len(b.Rows), b.Rows[1].Plan)
	}
	got := b.Rows[0].Plan
	cal, err := model.Calibrate(ds.Target(), st.Seed)
	if err != nil {
		t.Fatal(err)
	}
	yb, err := data.ParseBudgetPlan(plan, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := model.NewPlanner(ds.Scopes[0].Model(cal), st.Appraisal(), yb)
	if err != nil {
		t.Fatal(err)
	}
	best, err := p.Best(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	one, err := p.BestYearOne(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	reports.WriteBatchTable(&out, b, 0)
	if !strings.Contains(out.String(), "plan: phased plan ("+plan+"): starts ") {
		t.Errorf("batch table lacks the row's plan:\n%s", out.String())
	}
	if got == nil || got.NPV != best.NPV || got.YearOneNPV != one.NPV || got.Phasing != best.NPV-one.NPV || got.Budgets != plan || got.Starts == "" {
		t.Errorf("row plan = %+v; want NPV %v, year one %v, starts given", got, best.NPV, one.NPV)
	}
}
