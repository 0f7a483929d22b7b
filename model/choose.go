package model

import (
	"fmt"
	"math"
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
