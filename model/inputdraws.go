package model

// InputDraws is the outer draws of a model's uncertain parameters, exactly
// as the simulation draws them (draw d from the streams (seed, parameter,
// input, d), so its first draws are any run's on the same seed), with each
// option's expected NPV given the draw: SIPmath's "stochastic information
// packets" of the inputs and of the decision.
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
	// harm), NPV[o][d] the view in force's.
	Options                  []Portfolio
	MoneyNPV, SocialNPV, NPV [][]float64
}

// Tabulate draws n outer draws of m's parameters on seed and tables each
// option's expected NPV given each draw, under a:
//
//	E[NPV | θ_d] = A·Σ_t λ_t·(E[loss_t | θ_d, none] − E[loss_t | θ_d, P]) [+ A_h·Δharm_d] − PV(cost_d)
//
// with E[loss | θ] the per-event means of min(S,orgs)·D, min(S,orgs) and F
// times the draw's cost rates, intensities and multipliers (the
// expectation the simulation's years estimate), and the draw's costs with
// its uplift, capex recurring at each lifetime.
func Tabulate(m *Model, a Appraisal, seed uint64, n int, options []Portfolio) (*InputDraws, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	f := fit(m)
	opts := append([]Portfolio{{}}, options...)
	cfg := Config{Draws: n, Years: 1, Seed: seed}
	scratch := newSim(m, opts, cfg)
	w := newWorker(f, opts, cfg)
	T, C := len(f.threats), len(f.controls)
	tb := &InputDraws{Draws: n, Options: options,
		Daily: make([]float64, n), Recovery: make([]float64, n),
		Rate: make([][]float64, n), KDaily: make([][]float64, n), KRecovery: make([][]float64, n),
		Reduction: make([][][][4]float64, n),
	}
	if f.harm != nil {
		tb.HarmValue, tb.KFull = make([]float64, n), make([]float64, n)
	}
	ale := make([][]float64, len(opts))
	harm := make([][]float64, len(opts))
	for o := range opts {
		ale[o], harm[o] = make([]float64, n), make([]float64, n)
	}
	for d := range n {
		w.drawParams(scratch, d)
		tb.Daily[d], tb.Recovery[d] = w.daily, w.recovery
		tb.Rate[d] = append([]float64(nil), w.lam...)
		tb.KDaily[d] = append([]float64(nil), w.kdRaw...)
		tb.KRecovery[d] = append([]float64(nil), w.krRaw...)
		tb.Reduction[d] = make([][][4]float64, C)
		for c := range C {
			for _, e := range f.controls[c].effects {
				r := w.red[c][e.threat]
				tb.Reduction[d][c] = append(tb.Reduction[d][c], [4]float64{1 - r[0], 1 - r[1], 1 - r[2], 1 - r[3]})
			}
		}
		if f.harm != nil {
			tb.HarmValue[d], tb.KFull[d] = w.harmValue, w.kfull
		}
		for o := range opts {
			var l, h float64
			for t := range T {
				td := &f.threats[t]
				k := w.lam[t] * w.mf[t][o]
				l += k * (w.ca[t][o]*td.mean[0] + w.cb[t][o]*td.mean[1] + w.cc[t][o]*td.mean[2])
				if w.ch != nil {
					h += k * w.ch[t][o] * td.mean[0]
				}
			}
			ale[o][d], harm[o][d] = l, h
		}
	}
	tb.Capex, tb.Opex = scratch.Capex, scratch.Opex
	s := &Sim{Model: m, Seed: seed, Draws: n, Bias: scratch.Bias}
	tb.Uplift = make([][]float64, n)
	for d := range n {
		tb.Uplift[d] = make([]float64, C)
		for c := range C {
			tb.Uplift[d][c] = uplift(s, a, d, c)
		}
	}
	_, A, capexPV := a.presentValues(m)
	Ah := a.healthAnnuity()
	social := a.View == Social && f.harm != nil
	for o, p := range options {
		money, soc := make([]float64, n), []float64(nil)
		if f.harm != nil {
			soc = make([]float64, n)
		}
		for d := range n {
			var pv float64
			for _, c := range p {
				cx, ox := factors(m.Controls[c].BiasProject(), tb.Uplift[d][c])
				pv += tb.Capex[d][c]*cx*capexPV[c] + tb.Opex[d][c]*ox*A
			}
			money[d] = (ale[0][d]-ale[o+1][d])*A - pv
			if soc != nil {
				soc[d] = money[d] + (harm[0][d]-harm[o+1][d])*Ah
			}
		}
		tb.MoneyNPV = append(tb.MoneyNPV, money)
		tb.SocialNPV = append(tb.SocialNPV, soc)
		if social {
			tb.NPV = append(tb.NPV, soc)
		} else {
			tb.NPV = append(tb.NPV, money)
		}
	}
	if f.harm == nil {
		tb.SocialNPV = nil
	}
	return tb, nil
}
