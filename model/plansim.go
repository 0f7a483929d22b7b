package model

import (
	"context"
	"fmt"
	"math"
)

// yearTime is one year of a phased plan, for the simulation: each threat's
// rate scaled by its growth factor to the power y−1, drawn once per outer
// draw from its own stream (seed, parameter, "trend" and the threat's id,
// draw), and each option's reductions weighted.
type yearTime struct {
	year   int
	growth []Dist
	ids    []uint64
	// weight[o][c] is control c's weight φ in option o (0: not in it).
	weight [][]float64
}

// scaleRates multiplies the worker's drawn rates of draw d by the year's
// growth.
func (tm *yearTime) scaleRates(w *worker, d int) {
	if tm.year <= 1 {
		return
	}
	for t, g := range tm.growth {
		if g.IsFixed() && g.value == 1 {
			continue
		}
		reseed(&w.pcg, w.seed, streamParam, tm.ids[t], uint64(d))
		w.lam[t] *= math.Pow(g.Rand(w.r), float64(tm.year-1))
	}
}

// multipliers returns option o's multipliers on threat t in the worker's
// current draw: Π_c (1 − φ_c·r_c) over the controls in it.
func (tm *yearTime) multipliers(w *worker, o, t int) [4]float64 {
	m := [4]float64{1, 1, 1, 1}
	for c, phi := range tm.weight[o] {
		if phi == 0 {
			continue
		}
		for k := range m {
			m[k] *= 1 - phi*(1-w.red[c][t][k])
		}
	}
	return m
}

// SimulatePlanYear simulates the annual loss of year y (1..horizon) of
// each plan, on common random numbers: option 0 of the result is the
// baseline in year y (no controls, the rates grown by their trends), and
// option i the plan i−1, a static portfolio of its controls with each
// reduction r weighted to r·φ(y). The events and parameters are those of
// Simulate with cfg, the rates scaled by (1+g)^(y−1), g drawn once per
// outer draw, so year y's mean agrees with Planner.YearLoss within Monte
// Carlo error.
func SimulatePlanYear(ctx context.Context, m *Model, plans []Plan, y int, cfg Config) (*Sim, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if y < 1 {
		return nil, fmt.Errorf("plan year %d: must be at least 1", y)
	}
	tm := &yearTime{year: y, weight: make([][]float64, len(plans)+1)}
	for _, t := range m.Threats {
		tm.growth = append(tm.growth, growth(t.Trend))
		tm.ids = append(tm.ids, idHash("trend", t.ID))
	}
	tm.weight[0] = make([]float64, len(m.Controls))
	options := make([]Portfolio, len(plans))
	for i, pl := range plans {
		if len(pl.Start) != len(m.Controls) {
			return nil, fmt.Errorf("plan %d: %d start years for %d controls", i, len(pl.Start), len(m.Controls))
		}
		wt := make([]float64, len(m.Controls))
		for c, s := range pl.Start {
			wt[c] = m.Controls[c].Weight(s, y)
			if wt[c] > 0 {
				options[i] = append(options[i], c)
			}
		}
		tm.weight[i+1] = wt
	}
	return simulateTimed(ctx, m, options, cfg, tm)
}
