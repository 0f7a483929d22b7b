package model

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// This file holds the views a health-economics reviewer (BCEA, dampack,
// SAVI, NICE's reference case) reads first, for the social view: the
// cost-effectiveness plane, acceptability curves and frontier, the ICER
// table and the value of information by regression.
//
// Costs and effects are separate. In outer draw d, option a (a portfolio of
// controls) has
//
//	C_a,d = EAC_a,d − ΔALE_a,d            net cost a year: its equivalent
//	                                      annual cost less the money loss
//	                                      it avoids
//	Q_a,d = ΔQALY_a,d                     QALYs gained a year
//
// each the expectation given the draw's parameters (closed form, as the
// value of information uses: the year-to-year chance of a finite
// simulation would otherwise pass for parameter uncertainty). Over the
// horizon, money is discounted at the appraisal's rate and QALYs at the
// health rate, so with A = Σ_{y=1..H} DF(y) and A_h = Σ DF_health(y) the
// net benefit at a value λ per QALY is
//
//	NB_a,d(λ) = λ·A_h·Q_a,d − A·C_a,d,
//
// which at the Green Book value v is the social NPV. Doing nothing has
// C = Q = NB = 0.

// Thresholds of NICE's reference case, £ per QALY, as stated (not
// restated in any price year).
const (
	NICELow  = 20_000
	NICEHigh = 30_000
)

// HealthOption is one option of the health-economic views: doing nothing,
// a control alone, or a portfolio.
type HealthOption struct {
	// Name is "Do nothing", a control's ID, or a portfolio's name;
	// Label describes it (a control's name, a portfolio's controls).
	Name  string `json:"name"`
	Label string `json:"label"`
	// Controls are its controls' IDs.
	Controls  []string  `json:"controls"`
	Portfolio Portfolio `json:"-"`
	// CostPerYear[d] is C_d, the net cost a year in outer draw d;
	// QALYsPerYear[d] is Q_d, the QALYs gained a year.
	CostPerYear  []float64 `json:"cost_per_year"`
	QALYsPerYear []float64 `json:"qalys_per_year"`
	// Cost and QALYs are their means with 90% intervals across draws.
	Cost  Interval `json:"cost"`
	QALYs Interval `json:"qalys"`
	// PVCost = A·mean C and PVQALYs = A_h·mean Q are over the horizon,
	// discounted.
	PVCost  float64 `json:"pv_cost"`
	PVQALYs float64 `json:"pv_qalys"`
	// NetBenefit is NB at the value per QALY over the horizon (the social
	// NPV), with its 90% interval; PCostEffective the share of draws in
	// which it is positive.
	NetBenefit     Interval `json:"net_benefit"`
	PCostEffective float64  `json:"p_cost_effective"`
}

// Status is an option's standing in an ICER table (dampack's
// convention).
type Status string

// The statuses.
const (
	// NonDominated options lie on the cost-effectiveness frontier.
	NonDominated Status = "ND"
	// Dominated options cost more than another and gain no more.
	Dominated Status = "D"
	// ExtendedlyDominated options are beaten by a mix of two others: their
	// ICER exceeds that of the next dearer option on the frontier.
	ExtendedlyDominated Status = "ED"
)

// Number is a float64 written to JSON as null when not finite.
type Number float64

// MarshalJSON writes the number, or null.
func (x Number) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// ICERRow is one option in an ICER table.
type ICERRow struct {
	// Option indexes the options given to ICERs.
	Option int    `json:"-"`
	Name   string `json:"name"`
	// Cost and Effect are the option's (mean) cost and effect.
	Cost   float64 `json:"cost"`
	Effect float64 `json:"effect"`
	// IncCost and IncEffect are against the next cheaper non-dominated
	// option, and ICER = IncCost/IncEffect; NaN for the cheapest
	// non-dominated option (the reference) and for dominated ones.
	IncCost   Number `json:"inc_cost"`
	IncEffect Number `json:"inc_effect"`
	ICER      Number `json:"icer"`
	Status    Status `json:"status"`
}

// ICERs returns the ICER table of options with the given costs and
// effects, by dampack's calculate_icers: options sorted by cost (then by
// effect, greatest first); an option is dominated when a cheaper (or
// equally cheap and listed earlier) option has at least its effect; then,
// repeatedly until none is found, a non-dominated option whose ICER
// exceeds the next dearer non-dominated option's is extendedly dominated.
// ICERs are against the next cheaper non-dominated option. Rows come back
// as dampack orders them: non-dominated by cost, then extendedly
// dominated, then dominated, each by cost.
func ICERs(names []string, cost, effect []float64) []ICERRow {
	n := len(names)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(cost[a], cost[b]); c != 0 {
			return c
		}
		return cmp.Compare(effect[b], effect[a])
	})
	status := make([]Status, n)
	for i := range status {
		status[i] = NonDominated
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			if effect[order[j]] <= effect[order[i]] {
				status[order[j]] = Dominated
			}
		}
	}
	nd := func() []int {
		var out []int
		for _, o := range order {
			if status[o] == NonDominated {
				out = append(out, o)
			}
		}
		return out
	}
	icer := func(prev, o int) float64 { return (cost[o] - cost[prev]) / (effect[o] - effect[prev]) }
	for {
		f := nd()
		if len(f) <= 2 {
			break
		}
		found := false
		for i := 1; i < len(f)-1; i++ {
			if icer(f[i-1], f[i]) > icer(f[i], f[i+1]) {
				status[f[i]] = ExtendedlyDominated
				found = true
			}
		}
		if !found {
			break
		}
	}
	nan := Number(math.NaN())
	var rows []ICERRow
	f := nd()
	for i, o := range f {
		r := ICERRow{Option: o, Name: names[o], Cost: cost[o], Effect: effect[o], Status: NonDominated, IncCost: nan, IncEffect: nan, ICER: nan}
		if i > 0 {
			p := f[i-1]
			r.IncCost, r.IncEffect = Number(cost[o]-cost[p]), Number(effect[o]-effect[p])
			r.ICER = Number(icer(p, o))
		}
		rows = append(rows, r)
	}
	for _, st := range []Status{ExtendedlyDominated, Dominated} {
		for _, o := range order {
			if status[o] == st {
				rows = append(rows, ICERRow{Option: o, Name: names[o], Cost: cost[o], Effect: effect[o], Status: st, IncCost: nan, IncEffect: nan, ICER: nan})
			}
		}
	}
	return rows
}

// Acceptability is the cost-effectiveness acceptability curves and
// frontier over a grid of values per QALY, with the EVPI at each.
type Acceptability struct {
	// ValuePerQALY is the grid, £ per QALY.
	ValuePerQALY []float64 `json:"value_per_qaly"`
	// Prob[a][i] is the share of outer draws in which option a has the
	// greatest net benefit at ValuePerQALY[i] (ties to the earlier
	// option): for each i, the options' shares sum to 1.
	Prob [][]float64 `json:"probability_best"`
	// Frontier[i] is the option with the greatest expected net benefit at
	// ValuePerQALY[i], and FrontierProb[i] its probability of being best:
	// the cost-effectiveness acceptability frontier (Fenwick et al. 2001).
	Frontier     []int     `json:"frontier_option"`
	FrontierProb []float64 `json:"frontier_probability"`
	// EVPI[i] is the expected value of perfect information at
	// ValuePerQALY[i] over the horizon, E max_a NB_a − max_a E NB_a;
	// EVPIPerYear[i] = EVPI[i]/A, its equivalent a year.
	EVPI        []float64 `json:"evpi"`
	EVPIPerYear []float64 `json:"evpi_per_year"`
}

// PartialRow is the EVPPI of one input or group of inputs at the value per
// QALY, over the horizon, with its standard error, and a year.
type PartialRow struct {
	// Name is the input's or group's name in full, Label a short form
	// with IDs for figures, e.g. "S3: events a year".
	Name  string `json:"name"`
	Label string `json:"label"`
	// Inputs names the inputs in the group (one for a single input).
	Inputs []string `json:"inputs"`
	Group  bool     `json:"group"`
	PartialValue
	// PerYear and PerYearSE are Value and SE divided by A, the discounted
	// years of the horizon.
	PerYear   float64 `json:"per_year"`
	PerYearSE float64 `json:"per_year_se"`
}

// BudgetAcceptability is, at each budget of the efficient frontier, the
// probability that each of the frontier's portfolios affordable within it
// is best, at the value per QALY.
type BudgetAcceptability struct {
	// Kind is the kind of budget; Budgets the grid.
	Kind    BudgetKind `json:"-"`
	Budgets []float64  `json:"budgets"`
	// Portfolios are the frontier's distinct portfolios, doing nothing
	// first, and Cost each one's expected cost of the budget's kind.
	Portfolios []HealthOption `json:"portfolios"`
	Cost       []float64      `json:"budget_cost"`
	// Prob[p][b] is the share of draws in which portfolio p has the
	// greatest net benefit among those costing no more than Budgets[b] (0
	// when it costs more).
	Prob [][]float64 `json:"probability_best"`
	// Frontier[b] is the frontier's portfolio at Budgets[b] (the
	// optimiser's choice), FrontierProb[b] its probability of being best.
	Frontier     []int     `json:"frontier_portfolio"`
	FrontierProb []float64 `json:"frontier_probability"`
}

// HealthEconomics is the health-economic appraisal of the social view.
type HealthEconomics struct {
	// ValuePerQALY is v, the value of a QALY the social view uses, in the
	// dataset's prices; NICE's thresholds are NICELow and NICEHigh.
	ValuePerQALY float64    `json:"value_per_qaly"`
	NICE         [2]float64 `json:"nice_thresholds"`
	// Horizon, and A and A_h: the discounted years of money and of health.
	Horizon       int     `json:"horizon"`
	Annuity       float64 `json:"annuity"`
	HealthAnnuity float64 `json:"health_annuity"`
	Draws         int     `json:"draws"`
	// Options: doing nothing, each control alone, and the recommended
	// portfolio (when it holds more than one control).
	Options []HealthOption `json:"options"`
	// ICERs is the ICER table on mean PV costs and PV QALYs.
	ICERs []ICERRow `json:"icers"`
	// Acceptability spans £0 to £100,000 per QALY in steps of £1,000.
	Acceptability Acceptability `json:"acceptability"`
	// EVPI is at ValuePerQALY, over the horizon; EVPIPerYear = EVPI/A.
	EVPI        float64 `json:"evpi"`
	EVPIPerYear float64 `json:"evpi_per_year"`
	// Partial holds the EVPPI of each input and group at ValuePerQALY,
	// largest first.
	Partial []PartialRow `json:"evppi"`
	// Budget is set when the run has an efficient frontier.
	Budget *BudgetAcceptability `json:"budget,omitempty"`
}

// wtpGrid is the acceptability curves' grid: £0 to £100,000 per QALY in
// steps of £1,000.
func wtpGrid() []float64 {
	g := make([]float64, 101)
	for i := range g {
		g[i] = 1000 * float64(i)
	}
	return g
}

// conditional returns, for each option and outer draw of t, the net cost
// a year C and QALYs gained a year Q, each its expectation given the
// draw's parameters (the table's columns), and the value per QALY v.
func conditional(t *DrawTable, m *Model, a Appraisal, options []Portfolio) (cost, qaly [][]float64, v float64, err error) {
	// When the table lacks an option (a frontier from another analysis),
	// the options are tabulated afresh on the same draws: the same
	// parameters, draw by draw.
	if slices.ContainsFunc(options, func(p Portfolio) bool { return t.Option(p) < 0 }) {
		if t, err = newDrawTable(context.Background(), m, a, append([]Portfolio{{}}, options...), t.Draws, t.Seed, 0); err != nil {
			return nil, nil, 0, err
		}
	}
	cost, qaly = make([][]float64, len(options)), make([][]float64, len(options))
	for i, p := range options {
		o := t.Option(p)
		if o < 0 {
			return nil, nil, 0, errors.New("model: the draw table lacks an option of the health-economic views")
		}
		cost[i], qaly[i] = make([]float64, t.Draws), make([]float64, t.Draws)
		for d := range t.Draws {
			cost[i][d] = t.DecisionPVCost[o][d]/t.Annuity - t.DeltaALE[o][d]
			qaly[i][d] = t.DeltaQALYs[o][d]
		}
	}
	return cost, qaly, t.ValuePerQALY, nil
}

// netBenefit returns NB_d(λ) = λ·A_h·Q_d − A·C_d for each draw, into dst.
func (he *HealthEconomics) netBenefit(dst []float64, o *HealthOption, lambda float64) []float64 {
	if len(dst) != len(o.CostPerYear) {
		dst = make([]float64, len(o.CostPerYear))
	}
	for d := range dst {
		dst[d] = lambda*he.HealthAnnuity*o.QALYsPerYear[d] - he.Annuity*o.CostPerYear[d]
	}
	return dst
}

// NetBenefits returns each option's net benefit in each draw at lambda
// per QALY, over the horizon.
func (he *HealthEconomics) NetBenefits(lambda float64) [][]float64 {
	nb := make([][]float64, len(he.Options))
	for a := range he.Options {
		nb[a] = he.netBenefit(nil, &he.Options[a], lambda)
	}
	return nb
}

// probBest returns, for net benefits nb[a][d], the share of draws in which
// each option is best (ties to the earlier option) and the option with the
// greatest mean.
func probBest(nb [][]float64) (prob []float64, best int) {
	D := len(nb[0])
	prob = make([]float64, len(nb))
	for d := range D {
		b := 0
		for a := 1; a < len(nb); a++ {
			if nb[a][d] > nb[b][d] {
				b = a
			}
		}
		prob[b]++
	}
	bestMean := math.Inf(-1)
	for a := range nb {
		prob[a] /= float64(D)
		if m, _ := meanVar(nb[a]); m > bestMean {
			best, bestMean = a, m
		}
	}
	return prob, best
}

// AnalyseHealthEconomics builds the health-economic views of a social-view
// analysis: options doing nothing, each control alone and the recommended
// portfolio; and, when pa has an efficient frontier, the probability that
// each of its portfolios is best at each budget. The EVPPI of each input
// (and of the patient-harm parameters) is by penalised regression spline,
// of each group of inputs (everything about a threat, all control effects,
// all control costs, the outage cost rates and intensities) by
// Gaussian-process regression (see EVPPISpline and EVPPIGP).
func AnalyseHealthEconomics(an *Analysis, pa *PortfolioAnalysis) (*HealthEconomics, error) {
	s := an.Sim
	m := s.Model
	if m.Harm == nil {
		return nil, errors.New("the health-economic views need the social view (patient harm inputs)")
	}
	if s.Draws < 2 {
		return nil, errors.New("the health-economic views need at least 2 outer draws")
	}
	a := an.Appraisal
	_, annuity, _ := a.presentValues(m)
	he := &HealthEconomics{
		NICE: [2]float64{NICELow, NICEHigh}, Horizon: a.Horizon,
		Annuity: annuity, HealthAnnuity: a.healthAnnuity(), Draws: s.Draws,
	}
	ports := []Portfolio{{}}
	he.Options = append(he.Options, HealthOption{Name: "Do nothing", Label: "no new controls", Controls: []string{}})
	for c, ctl := range m.Controls {
		ports = append(ports, Portfolio{c})
		he.Options = append(he.Options, HealthOption{Name: ctl.ID, Label: ctl.Name, Controls: []string{ctl.ID}, Portfolio: Portfolio{c}})
	}
	if an.Recommended != nil && len(an.Recommended.Portfolio) > 1 {
		p := slices.Clone(an.Recommended.Portfolio)
		ports = append(ports, p)
		he.Options = append(he.Options, HealthOption{
			Name: "Recommended portfolio", Label: strings.Join(an.Recommended.Controls, "+"),
			Controls: slices.Clone(an.Recommended.Controls), Portfolio: p,
		})
	}
	t := an.Table
	if t == nil || t.QALYs == nil {
		return nil, errors.New("model: the analysis has no draw table with harm")
	}
	he.Draws = t.Draws
	cost, qaly, v, err := conditional(t, m, a, ports)
	if err != nil {
		return nil, err
	}
	he.ValuePerQALY = v
	he.fillOptions(he.Options, cost, qaly)
	names := make([]string, len(he.Options))
	pvc, pvq := make([]float64, len(he.Options)), make([]float64, len(he.Options))
	for i, o := range he.Options {
		names[i], pvc[i], pvq[i] = o.Name, o.PVCost, o.PVQALYs
	}
	he.ICERs = ICERs(names, pvc, pvq)
	he.acceptability()
	nb := he.NetBenefits(v)
	he.EVPI = EVPI(nb)
	he.EVPIPerYear = he.EVPI / annuity
	he.partial(m, t, nb)
	if pa != nil && len(pa.Frontier) > 0 {
		if err := he.budget(t, m, a, pa); err != nil {
			return nil, err
		}
	}
	return he, nil
}

// fillOptions sets the options' per-draw values and summaries.
func (he *HealthEconomics) fillOptions(opts []HealthOption, cost, qaly [][]float64) {
	for i := range opts {
		o := &opts[i]
		o.CostPerYear, o.QALYsPerYear = cost[i], qaly[i]
		o.Cost, o.QALYs = interval(cost[i]), interval(qaly[i])
		o.PVCost, o.PVQALYs = he.Annuity*o.Cost.Mean, he.HealthAnnuity*o.QALYs.Mean
		nb := he.netBenefit(nil, o, he.ValuePerQALY)
		o.NetBenefit = interval(nb)
		for _, x := range nb {
			if x > 0 {
				o.PCostEffective++
			}
		}
		o.PCostEffective /= float64(len(nb))
	}
}

// acceptability fills the acceptability curves, frontier and EVPI curve.
func (he *HealthEconomics) acceptability() {
	ac := &he.Acceptability
	ac.ValuePerQALY = wtpGrid()
	ac.Prob = make([][]float64, len(he.Options))
	for a := range ac.Prob {
		ac.Prob[a] = make([]float64, len(ac.ValuePerQALY))
	}
	nb := make([][]float64, len(he.Options))
	for i, l := range ac.ValuePerQALY {
		for a := range he.Options {
			nb[a] = he.netBenefit(nb[a], &he.Options[a], l)
		}
		prob, best := probBest(nb)
		for a, p := range prob {
			ac.Prob[a][i] = p
		}
		ac.Frontier = append(ac.Frontier, best)
		ac.FrontierProb = append(ac.FrontierProb, prob[best])
		e := EVPI(nb)
		ac.EVPI = append(ac.EVPI, e)
		ac.EVPIPerYear = append(ac.EVPIPerYear, e/he.Annuity)
	}
}

// partial fills the EVPPI of each input and group at the value per QALY,
// on the inputs' values in the table's draws (the harm parameters among
// them: net benefit at the value per QALY counts harm).
func (he *HealthEconomics) partial(m *Model, t *DrawTable, nb [][]float64) {
	type series struct {
		name, label string
		ref         InputRef
		theta       []float64
	}
	short := func(in Input) string {
		switch in.Ref.Kind {
		case "threat", "control":
			return in.Ref.ID + ": " + in.Field
		case "effect":
			return in.Ref.ID + " against " + in.Ref.Threat + ": " + in.Field
		}
		return in.Name()
	}
	var all []series
	for i, in := range t.Inputs {
		all = append(all, series{name: in.Name(), label: short(in), ref: in.Ref, theta: t.Values[i]})
	}
	singles := make([]PartialRow, len(all))
	parallel(context.Background(), defaultWorkers(), len(all), func(k int) {
		sr := all[k]
		singles[k] = PartialRow{Name: sr.name, Label: sr.label, Inputs: []string{sr.name}, PartialValue: EVPPISpline(sr.theta, nb)}
	})
	he.Partial = append(he.Partial, singles...)
	type group struct {
		name, label string
		in          func(InputRef) bool
	}
	var groups []group
	for _, t := range m.Threats {
		id := t.ID
		groups = append(groups, group{"Everything about " + named(t.Name, id), "Everything about " + id, func(r InputRef) bool {
			return (r.Kind == "threat" && r.ID == id) || (r.Kind == "effect" && r.Threat == id)
		}})
	}
	groups = append(groups,
		group{"All control effects", "All control effects", func(r InputRef) bool { return r.Kind == "effect" }},
		group{"All control costs", "All control costs", func(r InputRef) bool { return r.Kind == "control" }},
		group{"Outage cost rates and threat intensities", "Cost rates and intensities", func(r InputRef) bool {
			return r.Kind == "rates" || (r.Kind == "threat" && (r.Key == "k_daily" || r.Key == "k_recovery"))
		}},
		group{"Patient harm", "Patient harm", func(r InputRef) bool { return r.Kind == "harm" }},
	)
	type groupRow struct {
		theta [][]float64
		row   PartialRow
	}
	var rows []groupRow
	for _, g := range groups {
		var theta [][]float64
		var ins []string
		for _, sr := range all {
			if g.in(sr.ref) {
				theta = append(theta, sr.theta)
				ins = append(ins, sr.name)
			}
		}
		if len(theta) < 2 {
			continue
		}
		rows = append(rows, groupRow{theta: theta, row: PartialRow{Name: g.name, Label: g.label, Inputs: ins, Group: true}})
	}
	// The regressions are independent: spread them over the cores.
	parallel(context.Background(), defaultWorkers(), len(rows), func(k int) {
		rows[k].row.PartialValue = EVPPIGP(rows[k].theta, nb)
	})
	for _, r := range rows {
		he.Partial = append(he.Partial, r.row)
	}
	for i := range he.Partial {
		r := &he.Partial[i]
		r.PerYear, r.PerYearSE = r.Value/he.Annuity, r.SE/he.Annuity
	}
	slices.SortStableFunc(he.Partial, func(x, y PartialRow) int {
		if c := cmp.Compare(y.Value, x.Value); c != 0 {
			return c
		}
		return strings.Compare(x.Name, y.Name)
	})
}

// budget fills the probability that each of the frontier's portfolios is
// best at each budget.
func (he *HealthEconomics) budget(t *DrawTable, m *Model, a Appraisal, pa *PortfolioAnalysis) error {
	ba := &BudgetAcceptability{Kind: pa.FrontierKind}
	ports := []Portfolio{{}}
	ba.Portfolios = []HealthOption{{Name: "Do nothing", Label: "no new controls", Controls: []string{}}}
	ba.Cost = []float64{0}
	index := func(ch Choice) int {
		for i, p := range ports {
			if slices.Equal(p, ch.Portfolio) {
				return i
			}
		}
		ports = append(ports, slices.Clone(ch.Portfolio))
		name := fmt.Sprintf("P%d", len(ports)-1)
		ba.Portfolios = append(ba.Portfolios, HealthOption{
			Name: name, Label: strings.Join(ch.Controls, "+"), Controls: slices.Clone(ch.Controls), Portfolio: slices.Clone(ch.Portfolio),
		})
		c := ch.Annual
		if pa.FrontierKind == CapexBudget {
			c = ch.Capex
		}
		ba.Cost = append(ba.Cost, c)
		return len(ports) - 1
	}
	for _, fp := range pa.Frontier {
		ba.Budgets = append(ba.Budgets, fp.Budget)
		ba.Frontier = append(ba.Frontier, index(fp.Choice))
	}
	cost, qaly, _, err := conditional(t, m, a, ports)
	if err != nil {
		return err
	}
	he.fillOptions(ba.Portfolios, cost, qaly)
	nb := make([][]float64, len(ports))
	for p := range ports {
		nb[p] = he.netBenefit(nil, &ba.Portfolios[p], he.ValuePerQALY)
	}
	ba.Prob = make([][]float64, len(ports))
	for p := range ba.Prob {
		ba.Prob[p] = make([]float64, len(ba.Budgets))
	}
	for b, budget := range ba.Budgets {
		var feasible []int
		for p := range ports {
			// The frontier's own choice always fits its budget.
			if ba.Cost[p] <= budget*(1+1e-9) || p == ba.Frontier[b] {
				feasible = append(feasible, p)
			}
		}
		sub := make([][]float64, len(feasible))
		for i, p := range feasible {
			sub[i] = nb[p]
		}
		prob, _ := probBest(sub)
		for i, p := range feasible {
			ba.Prob[p][b] = prob[i]
		}
		ba.FrontierProb = append(ba.FrontierProb, ba.Prob[ba.Frontier[b]][b])
	}
	he.Budget = ba
	return nil
}
