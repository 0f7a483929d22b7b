package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Plan says in which year each control starts: Start[c] is control c's
// start year (1 is the appraisal's first year), 0 for never. A control
// started in year s pays its capex at the start of year s and again at
// each end of its lifetime inside the horizon, its opex in every year
// from s, and acts from year s with the weight its rollout and decay give
// (Control.Weight).
type Plan struct {
	Start []int
}

// Portfolio returns the controls the plan starts at all.
func (p Plan) Portfolio() Portfolio {
	var out Portfolio
	for c, s := range p.Start {
		if s > 0 {
			out = append(out, c)
		}
	}
	return out
}

// PlanBudgetKind says what a year's budget caps.
type PlanBudgetKind int

// The kinds of yearly budget.
const (
	// PlanBoth caps the year's capital and running spend together.
	PlanBoth PlanBudgetKind = iota
	// PlanCapital caps the capital paid in the year: capex in start and
	// renewal years.
	PlanCapital
	// PlanRunning caps the year's operating costs.
	PlanRunning
	// PlanAnnual caps the equivalent annual cost of the controls running
	// in the year (capex and renewals annuitised over the horizon, plus
	// opex), the measure of today's single budget (AnnualBudget).
	PlanAnnual
)

var planKindNames = []string{"both", "capital", "running", "annual"}

// String returns the kind's name as ParsePlanBudgetKind accepts it.
func (k PlanBudgetKind) String() string { return planKindNames[k] }

// ParsePlanBudgetKind returns the kind named s: both, capital, running or
// annual.
func ParsePlanBudgetKind(s string) (PlanBudgetKind, error) {
	for i, n := range planKindNames {
		if n == s {
			return PlanBudgetKind(i), nil
		}
	}
	return 0, &UnknownError{What: "yearly budget kind", Got: s, Want: planKindNames, Hint: "both, capital, running or annual"}
}

// YearBudgets are the yearly budgets of a phased plan: Amounts[i] caps the
// spend of year i+1 of the appraisal (Labels[i] names it, e.g. 2026-27).
// Controls can start only in these years; after the last, the plan's
// controls run on as started (their renewals and opex counted in its NPV,
// against no budget).
type YearBudgets struct {
	Labels  []string
	Amounts []float64
	Kind    PlanBudgetKind
}

// Validate returns every problem with the budgets for a horizon.
func (b YearBudgets) Validate(horizon int) error {
	var errs []error
	if len(b.Amounts) == 0 {
		errs = append(errs, errors.New("at least one year's budget is needed"))
	}
	if len(b.Labels) != len(b.Amounts) {
		errs = append(errs, fmt.Errorf("%d labels for %d budgets", len(b.Labels), len(b.Amounts)))
	}
	if len(b.Amounts) > horizon {
		errs = append(errs, fmt.Errorf("%d years of budgets, more than the horizon of %d years", len(b.Amounts), horizon))
	}
	for i, a := range b.Amounts {
		if !(a >= 0) || math.IsInf(a, 0) || a > MaxAmount {
			errs = append(errs, fmt.Errorf("year %d: must be an amount from 0 to %g, got %g", i+1, float64(MaxAmount), a))
		}
	}
	if b.Kind < PlanBoth || b.Kind > PlanAnnual {
		errs = append(errs, fmt.Errorf("unknown kind %d", b.Kind))
	}
	return errors.Join(errs...)
}

// planThreat holds a threat's closed-form constants.
type planThreat struct {
	// rate is E[λ]; es E[min(S,orgs)]; dur E[D]; kdcd E[k_d]·E[c_d];
	// krcr E[k_r]·E[c_r]; fixed E[F]; harm E[min(k_d/k_full,1)]·E[h]·E[q]·v
	// (0 without harm or outside the social view).
	rate, es, dur, kd, cd, kr, cr, fixed, share, hqv float64
	// g[y−1] is E[(1+g)^(y−1)].
	g []float64
}

// planEffect is one of a control's expected reductions.
type planEffect struct {
	t          int
	f, s, d, F float64
}

// Planner finds and evaluates phased plans of one model under one
// appraisal and set of yearly budgets, by the exact closed forms of year
// y's expected loss:
//
//	ALE_t(y) = E[λ_t]·E[(1+g_t)^(y−1)]·m_f·(E[min(S,orgs)]·m_s·(E[D]·m_d·E[k_d]·E[c_d] + E[k_r]·E[c_r]) + E[F]·m_F)
//	m_x = Π_c (1 − φ_c(y)·E[r_x,c])
//
// and the plan's NPV
//
//	NPV = Σ_y DF(y)·(ALE(y | none) − ALE(y | plan)) − Σ_c PV(costs of c from its start)
//
// with, in the social view, the patient harm avoided discounted at the
// health rate beside it.
type Planner struct {
	m       *Model
	a       Appraisal
	b       YearBudgets
	H, Y    int
	df, hdf []float64
	social  bool
	threats []planThreat
	effects [][]planEffect
	touches [][]int // threats each control affects
	costs   []ExpectedCost
	// phi[c][s−1][y−1] is control c's weight in year y when it starts in s.
	phi [][][]float64
	// spend[c][s−1][y−1] is control c's spend counted against year y's
	// budget when it starts in s (y ≤ Y).
	spend [][][]float64
	// costPV[c][s−1] is the present value of control c's costs from s.
	costPV [][]float64
	// base[y−1] is the baseline's year-y loss (money, and harm weighted
	// as the NPV counts it), the NPV's reference.
	baseALE, baseHarm []float64
	// static: no trend and every control immediate and lasting, so a plan
	// starting its controls in year 1 is a static portfolio.
	static   bool
	op       *Optimiser
	group    []int
	requires [][]int
	// Progress, when set, is called now and then during a search with
	// the nodes visited and the most the search may visit.
	Progress func(done, total int)
	// nodes, when positive, replaces planNodes (tests).
	nodes int
}

// planNodes is the node budget of one plan search: a search that spends
// it returns the best plan found, NOT proven best. It counts nodes, not
// seconds, so the result is the same on any machine.
const planNodes = 2_000_000

// NewPlanner prepares the closed forms, each control's weights, costs and
// spend by start year.
func NewPlanner(m *Model, a Appraisal, b YearBudgets) (*Planner, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := b.Validate(a.Horizon); err != nil {
		return nil, fmt.Errorf("budget plan: %w", err)
	}
	op, err := NewOptimiser(m, a, MaxNPV, nil)
	if err != nil {
		return nil, err
	}
	f := fit(m)
	H, Y := a.Horizon, len(b.Amounts)
	p := &Planner{m: m, a: a, b: b, H: H, Y: Y, op: op, group: op.group, requires: op.requires, static: true}
	p.df = a.Discount.Factors(H)
	hd := a.HealthDiscount
	if len(hd) == 0 {
		hd = GreenBookHealth()
	}
	p.hdf = hd.Factors(H)
	p.social = a.View == Social && f.harm != nil
	for t, td := range f.threats {
		pt := planThreat{
			rate: td.rate.Mean(), es: td.spread.CappedMoment(1, m.Orgs), dur: td.duration.Mean(),
			kd: td.kd.Mean(), cd: f.daily.Mean(), kr: td.kr.Mean(), cr: f.recovery.Mean(), fixed: td.fixed.Mean(),
			g: make([]float64, H),
		}
		if p.social {
			pt.share = fullShare(td.kd, f.harm.kfull)
			pt.hqv = f.harm.deaths.Mean() * f.harm.qalys.Mean() * f.harm.value
		}
		for y := 1; y <= H; y++ {
			pt.g[y-1] = m.Threats[t].RateFactor(y)
		}
		if m.Threats[t].Trend != (Estimate{}) {
			p.static = false
		}
		p.threats = append(p.threats, pt)
	}
	p.costs = expectedCosts(f, a)
	n := len(m.Controls)
	p.effects, p.touches = make([][]planEffect, n), make([][]int, n)
	p.phi, p.spend, p.costPV = make([][][]float64, n), make([][][]float64, n), make([][]float64, n)
	for c, ctl := range m.Controls {
		if !ctl.Timeless() {
			p.static = false
		}
		for _, e := range f.controls[c].effects {
			p.effects[c] = append(p.effects[c], planEffect{t: e.threat, f: e.freq.Mean(), s: e.spread.Mean(), d: e.dur.Mean(), F: e.fixed.Mean()})
			p.touches[c] = append(p.touches[c], e.threat)
		}
		p.phi[c], p.spend[c], p.costPV[c] = make([][]float64, Y), make([][]float64, Y), make([]float64, Y)
		for s := 1; s <= Y; s++ {
			phi := make([]float64, H)
			for y := s; y <= H; y++ {
				phi[y-1] = ctl.Weight(s, y)
			}
			p.phi[c][s-1] = phi
			p.spend[c][s-1] = p.spendFrom(c, s)
			p.costPV[c][s-1] = p.costFrom(c, s)
		}
	}
	p.baseALE, p.baseHarm = make([]float64, H), make([]float64, H)
	for y := 1; y <= H; y++ {
		for t := range p.threats {
			ale, harm := p.threatYear(t, y, [4]float64{1, 1, 1, 1})
			p.baseALE[y-1] += ale
			p.baseHarm[y-1] += harm
		}
	}
	return p, nil
}

// costFrom returns the present value of control c's expected costs, with
// optimism bias, when it starts in year s: capex at the start of year s
// (discounted from year s−1) and at each end of its lifetime inside the
// horizon, opex in years s..H. For s = 1 it is the static appraisal's
// PV, computed the same way.
func (p *Planner) costFrom(c, s int) float64 {
	cost := p.costs[c]
	capexPV := p.df[s-1]
	if L := p.m.Controls[c].Lifetime; L > 0 {
		for y := s - 1 + L; y < p.H; y += L {
			capexPV += p.df[y]
		}
	}
	var annuity float64
	for y := s; y <= p.H; y++ {
		annuity += p.df[y]
	}
	return cost.Capex*capexPV + cost.Opex*annuity
}

// renews reports whether control c, started in year s, pays its capex in
// year y.
func (p *Planner) renews(c, s, y int) bool {
	if y == s {
		return true
	}
	L := p.m.Controls[c].Lifetime
	return L > 0 && y > s && (y-s)%L == 0
}

// spendFrom returns control c's spend in each budget year when it starts
// in year s, as the budgets' kind counts it.
func (p *Planner) spendFrom(c, s int) []float64 {
	out := make([]float64, p.Y)
	cost := p.costs[c]
	for y := s; y <= p.Y; y++ {
		var capex float64
		if p.renews(c, s, y) {
			capex = cost.Capex
		}
		switch p.b.Kind {
		case PlanCapital:
			out[y-1] = capex
		case PlanRunning:
			out[y-1] = cost.Opex
		case PlanBoth:
			out[y-1] = capex + cost.Opex
		case PlanAnnual:
			out[y-1] = cost.Annual
		}
	}
	return out
}

// threatYear returns threat t's expected loss and (in the social view)
// harm in year y under the multipliers m = {m_f, m_s, m_d, m_F}.
func (p *Planner) threatYear(t, y int, m [4]float64) (ale, harm float64) {
	td := &p.threats[t]
	rate := td.rate * td.g[y-1]
	outage := td.es * m[1] * (td.dur*m[2]*td.kd*td.cd + td.kr*td.cr)
	ale = rate * m[0] * (outage + td.fixed*m[3])
	if p.social {
		harm = rate * m[0] * td.es * m[1] * td.dur * m[2] * td.share * td.hqv
	}
	return ale, harm
}

// multipliers returns threat t's multipliers in year y under plan.
func (p *Planner) multipliers(plan Plan, t, y int) [4]float64 {
	m := [4]float64{1, 1, 1, 1}
	for c, s := range plan.Start {
		if s == 0 {
			continue
		}
		phi := p.phi[c][s-1][y-1]
		if phi == 0 {
			continue
		}
		for _, e := range p.effects[c] {
			if e.t == t {
				m[0] *= 1 - phi*e.f
				m[1] *= 1 - phi*e.s
				m[2] *= 1 - phi*e.d
				m[3] *= 1 - phi*e.F
			}
		}
	}
	return m
}

// YearLoss returns the plan's expected loss in year y (1..H) by the closed
// form, and its expected patient harm valued in money (0 outside the
// social view).
func (p *Planner) YearLoss(plan Plan, y int) (ale, harm float64) {
	for t := range p.threats {
		a, h := p.threatYear(t, y, p.multipliers(plan, t, y))
		ale += a
		harm += h
	}
	return ale, harm
}

// BaselineLoss returns the expected loss and harm in year y without any
// control.
func (p *Planner) BaselineLoss(y int) (ale, harm float64) {
	return p.baseALE[y-1], p.baseHarm[y-1]
}

// Horizon returns the appraisal's horizon in years.
func (p *Planner) Horizon() int { return p.H }

// Years returns the number of budget years.
func (p *Planner) Years() int { return p.Y }

// Costs returns each control's expected costs with optimism bias.
func (p *Planner) Costs() []ExpectedCost { return p.costs }

// CostPV returns the present value of control c's costs when it starts in
// year s (1..Y).
func (p *Planner) CostPV(c, s int) float64 { return p.costPV[c][s-1] }

// Spend returns the plan's spend in each budget year, as the kind counts
// it, summed in control order.
func (p *Planner) Spend(plan Plan) []float64 {
	out := make([]float64, p.Y)
	for c, s := range plan.Start {
		if s == 0 {
			continue
		}
		for y, v := range p.spend[c][s-1] {
			out[y] += v
		}
	}
	return out
}

// ControlSpend returns control c's spend in each budget year when it
// starts in year s.
func (p *Planner) ControlSpend(c, s int) []float64 { return slices.Clone(p.spend[c][s-1]) }

// Weight returns control c's weight φ in year y when it starts in year s.
func (p *Planner) Weight(c, s, y int) float64 { return p.phi[c][s-1][y-1] }

// Feasible reports whether the plan keeps every year's spend within its
// budget and honours the model's exclusive groups and prerequisites (a
// prerequisite starts no later than the control needing it).
func (p *Planner) Feasible(plan Plan) bool {
	if len(plan.Start) != len(p.m.Controls) {
		return false
	}
	used := map[int]bool{}
	for c, s := range plan.Start {
		if s < 0 || s > p.Y {
			return false
		}
		if s == 0 {
			continue
		}
		if g := p.group[c]; g >= 0 {
			if used[g] {
				return false
			}
			used[g] = true
		}
		for _, r := range p.requires[c] {
			if rs := plan.Start[r]; rs == 0 || rs > s {
				return false
			}
		}
	}
	for y, v := range p.Spend(plan) {
		if v > p.b.Amounts[y] {
			return false
		}
	}
	return true
}

// staticPlan reports whether the plan is a static portfolio: no time
// effects, and every control it starts starts in year 1.
func (p *Planner) staticPlan(plan Plan) bool {
	if !p.static {
		return false
	}
	for _, s := range plan.Start {
		if s > 1 {
			return false
		}
	}
	return true
}

// NPV returns the plan's expected NPV in the view in force, by the closed
// form. A plan without time effects that starts everything in year 1 is a
// static portfolio, and its NPV is the portfolio search's, computed the
// same way (bit for bit).
func (p *Planner) NPV(plan Plan) float64 {
	if p.staticPlan(plan) {
		return p.op.Evaluate(plan.Portfolio())
	}
	return p.npvByYear(plan)
}

// npvByYear is NPV summed year by year.
func (p *Planner) npvByYear(plan Plan) float64 {
	var npv float64
	for y := 1; y <= p.H; y++ {
		ale, harm := p.YearLoss(plan, y)
		npv += p.df[y] * (p.baseALE[y-1] - ale)
		if p.social {
			npv += p.hdf[y] * (p.baseHarm[y-1] - harm)
		}
	}
	for c, s := range plan.Start {
		if s > 0 {
			npv -= p.costPV[c][s-1]
		}
	}
	return npv
}

// PlanChoice is the best plan a search found.
type PlanChoice struct {
	Plan Plan
	// NPV is its expected NPV by the closed form (Planner.NPV).
	NPV float64
	// Method says how it was found; Optimal whether the search proved it
	// best; Nodes counts the search's nodes.
	Method  string
	Optimal bool
	Nodes   int
}

// Best returns the feasible plan with the greatest expected NPV, by
// branch and bound (see search).
func (p *Planner) Best(ctx context.Context) (PlanChoice, error) {
	return p.search(ctx, p.Y)
}

// BestYearOne returns the best feasible plan that starts every control it
// starts in year 1, under the same yearly budgets: what starting
// everything at once would give instead of phasing.
func (p *Planner) BestYearOne(ctx context.Context) (PlanChoice, error) {
	return p.search(ctx, 1)
}

// node is the branch and bound's state.
type planNode struct {
	start []int
	spend []float64
	// prod[t][y−1] is threat t's multipliers in year y under the decided
	// controls.
	prod [][][4]float64
	// year[t][y−1] is threat t's year-y money loss + weighted harm under
	// them (the NPV's integrand before discounting), dyear its discounted
	// value.
	used []int
	cost float64
}

// search is the branch and bound over start years 1..maxStart (or none)
// for each control, deciding controls in order of the best NPV each has
// alone. A node's bound is the NPV of the decided controls plus, for each
// undecided control, the best of 0 and its NPV added alone to them at any
// start that fits the budgets left: the benefit of a set of (control,
// start) pairs is submodular (each reduction multiplies the losses the
// others leave, so a control adds less on top of more), so the sum of the
// separate gains bounds the gain of any plan below the node. Nodes whose
// bound cannot beat the best plan found are pruned. Ties go to the plan
// found first.
func (p *Planner) search(ctx context.Context, maxStart int) (PlanChoice, error) {
	if err := ctx.Err(); err != nil {
		return PlanChoice{}, err
	}
	n, T, H, Y := len(p.m.Controls), len(p.threats), p.H, p.Y
	limit := p.nodes
	if limit <= 0 {
		limit = planNodes
	}
	// Each control's best NPV alone, for the order.
	single := make([]float64, n)
	for c := range n {
		single[c] = math.Inf(-1)
		for s := 1; s <= maxStart; s++ {
			pl := Plan{Start: make([]int, n)}
			pl.Start[c] = s
			single[c] = math.Max(single[c], p.NPV(pl))
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(single[b], single[a]) })
	dependents := make([][]int, n)
	for c, rs := range p.requires {
		for _, r := range rs {
			dependents[r] = append(dependents[r], c)
		}
	}
	nd := planNode{start: make([]int, n), spend: make([]float64, Y), prod: make([][][4]float64, T), used: make([]int, len(p.group)+1)}
	for t := range T {
		nd.prod[t] = make([][4]float64, H)
		for y := range H {
			nd.prod[t][y] = [4]float64{1, 1, 1, 1}
		}
	}
	decided := make([]bool, n)
	// value returns the discounted benefit (money and weighted harm) of
	// threat t in year y under multipliers m, against the baseline's.
	loss := func(t, y int, m [4]float64) float64 {
		ale, harm := p.threatYear(t, y, m)
		v := p.df[y] * ale
		if p.social {
			v += p.hdf[y] * harm
		}
		return v
	}
	// lossNow[t] is threat t's discounted loss over the horizon at the node.
	lossNow := make([]float64, T)
	for t := range T {
		for y := 1; y <= H; y++ {
			lossNow[t] += loss(t, y, nd.prod[t][y-1])
		}
	}
	fits := func(c, s int) bool {
		for y, v := range p.spend[c][s-1] {
			if nd.spend[y]+v > p.b.Amounts[y] {
				return false
			}
		}
		return true
	}
	groupFree := func(c int) bool {
		g := p.group[c]
		return g < 0 || nd.used[g] == 0
	}
	// gain returns the discounted loss avoided by adding c at s to the
	// node's controls.
	gain := func(c, s int) float64 {
		var g float64
		phi := p.phi[c][s-1]
		for _, e := range p.effects[c] {
			var after float64
			for y := 1; y <= H; y++ {
				m := nd.prod[e.t][y-1]
				if w := phi[y-1]; w > 0 {
					m[0] *= 1 - w*e.f
					m[1] *= 1 - w*e.s
					m[2] *= 1 - w*e.d
					m[3] *= 1 - w*e.F
				}
				after += loss(e.t, y, m)
			}
			g += lossNow[e.t] - after
		}
		return g
	}
	// saves[k] holds, at depth k, the spend, multipliers and losses that
	// deciding the control changes, restored on backtracking: allocated
	// once, so the search allocates nothing per node.
	type save struct {
		spend, loss []float64
		prod        [][][4]float64
	}
	maxEffects := 0
	for _, es := range p.effects {
		maxEffects = max(maxEffects, len(es))
	}
	saves := make([]save, n)
	for k := range saves {
		saves[k] = save{spend: make([]float64, Y), loss: make([]float64, maxEffects), prod: make([][][4]float64, maxEffects)}
		for i := range saves[k].prod {
			saves[k].prod[i] = make([][4]float64, H)
		}
	}
	// A control with two effects on one threat is not allowed (Validate),
	// so each threat appears once in a control's effects.
	bestPlan := Plan{Start: make([]int, n)}
	bestV := p.NPV(bestPlan)
	nodes := 0
	stopped := false
	var err error
	var visit func(k int, benefit float64)
	visit = func(k int, benefit float64) {
		if nodes >= limit {
			stopped = true
			return
		}
		nodes++
		if nodes%checkEvery == 0 {
			if err = ctx.Err(); err != nil {
				stopped = true
				return
			}
			if p.Progress != nil {
				p.Progress(nodes, limit)
			}
		}
		if k == n {
			pl := Plan{Start: nd.start}
			if v := p.NPV(pl); v > bestV && p.Feasible(pl) {
				bestV, bestPlan = v, Plan{Start: slices.Clone(nd.start)}
			}
			return
		}
		// Bound.
		bound := benefit - nd.cost
		for _, c := range order[k:] {
			if !groupFree(c) {
				continue
			}
			best := 0.0
			for s := 1; s <= maxStart; s++ {
				if fits(c, s) {
					best = math.Max(best, gain(c, s)-p.costPV[c][s-1])
				}
			}
			bound += best
		}
		if !(bound > bestV) {
			return
		}
		c := order[k]
		decided[c] = true
		defer func() { decided[c] = false }()
		if groupFree(c) {
			for s := 1; s <= maxStart && !stopped; s++ {
				if !fits(c, s) || !p.prereqOK(c, s, decided, nd.start, dependents) {
					continue
				}
				gn := gain(c, s)
				// Apply.
				// Save what applying c changes, in this depth's buffers.
				sv := &saves[k]
				savedSpend, savedProd, savedLoss := sv.spend, sv.prod, sv.loss
				copy(savedSpend, nd.spend)
				for i, e := range p.effects[c] {
					copy(savedProd[i], nd.prod[e.t])
					savedLoss[i] = lossNow[e.t]
				}
				for y, v := range p.spend[c][s-1] {
					nd.spend[y] += v
				}
				phi := p.phi[c][s-1]
				for _, e := range p.effects[c] {
					var after float64
					for y := 1; y <= H; y++ {
						m := &nd.prod[e.t][y-1]
						if w := phi[y-1]; w > 0 {
							m[0] *= 1 - w*e.f
							m[1] *= 1 - w*e.s
							m[2] *= 1 - w*e.d
							m[3] *= 1 - w*e.F
						}
						after += loss(e.t, y, *m)
					}
					lossNow[e.t] = after
				}
				nd.start[c] = s
				nd.cost += p.costPV[c][s-1]
				if g := p.group[c]; g >= 0 {
					nd.used[g]++
				}
				visit(k+1, benefit+gn)
				if g := p.group[c]; g >= 0 {
					nd.used[g]--
				}
				nd.cost -= p.costPV[c][s-1]
				nd.start[c] = 0
				copy(nd.spend, savedSpend)
				for i, e := range p.effects[c] {
					copy(nd.prod[e.t], savedProd[i])
					lossNow[e.t] = savedLoss[i]
				}
			}
		}
		if !stopped && p.prereqOK(c, 0, decided, nd.start, dependents) {
			visit(k+1, benefit)
		}
	}
	visit(0, 0)
	if err != nil {
		return PlanChoice{}, err
	}
	method := fmt.Sprintf("branch and bound over start years, proven best after %d nodes", nodes)
	if stopped {
		method = fmt.Sprintf("branch and bound stopped at its budget of %d nodes: the best plan found, NOT proven best", nodes)
	}
	return PlanChoice{Plan: bestPlan, NPV: p.NPV(bestPlan), Method: method, Optimal: !stopped, Nodes: nodes}, nil
}

// prereqOK reports whether starting c in year s (0: never) agrees with the
// decided controls: its prerequisites decided start no later, and the
// decided controls needing it start no earlier.
func (p *Planner) prereqOK(c, s int, decided []bool, start []int, dependents [][]int) bool {
	for _, r := range p.requires[c] {
		if decided[r] && s > 0 && (start[r] == 0 || start[r] > s) {
			return false
		}
	}
	for _, d := range dependents[c] {
		if decided[d] && start[d] > 0 && (s == 0 || s > start[d]) {
			return false
		}
	}
	return true
}
