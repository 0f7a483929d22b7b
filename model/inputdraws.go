package model

import (
	"context"
	"errors"
)

// InputDraws is a view of the first draws of a DrawTable, one row a draw:
// the outer draws of a model's uncertain parameters, exactly as the
// simulation draws them (draw d from the streams (seed, parameter, input,
// d), so its first draws are any run's on the same seed), with each
// option's expected NPV given the draw: SIPmath's "stochastic information
// packets" of the inputs and of the decision. Each row is a function of
// its draw alone (the table's raw columns, not the decision's moment
// matched ones), so that a spreadsheet can recompute it from the row.
type InputDraws struct {
	Draws int
	// Daily and Recovery are c_d and c_r in each draw.
	Daily, Recovery []float64
	// Rate, KDaily and KRecovery are each threat's λ, k_d and k_r: [d][t].
	Rate, KDaily, KRecovery [][]float64
	// Capex, Opex and Uplift are each control's costs before optimism bias
	// and its uplift as the appraisal applies it: [d][c].
	Capex, Opex, Uplift [][]float64
	// Reduction is each control's reductions of each of its effects, in
	// Control.Effects order, {r_f, r_s, r_d, r_F}: [d][c][e].
	Reduction [][][][4]float64
	// HarmValue is h·q·v (money per full-outage organisation-day) and
	// KFull k_full in each draw; nil without harm.
	HarmValue, KFull []float64
	// Options are the portfolios whose NPV is tabled; MoneyNPV[o][d] is
	// option o's expected NPV counting money only given draw d's
	// parameters, SocialNPV[o][d] with harm avoided counted (nil without
	// harm), DecisionNPV[o][d] the view in force's (the one column whose
	// meaning follows the view).
	Options                          []Portfolio
	MoneyNPV, SocialNPV, DecisionNPV [][]float64
}

// Tabulate draws n outer draws of m's parameters on seed and tables each
// option's expected NPV given each draw, under a: the rows of a DrawTable
// of the options on n draws (see DrawTable.Rows).
func Tabulate(m *Model, a Appraisal, seed uint64, n int, options []Portfolio) (*InputDraws, error) {
	t, err := NewDrawTable(context.Background(), m, a, options, Config{Draws: n, Seed: seed})
	if err != nil {
		return nil, err
	}
	return t.Rows(m, n, options, a.View)
}

// value returns input ref's value in draw d: drawn, or fixed.
func (t *DrawTable) value(ref InputRef, d int) float64 {
	if i := t.Input(ref); i >= 0 {
		return t.Values[i][d]
	}
	return t.fixed[ref]
}

// Rows returns the first n draws of t (a table of model m) as rows: each
// draw's inputs and each option's expected NPV given the draw,
//
//	E[NPV | θ_d] = A·(E[ALE | θ_d, none] − E[ALE | θ_d, P]) [+ A_h·Δharm_d] − PV(cost_d)
//
// from the table's raw columns (each a function of its draw alone), in
// view v for NPV. The table must be of m (the same *Model) and hold every
// option.
func (t *DrawTable) Rows(m *Model, n int, options []Portfolio, v View) (*InputDraws, error) {
	if m != t.model {
		return nil, errors.New("model: the draw table is of another model")
	}
	if n < 1 || n > t.Draws {
		return nil, errors.New("model: the rows asked for are not in the draw table")
	}
	at := make([]int, len(options))
	for i, p := range options {
		if at[i] = t.Option(p); at[i] < 0 {
			return nil, errors.New("model: the draw table lacks an option of the rows")
		}
	}
	T, C := len(m.Threats), len(m.Controls)
	tb := &InputDraws{Draws: n, Options: options,
		Daily: make([]float64, n), Recovery: make([]float64, n),
		Rate: matrix(n, T), KDaily: matrix(n, T), KRecovery: matrix(n, T),
		Capex: matrix(n, C), Opex: matrix(n, C), Uplift: matrix(n, C),
		Reduction: make([][][][4]float64, n),
	}
	harm := t.QALYs != nil
	if harm {
		tb.HarmValue, tb.KFull = make([]float64, n), make([]float64, n)
	}
	rates := func(key string) InputRef { return InputRef{Kind: "rates", Key: key} }
	for d := range n {
		tb.Daily[d], tb.Recovery[d] = t.value(rates("daily"), d), t.value(rates("recovery"), d)
		for i, th := range m.Threats {
			ref := InputRef{Kind: "threat", ID: th.ID}
			ref.Key = "rate"
			tb.Rate[d][i] = t.value(ref, d)
			ref.Key = "k_daily"
			tb.KDaily[d][i] = t.value(ref, d)
			ref.Key = "k_recovery"
			tb.KRecovery[d][i] = t.value(ref, d)
		}
		tb.Reduction[d] = make([][][4]float64, C)
		for c, ctl := range m.Controls {
			ref := InputRef{Kind: "control", ID: ctl.ID}
			ref.Key = "capex"
			tb.Capex[d][c] = t.value(ref, d)
			ref.Key = "opex"
			tb.Opex[d][c] = t.value(ref, d)
			tb.Uplift[d][c] = t.Uplift[c][d]
			for _, e := range ctl.Effects {
				var r [4]float64
				for k, key := range [4]string{"frequency", "spread", "duration", "fixed"} {
					r[k] = t.value(InputRef{Kind: "effect", ID: ctl.ID, Threat: e.Threat, Key: key}, d)
				}
				tb.Reduction[d][c] = append(tb.Reduction[d][c], r)
			}
		}
		if harm {
			h := func(key string) float64 { return t.value(InputRef{Kind: "harm", Key: key}, d) }
			tb.HarmValue[d], tb.KFull[d] = h("deaths_per_day")*h("qalys_per_death")*t.ValuePerQALY, h("k_full")
		}
	}
	for _, o := range at {
		money := make([]float64, n)
		var soc []float64
		for d := range n {
			money[d] = (t.ALE[0][d]-t.ALE[o][d])*t.Annuity - t.PVCost[o][d]
		}
		if harm {
			soc = make([]float64, n)
			for d := range n {
				soc[d] = money[d] + (t.Harm[0][d]-t.Harm[o][d])*t.HealthAnnuity
			}
		}
		tb.MoneyNPV = append(tb.MoneyNPV, money)
		tb.SocialNPV = append(tb.SocialNPV, soc)
		if v == Social && harm {
			tb.DecisionNPV = append(tb.DecisionNPV, soc)
		} else {
			tb.DecisionNPV = append(tb.DecisionNPV, money)
		}
	}
	if !harm {
		tb.SocialNPV = nil
	}
	return tb, nil
}
