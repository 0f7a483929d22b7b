package model

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// PortfolioAnalysis is the best portfolio under a budget, and optionally
// the efficient frontier, each appraised on the run's common simulated
// events.
type PortfolioAnalysis struct {
	Objective   Objective
	Constraints Constraints
	// Choice is the chosen portfolio; Result its appraisal on simulated
	// events (nil when the choice is the empty portfolio).
	Choice Choice
	Result *Result
	// Frontier is the best portfolio at each budget of the grid.
	Frontier []FrontierPoint
	// FrontierKind is the kind of budget the frontier's grid is in.
	FrontierKind BudgetKind
	// Sim simulates the baseline, the choice and the frontier's portfolios.
	Sim *Sim
	// SampleYears is the number of simulated years the ΔTVaR search ran on
	// (0 for the closed-form objectives).
	SampleYears int
}

// FrontierPoint is the best portfolio at one budget.
type FrontierPoint struct {
	Budget float64 `json:"budget"`
	Choice Choice  `json:"choice"`
	// Result is the portfolio's appraisal on simulated events (nil for the
	// empty portfolio).
	Result *Result `json:"result"`
	// Added and Removed list the controls the point adds to and drops from
	// the previous point's portfolio.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// DefaultBudgets returns the default frontier grid: steps+1 budgets from 0
// to the cost of every control together.
func (op *Optimiser) DefaultBudgets(kind BudgetKind, steps int) []float64 {
	var total float64
	for c := range op.n {
		if kind == AnnualBudget {
			total += op.annual[c]
		} else {
			total += op.capex[c]
		}
	}
	out := make([]float64, steps+1)
	for i := range out {
		out[i] = total * float64(i) / float64(steps)
	}
	return out
}

// Choose finds the best portfolio under cons for objective obj and, when
// frontier is not nil, the best at each budget of frontier (of kind); an
// empty non-nil frontier asks for the default grid of 20 steps. The
// portfolios found are then simulated together on the run's common random
// numbers and appraised, so their intervals and P(NPV > 0) come from the
// same outer draws as every other figure.
func Choose(ctx context.Context, m *Model, cfg Config, a Appraisal, obj Objective, cons Constraints, kind BudgetKind, frontier []float64) (*PortfolioAnalysis, error) {
	pa := &PortfolioAnalysis{Objective: obj, Constraints: cons, FrontierKind: kind}
	var sample *TVaRSample
	if obj == MaxDeltaTVaR {
		sc, err := sampleConfig(m, cfg)
		if err != nil {
			return nil, err
		}
		if sample, err = NewTVaRSample(ctx, m, sc); err != nil {
			return nil, err
		}
		pa.SampleYears = sc.Draws * sc.Years
	}
	op, err := NewOptimiser(m, a, obj, sample)
	if err != nil {
		return nil, err
	}
	op.Progress = cfg.Progress
	if pa.Choice, err = op.BestContext(ctx, cons); err != nil {
		return nil, err
	}
	if frontier != nil {
		if len(frontier) == 0 {
			frontier = op.DefaultBudgets(kind, 20)
		}
		// The frontier spans its whole grid: only the other kind of budget
		// still limits it.
		fc := cons
		if kind == AnnualBudget {
			fc.Annual = math.Inf(1)
		} else {
			fc.Capex = math.Inf(1)
		}
		chs, err := op.FrontierContext(ctx, kind, frontier, fc)
		if err != nil {
			return nil, err
		}
		for _, ch := range chs {
			pa.Frontier = append(pa.Frontier, FrontierPoint{Choice: ch})
		}
		for i, b := range frontier {
			pa.Frontier[i].Budget = b
		}
	}
	if pa.SampleYears > 0 {
		note := fmt.Sprintf(", ΔTVaR95 evaluated on %d simulated years", pa.SampleYears)
		pa.Choice.Method += note
		for i := range pa.Frontier {
			pa.Frontier[i].Choice.Method += note
		}
	}
	// Simulate every distinct non-empty portfolio found, once.
	var ps []Portfolio
	index := func(p Portfolio) int {
		if len(p) == 0 {
			return -1
		}
		for i, q := range ps {
			if slices.Equal(p, q) {
				return i
			}
		}
		ps = append(ps, p)
		return len(ps) - 1
	}
	ci := index(pa.Choice.Portfolio)
	fi := make([]int, len(pa.Frontier))
	for i := range pa.Frontier {
		fi[i] = index(pa.Frontier[i].Choice.Portfolio)
	}
	if len(ps) == 0 {
		return pa, nil
	}
	cfg.Progress = nil
	s, err := Simulate(ctx, m, ps, cfg)
	if err != nil {
		return nil, err
	}
	res, err := Appraise(s, a)
	if err != nil {
		return nil, err
	}
	pa.Sim = s
	if ci >= 0 {
		pa.Result = &res[ci]
	}
	for i, j := range fi {
		if j >= 0 {
			pa.Frontier[i].Result = &res[j]
		}
	}
	return pa, nil
}

// sampleConfig returns the run's configuration cut to the years per draw
// whose per-threat, per-subset losses fit the ΔTVaR sample's memory cap.
func sampleConfig(m *Model, cfg Config) (Config, error) {
	var per int
	for _, cs := range fit(m).affecting() {
		per += 1 << len(cs)
	}
	years := min(cfg.Years, maxSampleValues/max(per*cfg.Draws, 1))
	if years < 50 {
		return cfg, fmt.Errorf("the ΔTVaR search cannot keep 50 years per draw for %d draws: use fewer draws, or fewer controls per threat (%d subset losses a year)", cfg.Draws, per)
	}
	cfg.Years = years
	cfg.Progress = nil
	return cfg, nil
}

// GordonLoebShare returns spend as a share of Gordon and Loeb's bound,
// (1/e)·expected loss at stake.
func GordonLoebShare(spend, ale float64) float64 {
	return spend / (ale / math.E)
}
