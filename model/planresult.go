package model

import (
	"context"
	"fmt"
)

// PlanAnalysis is a phased plan's result: the best plan within the yearly
// budgets, the best that starts everything in year 1 instead, and the
// expected loss and its 95th percentile year by year with and without the
// plan.
type PlanAnalysis struct {
	Budgets YearBudgets
	// Best is the best plan; YearOne the best starting every control it
	// starts in year 1, under the same budgets.
	Best, YearOne PlanChoice
	// Phasing is Best.NPV − YearOne.NPV, the value of phasing.
	Phasing float64
	// Controls lists the controls the best plan starts, in control order.
	Controls []PlanControl
	// Spend is the best plan's spend in each budget year, as the budgets'
	// kind counts it; YearOneSpend the year-1 plan's.
	Spend, YearOneSpend []float64
	// Years holds each year of the horizon.
	Years []PlanYear
	// Draws and SimYears are the simulation's size behind the P95s.
	Draws, SimYears int
	// Social is whether the NPVs count patient harm (the social view).
	Social bool
}

// PlanControl is one control of a plan.
type PlanControl struct {
	Index int    `json:"-"`
	ID    string `json:"id"`
	// Start is the start year (1-based), StartLabel its budget's label.
	Start      int    `json:"start"`
	StartLabel string `json:"starts"`
	// Capex and Opex are its expected costs with optimism bias; PV the
	// present value of its costs from its start.
	Capex float64 `json:"capex"`
	Opex  float64 `json:"opex"`
	PV    float64 `json:"pv_costs"`
	// Spend is its spend in each budget year.
	Spend []float64 `json:"spend"`
}

// PlanYear is one year of the horizon with and without the plan.
type PlanYear struct {
	Year int `json:"year"`
	// Baseline and Plan are the expected annual losses by the closed form
	// (money only); BaselineSim and PlanSim the simulated means beside
	// them, as a check, with their standard errors.
	Baseline    float64 `json:"ale_without"`
	Plan        float64 `json:"ale_with"`
	BaselineSim float64 `json:"simulated_ale_without"`
	PlanSim     float64 `json:"simulated_ale_with"`
	BaselineSE  float64 `json:"simulated_ale_without_se"`
	PlanSE      float64 `json:"simulated_ale_with_se"`
	// BaselineP95 and PlanP95 are simulated 95th percentiles of the year's
	// annual loss.
	BaselineP95 float64 `json:"p95_without"`
	PlanP95     float64 `json:"p95_with"`
}

// planSimYears caps the simulated years per draw behind each year's P95:
// a plan simulates every year of its horizon, and cfg.Draws × 1,000 years
// a year (200,000 by default) put the P95 within about 1% (its standard
// error), at a tenth of the full run's cost per year.
const planSimYears = 1000

// AnalysePlan finds the best phased plan of m within the yearly budgets b
// under appraisal a, and simulates each year of the horizon with cfg (at
// most 1,000 years a draw) for the percentiles: year y's events on the
// streams of Simulate, the rates grown to year y.
func AnalysePlan(ctx context.Context, m *Model, a Appraisal, b YearBudgets, cfg Config) (*PlanAnalysis, error) {
	p, err := NewPlanner(m, a, b)
	if err != nil {
		return nil, err
	}
	best, err := p.Best(ctx)
	if err != nil {
		return nil, err
	}
	one, err := p.BestYearOne(ctx)
	if err != nil {
		return nil, err
	}
	pa := &PlanAnalysis{
		Budgets: b, Best: best, YearOne: one, Phasing: best.NPV - one.NPV,
		Spend: p.Spend(best.Plan), YearOneSpend: p.Spend(one.Plan),
		Draws: cfg.Draws, SimYears: min(cfg.Years, planSimYears), Social: p.social,
	}
	costs := p.Costs()
	for c, s := range best.Plan.Start {
		if s == 0 {
			continue
		}
		pa.Controls = append(pa.Controls, PlanControl{
			Index: c, ID: m.Controls[c].ID, Start: s, StartLabel: b.Labels[s-1],
			Capex: costs[c].Capex, Opex: costs[c].Opex, PV: p.CostPV(c, s), Spend: p.ControlSpend(c, s),
		})
	}
	cfg.Progress, cfg.TargetSE = nil, 0
	cfg.Years = min(cfg.Years, planSimYears)
	for y := 1; y <= a.Horizon; y++ {
		s, err := SimulatePlanYear(ctx, m, []Plan{best.Plan}, y, cfg)
		if err != nil {
			return nil, fmt.Errorf("simulating year %d of the plan: %w", y, err)
		}
		sums := s.Summaries()
		base, _ := p.BaselineLoss(y)
		plan, _ := p.YearLoss(best.Plan, y)
		py := PlanYear{Year: y, Baseline: base, Plan: plan, BaselineP95: sums[0].P95, PlanP95: sums[1].P95}
		py.BaselineSim, py.BaselineSE = s.meanSE(0)
		py.PlanSim, py.PlanSE = s.meanSE(1)
		pa.Years = append(pa.Years, py)
	}
	return pa, nil
}
