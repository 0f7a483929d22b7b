package model

import (
	"errors"
	"fmt"
	"math"
)

// Model is everything the simulation needs for one scope: the organisations
// it covers, the outage cost rates, the threats and the candidate controls.
// Money is in one currency and price year, stated by the caller.
type Model struct {
	// Scope names what the analysis covers, e.g. "NHS England".
	Scope string
	// Orgs is the number of organisation-equivalents in scope; spread is
	// capped at it.
	Orgs float64
	// Daily is c_d, lost output per organisation-day of outage, and Recovery
	// is c_r, IT recovery cost per disrupted organisation: normally the
	// calibrated rates (see Calibrate), fixed.
	Daily, Recovery Estimate
	Threats         []Threat
	Controls        []Control
	// Harm, when set, adds the social view: patient harm valued in money
	// beside the financial loss (see Harm).
	Harm *Harm
	// Correlations between threats' rates across outer draws; none means
	// independent. CommonCorrelation, when non-zero, is the rank
	// correlation between every pair of threats ("a threat climate");
	// pairs listed in Correlations override it.
	Correlations      []Correlation
	CommonCorrelation float64
}

// Correlation is the Spearman rank correlation of two threats' rates across
// outer draws, applied with a Gaussian copula.
type Correlation struct {
	A, B string
	Rank float64
}

// Harm values the patient harm of outages. An event harms
//
//	min(S, orgs)·D·min(k_d/k_full, 1)·h·q·v
//
// in money: extra deaths per organisation-day of full outage h, times the
// full-outage days the event's organisation-days amount to (an
// organisation-day at the threat's intensity k_d, relative to the
// calibration incident's average organisation, is min(k_d/k_full, 1) of a
// full outage's day, k_full being a full outage's intensity), times QALYs
// lost per death q, times the value of a QALY v in the dataset's prices.
// Multiplying h by k_d alone would count a full outage's severity twice: h
// is already per full-outage day. h, q and k_full are drawn once per outer
// draw, from their own random streams, so turning harm on leaves every
// financial figure unchanged, bit for bit.
type Harm struct {
	DeathsPerDay, QALYsPerDeath Estimate
	ValuePerQALY                float64
	// FullIntensity is k_full.
	FullIntensity Estimate
}

// Threat is a threat scenario: how often it hits the scope and what one
// event costs.
type Threat struct {
	ID, Name string
	// Rate is the expected number of events a year.
	Rate Estimate
	// Dispersion φ ≥ 0 makes yearly counts negative binomial: the year's rate
	// is Rate·G with G ~ Gamma(1/φ, φ), so Var N = λ + φλ². Zero is Poisson.
	Dispersion float64
	// Spread is S, organisations disrupted per event; Duration is D, outage
	// days per disrupted organisation; Fixed is F, per-event cost not tied to
	// outage. These vary from event to event.
	Spread, Duration, Fixed Estimate
	// KDaily and KRecovery are the threat's intensity multipliers on the
	// cost rates (1 when the threat is like WannaCry's average trust).
	KDaily, KRecovery Estimate
	// Trend is g, the growth of the rate a year (0.2 is +20%), a 90%
	// interval with lo > −1: the rate in year y is Rate·(1+g)^(y−1), 1 + g
	// lognormal. Zero is no trend. It acts in phased plans (see Plan).
	Trend Estimate
}

// Control is a candidate investment: its price and its effects on threats.
type Control struct {
	ID, Name string
	// Capex is paid in year 0 and again each time Lifetime years end inside
	// the appraisal horizon; Opex is paid every year. Both are totals for
	// the scope (any per-unit cost already multiplied out).
	Capex, Opex Estimate
	// Lifetime in years; 0 means the capital lasts the whole horizon.
	Lifetime int
	// OptimismBias is the uplift on costs (Green Book), used instead of the
	// appraisal's when set (Lo > 0 or Hi > 0).
	OptimismBias Estimate
	Effects      []Effect
	// Project is the control's type for optimism bias: ProjectEquipment,
	// ProjectOutsourcing, ProjectNone or empty.
	Project string
	// Group names a set of mutually exclusive controls (e.g. two EDR
	// products): a portfolio holds at most one control of a group. Empty
	// means none.
	Group string
	// Requires lists the IDs of controls this one needs (e.g. EDR needs an
	// asset inventory): a portfolio holding it holds them too.
	Requires []string
	// Rollout and Decay say how the control's effect builds up after it
	// starts and fades between renewals (see Control.Weight). They act in
	// phased plans (see Plan); zero values are immediate and lasting.
	Rollout Rollout
	Decay   Decay
}

// Effect is a control's reduction of one threat, each a fraction in [0, 1].
type Effect struct {
	Threat string
	// Frequency thins events, Spread, Duration and Fixed scale them.
	Frequency, Spread, Duration, Fixed Estimate
}

// Validate returns every problem with the model, each naming its field.
func (m *Model) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if !(m.Orgs > 0) {
		add(fmt.Errorf("orgs: must be positive, got %g", m.Orgs))
	}
	add(checkMax("orgs", m.Orgs, hard(MaxOrgs), "organisations"))
	add(m.Daily.Check(Positive, "daily"))
	add(m.Daily.CheckMax("daily", hard(MaxAmount), "a day"))
	add(m.Recovery.CheckMax("recovery", hard(MaxAmount), "an organisation"))
	if h := m.Harm; h != nil {
		add(h.DeathsPerDay.Check(Positive, "harm.deaths_per_day"))
		add(h.QALYsPerDeath.Check(Positive, "harm.qalys_per_death"))
		add(h.DeathsPerDay.CheckMax("harm.deaths_per_day", hard(MaxDeathsPerDay), "deaths an organisation-day"))
		add(h.QALYsPerDeath.CheckMax("harm.qalys_per_death", hard(MaxQALYsPerDeath), "QALYs a death"))
		add(checkMax("harm.value_per_qaly", h.ValuePerQALY, hard(MaxAmount), "a QALY"))
		add(h.FullIntensity.CheckMax("harm.k_full", hard(MaxMultiplier), "(a multiplier)"))
		if err := h.FullIntensity.Check(Positive, "harm.k_full"); err != nil {
			add(err)
		} else if !(h.FullIntensity.Lo > 0) {
			add(fmt.Errorf("harm.k_full: must be positive (a full outage's intensity), got %g", h.FullIntensity.Lo))
		}
		if !(h.ValuePerQALY >= 0) || math.IsInf(h.ValuePerQALY, 0) {
			add(fmt.Errorf("harm.value_per_qaly: must be a non-negative amount, got %g", h.ValuePerQALY))
		}
	}
	add(m.Recovery.Check(Positive, "recovery"))
	if len(m.Threats) == 0 {
		add(errors.New("threats: at least one threat is needed"))
	}
	threats := map[string]bool{}
	for i, t := range m.Threats {
		f := fmt.Sprintf("threats[%s]", t.ID)
		if t.ID == "" {
			f = fmt.Sprintf("threats[%d]", i)
			add(fmt.Errorf("%s.id: must not be empty", f))
		} else if threats[t.ID] {
			add(fmt.Errorf("%s.id: duplicate threat id %q", f, t.ID))
		}
		threats[t.ID] = true
		add(t.Rate.Check(Positive, f+".rate"))
		add(t.Rate.CheckMax(f+".rate", hard(MaxRate), "events a year"))
		add(checkMax(f+".dispersion", t.Dispersion, hard(MaxDispersion), "(dispersion φ)"))
		add(t.Spread.CheckMax(f+".spread", hard(MaxOrgs), "organisations"))
		add(t.Duration.CheckMax(f+".duration", hard(MaxDays), "days"))
		add(t.Fixed.CheckMax(f+".fixed", hard(MaxAmount), "an event"))
		add(t.KDaily.CheckMax(f+".k_daily", hard(MaxMultiplier), "(a multiplier)"))
		add(t.KRecovery.CheckMax(f+".k_recovery", hard(MaxMultiplier), "(a multiplier)"))
		if !(t.Dispersion >= 0) {
			add(fmt.Errorf("%s.dispersion: must be ≥ 0, got %g", f, t.Dispersion))
		}
		add(t.Spread.Check(Positive, f+".spread"))
		add(t.Duration.Check(Positive, f+".duration"))
		add(t.Fixed.Check(Positive, f+".fixed"))
		add(t.KDaily.Check(Positive, f+".k_daily"))
		add(t.KRecovery.Check(Positive, f+".k_recovery"))
		add(t.checkTime(f))
	}
	if !(m.CommonCorrelation > -1 && m.CommonCorrelation < 1) {
		add(fmt.Errorf("correlation: common rank correlation must be in (−1, 1), got %g", m.CommonCorrelation))
	}
	for i, c := range m.Correlations {
		f := fmt.Sprintf("correlations[%d]", i)
		if !threats[c.A] || !threats[c.B] || c.A == c.B {
			add(fmt.Errorf("%s: want two different known threats, got %q and %q", f, c.A, c.B))
		}
		if !(c.Rank > -1 && c.Rank < 1) {
			add(fmt.Errorf("%s: rank correlation must be in (−1, 1), got %g", f, c.Rank))
		}
	}
	if len(errs) == 0 && (len(m.Correlations) > 0 || m.CommonCorrelation != 0) {
		if _, err := copulaFactor(m); err != nil {
			add(err)
		}
	}
	controls := map[string]bool{}
	for i, c := range m.Controls {
		f := fmt.Sprintf("controls[%s]", c.ID)
		if c.ID == "" {
			f = fmt.Sprintf("controls[%d]", i)
			add(fmt.Errorf("%s.id: must not be empty", f))
		} else if controls[c.ID] {
			add(fmt.Errorf("%s.id: duplicate control id %q", f, c.ID))
		}
		controls[c.ID] = true
		add(c.Capex.Check(Positive, f+".capex"))
		add(c.Opex.Check(Positive, f+".opex"))
		add(c.OptimismBias.Check(Positive, f+".optimism_bias"))
		add(c.Capex.CheckMax(f+".capex", hard(MaxAmount), "for the scope"))
		add(c.Opex.CheckMax(f+".opex", hard(MaxAmount), "a year for the scope"))
		add(c.OptimismBias.CheckMax(f+".optimism_bias", hard(MaxUplift), "(an uplift of 10 is +1,000%)"))
		switch c.Project {
		case "", ProjectEquipment, ProjectOutsourcing, ProjectNone:
		default:
			add(fmt.Errorf("%s.project: must be equipment, outsourcing or none, got %q", f, c.Project))
		}
		if c.Lifetime < 0 {
			add(fmt.Errorf("%s.lifetime: must not be negative, got %d", f, c.Lifetime))
		}
		add(c.checkTime(f))
		for j, r := range c.Requires {
			if r == c.ID {
				add(fmt.Errorf("%s.requires[%d]: a control cannot require itself", f, j))
			} else if m.ControlIndex(r) < 0 {
				add(fmt.Errorf("%s.requires[%d]: unknown control %q", f, j, r))
			}
		}
		seen := map[string]bool{}
		for j, e := range c.Effects {
			ef := fmt.Sprintf("%s.effects[%d]", f, j)
			if !threats[e.Threat] {
				add(fmt.Errorf("%s.threat: unknown threat %q", ef, e.Threat))
			} else if seen[e.Threat] {
				add(fmt.Errorf("%s.threat: control %q cuts threat %q twice; put all its reductions of that threat in one effect", ef, c.ID, e.Threat))
			}
			seen[e.Threat] = true
			add(e.Frequency.Check(Fraction, ef+".frequency"))
			add(e.Spread.Check(Fraction, ef+".spread"))
			add(e.Duration.Check(Fraction, ef+".duration"))
			add(e.Fixed.Check(Fraction, ef+".fixed"))
		}
	}
	return errors.Join(errs...)
}

// ThreatIndex returns the index of the threat with the given ID, or -1.
func (m *Model) ThreatIndex(id string) int {
	for i, t := range m.Threats {
		if t.ID == id {
			return i
		}
	}
	return -1
}

// ControlIndex returns the index of the control with the given ID, or -1.
func (m *Model) ControlIndex(id string) int {
	for i, c := range m.Controls {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// Portfolio is a set of controls, by index into Model.Controls. The empty
// portfolio is the baseline.
type Portfolio []int
