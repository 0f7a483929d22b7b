package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// DiscountStep is one band of a discount-rate schedule: Rate applies to
// years up to and including Through (the last band to all later years).
type DiscountStep struct {
	Through int     `json:"through"`
	Rate    float64 `json:"rate"`
}

// Discount is a discount-rate schedule.
type Discount []DiscountStep

// GreenBook returns HM Treasury's Green Book schedule of social time
// preference rates: 3.5% for years 0–30, 3.0% for 31–75, 2.5% for 76–125
// (Green Book, Annex 6).
func GreenBook() Discount {
	return Discount{{30, 0.035}, {75, 0.030}, {125, 0.025}}
}

// FlatDiscount returns a single rate r for every year.
func FlatDiscount(r float64) Discount { return Discount{{math.MaxInt, r}} }

// rate returns the rate that applies in year y.
func (d Discount) rate(y int) float64 {
	for _, s := range d {
		if y <= s.Through {
			return s.Rate
		}
	}
	return d[len(d)-1].Rate
}

// Factors returns the discount factors of years 0..h: DF(0) = 1 and
// DF(y) = DF(y−1)/(1 + r_y), r_y the rate of year y.
func (d Discount) Factors(h int) []float64 {
	df := make([]float64, h+1)
	df[0] = 1
	for y := 1; y <= h; y++ {
		df[y] = df[y-1] / (1 + d.rate(y))
	}
	return df
}

// Appraisal sets how investments are appraised.
type Appraisal struct {
	// Horizon in years: benefits and running costs fall in years 1..Horizon.
	Horizon int `json:"horizon"`
	// Discount is the schedule of discount rates (GreenBook by default).
	Discount Discount `json:"discount"`
	// OptimismBias is the uplift on costs (e.g. 0.1 for +10%) for controls
	// that do not state their own.
	OptimismBias float64 `json:"optimism_bias"`
	// BiasByProject, when set, draws each control's uplift uniformly from
	// the Green Book guidance's range for its project type instead.
	BiasByProject map[string]BiasRange `json:"bias_by_project,omitempty"`
	// HealthDiscount discounts patient harm in the social view
	// (GreenBookHealth when empty).
	HealthDiscount Discount `json:"health_discount,omitempty"`
	// View is the view ranked by: Financial (default) or Social.
	View View `json:"view"`
}

// View is the appraisal's view of benefits.
type View int

// The views.
const (
	// Financial counts money: the calibrated £92m view.
	Financial View = iota
	// Social adds patient harm valued in money (see Harm), the Green
	// Book's valuation of health effects.
	Social
)

// String returns the view's name as ParseView accepts it.
func (v View) String() string { return [...]string{"financial", "social"}[v] }

// ParseView returns the view named s: financial or social.
func ParseView(s string) (View, error) {
	switch s {
	case "financial":
		return Financial, nil
	case "social":
		return Social, nil
	}
	return 0, &UnknownError{What: "view", Got: s, Want: []string{"financial", "social"}, Hint: "financial or social"}
}

// GreenBookHealth returns the Green Book's discount schedule for health
// effects: 1.5% for years 0–30, 1.29% beyond.
func GreenBookHealth() Discount {
	return Discount{{30, 0.015}, {75, 0.0129}}
}

// Validate returns every problem with the settings.
func (a Appraisal) Validate() error {
	var errs []error
	if a.Horizon < 1 || a.Horizon > MaxHorizon {
		errs = append(errs, fmt.Errorf("horizon: must be 1 to 125 years, got %d", a.Horizon))
	}
	if len(a.Discount) == 0 {
		errs = append(errs, errors.New("discount: no rate given"))
	}
	for _, s := range a.Discount {
		if err := CheckDiscount("discount", s.Rate); err != nil {
			errs = append(errs, err)
		}
	}
	if !(a.OptimismBias >= 0) {
		errs = append(errs, fmt.Errorf("optimism_bias: must not be negative, got %g", a.OptimismBias))
	}
	if err := checkMax("optimism_bias", a.OptimismBias, MaxUplift, "(an uplift of 10 is +1,000%)"); err != nil {
		errs = append(errs, err)
	}
	if err := checkBiasRanges(a.BiasByProject); err != nil {
		errs = append(errs, err)
	}
	for _, s := range a.HealthDiscount {
		if err := CheckDiscount("health discount", s.Rate); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Interval is a point estimate with its 90% interval across outer draws
// (the 5th and 95th percentiles of the per-draw values).
type Interval struct {
	Mean float64 `json:"mean"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
}

// MarshalJSON writes the interval, with null for a non-finite bound (the
// BCR of an option that costs nothing).
func (iv Interval) MarshalJSON() ([]byte, error) {
	f := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "null"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return []byte(`{"mean":` + f(iv.Mean) + `,"lo":` + f(iv.Lo) + `,"hi":` + f(iv.Hi) + `}`), nil
}

// Result is the appraisal of one option against the baseline.
type Result struct {
	// Option indexes Sim.Options; Portfolio is its controls.
	Option    int       `json:"-"`
	Portfolio Portfolio `json:"-"`
	// Controls are the IDs of the portfolio's controls.
	Controls []string `json:"controls"`
	// Loss describes the option's annual-loss distribution.
	Loss Summary `json:"loss"`
	// DecisionDraws is the number of outer draws behind the decision's
	// intervals and probabilities (see DrawTable).
	DecisionDraws int `json:"decision_draws"`
	// DeltaALE is the reduction in expected annual loss: its mean the
	// exact expectation (closed form), its 90% interval across the
	// decision's draws of the uncertain inputs. SimDeltaALE is the
	// simulated check, from paired CRN differences over the simulation's
	// draws, and DeltaALESE that check's standard error (batch means over
	// draws).
	DeltaALE    Interval `json:"delta_ale"`
	SimDeltaALE float64  `json:"sim_delta_ale"`
	DeltaALESE  float64  `json:"delta_ale_se"`
	// DeltaP95 is the reduction in the 95th percentile of annual loss.
	DeltaP95 Interval `json:"delta_p95"`
	// Capex and Opex are the costs with optimism bias applied; EAC is the
	// equivalent annual cost, PV(costs)/Σ DF(y).
	Capex Interval `json:"capex"`
	Opex  Interval `json:"opex"`
	EAC   Interval `json:"eac"`
	// PVBenefit and PVCost are present values over the horizon: the
	// money saved (ΔALE), money only in either view (harm avoided is
	// Social.PVHarm), and the costs.
	PVBenefit Interval `json:"pv_benefit"`
	PVCost    Interval `json:"pv_cost"`
	// DecisionNPV = PV(benefit) − PV(cost) in the view that decides the run:
	// the same as MoneyNPV in the financial view, as Social.NPV (harm
	// avoided counted) in the social. It is the one figure of a Result whose
	// meaning follows the view, and it is named so, in Go and in JSON
	// (npv_decision); every other figure means one thing in both views:
	// the Result's own are money only, Social's count harm avoided (see
	// InView for the figures of the view in force). Its mean is the exact
	// expectation, its interval across the decision's draws.
	// DecisionSimNPV is the simulated check (simulated benefits less the
	// exact expected costs) and DecisionNPVSE its standard error.
	DecisionNPV    Interval `json:"npv_decision"`
	DecisionSimNPV float64  `json:"sim_npv_decision"`
	DecisionNPVSE  float64  `json:"npv_decision_se"`
	// MoneyNPV is the NPV counting money only, whatever the view (with
	// harm, see Social.NPV); MoneySimNPV its simulated check and
	// MoneyNPVSE that check's standard error.
	MoneyNPV    Interval `json:"npv_money"`
	MoneySimNPV float64  `json:"sim_npv_money"`
	MoneyNPVSE  float64  `json:"npv_money_se"`
	// BCR = PVBenefit/PVCost, money only in either view (with harm:
	// Social.BCR); the point value is the ratio of means, its standard
	// error by the delta method over draws.
	BCR   Interval `json:"bcr"`
	BCRSE float64  `json:"bcr_se"`
	// ROSI = (ΔALE − EAC)/EAC, money only in either view (with harm:
	// Social.ROSI); the point value uses the means.
	ROSI   Interval `json:"rosi"`
	ROSISE float64  `json:"rosi_se"`
	// Payback is the first year whose cumulative discounted net benefit
	// (money only) is non-negative, on mean benefits and costs; 0 if none
	// within the horizon.
	Payback int `json:"payback"`
	// PaybackLo and PaybackHi are the 5th and 95th percentiles of the
	// payback year across draws, with H+1 standing for "not within the
	// horizon".
	PaybackLo int `json:"payback_lo"`
	PaybackHi int `json:"payback_hi"`
	// PNPVPositive is the share of outer draws with money-only NPV > 0,
	// with its binomial standard error.
	PNPVPositive   float64 `json:"p_npv_positive"`
	PNPVPositiveSE float64 `json:"p_npv_positive_se"`
	// Uplift is the mean optimism-bias uplift applied to each of the
	// portfolio's controls.
	Uplift []float64 `json:"uplift"`
	// Social holds the harm columns and the figures with harm avoided
	// counted as a benefit, in either view, when the model has harm.
	Social *SocialResult `json:"social,omitempty"`
	// Draws holds the per-draw values behind the intervals.
	Draws DrawValues `json:"-"`
}

// Figures are an option's appraisal figures in one view: NPV, BCR, ROSI,
// P(NPV > 0) and payback with their intervals and standard errors, as the
// Result holds them money only and SocialResult with harm.
type Figures struct {
	NPV            Interval `json:"npv"`
	SimNPV         float64  `json:"sim_npv"`
	NPVSE          float64  `json:"npv_se"`
	PVBenefit      Interval `json:"pv_benefit"`
	BCR            Interval `json:"bcr"`
	BCRSE          float64  `json:"bcr_se"`
	ROSI           Interval `json:"rosi"`
	ROSISE         float64  `json:"rosi_se"`
	PNPVPositive   float64  `json:"p_npv_positive"`
	PNPVPositiveSE float64  `json:"p_npv_positive_se"`
	Payback        int      `json:"payback"`
	PaybackLo      int      `json:"payback_lo"`
	PaybackHi      int      `json:"payback_hi"`
}

// Money returns r's money-only figures (its own), in either view.
func (r *Result) Money() Figures {
	return Figures{NPV: r.MoneyNPV, SimNPV: r.MoneySimNPV, NPVSE: r.MoneyNPVSE, PVBenefit: r.PVBenefit,
		BCR: r.BCR, BCRSE: r.BCRSE, ROSI: r.ROSI, ROSISE: r.ROSISE,
		PNPVPositive: r.PNPVPositive, PNPVPositiveSE: r.PNPVPositiveSE,
		Payback: r.Payback, PaybackLo: r.PaybackLo, PaybackHi: r.PaybackHi}
}

// InView returns r's figures in view v: with harm (Social's) in the social
// view when r has harm, money only otherwise. In the view that decides a
// run, its NPV is r.DecisionNPV.
func (r *Result) InView(v View) Figures {
	if v == Social && r.Social != nil {
		return r.Social.Figures
	}
	return r.Money()
}

// DrawValues are an option's appraisal values in each outer draw: the
// decision's draws (exact conditional expectations; see DrawTable) except
// DeltaP95 and SimDeltaALE, which are over the simulation's draws.
type DrawValues struct {
	// DecisionNPV is the deciding view's NPV (see Result.DecisionNPV);
	// MoneyNPV, BCR and ROSI are money only in either view.
	DeltaALE, DeltaP95, DecisionNPV, MoneyNPV, BCR, ROSI []float64
	// SimDeltaALE is the simulated ΔALE of each simulated draw.
	SimDeltaALE []float64
	// With harm (nil without it), in either view: ΔALE + Δharm, and NPV,
	// BCR and ROSI with harm avoided counted as a benefit.
	SocialDelta, SocialNPV, SocialBCR, SocialROSI []float64
}

// SocialResult is an option's patient harm: the harm columns beside the
// money ones, and the figures (NPV, BCR, ROSI, P(NPV > 0), payback) that
// count harm avoided as a benefit, in either view.
type SocialResult struct {
	// HarmALE is the option's expected yearly harm, valued in money.
	HarmALE float64 `json:"harm_ale"`
	// DeltaHarm is the yearly harm avoided (mean exact, interval across
	// the decision's draws); SimDeltaHarm the simulated check and
	// DeltaHarmSE its standard error.
	DeltaHarm    Interval `json:"delta_harm"`
	SimDeltaHarm float64  `json:"sim_delta_harm"`
	DeltaHarmSE  float64  `json:"delta_harm_se"`
	// PVHarm is harm avoided over the horizon at the health discount rate.
	PVHarm Interval `json:"pv_harm"`
	// DeltaTotal = ΔALE + Δharm a year.
	DeltaTotal Interval `json:"delta_total"`
	// Figures count PVHarm as a benefit beside the financial one: their
	// PVBenefit is PV(ΔALE) + PVHarm, their payback discounts harm at the
	// health rate.
	Figures
}

// Appraise appraises every non-baseline option of s against the baseline,
// in the appraisal's view, its decision figures on DefaultDecisionDraws
// outer draws (or s.Draws, if more) of exact conditional expectations
// (see DrawTable and appraiseOptions).
func Appraise(s *Sim, a Appraisal) ([]Result, error) { return AppraiseOn(s, a, 0) }

// AppraiseOn is Appraise with the decision figures on n outer draws (0
// for DefaultDecisionDraws; never fewer than s.Draws), as
// DecideOptions.DecisionDraws sets them.
func AppraiseOn(s *Sim, a Appraisal, n int) ([]Result, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	t, err := newDrawTable(context.Background(), s.Model, a, s.Options, decisionDraws(n, s.Draws), s.Seed, s.workers)
	if err != nil {
		return nil, err
	}
	options := make([]int, 0, len(s.Options)-1)
	for o := 1; o < len(s.Options); o++ {
		options = append(options, o)
	}
	return appraiseOptions(s, t, a, options, func(o int) Summary { return s.Summaries()[o] })
}

// appraiseOptions appraises the options of s at the given indices (each at
// least 1), in that order, each with the loss summary loss gives it; t
// tabulates each of them (and the baseline first) on the decision's draws.
//
// The decision's figures come from t: in draw d (a draw of the uncertain
// inputs θ), with the costs drawn and their optimism-bias uplift (on capex
// for equipment, opex for outsourcing and for equipment with no capex,
// both otherwise), capex recurring at years k·Lifetime < Horizon,
//
//	PV(benefit) = E[ΔALE | θ_d]·Σ_{y=1..H} DF(y)  [+ E[Δharm | θ_d]·Σ_{y=1..H} DF_health(y) with harm]
//	PV(cost)    = Σ_c [capex_c·Σ_{k: k·L_c < H} DF(k·L_c) + opex_c·Σ_{y=1..H} DF(y)]
//	NPV = PV(benefit) − PV(cost),  BCR = PV(benefit)/PV(cost)
//	EAC = PV(cost)/Σ DF(y),  ROSI = (benefit a year − EAC)/EAC
//
// Intervals, P(NPV > 0) and paybacks are across those draws. The expected
// figures (ΔALE, harm avoided, costs, NPV, BCR, ROSI) are the exact
// expectations by the closed form, the same figures the portfolio search,
// the build-up and the tornado use. The simulation gives the loss
// distribution (Loss, ΔP95) and, as a check on the closed form, the
// simulated ΔALE and NPV with their standard errors (SimDeltaALE,
// SimNPV). The Result's own figures are money only in either view; with
// harm, Social's count harm avoided; DecisionNPV is the view's.
func appraiseOptions(s *Sim, t *DrawTable, a Appraisal, options []int, loss func(o int) Summary) ([]Result, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	df, annuity, _ := a.presentValues(s.Model)
	D := t.Draws
	exact := expectedCosts(fit(s.Model), a)
	healthAnnuity := t.HealthAnnuity
	var hdf []float64
	if s.Harm != nil {
		hd := a.HealthDiscount
		if len(hd) == 0 {
			hd = GreenBookHealth()
		}
		hdf = hd.Factors(a.Horizon)
	}
	var out []Result
	for _, o := range options {
		p := s.Options[o]
		r := Result{Option: o, Portfolio: p, Loss: loss(o), DecisionDraws: D}
		to := t.Option(p)
		if to < 0 {
			return nil, errors.New("model: the draw table lacks an option of the appraisal")
		}
		for _, c := range p {
			r.Controls = append(r.Controls, s.Model.Controls[c].ID)
		}
		dv := DrawValues{
			DeltaALE: t.DeltaALE[to], DeltaP95: make([]float64, s.Draws),
			SimDeltaALE: make([]float64, s.Draws),
		}
		capex, opex, eac := make([]float64, D), make([]float64, D), make([]float64, D)
		pvb, pvc := make([]float64, D), t.DecisionPVCost[to]
		var dh []float64
		if s.Harm != nil {
			dh = t.DeltaHarm[to]
		}
		// drawCapex holds capex outlays by year in this draw, for the
		// payback; capexByYear the exact expectation.
		drawCapex := make([]float64, a.Horizon+1)
		capexByYear := make([]float64, a.Horizon+1)
		var meanOpex float64
		for _, c := range p {
			meanOpex += exact[c].Opex
			capexByYear[0] += exact[c].Capex
			if L := s.Model.Controls[c].Lifetime; L > 0 {
				for y := L; y < a.Horizon; y += L {
					capexByYear[y] += exact[c].Capex
				}
			}
		}
		moneyPaybacks := make([]float64, D)
		var socialPaybacks []float64
		if s.Harm != nil {
			socialPaybacks = make([]float64, D)
		}
		for d := range D {
			clear(drawCapex)
			for _, c := range p {
				cx, ox := t.DecisionCapex[c][d], t.DecisionOpex[c][d]
				capex[d] += cx
				opex[d] += ox
				drawCapex[0] += cx
				if L := s.Model.Controls[c].Lifetime; L > 0 {
					for y := L; y < a.Horizon; y += L {
						drawCapex[y] += cx
					}
				}
			}
			pvb[d] = dv.DeltaALE[d] * annuity
			eac[d] = pvc[d] / annuity
			moneyPaybacks[d] = horizonIfNone(payback(dv.DeltaALE[d], 0, opex[d], drawCapex, df, nil), a.Horizon)
			if socialPaybacks != nil {
				socialPaybacks[d] = horizonIfNone(payback(dv.DeltaALE[d], dh[d], opex[d], drawCapex, df, hdf), a.Horizon)
			}
		}
		for d := range s.Draws {
			dv.SimDeltaALE[d] = s.DrawMean[0][d] - s.DrawMean[o][d]
			dv.DeltaP95[d] = s.DrawP95[0][d] - s.DrawP95[o][d]
		}
		r.DeltaALE = interval(dv.DeltaALE)
		r.DeltaALE.Mean = t.ExpectedALE[0] - t.ExpectedALE[to]
		r.SimDeltaALE, _ = meanVar(dv.SimDeltaALE)
		r.DeltaALESE = s.DeltaSE(o)
		r.DeltaP95 = interval(dv.DeltaP95)
		r.Capex, r.Opex, r.EAC, r.PVCost = interval(capex), interval(opex), interval(eac), interval(pvc)
		r.Capex.Mean, r.Opex.Mean, r.EAC.Mean, r.PVCost.Mean = 0, 0, 0, 0
		for _, c := range p {
			r.Capex.Mean += exact[c].Capex
			r.Opex.Mean += exact[c].Opex
			r.EAC.Mean += exact[c].Annual
			r.PVCost.Mean += exact[c].PV
		}
		money := appraiseView(pvb, pvc, dv.DeltaALE, eac, r.PVCost.Mean, r.EAC.Mean, r.DeltaALE.Mean*annuity, r.DeltaALE.Mean)
		money.result.Payback = payback(r.DeltaALE.Mean, 0, meanOpex, capexByYear, df, nil)
		pbi := interval(moneyPaybacks)
		money.result.PaybackLo, money.result.PaybackHi = int(pbi.Lo), int(pbi.Hi)
		// The simulated check: ΔALE over the simulated draws, its error
		// that of the benefits alone (the expected costs are exact).
		money.result.SimNPV = r.SimDeltaALE*annuity - r.PVCost.Mean
		money.result.NPVSE = r.DeltaALESE * annuity
		m := money.result
		r.MoneyNPV, r.MoneySimNPV, r.MoneyNPVSE, r.PVBenefit = m.NPV, m.SimNPV, m.NPVSE, m.PVBenefit
		r.BCR, r.BCRSE, r.ROSI, r.ROSISE = m.BCR, money.bcrSE, m.ROSI, money.rosiSE
		r.PNPVPositive, r.PNPVPositiveSE = m.PNPVPositive, m.PNPVPositiveSE
		r.Payback, r.PaybackLo, r.PaybackHi = m.Payback, m.PaybackLo, m.PaybackHi
		dv.MoneyNPV, dv.BCR, dv.ROSI = money.npv, money.bcr, money.rosi
		r.DecisionNPV, r.DecisionSimNPV, r.DecisionNPVSE = m.NPV, m.SimNPV, m.NPVSE
		dv.DecisionNPV = money.npv
		if s.Harm != nil {
			r.Social = harmResult(s, t, o, to, healthAnnuity, &dv)
			pvt := make([]float64, D)
			ben := make([]float64, D)
			for d := range D {
				pvt[d] = pvb[d] + dh[d]*healthAnnuity
				ben[d] = dv.DeltaALE[d] + dh[d]
			}
			dHarm := r.Social.DeltaHarm.Mean
			sv := appraiseView(pvt, pvc, ben, eac, r.PVCost.Mean, r.EAC.Mean, r.DeltaALE.Mean*annuity+dHarm*healthAnnuity, r.DeltaALE.Mean+dHarm)
			f := sv.result
			f.BCRSE, f.ROSISE = sv.bcrSE, sv.rosiSE
			f.Payback = payback(r.DeltaALE.Mean, dHarm, meanOpex, capexByYear, df, hdf)
			pbi := interval(socialPaybacks)
			f.PaybackLo, f.PaybackHi = int(pbi.Lo), int(pbi.Hi)
			f.SimNPV = m.SimNPV + r.Social.SimDeltaHarm*healthAnnuity
			f.NPVSE = simSocialSE(s, o, annuity, healthAnnuity)
			r.Social.Figures = f
			dv.SocialNPV, dv.SocialBCR, dv.SocialROSI = sv.npv, sv.bcr, sv.rosi
			if a.View == Social {
				r.DecisionNPV, r.DecisionSimNPV, r.DecisionNPVSE = f.NPV, f.SimNPV, f.NPVSE
				dv.DecisionNPV = sv.npv
			}
		}
		for c := range p {
			u := 0.0
			if s.Model.Controls[p[c]].UpliftBites() {
				u, _ = meanVar(t.Uplift[p[c]])
			}
			r.Uplift = append(r.Uplift, u)
		}
		r.Draws = dv
		out = append(out, r)
	}
	return out, nil
}

// simSocialSE returns the standard error of option o's simulated NPV with
// harm: batch means over the simulated draws of ΔALE·A + Δharm·A_h.
func simSocialSE(s *Sim, o int, annuity, healthAnnuity float64) float64 {
	x := make([]float64, s.Draws)
	for d := range x {
		x[d] = (s.DrawMean[0][d]-s.DrawMean[o][d])*annuity + (s.HarmDrawMean[0][d]-s.HarmDrawMean[o][d])*healthAnnuity
	}
	_, v := meanVar(x)
	if s.Draws < 2 {
		return s.DeltaSE(o) * annuity // a single draw: the years' spread, money alone
	}
	return math.Sqrt(v / float64(s.Draws))
}

// viewFigures are one view's appraisal figures and the per-draw values
// behind them.
type viewFigures struct {
	result         Figures
	npv, bcr, rosi []float64
	bcrSE, rosiSE  float64
}

// appraiseView returns the NPV, BCR and ROSI of per-draw present values of
// benefits pvb and costs pvc and yearly benefits ben, with the expected
// figures computed from the exact expected benefits pvBen and benMean and
// costs pvCost and eacMean.
func appraiseView(pvb, pvc, ben, eac []float64, pvCost, eacMean, pvBen, benMean float64) viewFigures {
	D := len(pvb)
	v := viewFigures{npv: make([]float64, D), bcr: make([]float64, D), rosi: make([]float64, D)}
	for d := range D {
		v.npv[d] = pvb[d] - pvc[d]
		v.bcr[d] = ratio(pvb[d], pvc[d])
		v.rosi[d] = ratio(ben[d]-eac[d], eac[d])
		if v.npv[d] > 0 {
			v.result.PNPVPositive++
		}
	}
	v.result.PNPVPositive /= float64(D)
	v.result.PNPVPositiveSE = binomialSE(v.result.PNPVPositive, D)
	v.result.PVBenefit = interval(pvb)
	v.result.PVBenefit.Mean = pvBen
	v.result.NPV = interval(v.npv)
	v.result.NPV.Mean = pvBen - pvCost
	v.result.BCR = interval(v.bcr)
	v.result.BCR.Mean = ratio(pvBen, pvCost)
	v.result.ROSI = interval(v.rosi)
	v.result.ROSI.Mean = ratio(benMean-eacMean, eacMean)
	v.bcrSE = ratioSE(pvb, pvc)
	v.rosiSE = ratioSE(ben, eac)
	return v
}

func binomialSE(p float64, n int) float64 { return math.Sqrt(p * (1 - p) / float64(n)) }

// horizonIfNone returns a payback year, or H+1 for none within the horizon.
func horizonIfNone(y, h int) float64 {
	if y == 0 {
		return float64(h + 1)
	}
	return float64(y)
}

// harmResult returns option o's harm columns (its figures with harm are
// the caller's to fill), filling dv.SocialDelta from t's decision columns;
// the expected figures are exact, the simulated harm avoided beside them
// as the check.
func harmResult(s *Sim, t *DrawTable, o, to int, healthAnnuity float64, dv *DrawValues) *SocialResult {
	D := t.Draws
	dh := t.DeltaHarm[to]
	pvh := make([]float64, D)
	dv.SocialDelta = make([]float64, D)
	sr := &SocialResult{HarmALE: t.ExpectedQALYs[to] * t.ValuePerQALY}
	for d := range D {
		pvh[d] = dh[d] * healthAnnuity
		dv.SocialDelta[d] = dv.DeltaALE[d] + dh[d]
	}
	deltaHarm := (t.ExpectedQALYs[0] - t.ExpectedQALYs[to]) * t.ValuePerQALY
	deltaALE := t.ExpectedALE[0] - t.ExpectedALE[to]
	sr.DeltaHarm, sr.PVHarm = interval(dh), interval(pvh)
	sr.DeltaHarm.Mean, sr.PVHarm.Mean = deltaHarm, deltaHarm*healthAnnuity
	sim := make([]float64, s.Draws)
	for d := range sim {
		sim[d] = s.HarmDrawMean[0][d] - s.HarmDrawMean[o][d]
	}
	var v float64
	sr.SimDeltaHarm, v = meanVar(sim)
	sr.DeltaHarmSE = math.Sqrt(v / float64(s.Draws))
	sr.DeltaTotal = interval(dv.SocialDelta)
	sr.DeltaTotal.Mean = deltaALE + deltaHarm
	return sr
}

// payback returns the first year y in 1..H at which Σ_{i≤y} DF(i)·(benefit −
// opex − capex_i) + Σ_{i≤y} DF_health(i)·harm − capex_0 ≥ 0, or 0 if none;
// harm avoided a year counts only when hdf is given.
func payback(benefit, harm, opex float64, capex, df, hdf []float64) int {
	cum := -capex[0]
	for y := 1; y < len(df); y++ {
		cum += df[y] * (benefit - opex - capex[y])
		if hdf != nil {
			cum += hdf[y] * harm
		}
		if cum >= 0 {
			return y
		}
	}
	return 0
}

// ratio returns a/b, or +Inf/−Inf/NaN as the signs say when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		if a == 0 {
			return math.NaN()
		}
		return math.Copysign(math.Inf(1), a)
	}
	return a / b
}

// interval returns the mean and the 5th and 95th percentiles of x: the
// order statistics a sort would put at those ranks (NaN ranking first, so
// that it never lands on a percentile above a number), found by selection.
func interval(x []float64) Interval {
	s := slices.Clone(x)
	var m float64
	nan := 0
	for i, v := range x {
		m += v
		if math.IsNaN(v) {
			s[i], s[nan] = s[nan], s[i]
			nan++
		}
	}
	n := len(s)
	lo, hi := quantileIndex(0.05, n), quantileIndex(0.95, n)
	r := Interval{Mean: m / float64(n), Lo: math.NaN(), Hi: math.NaN()}
	if lo >= nan {
		// s[nan:] holds the numbers; after selecting its lo-th, the ranks
		// above it lie after it.
		r.Lo = selectK(s[nan:], lo-nan)
		if hi > lo {
			r.Hi = selectK(s[lo+1:], hi-lo-1)
		} else {
			r.Hi = r.Lo
		}
	} else if hi >= nan {
		r.Hi = selectK(s[nan:], hi-nan)
	}
	return r
}

// ratioSE returns the standard error of mean(b)/mean(c) over draws by the
// delta method: Var ≈ (Var b − 2R·Cov(b,c) + R²·Var c)/(n·c̄²), R = b̄/c̄;
// 0 with fewer than two draws.
func ratioSE(b, c []float64) float64 {
	n := float64(len(b))
	mb, vb := meanVar(b)
	mc, vc := meanVar(c)
	if n < 2 || mc == 0 {
		return 0 // no spread across draws to measure, or no ratio
	}
	var cov float64
	for i := range b {
		cov += (b[i] - mb) * (c[i] - mc)
	}
	cov /= n - 1
	r := mb / mc
	return math.Sqrt(max(vb-2*r*cov+r*r*vc, 0) / n / (mc * mc))
}

// presentValues returns the discount factors of years 0..H, the annuity
// factor Σ_{y=1..H} DF(y) (the present value of £1 a year), and for each
// control the present value of £1 of its capex with renewals,
// Σ_{k: k·L < H} DF(k·L).
func (a Appraisal) presentValues(m *Model) (df []float64, annuity float64, capexPV []float64) {
	df = a.Discount.Factors(a.Horizon)
	for y := 1; y <= a.Horizon; y++ {
		annuity += df[y]
	}
	capexPV = make([]float64, len(m.Controls))
	for c, ctl := range m.Controls {
		capexPV[c] = 1
		if L := ctl.Lifetime; L > 0 {
			for y := L; y < a.Horizon; y += L {
				capexPV[c] += df[y]
			}
		}
	}
	return df, annuity, capexPV
}

// annuity returns Σ_{y=1..H} DF(y).
func (a Appraisal) annuity() float64 {
	var sum float64
	df := a.Discount.Factors(a.Horizon)
	for y := 1; y <= a.Horizon; y++ {
		sum += df[y]
	}
	return sum
}

// healthAnnuity returns Σ_{y=1..H} DF_health(y), the health discount
// schedule's (GreenBookHealth when the appraisal sets none).
func (a Appraisal) healthAnnuity() float64 {
	hd := a.HealthDiscount
	if len(hd) == 0 {
		hd = GreenBookHealth()
	}
	var sum float64
	df := hd.Factors(a.Horizon)
	for y := 1; y <= a.Horizon; y++ {
		sum += df[y]
	}
	return sum
}
