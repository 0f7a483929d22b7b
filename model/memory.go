package model

import "runtime"

// SimBytes returns the memory a simulation of the baseline and options
// portfolios under cfg holds while its results are in use: one float64 per
// simulated year per option (two with harm), the per-draw means,
// percentiles and costs, and each worker's scratch, including the sorted
// copy Summaries makes. With TargetSE set, draws are counted at MaxDraws
// (or 100 × Draws), the most the run may grow to.
//
//	bytes ≈ (options+1) · draws · years · 8 · (1 + harm) + workers · draws · years · 8
func SimBytes(m *Model, options int, cfg Config) int64 {
	draws := int64(cfg.Draws)
	if cfg.TargetSE > 0 {
		draws = int64(cfg.MaxDraws)
		if draws <= 0 {
			draws = 100 * int64(cfg.Draws)
		}
	}
	years := int64(cfg.Years)
	n := draws * years
	O := int64(options + 1)
	perYear, perDraw := int64(8), int64(16)
	if m.Harm != nil {
		perYear, perDraw = 16, 24
	}
	workers := int64(cfg.Workers)
	if workers <= 0 {
		workers = int64(runtime.GOMAXPROCS(0))
	}
	workers = max(min(workers, draws, O), 1)
	b := O*n*perYear + O*draws*perDraw + 3*draws*int64(len(m.Controls))*8
	b += workers * (n*8 + years*8)
	return b
}
