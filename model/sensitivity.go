package model

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"strings"
)

// Input is one uncertain input of a model: an estimate the sensitivity
// analysis can move.
type Input struct {
	// Item names the threat, control, effect or cost rate in words, with
	// its ID; Field the quantity in words, e.g. "events a year", "cost per
	// event", "yearly running cost", "cut in frequency".
	Item, Field string
	// Ref locates the input in a dataset.
	Ref      InputRef
	Estimate Estimate
	Kind     Kind
	// Unit is what the input is measured in.
	Unit Unit
	// PerEvent is true for quantities drawn afresh for each event (spread,
	// duration, fixed cost): aleatory variation, not a parameter that
	// research could pin down, so they have no value of information.
	PerEvent bool

	set func(m *Model, e Estimate)
	// draw reads the input's value in the worker's current draw (nil for
	// inputs drawn afresh for each event).
	draw func(w *worker) float64
}

// InputRef locates an input in a dataset: Kind is "rates", "harm",
// "threat", "control" or "effect"; ID the threat or control; Threat the
// effect's threat; Key the field as a dataset writes it (rate, spread,
// duration, fixed, k_daily, k_recovery, capex, opex, optimism_bias,
// frequency, daily, recovery, deaths_per_day, qalys_per_death, k_full).
type InputRef struct {
	Kind, ID, Threat, Key string
}

// Name is the input's item and field in words.
func (in Input) Name() string { return in.Item + ": " + in.Field }

// FixedAt returns a copy of m with the input fixed at x (m itself is
// left as it is): the model the tornado and the switching values
// evaluate, and with which E[NPV | input = x] is the closed form.
func (in Input) FixedAt(m *Model, x float64) *Model {
	mm := cloneModel(m)
	in.set(mm, Fixed(x))
	return mm
}

// Median returns the input's median.
func (in Input) Median() float64 { return in.Estimate.Dist(in.Kind).Quantile(0.5) }

// named returns "name (id)", or the id alone when there is no name.
func named(name, id string) string {
	if name == "" || name == id {
		return id
	}
	return name + " (" + id + ")"
}

// Inputs lists every uncertain input of m (those with lo < hi), in model
// order: cost rates, harm, threats, controls, effects.
func Inputs(m *Model) []Input { return inputs(m, false) }

// inputs lists m's inputs as Inputs does, with the fixed ones too when
// fixed is true.
func inputs(m *Model, fixed bool) []Input {
	var ins []Input
	add := func(in Input) {
		if fixed || !in.Estimate.IsFixed() {
			ins = append(ins, in)
		}
	}
	add(Input{Item: "Calibrated cost rates", Field: "lost output per organisation-day", Ref: InputRef{Kind: "rates", Key: "daily"}, Estimate: m.Daily, Kind: Positive, Unit: Money,
		set:  func(m *Model, e Estimate) { m.Daily = e },
		draw: func(w *worker) float64 { return w.daily }})
	add(Input{Item: "Calibrated cost rates", Field: "IT recovery cost per organisation", Ref: InputRef{Kind: "rates", Key: "recovery"}, Estimate: m.Recovery, Kind: Positive, Unit: Money,
		set:  func(m *Model, e Estimate) { m.Recovery = e },
		draw: func(w *worker) float64 { return w.recovery }})
	if m.Harm != nil {
		add(Input{Item: "Patient harm", Field: "extra deaths per full-outage day", Ref: InputRef{Kind: "harm", Key: "deaths_per_day"}, Estimate: m.Harm.DeathsPerDay, Kind: Positive,
			set:  func(m *Model, e Estimate) { h := *m.Harm; h.DeathsPerDay = e; m.Harm = &h },
			draw: func(w *worker) float64 { return w.deaths }})
		add(Input{Item: "Patient harm", Field: "QALYs lost per death", Ref: InputRef{Kind: "harm", Key: "qalys_per_death"}, Estimate: m.Harm.QALYsPerDeath, Kind: Positive,
			set:  func(m *Model, e Estimate) { h := *m.Harm; h.QALYsPerDeath = e; m.Harm = &h },
			draw: func(w *worker) float64 { return w.qalys }})
		add(Input{Item: "Patient harm", Field: "intensity of a full outage (k_full)", Ref: InputRef{Kind: "harm", Key: "k_full"}, Estimate: m.Harm.FullIntensity, Kind: Positive,
			set:  func(m *Model, e Estimate) { h := *m.Harm; h.FullIntensity = e; m.Harm = &h },
			draw: func(w *worker) float64 { return w.kfull }})
	}
	for t, th := range m.Threats {
		item := named(th.Name, th.ID)
		ref := func(key string) InputRef { return InputRef{Kind: "threat", ID: th.ID, Key: key} }
		add(Input{Item: item, Field: "events a year", Ref: ref("rate"), Estimate: th.Rate, Kind: Positive,
			set:  func(m *Model, e Estimate) { m.Threats[t].Rate = e },
			draw: func(w *worker) float64 { return w.lam[t] }})
		add(Input{Item: item, Field: "organisations disrupted per event", Ref: ref("spread"), Estimate: th.Spread, Kind: Positive, PerEvent: true,
			set: func(m *Model, e Estimate) { m.Threats[t].Spread = e }})
		add(Input{Item: item, Field: "days of outage", Ref: ref("duration"), Estimate: th.Duration, Kind: Positive, PerEvent: true,
			set: func(m *Model, e Estimate) { m.Threats[t].Duration = e }})
		add(Input{Item: item, Field: "cost per event", Ref: ref("fixed"), Estimate: th.Fixed, Kind: Positive, Unit: Money, PerEvent: true,
			set: func(m *Model, e Estimate) { m.Threats[t].Fixed = e }})
		add(Input{Item: item, Field: "lost output a day against the calibrated rate (k_d)", Ref: ref("k_daily"), Estimate: kOrOne(th.KDaily), Kind: Positive,
			set:  func(m *Model, e Estimate) { m.Threats[t].KDaily = e },
			draw: func(w *worker) float64 { return w.kdRaw[t] }})
		add(Input{Item: item, Field: "recovery cost against the calibrated rate (k_r)", Ref: ref("k_recovery"), Estimate: kOrOne(th.KRecovery), Kind: Positive,
			set:  func(m *Model, e Estimate) { m.Threats[t].KRecovery = e },
			draw: func(w *worker) float64 { return w.krRaw[t] }})
	}
	for c, ctl := range m.Controls {
		item := named(ctl.Name, ctl.ID)
		ref := func(key string) InputRef { return InputRef{Kind: "control", ID: ctl.ID, Key: key} }
		add(Input{Item: item, Field: "capital cost", Ref: ref("capex"), Estimate: ctl.Capex, Kind: Positive, Unit: Money,
			set:  func(m *Model, e Estimate) { m.Controls[c].Capex = e },
			draw: func(w *worker) float64 { return w.capex[c] }})
		add(Input{Item: item, Field: "yearly running cost", Ref: ref("opex"), Estimate: ctl.Opex, Kind: Positive, Unit: Money,
			set:  func(m *Model, e Estimate) { m.Controls[c].Opex = e },
			draw: func(w *worker) float64 { return w.opex[c] }})
		if ctl.OptimismBias != (Estimate{}) {
			add(Input{Item: item, Field: "optimism bias", Ref: ref("optimism_bias"), Estimate: ctl.OptimismBias, Kind: Positive, Unit: Share,
				set:  func(m *Model, e Estimate) { m.Controls[c].OptimismBias = e },
				draw: func(w *worker) float64 { return w.bias[c] }})
		}
		for j, e := range ctl.Effects {
			t := m.ThreatIndex(e.Threat)
			tname := e.Threat
			if t >= 0 {
				tname = named(m.Threats[t].Name, e.Threat)
			}
			item := named(ctl.Name, ctl.ID) + " against " + tname
			for k, f := range []struct {
				name, key string
				est       Estimate
				set       func(*Effect, Estimate)
			}{
				{"cut in frequency", "frequency", e.Frequency, func(x *Effect, v Estimate) { x.Frequency = v }},
				{"cut in organisations disrupted", "spread", e.Spread, func(x *Effect, v Estimate) { x.Spread = v }},
				{"cut in days of outage", "duration", e.Duration, func(x *Effect, v Estimate) { x.Duration = v }},
				{"cut in cost per event", "fixed", e.Fixed, func(x *Effect, v Estimate) { x.Fixed = v }},
			} {
				add(Input{Item: item, Field: f.name, Ref: InputRef{Kind: "effect", ID: ctl.ID, Threat: e.Threat, Key: f.key}, Estimate: f.est, Kind: Fraction, Unit: Share,
					set:  func(m *Model, v Estimate) { f.set(&m.Controls[c].Effects[j], v) },
					draw: func(w *worker) float64 { return 1 - w.red[c][t][k] }})
			}
		}
	}
	return ins
}

// cloneModel returns a deep copy of m that inputs can be set on.
func cloneModel(m *Model) *Model {
	c := *m
	c.Threats = slices.Clone(m.Threats)
	c.Controls = slices.Clone(m.Controls)
	for i := range c.Controls {
		c.Controls[i].Effects = slices.Clone(m.Controls[i].Effects)
		c.Controls[i].Requires = slices.Clone(m.Controls[i].Requires)
	}
	return &c
}

// MedianModel returns m with every uncertain input fixed at its median: the
// central case of the tornado.
func MedianModel(m *Model) *Model {
	mm := cloneModel(m)
	for _, in := range Inputs(m) {
		in.set(mm, Fixed(in.Median()))
	}
	return mm
}

// npvOf returns the expected NPV of portfolio p in m by the closed form,
// in the appraisal's view: what the optimiser's MaxNPV objective gives,
// without its tables of every subset.
func npvOf(m *Model, a Appraisal, p Portfolio) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	return npvFitted(fit(m), a, p), nil
}

// npvFitted is npvOf on a valid model fitted as f.
func npvFitted(f *fitted, a Appraisal, p Portfolio) float64 {
	m := f.m
	A := a.annuity()
	var w float64
	if a.View == Social && m.Harm != nil {
		w = a.healthAnnuity() / A
	}
	var d float64
	for t := range f.threats {
		d += f.threatALE(nil, t) - f.threatALE(p, t)
		if w != 0 {
			d += w * (f.threatHarm(nil, t) - f.threatHarm(p, t))
		}
	}
	costs := expectedCosts(f, a)
	npv := d * A
	for _, c := range p {
		npv -= costs[c].PV
	}
	return npv
}

// TornadoBar is one input's swing.
type TornadoBar struct {
	Input Input
	// Lo and Hi are the input's 5th and 95th percentiles; NPVLo and NPVHi
	// the decision's expected NPV with the input there, every other input
	// integrated out.
	Lo, Hi       float64
	NPVLo, NPVHi float64
}

// Swing is |NPV at P95 − NPV at P5|.
func (b TornadoBar) Swing() float64 { return math.Abs(b.NPVHi - b.NPVLo) }

// Tornado is a one-way sensitivity analysis of a decision's NPV around the
// expected case.
type Tornado struct {
	Decision Portfolio
	// Central is the decision's expected NPV, every input uncertain: the
	// figure the headline shows.
	Central float64
	// Bars, largest swing first.
	Bars []TornadoBar
}

// TornadoAnalysis moves each uncertain input from its 5th to its 95th
// percentile and records the decision's expected NPV at each end,
// E[NPV | input = x], with every other input integrated out: exact, by the
// closed form (see ClosedFormALE), since the inputs are independent. The centre
// is the decision's unconditional expected NPV, the headline's figure, so
// the bars carry no Monte Carlo error at all. Bars are sorted by swing,
// ties by name.
func TornadoAnalysis(m *Model, a Appraisal, decision Portfolio) (*Tornado, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	central, err := npvOf(m, a, decision)
	if err != nil {
		return nil, err
	}
	tn := &Tornado{Decision: slices.Clone(decision), Central: central}
	for _, in := range Inputs(m) {
		d := in.Estimate.Dist(in.Kind)
		bar := TornadoBar{Input: in, Lo: d.Quantile(0.05), Hi: d.Quantile(0.95)}
		mm := cloneModel(m)
		in.set(mm, Fixed(bar.Lo))
		if bar.NPVLo, err = npvOf(mm, a, decision); err != nil {
			return nil, err
		}
		in.set(mm, Fixed(bar.Hi))
		if bar.NPVHi, err = npvOf(mm, a, decision); err != nil {
			return nil, err
		}
		tn.Bars = append(tn.Bars, bar)
	}
	slices.SortStableFunc(tn.Bars, func(x, y TornadoBar) int {
		if c := cmp.Compare(y.Swing(), x.Swing()); c != 0 {
			return c
		}
		return cmp.Compare(x.Input.Name(), y.Input.Name())
	})
	return tn, nil
}

// Switch is an input's switching values (Green Book): where, with every
// other input integrated out (the expected case), the decision's expected
// NPV crosses zero, and where the decision itself changes.
type Switch struct {
	Input Input
	// Central is the input's mean, the central case the switching values
	// are measured from: with the other inputs at their expectations, the
	// case the tornado is centred on.
	Central float64
	// NPVZero is the value at which the decision's NPV is zero, NaN if it
	// does not cross zero within [SearchLo, SearchHi].
	NPVZero float64
	// Change is the value nearest the central one at which another decision
	// becomes best, NaN if none within the search range (or when no Decider
	// is given); NewDecision is that decision, and OldDecision the one it
	// replaces.
	Change                   float64
	NewDecision, OldDecision Portfolio
	// SearchLo and SearchHi bound the search: [0, 1] for a fraction, the
	// 5th percentile ÷ 1000 to the 95th × 1000 for a positive quantity.
	SearchLo, SearchHi float64
}

// Decider returns the best decision for a model: the best portfolio under
// a budget (BestUnder), or the single control with the greatest NPV
// (BestSingle).
type Decider interface {
	Decide(m *Model) (Portfolio, error)
}

// fittedDecider is a Decider that can decide on a model already validated
// and fitted, as the switching values do for each value they try.
type fittedDecider interface {
	Decider
	decideFitted(m *Model, f *fitted) (Portfolio, error)
}

// bestDecider is BestSingle's and BestUnder's Decider.
type bestDecider struct {
	a      Appraisal
	cons   Constraints
	single bool
}

// BestSingle decides by the single control with the greatest expected NPV
// (closed form), or nothing when none is positive.
func BestSingle(a Appraisal) Decider { return bestDecider{a: a, single: true} }

// BestUnder decides by the best portfolio under cons (expected NPV).
func BestUnder(a Appraisal, cons Constraints) Decider { return bestDecider{a: a, cons: cons} }

// Decide returns the best decision for m.
func (d bestDecider) Decide(m *Model) (Portfolio, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := d.a.Validate(); err != nil {
		return nil, err
	}
	return d.decideFitted(m, fit(m))
}

// decideFitted is Decide on a valid m (and appraisal) fitted as f.
func (d bestDecider) decideFitted(m *Model, f *fitted) (Portfolio, error) {
	op, err := newOptimiser(m, f, d.a, MaxNPV, nil)
	if err != nil {
		return nil, err
	}
	if !d.single {
		return op.Best(d.cons).Portfolio, nil
	}
	best, bestV := Portfolio(nil), 0.0
	for c := range m.Controls {
		if v := op.Evaluate(Portfolio{c}); v > bestV {
			best, bestV = Portfolio{c}, v
		}
	}
	return best, nil
}

// switchGrid is the number of points scanned before bisection.
const switchGrid = 200

// SwitchingValues finds, for each input, the value at which the decision's
// NPV crosses zero and the value at which decide picks another decision,
// each the crossing nearest the input's mean (the central case), by a scan of 200 points and then
// bisection to a relative 1e-9. NPV is the closed form, so a switching
// value put back gives NPV zero to rounding.
func SwitchingValues(m *Model, a Appraisal, decision Portfolio, decide Decider, inputs []Input) ([]Switch, error) {
	var out []Switch
	for _, in := range inputs {
		sw := Switch{Input: in, Central: in.Estimate.Dist(in.Kind).Mean(), NPVZero: math.NaN(), Change: math.NaN()}
		d := in.Estimate.Dist(in.Kind)
		logScale := in.Kind == Positive
		if logScale {
			sw.SearchLo, sw.SearchHi = d.Quantile(0.05)/1000, d.Quantile(0.95)*1000
		} else {
			sw.SearchLo, sw.SearchHi = 0, 1
		}
		ev := newSwitchEval(m, a, decision, decide, in, sw.SearchLo, sw.SearchHi)
		npv, dec := ev.npv, ev.dec
		grid := make([]float64, switchGrid+1)
		for i := range grid {
			f := float64(i) / switchGrid
			if logScale {
				grid[i] = math.Exp(math.Log(sw.SearchLo) + f*(math.Log(sw.SearchHi)-math.Log(sw.SearchLo)))
			} else {
				grid[i] = sw.SearchLo + f*(sw.SearchHi-sw.SearchLo)
			}
		}
		vals := make([]float64, len(grid))
		decs := make([]Portfolio, len(grid))
		for i, x := range grid {
			var err error
			if vals[i], err = npv(x); err != nil {
				return nil, err
			}
			if decs[i], err = dec(x); err != nil {
				return nil, err
			}
		}
		distance := func(x float64) float64 {
			if logScale {
				return math.Abs(math.Log(x / sw.Central))
			}
			return math.Abs(x - sw.Central)
		}
		bestZ, bestC := math.Inf(1), math.Inf(1)
		for i := 1; i < len(grid); i++ {
			lo, hi := grid[i-1], grid[i]
			if (vals[i-1] <= 0) != (vals[i] <= 0) {
				x, err := bisect(lo, hi, func(x float64) (bool, error) {
					v, err := npv(x)
					return (v <= 0) == (vals[i-1] <= 0), err
				})
				if err != nil {
					return nil, err
				}
				if dd := distance(x); dd < bestZ {
					bestZ, sw.NPVZero = dd, x
				}
			}
			if !slices.Equal(decs[i-1], decs[i]) {
				from := decs[i-1]
				x, err := bisect(lo, hi, func(x float64) (bool, error) {
					p, err := dec(x)
					return slices.Equal(p, from), err
				})
				if err != nil {
					return nil, err
				}
				if dd := distance(x); dd < bestC {
					bestC, sw.Change = dd, x
					// The new decision lies across the switch from the
					// central value.
					sw.OldDecision, sw.NewDecision = decs[i], decs[i-1]
					if sw.Central < x {
						sw.OldDecision, sw.NewDecision = decs[i-1], decs[i]
					}
				}
			}
		}
		if !math.IsNaN(sw.NPVZero) {
			// Polish: NPV is smooth in the input near its root.
			sw.NPVZero = secantPolish(sw.NPVZero, npv)
		}
		out = append(out, sw)
	}
	return out, nil
}

// switchEval evaluates, with one input fixed at x, the decision's
// closed-form NPV and the decider's choice, as npvOf and Decide on the
// model with the input fixed at x would.
type switchEval struct {
	base     *Model
	a        Appraisal
	decision Portfolio
	decide   Decider
	in       Input
	// trusted is set when the model with the input fixed at either end of
	// the search range validates, with the appraisal, and the decider is
	// this package's: then it validates with the input anywhere between
	// (each check on one fixed value is an interval: ≥ 0, ≤ a limit, in
	// [0, 1]; no check relates the input to another field), so each value
	// tried is fitted once, without validating again, for both the NPV
	// and the decision. Otherwise each call clones, validates and fits
	// afresh, reporting what Validate reports.
	trusted bool
	fd      fittedDecider
	// x, mm and f are the last value tried, its model and fit (trusted).
	x  float64
	mm *Model
	f  *fitted
}

func newSwitchEval(m *Model, a Appraisal, decision Portfolio, decide Decider, in Input, lo, hi float64) *switchEval {
	ev := &switchEval{base: m, a: a, decision: decision, decide: decide, in: in}
	if decide != nil {
		fd, ok := decide.(fittedDecider)
		if !ok {
			return ev
		}
		ev.fd = fd
	}
	ev.trusted = a.Validate() == nil && ev.fixed(lo).Validate() == nil && ev.fixed(hi).Validate() == nil
	return ev
}

// fixed returns a copy of the base model with the input fixed at x.
func (ev *switchEval) fixed(x float64) *Model {
	mm := cloneModel(ev.base)
	ev.in.set(mm, Fixed(x))
	return mm
}

// at returns the model with the input fixed at x and its fit (trusted).
func (ev *switchEval) at(x float64) (*Model, *fitted) {
	if ev.mm == nil || math.Float64bits(x) != math.Float64bits(ev.x) {
		ev.mm = ev.fixed(x)
		ev.f, ev.x = fit(ev.mm), x
	}
	return ev.mm, ev.f
}

// npv returns the decision's expected NPV with the input at x.
func (ev *switchEval) npv(x float64) (float64, error) {
	if !ev.trusted {
		return npvOf(ev.fixed(x), ev.a, ev.decision)
	}
	_, f := ev.at(x)
	return npvFitted(f, ev.a, ev.decision), nil
}

// dec returns the decider's choice with the input at x (nil without a
// decider).
func (ev *switchEval) dec(x float64) (Portfolio, error) {
	switch {
	case ev.decide == nil:
		return nil, nil
	case !ev.trusted:
		return ev.decide.Decide(ev.fixed(x))
	}
	mm, f := ev.at(x)
	return ev.fd.decideFitted(mm, f)
}

// bisect returns the point in [lo, hi] where same(x) turns false, same(lo)
// being true, to a relative 1e-12.
func bisect(lo, hi float64, same func(float64) (bool, error)) (float64, error) {
	for range 200 {
		if hi-lo <= 1e-12*math.Max(math.Abs(lo), math.Abs(hi)) || hi-lo < 1e-300 {
			break
		}
		mid := lo + (hi-lo)/2
		ok, err := same(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2, nil
}

// secantPolish takes a few secant steps from x towards the root of f,
// keeping the best point.
func secantPolish(x float64, f func(float64) (float64, error)) float64 {
	fx, err := f(x)
	if err != nil {
		return x
	}
	h := 1e-7 * math.Max(math.Abs(x), 1e-12)
	for range 5 {
		if fx == 0 {
			return x
		}
		fh, err := f(x + h)
		if err != nil || fh == fx {
			return x
		}
		nx := x - fx*h/(fh-fx)
		fn, err := f(nx)
		if err != nil || math.Abs(fn) >= math.Abs(fx) {
			return x
		}
		x, fx = nx, fn
	}
	return x
}

// VOI is the expected value of information about a decision among
// alternatives (and doing nothing), across outer draws.
type VOI struct {
	// Alternatives are the options weighed; doing nothing is always one.
	Alternatives []Portfolio
	// EVPI = E[max_a NPV_a] − max_a E[NPV_a]: what perfect knowledge of
	// every parameter would be worth, at most.
	EVPI float64
	// EVPPI holds each parameter's partial EVPI, largest first.
	EVPPI []InputValue
	// Best is the alternative with the greatest expected NPV.
	Best Portfolio
	// View is the view whose NPV the values are in (Social: with harm
	// avoided), and Draws the number of outer draws behind them.
	View  View
	Draws int
}

// InputValue is one input's EVPPI.
type InputValue struct {
	Input Input
	Value float64
	// SE is the estimate's standard error (the regression's posterior and
	// the outer draws' Monte Carlo error).
	SE float64
}

// ValueOfInformation computes EVPI and each parameter's EVPPI for choosing
// among alternatives (and doing nothing) by NPV in the appraisal's view
// (with harm avoided in the social view), on the draws of t, which must
// hold every alternative. Each draw's NPV is the expected NPV given the
// draw's parameters (exact, by the closed form; see DrawTable), so the
// year-to-year noise of a finite simulation does not pass for
// information. EVPPI is estimated by Strong, Oakley and Brennan's
// nonparametric regression (Medical Decision Making, 2014), each
// alternative's net benefit regressed on the input by a penalised cubic
// regression spline (see EVPPISpline), with its standard error. The harm
// inputs are weighed in the social view only: money alone does not depend
// on them.
func ValueOfInformation(t *DrawTable, a Appraisal, alternatives []Portfolio) (*VOI, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if t.Draws < 2 {
		return nil, errors.New("the value of information needs at least 2 outer draws")
	}
	options := append([]Portfolio{{}}, alternatives...)
	// npv[o][d]: alternative o's NPV given draw d.
	npv := make([][]float64, len(options))
	for o, port := range options {
		i := t.Option(port)
		if i < 0 {
			return nil, errors.New("model: the draw table lacks an alternative of the value of information")
		}
		npv[o] = t.NPVIn(i, a.View)
	}
	v := &VOI{Alternatives: alternatives, EVPI: EVPI(npv), View: Financial, Draws: t.Draws}
	if a.View == Social && t.SocialNPV != nil {
		v.View = Social
	}
	best, bestV := 0, math.Inf(-1)
	for o := range options {
		if m, _ := meanVar(npv[o]); m > bestV {
			best, bestV = o, m
		}
	}
	v.Best = options[best]
	rows := make([]InputValue, 0, len(t.Inputs))
	for _, in := range t.Inputs {
		if in.Ref.Kind == "harm" && v.View != Social {
			continue
		}
		rows = append(rows, InputValue{Input: in})
	}
	// The spline fits are independent: spread them over the cores, each
	// written to its own row.
	parallel(context.Background(), defaultWorkers(), len(rows), func(k int) {
		i := t.Input(rows[k].Input.Ref)
		pv := EVPPISpline(t.Values[i], npv)
		rows[k].Value, rows[k].SE = pv.Value, pv.SE
	})
	v.EVPPI = rows
	slices.SortStableFunc(v.EVPPI, func(x, y InputValue) int {
		if c := cmp.Compare(y.Value, x.Value); c != 0 {
			return c
		}
		return strings.Compare(x.Input.Name(), y.Input.Name())
	})
	return v, nil
}

// EVPI returns E_d[max_a npv[a][d]] − max_a E_d[npv[a][d]], computed as
// E_d[max_a npv[a][d] − npv[a*][d]] with a* the alternative of greatest
// mean, a mean of non-negative terms, so that it is never negative even in
// rounding. On the decision's draws, whose means are the exact expected
// NPVs (moment matched; see DrawTable), it is E[max_a NB_a] − max_a E[NB_a]
// with the second term the closed form.
func EVPI(npv [][]float64) float64 {
	D := len(npv[0])
	best, bestV := 0, math.Inf(-1)
	for a := range npv {
		if m := exactMean(npv[a]); m > bestV {
			best, bestV = a, m
		}
	}
	var sum float64
	for d := range D {
		m := npv[best][d]
		for a := range npv {
			m = math.Max(m, npv[a][d])
		}
		sum += m - npv[best][d]
	}
	return sum / float64(D)
}

// EVPPIBinned returns the partial EVPI of the input whose per-draw values
// are theta, by averaging each alternative's NPV within √D bins of draws
// ordered by theta.
func EVPPIBinned(theta []float64, npv [][]float64) float64 {
	D := len(theta)
	order := make([]int, D)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(theta[a], theta[b]) })
	bins := max(int(math.Round(math.Sqrt(float64(D)))), 1)
	var withInfo float64
	for b := range bins {
		lo, hi := b*D/bins, (b+1)*D/bins
		m := math.Inf(-1)
		for a := range npv {
			var s float64
			for _, d := range order[lo:hi] {
				s += npv[a][d]
			}
			m = math.Max(m, s/float64(hi-lo))
		}
		withInfo += m * float64(hi-lo)
	}
	withInfo /= float64(D)
	without := math.Inf(-1)
	for a := range npv {
		mean, _ := meanVar(npv[a])
		without = math.Max(without, mean)
	}
	return max(withInfo-without, 0)
}

// Sensitivity gathers a decision's tornado, switching values and value of
// information.
type Sensitivity struct {
	// Decision is the portfolio whose NPV is analysed; DecisionName says
	// what it is ("best single control", "chosen portfolio").
	Decision     Portfolio
	DecisionName string
	Tornado      *Tornado
	Switches     []Switch
	VOI          *VOI
}

// SensitivityOptions set a sensitivity analysis.
type SensitivityOptions struct {
	// Decision is the portfolio analysed and Name what it is ("the
	// recommended portfolio", "the best single control").
	Decision Portfolio
	Name     string
	// Decide picks the decision in a changed model, for the switching
	// values of the Top inputs of the tornado.
	Decide Decider
	Top    int
	// Alternatives are the portfolios the value of information chooses
	// among.
	Alternatives []Portfolio
	// Progress, when set, is called after each step: the tornado, each
	// input's switching value, the value of information.
	Progress func(done, total int)
}

// AnalyseSensitivity runs the sensitivity analysis of o.Decision: the
// tornado over every input, switching values for the top inputs of the
// tornado, and the value of information of choosing among the
// alternatives on the outer draws of t (a table of m).
func AnalyseSensitivity(m *Model, t *DrawTable, a Appraisal, o SensitivityOptions) (*Sensitivity, error) {
	decision, top := o.Decision, o.Top
	tn, err := TornadoAnalysis(m, a, decision)
	if err != nil {
		return nil, err
	}
	var ins []Input
	for _, b := range tn.Bars[:min(top, len(tn.Bars))] {
		ins = append(ins, b.Input)
	}
	steps := len(ins) + 2
	step := func(done int) {
		if o.Progress != nil {
			o.Progress(done, steps)
		}
	}
	step(1)
	var sws []Switch
	for i, in := range ins {
		sw, err := SwitchingValues(m, a, decision, o.Decide, []Input{in})
		if err != nil {
			return nil, err
		}
		sws = append(sws, sw...)
		step(2 + i)
	}
	voi, err := ValueOfInformation(t, a, o.Alternatives)
	if err != nil {
		return nil, err
	}
	step(steps)
	return &Sensitivity{Decision: slices.Clone(decision), DecisionName: o.Name, Tornado: tn, Switches: sws, VOI: voi}, nil
}
