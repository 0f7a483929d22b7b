package main

import (
	"html"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// TestRunBudgetPlan is the acceptance check of phased plans: run
// --budget-plan 2026-27:20m,2027-28:20m,2028-29:20m --json gives a plan
// whose spend is within each year's budget and whose NPV is the best over
// all start-year assignments of the default dataset's controls (each of
// the 4^12 = 16.8 million assignments in the long tier; in the quick tier
// the plan search itself, whose branch and bound data's tests check
// against brute force).
func TestRunBudgetPlan(t *testing.T) {
	t.Parallel()
	const plan = "2026-27:20m,2027-28:20m,2028-29:20m"
	out, _ := jsonRun(t, "--no-files", "--budget-plan", plan)
	budgets := field(t, out, "plan.budgets").([]any)
	spend := field(t, out, "plan.spend").([]any)
	if len(budgets) != 3 || len(spend) != 3 {
		t.Fatalf("plan.budgets %v, plan.spend %v; want three years each", budgets, spend)
	}
	for y := range spend {
		if s, b := spend[y].(float64), budgets[y].(float64); s > b || b != 20e6 {
			t.Errorf("year %d: spend %g against budget %g; want within £20m", y+1, s, b)
		}
	}
	if !field(t, out, "plan.optimal").(bool) {
		t.Errorf("plan not proven best: %v", field(t, out, "plan.method"))
	}
	got := number(t, out, "plan.npv")

	// The same job as the command builds, its planner and the brute force.
	spec := data.DefaultRunSpec()
	spec.BudgetPlan = plan
	job, err := data.NewJob(spec, defaultDataset(t))
	if err != nil {
		t.Fatal(err)
	}
	p, err := model.NewPlanner(job.Model, job.Appraisal, *job.BudgetPlan)
	if err != nil {
		t.Fatal(err)
	}
	best, err := p.Best(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got != best.NPV {
		t.Errorf("plan.npv = %v; the planner's best %v", got, best.NPV)
	}
	var starts []string
	for _, c := range field(t, out, "plan.controls").([]any) {
		starts = append(starts, c.(map[string]any)["id"].(string)+"@"+c.(map[string]any)["starts"].(string))
	}
	var want []string
	for c, s := range best.Plan.Start {
		if s > 0 {
			want = append(want, job.Model.Controls[c].ID+"@"+job.BudgetPlan.Labels[s-1])
		}
	}
	if !slices.Equal(starts, want) {
		t.Errorf("plan.controls = %v; want %v", starts, want)
	}
	if !longTier() {
		return
	}
	n := len(job.Model.Controls)
	start := make([]int, n)
	bestV := math.Inf(-1)
	for {
		pl := model.Plan{Start: slices.Clone(start)}
		if p.Feasible(pl) {
			bestV = max(bestV, p.NPV(pl))
		}
		i := 0
		for ; i < n; i++ {
			if start[i]++; start[i] <= 3 {
				break
			}
			start[i] = 0
		}
		if i == n {
			break
		}
	}
	if math.Abs(got-bestV) > 1e-9*math.Abs(bestV) {
		t.Errorf("plan.npv = %v; brute force over all %d assignments %v", got, int(math.Pow(4, float64(n))), bestV)
	}
}

// TestRunBudgetPlanErrors: a bad --budget-plan is a usage error naming
// the flag.
func TestRunBudgetPlanErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ args []string }{
		{[]string{"--budget-plan", "2026-27:lots"}},
		{[]string{"--budget-plan", "2026-27:1m,2026-27:2m"}},
		{[]string{"--budget-plan", "2026-27:1m", "--budget-plan-kind", "weekly"}},
		{[]string{"--budget-plan", "a:1m,b:1m,c:1m", "--horizon", "2"}},
	} {
		args := runArgs(append([]string{"--no-files"}, tc.args...)...)
		r := cybercba(t, args...)
		if r.code == exitOK || !strings.Contains(r.stderr, "--budget-plan") {
			t.Errorf("cybercba %s: exit %d, stderr %q; want a refusal naming --budget-plan", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

// TestRunBudgetPlanOutputs: the plan's NPV, spend and years are the same
// in the terminal, the JSON, the workbook's Plan sheet, report.html and
// the timeline figure's data.
func TestRunBudgetPlanOutputs(t *testing.T) {
	skipUnlessLong(t, "a phased plan in every output")
	t.Parallel()
	dir := t.TempDir()
	const plan = "2026-27:20m,2027-28:20m,2028-29:20m"
	args := []string{"run", "--draws", "8", "--years", "200", "--decision-draws", "100", "-o", dir, "--budget-plan", plan}
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	out, _ := jsonRun(t, "--budget-plan", plan)
	sentence := field(t, out, "plan.sentence").(string)
	if !strings.Contains(r.stdout, sentence) {
		t.Errorf("terminal lacks the JSON's plan sentence %q", sentence)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), html.EscapeString(sentence)) || !strings.Contains(string(page), `id="plan"`) {
		t.Errorf("report.html lacks the plan section or its sentence")
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Plan", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("Plan sheet: %v", err)
	}
	npv := number(t, out, "plan.npv")
	found := false
	for _, row := range rows {
		if len(row) >= 3 && row[0] == "Plan NPV" {
			found = true
			// A cell keeps 15 significant digits.
			if v, err := strconv.ParseFloat(row[2], 64); err != nil || math.Abs(v-npv) > 1e-14*math.Abs(npv) {
				t.Errorf("Plan!Plan NPV = %q; JSON plan.npv %v", row[2], npv)
			}
		}
	}
	if !found {
		t.Errorf("Plan sheet has no Plan NPV row")
	}
	csv, err := os.ReadFile(filepath.Join(dir, "plots", "plan.csv"))
	if err != nil {
		t.Fatal(err)
	}
	years := field(t, out, "plan.by_year").([]any)
	if got := strings.Count(strings.TrimSpace(string(csv)), "\n"); got != len(years) {
		t.Errorf("plan.csv has %d data rows; JSON plan.by_year %d years", got, len(years))
	}
}

// TestRunBudgetPlanFromSettings: an inputs workbook's Settings row gives
// the yearly budgets, and --budget-plan overrides it.
func TestRunBudgetPlanFromSettings(t *testing.T) {
	t.Parallel()
	in := newInputs(t, func(f *excelize.File) {
		rows, err := f.GetRows("Settings")
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if len(r) > 0 && r[0] == "budget plan" {
				setCell(t, f, "Settings", "B"+strconv.Itoa(i+1), "2026-27:20m, 2027-28:20m")
			}
		}
	})
	for _, tc := range []struct {
		extra []string
		years int
	}{{nil, 2}, {[]string{"--budget-plan", "a:5m,b:5m,c:5m"}, 3}} {
		out, _ := jsonRun(t, append(tc.extra, in)...)
		if got := len(field(t, out, "plan.budgets").([]any)); got != tc.years {
			t.Errorf("%v: %d yearly budgets; want %d", tc.extra, got, tc.years)
		}
	}
}
