package model

import (
	"fmt"
	"math"
	"slices"
)

// Project types of the Green Book's supplementary guidance on optimism
// bias: the uplift applies to capital costs for equipment and development
// projects, to operating costs for outsourcing, and to both when a control
// states no type.
const (
	ProjectEquipment   = "equipment"
	ProjectOutsourcing = "outsourcing"
	ProjectNone        = "none"
)

// BiasRange is the guidance's lower and upper optimism-bias uplift for a
// project type; an uplift is drawn uniformly between them.
type BiasRange struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// BiasProject returns the project type whose optimism-bias uplift applies
// to the control's costs: its own, except that an equipment project with
// no capital cost (all operating cost: subscriptions, staff, services)
// takes the operating-cost (outsourcing) uplift, since an uplift on a zero
// capex would change nothing (Green Book supplementary guidance).
func (c Control) BiasProject() string {
	if c.Project == ProjectEquipment && c.Capex.Lo == 0 && c.Capex.Hi == 0 {
		return ProjectOutsourcing
	}
	return c.Project
}

// UpliftBites reports whether an optimism-bias uplift changes the control's
// costs at all: whether the costs it applies to are not all zero.
func (c Control) UpliftBites() bool {
	zero := func(e Estimate) bool { return e.Lo == 0 && e.Hi == 0 }
	switch c.BiasProject() {
	case ProjectEquipment:
		return !zero(c.Capex)
	case ProjectOutsourcing:
		return !zero(c.Opex)
	}
	return !zero(c.Capex) || !zero(c.Opex)
}

// factors returns the multipliers on capex and opex of an uplift u for a
// control of the given project type (Control.BiasProject).
func factors(project string, u float64) (cx, ox float64) {
	switch project {
	case ProjectEquipment:
		return 1 + u, 1
	case ProjectOutsourcing:
		return 1, 1 + u
	}
	return 1 + u, 1 + u
}

// checkBiasRanges returns a problem with the ranges, if any.
func checkBiasRanges(r map[string]BiasRange) error {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b := r[k]
		if !(b.Lo >= 0 && b.Hi >= b.Lo) || b.Hi > MaxUplift {
			return fmt.Errorf("optimism bias range for %s: want 0 ≤ lo ≤ hi ≤ %g, got [%g, %g]", k, float64(MaxUplift), b.Lo, b.Hi)
		}
	}
	return nil
}

// uplift returns control c's optimism-bias uplift in draw d: its own drawn
// uplift when it states one, else one drawn uniformly from the guidance's
// range for its project type when the appraisal uses the guidance, else
// the appraisal's flat uplift.
func uplift(s *Sim, a Appraisal, d, c int) float64 {
	if b := s.Bias[d][c]; !math.IsNaN(b) {
		return b
	}
	if r, ok := a.BiasByProject[s.Model.Controls[c].BiasProject()]; ok {
		u := newStream(s.Seed, streamParam, idHash("bias", s.Model.Controls[c].ID), uint64(d)).Float64()
		return r.Lo + u*(r.Hi-r.Lo)
	}
	return a.OptimismBias
}

// costFactors returns, per draw and control, the uplift drawn and the
// factors it puts on capex and opex.
func costFactors(s *Sim, a Appraisal) (u, cx, ox [][]float64) {
	u, cx, ox = make([][]float64, s.Draws), make([][]float64, s.Draws), make([][]float64, s.Draws)
	for d := range s.Draws {
		C := len(s.Model.Controls)
		u[d], cx[d], ox[d] = make([]float64, C), make([]float64, C), make([]float64, C)
		for c, ctl := range s.Model.Controls {
			u[d][c] = uplift(s, a, d, c)
			cx[d][c], ox[d][c] = factors(ctl.BiasProject(), u[d][c])
		}
	}
	return u, cx, ox
}

// expectedUplift returns control c's expected uplift, as the optimiser
// counts costs.
func (f *fitted) expectedUplift(a Appraisal, c int) float64 {
	if f.controls[c].hasBias {
		return f.controls[c].bias.Mean()
	}
	if r, ok := a.BiasByProject[f.m.Controls[c].BiasProject()]; ok {
		return (r.Lo + r.Hi) / 2
	}
	return a.OptimismBias
}

// ExpectedCost is a control's expected costs with optimism bias, the exact
// expectations every table shows.
type ExpectedCost struct {
	// Capex is the year-0 capital cost, Opex the yearly operating cost.
	Capex, Opex float64
	// PV is the present value of all costs over the horizon (capex with
	// renewals, and opex), Annual the equivalent annual cost PV/Σ DF(y).
	PV, Annual float64
}

// expectedCosts returns each control's exact expected costs under a:
// E[(1+u)·capex] = (1+E[u])·E[capex] by independence, likewise opex.
func expectedCosts(f *fitted, a Appraisal) []ExpectedCost {
	_, annuity, capexPV := a.presentValues(f.m)
	out := make([]ExpectedCost, len(f.m.Controls))
	for c, ctl := range f.m.Controls {
		ux, uo := factors(ctl.BiasProject(), f.expectedUplift(a, c))
		cx, ox := f.controls[c].capex.Mean()*ux, f.controls[c].opex.Mean()*uo
		pv := cx*capexPV[c] + ox*annuity
		out[c] = ExpectedCost{Capex: cx, Opex: ox, PV: pv, Annual: pv / annuity}
	}
	return out
}

// ExpectedCosts returns each control's exact expected costs, with optimism
// bias, under appraisal a.
func ExpectedCosts(m *Model, a Appraisal) []ExpectedCost { return expectedCosts(fit(m), a) }
