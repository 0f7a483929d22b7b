package model

// Central holds the central (expected) value of every input the closed
// form of a portfolio's expected NPV reads, for a live model outside the
// tool (a spreadsheet, a page) to recompute it: with these values,
//
//	ALE_t(P) = E[λ_t]·m̄_f·(E[min(S,orgs)]·m̄_s·(E[D]·m̄_d·E[k_d]·E[c_d] + E[k_r]·E[c_r]) + E[F]·m̄_F)
//	harm_t(P) = E[λ_t]·m̄_f·E[min(S,orgs)]·m̄_s·E[D]·m̄_d·E[min(k_d/k_full, 1)]·E[h]·E[q]·v
//
// with m̄_x = Π_{c∈P} (1 − E[r_x,c]), E[min(S,orgs)] the capped first
// moment of the lognormal with mean Spread and log-sd SpreadSigma, and
// E[min(k_d/k_full, 1)] that of the lognormal ratio; costs are
// E[capex]·(1+E[u]) and E[opex]·(1+E[u]) as the control's project type
// says, capex recurring each Lifetime inside the horizon. These are the
// formulas of ClosedFormALE, ClosedFormHarm and ExpectedCosts.
type Central struct {
	// Orgs caps spread; Daily and Recovery are E[c_d] and E[c_r].
	Orgs, Daily, Recovery float64
	Threats               []CentralThreat
	Controls              []CentralControl
	// Harm is nil without the social view's inputs.
	Harm *CentralHarm
	// Rates and HealthRates are the discount rates of years 0..MaxHorizon
	// (index 0 unused), from the appraisal's schedules.
	Rates, HealthRates []float64
}

// CentralThreat is a threat's central inputs.
type CentralThreat struct {
	ID, Name string
	// Rate is E[λ]; Dispersion φ (the mean does not depend on it).
	Rate, Dispersion float64
	// Spread is E[S] before the cap, SpreadSigma its lognormal's log-sd
	// (0 when fixed).
	Spread, SpreadSigma float64
	// Duration is E[D], Fixed E[F], KRecovery E[k_r].
	Duration, Fixed, KRecovery float64
	// KDaily is E[k_d], KDailySigma its log-sd.
	KDaily, KDailySigma float64
}

// CentralControl is a control's central inputs.
type CentralControl struct {
	ID, Name string
	// Capex and Opex are the expected costs before optimism bias; Uplift
	// the expected uplift; Project the control's project type as given
	// (the uplift applies to capex for equipment with a capital cost, to
	// opex for outsourcing and for equipment without one, to both
	// otherwise).
	Capex, Opex, Uplift float64
	Lifetime            int
	Project             string
	Effects             []CentralEffect
}

// CentralEffect is a control's expected reductions of one threat.
type CentralEffect struct {
	// Threat indexes Central.Threats.
	Threat                             int
	Frequency, Spread, Duration, Fixed float64
}

// CentralHarm is the social view's central inputs.
type CentralHarm struct {
	// Deaths is E[h], QALYs E[q], Value v; KFull is E[k_full] and
	// KFullSigma its log-sd.
	Deaths, QALYs, Value, KFull, KFullSigma float64
}

// logSD returns a positive distribution's log-sd (0 when fixed).
func logSD(d Dist) float64 {
	if d.fixed {
		return 0
	}
	return d.sigma
}

// Centrals returns the central inputs of m under appraisal a.
func Centrals(m *Model, a Appraisal) Central {
	f := fit(m)
	c := Central{Orgs: m.Orgs, Daily: f.daily.Mean(), Recovery: f.recovery.Mean()}
	for t, th := range m.Threats {
		td := &f.threats[t]
		c.Threats = append(c.Threats, CentralThreat{
			ID: th.ID, Name: th.Name,
			Rate: td.rate.Mean(), Dispersion: td.dispersion,
			Spread: td.spread.Mean(), SpreadSigma: logSD(td.spread),
			Duration: td.duration.Mean(), Fixed: td.fixed.Mean(), KRecovery: td.kr.Mean(),
			KDaily: td.kd.Mean(), KDailySigma: logSD(td.kd),
		})
	}
	for i, ctl := range m.Controls {
		cd := &f.controls[i]
		cc := CentralControl{
			ID: ctl.ID, Name: ctl.Name,
			Capex: cd.capex.Mean(), Opex: cd.opex.Mean(), Uplift: f.expectedUplift(a, i),
			Lifetime: ctl.Lifetime, Project: ctl.Project,
		}
		for _, e := range cd.effects {
			cc.Effects = append(cc.Effects, CentralEffect{Threat: e.threat,
				Frequency: e.freq.Mean(), Spread: e.spread.Mean(), Duration: e.dur.Mean(), Fixed: e.fixed.Mean()})
		}
		c.Controls = append(c.Controls, cc)
	}
	if h := f.harm; h != nil {
		c.Harm = &CentralHarm{Deaths: h.deaths.Mean(), QALYs: h.qalys.Mean(), Value: h.value,
			KFull: h.kfull.Mean(), KFullSigma: logSD(h.kfull)}
	}
	hd := a.HealthDiscount
	if len(hd) == 0 {
		hd = GreenBookHealth()
	}
	c.Rates, c.HealthRates = make([]float64, MaxHorizon+1), make([]float64, MaxHorizon+1)
	for y := 1; y <= MaxHorizon; y++ {
		c.Rates[y], c.HealthRates[y] = a.Discount.rate(y), hd.rate(y)
	}
	return c
}

// Expected is a portfolio's appraisal by the closed form: exact
// expectations, with no Monte Carlo error.
type Expected struct {
	// DeltaALE is the expected annual loss avoided; DeltaHarm the yearly
	// harm avoided, valued in money (0 without harm).
	DeltaALE, DeltaHarm float64
	// Deaths and BaselineDeaths are the expected extra deaths a year with
	// the portfolio and without new controls (0 without harm).
	Deaths, BaselineDeaths float64
	// Capex is the year-0 capital cost and Annual the equivalent annual
	// cost, PVCost the present value of all costs, each with optimism bias.
	Capex, Annual, PVCost float64
	// PVBenefit is ΔALE·Σ DF(y); PVHarm Δharm·Σ DF_health(y).
	PVBenefit, PVHarm float64
	// Money-only and with-harm NPV, BCR and ROSI, in either view.
	MoneyNPV, SocialNPV, MoneyBCR, SocialBCR, MoneyROSI, SocialROSI float64
	// DecisionNPV, DecisionBCR and DecisionROSI are those of the view in
	// force (with harm in the social view), the only figures here whose
	// meaning follows it.
	DecisionNPV, DecisionBCR, DecisionROSI float64
}

// ClosedFormAppraisal returns portfolio p's expected appraisal under a, by
// the closed form:
//
//	NPV = ΔALE·A [+ Δharm·A_h] − Σ_c PV(cost_c),  BCR = PV(benefit)/PV(cost),
//	ROSI = (ΔALE [+ Δharm] − EAC)/EAC
//
// with A = Σ_{y=1..H} DF(y), A_h the health schedule's, EAC = PV(cost)/A.
func ClosedFormAppraisal(m *Model, a Appraisal, p Portfolio) Expected {
	f := fit(m)
	A, Ah := a.annuity(), a.healthAnnuity()
	e := Expected{DeltaALE: f.closedForm(nil) - f.closedForm(p)}
	if f.harm != nil {
		e.DeltaHarm = ClosedFormHarm(m, nil) - ClosedFormHarm(m, p)
		e.Deaths, e.BaselineDeaths = ClosedFormDeaths(m, p), ClosedFormDeaths(m, nil)
	}
	costs := expectedCosts(f, a)
	for _, c := range p {
		e.Capex += costs[c].Capex
		e.PVCost += costs[c].PV
	}
	e.Annual = e.PVCost / A
	e.PVBenefit, e.PVHarm = e.DeltaALE*A, e.DeltaHarm*Ah
	e.MoneyNPV = e.PVBenefit - e.PVCost
	e.SocialNPV = e.PVBenefit + e.PVHarm - e.PVCost
	e.MoneyBCR = ratio(e.PVBenefit, e.PVCost)
	e.SocialBCR = ratio(e.PVBenefit+e.PVHarm, e.PVCost)
	e.MoneyROSI = ratio(e.DeltaALE-e.Annual, e.Annual)
	e.SocialROSI = ratio(e.DeltaALE+e.DeltaHarm-e.Annual, e.Annual)
	e.DecisionNPV, e.DecisionBCR, e.DecisionROSI = e.MoneyNPV, e.MoneyBCR, e.MoneyROSI
	if a.View == Social && f.harm != nil {
		e.DecisionNPV, e.DecisionBCR, e.DecisionROSI = e.SocialNPV, e.SocialBCR, e.SocialROSI
	}
	return e
}
