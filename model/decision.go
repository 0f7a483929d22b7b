package model

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"slices"
)

// DecideOptions set one analysis: how to simulate, appraise, rank and
// choose.
type DecideOptions struct {
	Config    Config
	Appraisal Appraisal
	// Metric ranks the single controls.
	Metric Metric
	// Objective is what the recommended portfolio maximises, under
	// Constraints (NoBudget() for none).
	Objective   Objective
	Constraints Constraints
	// Frontier asks for the efficient frontier: nil for none, empty for the
	// default grid, else these budgets of FrontierKind.
	Frontier     []float64
	FrontierKind BudgetKind
	// Explain adds the tornado and the weak points (exact, by the closed
	// form); Sensitivity adds switching values for the Top inputs of the
	// tornado and the value of information.
	Explain     bool
	Sensitivity bool
	Top         int
	// ShownSummaries computes the loss summaries (percentiles, TVaR95, the
	// LEC and their standard errors) of the baseline, the recommendation,
	// its build-up and the frontier only, which is all a terminal shows; the
	// other results' Loss then holds only the expected annual loss and its
	// standard error. By default every option's is computed.
	ShownSummaries bool
	// DecisionDraws is the number of outer draws of the uncertain inputs
	// behind the decision's intervals and probabilities, each option's
	// expectations given each draw exact (see DrawTable): 0 for
	// DefaultDecisionDraws, and never fewer than the simulation's draws.
	// The simulation's draws × years give the loss distribution.
	DecisionDraws int
	// Announce, when set, is called once the portfolio is chosen, before
	// simulating, with an estimate from a pilot of how long the decision
	// table will take: its cost grows with the portfolios and their sizes
	// (with thousands of controls it outlasts the simulation).
	Announce func(StageEstimate)
}

// Decision is the whole analysis of one run: every control alone, the one
// recommended portfolio (the optimiser's best set for the view in force,
// under the budget when one is given), how it builds up, what it hangs on,
// and, when asked, the frontier and the sensitivity analysis. Every option
// is simulated in one pass on common random numbers.
type Decision struct {
	*Analysis
	// Portfolio is the recommended portfolio's choice (Portfolio.Choice),
	// its appraisal and the frontier when asked.
	Portfolio *PortfolioAnalysis
	// Budgeted reports whether a budget constrained the recommendation.
	Budgeted bool
	// BuildUp adds the recommended controls one at a time.
	BuildUp []BuildStep
	// LeftOut explains each control with a positive NPV alone that the
	// recommendation leaves out.
	LeftOut []LeftOut
	// Tornado is the one-way sensitivity of the recommended portfolio's
	// expected NPV (of the top-ranked control when nothing is recommended).
	Tornado *Tornado
	// WeakPoint is the input the recommendation's NPV hangs on most;
	// TopWeakPoint the top-ranked control's.
	WeakPoint, TopWeakPoint *WeakPoint
	// Sensitivity is the full sensitivity analysis, when asked.
	Sensitivity *Sensitivity
	// Deaths and DeathsRecommended are the expected extra deaths a year
	// without new controls and with the recommendation (0 without harm).
	Deaths, DeathsRecommended float64
	// DeathsDrawn and DeathsRecommendedDrawn are the same on the simulated
	// years: the mean and the 90% interval across outer draws (Sim.Deaths).
	DeathsDrawn, DeathsRecommendedDrawn Interval
}

// BuildStep is one control added to the recommended portfolio.
type BuildStep struct {
	Control int    `json:"-"`
	ID      string `json:"id"`
	// Portfolio is the set after the step.
	Portfolio Portfolio `json:"-"`
	// MarginalNPV and MarginalDeltaALE are what the control adds given
	// those before it, by the closed form (exact expectations; NPV in the
	// view in force, ΔALE in money).
	MarginalNPV      float64 `json:"marginal_npv"`
	MarginalDeltaALE float64 `json:"marginal_delta_ale"`
	// SimNPV and SimDeltaALE are the same on the simulated events, each
	// with its standard error (paired differences over outer draws).
	SimNPV        float64 `json:"sim_marginal_npv"`
	SimNPVSE      float64 `json:"sim_marginal_npv_se"`
	SimDeltaALE   float64 `json:"sim_marginal_delta_ale"`
	SimDeltaALESE float64 `json:"sim_marginal_delta_ale_se"`
	// Annual is the control's expected equivalent annual cost.
	Annual float64 `json:"annual_cost"`
}

// Why says why a control is left out of the recommendation.
type Why int

// The reasons.
const (
	// Overlap: adding it to the recommendation lowers the objective,
	// because controls already in it cut the same threats.
	Overlap Why = iota
	// OverBudget: it does not fit the budget beside the recommendation.
	OverBudget
	// Excluded: it shares an exclusive group with a recommended control,
	// or needs a control that is not recommended.
	Excluded
)

// LeftOut is a control with a positive NPV alone that the recommendation
// leaves out.
type LeftOut struct {
	Control int    `json:"-"`
	ID      string `json:"id"`
	Why     Why    `json:"-"`
	// Reason is Why in a word: overlap, budget or excluded.
	Reason string `json:"reason"`
	// NPVAlone is its expected NPV alone; Marginal what adding it to the
	// recommendation would change the objective by (closed form).
	NPVAlone float64 `json:"npv_alone"`
	Marginal float64 `json:"marginal"`
	// With lists the recommended controls that cut a threat it cuts, and
	// Threats those threats.
	With    []string `json:"with,omitempty"`
	Threats []string `json:"threats,omitempty"`
}

// WeakPoint is the input a decision's expected NPV hangs on most: the
// largest bar of its tornado, with the value at which the NPV turns zero.
type WeakPoint struct {
	Decision Portfolio `json:"-"`
	Input    Input     `json:"-"`
	// Name names the input in words.
	Name string `json:"input"`
	// ExpectedNPV is the decision's expected NPV (the tornado's centre).
	ExpectedNPV float64 `json:"expected_npv"`
	// P5 and P95 are the input's 5th and 95th percentiles, NPVAtP5 and
	// NPVAtP95 the expected NPV with the input there.
	P5       float64 `json:"p5"`
	P95      float64 `json:"p95"`
	NPVAtP5  float64 `json:"npv_at_p5"`
	NPVAtP95 float64 `json:"npv_at_p95"`
	// Central is the input's mean, Median its median.
	Central float64 `json:"central"`
	Median  float64 `json:"median"`
	// Switch is the value at which the expected NPV is zero (NaN when it
	// does not cross zero in the search range); Below is true when the NPV
	// is negative below it.
	Switch float64 `json:"switch"`
	Below  bool    `json:"negative_below"`
}

// Decide runs the whole analysis: it chooses the recommended portfolio by
// the closed form (or, for ΔTVaR95, on a sample of simulated years), then
// simulates the baseline, every control alone, the recommendation, the
// prefixes of its build-up and the frontier's portfolios in one pass on
// common random numbers, appraises them, and analyses what the
// recommendation hangs on.
func Decide(ctx context.Context, m *Model, o DecideOptions) (*Decision, error) {
	o.Config.stage(StageChoose)
	p, err := planDecision(ctx, m, o)
	if err != nil {
		return nil, err
	}
	if o.Announce != nil {
		e, err := p.estimate(ctx)
		if err != nil {
			return nil, err
		}
		o.Announce(e)
	}
	o.Config.stage(StageSimulate)
	s, err := Simulate(ctx, m, p.options(), o.Config)
	if err != nil {
		return nil, err
	}
	return p.finish(s)
}

// decisionPlan is the part of a decision made before simulating: the
// recommendation, its build-up and the frontier, all by the closed form,
// and so the portfolios to simulate.
type decisionPlan struct {
	m         *Model
	o         DecideOptions
	pa        *PortfolioAnalysis
	op, npvOp *Optimiser
	steps     []BuildStep
	budgeted  bool
}

// planDecision chooses the recommended portfolio, its build-up and the
// frontier's portfolios.
func planDecision(ctx context.Context, m *Model, o DecideOptions) (*decisionPlan, error) {
	a := o.Appraisal
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if o.Constraints == (Constraints{}) {
		o.Constraints = NoBudget()
	}
	pa := &PortfolioAnalysis{Objective: o.Objective, Constraints: o.Constraints, FrontierKind: o.FrontierKind}
	var sample *TVaRSample
	if o.Objective == MaxDeltaTVaR {
		sc, err := sampleConfig(m, o.Config)
		if err != nil {
			return nil, err
		}
		if sample, err = NewTVaRSample(ctx, m, sc); err != nil {
			return nil, err
		}
		pa.SampleYears = sc.Draws * sc.Years
	}
	op, err := NewOptimiser(m, a, o.Objective, sample)
	if err != nil {
		return nil, err
	}
	npvOp := op
	if o.Objective != MaxNPV {
		if npvOp, err = NewOptimiser(m, a, MaxNPV, nil); err != nil {
			return nil, err
		}
	}
	op.Progress = o.Config.Progress
	if pa.Choice, err = op.BestContext(ctx, o.Constraints); err != nil {
		return nil, err
	}
	budgeted := !math.IsInf(o.Constraints.Annual, 1) || !math.IsInf(o.Constraints.Capex, 1)
	if o.Frontier != nil {
		budgets := o.Frontier
		if len(budgets) == 0 {
			steps := 40
			if len(m.Controls) > enumerateLimit {
				steps = 20
			}
			budgets = op.DefaultBudgets(o.FrontierKind, steps)
		}
		fc := o.Constraints
		if o.FrontierKind == AnnualBudget {
			fc.Annual = math.Inf(1)
		} else {
			fc.Capex = math.Inf(1)
		}
		chs, err := op.FrontierContext(ctx, o.FrontierKind, budgets, fc)
		if err != nil {
			return nil, err
		}
		if len(o.Frontier) == 0 && op.exact() {
			if budgets, chs, err = op.refineFrontier(ctx, o.FrontierKind, budgets, chs, fc); err != nil {
				return nil, err
			}
		}
		pa.Frontier = breakpoints(chs, budgets)
	}
	if pa.SampleYears > 0 {
		note := ", ΔTVaR95 evaluated on sampled simulated years"
		pa.Choice.Method += note
		for i := range pa.Frontier {
			pa.Frontier[i].Choice.Method += note
		}
	}
	steps := buildUp(m, npvOp, pa.Choice.Portfolio)
	return &decisionPlan{m: m, o: o, pa: pa, op: op, npvOp: npvOp, steps: steps, budgeted: budgeted}, nil
}

// options returns the portfolios the decision simulates: every control
// alone, in order, then each other portfolio it shows (see shown) once.
func (p *decisionPlan) options() []Portfolio {
	var options []Portfolio
	for c := range p.m.Controls {
		options = append(options, Portfolio{c})
	}
	for _, q := range p.shown() {
		if len(q) > 0 && !slices.ContainsFunc(options, func(r Portfolio) bool { return slices.Equal(q, r) }) {
			options = append(options, slices.Clone(q))
		}
	}
	return options
}

// shown returns the portfolios the decision shows beyond the controls
// alone: the recommendation, its build-up's prefixes and the frontier's,
// in that order, with repeats, any of them perhaps a single control or
// empty.
func (p *decisionPlan) shown() []Portfolio {
	out := []Portfolio{p.pa.Choice.Portfolio}
	for _, st := range p.steps {
		out = append(out, st.Portfolio)
	}
	for _, f := range p.pa.Frontier {
		out = append(out, f.Choice.Portfolio)
	}
	return out
}

// finish appraises the plan's options on s, a simulation of the plan's
// model (or of one differing from it in control costs alone, with those
// costs put back by WithCosts) holding, after the baseline, every one of
// p.options() in any order and perhaps others, and analyses what the
// recommendation hangs on.
func (p *decisionPlan) finish(s *Sim) (*Decision, error) { return p.finishWith(s, nil) }

// finishWith is finish on the decision table t (of s.Model under the
// plan's appraisal, on the plan's decision draws from s.Seed, holding the
// baseline and every one of p.options() and perhaps others), or on a table
// of its own when t is nil.
func (p *decisionPlan) finishWith(s *Sim, table *DrawTable) (*Decision, error) {
	m, o, pa, a := p.m, p.o, p.pa, p.o.Appraisal
	C := len(m.Controls)
	// Where each portfolio is in s; appraise the singles, then the others.
	at := make(map[string]int, len(s.Options))
	for i, q := range s.Options {
		at[portfolioKey(q)] = i
	}
	want := make([]int, 0, C)
	resAt := map[int]int{}
	for _, q := range p.options() {
		i, ok := at[portfolioKey(q)]
		if !ok {
			return nil, errors.New("model: the simulation lacks a portfolio of the decision")
		}
		resAt[i] = len(want)
		want = append(want, i)
	}
	loss := func(i int) Summary { return s.Summaries()[i] }
	if o.ShownSummaries {
		// The baseline and every portfolio the decision shows, singles
		// among them.
		shown := []int{0}
		for _, q := range p.shown() {
			if i := at[portfolioKey(q)]; len(q) > 0 && !slices.Contains(shown, i) {
				shown = append(shown, i)
			}
		}
		parallel(context.Background(), s.workers, len(shown), func(k int) { s.Summary(shown[k]) })
		loss = func(i int) Summary {
			if slices.Contains(shown, i) {
				return s.Summary(i)
			}
			var sum Summary
			sum.ALE, sum.ALESE = s.meanSE(i)
			return sum
		}
	}
	if table == nil {
		o.Config.stage(StageTable)
		var err error
		if table, err = newDrawTable(withProgress(context.Background(), o.Config.Progress), s.Model, a, append([]Portfolio{{}}, p.options()...), decisionDraws(o.DecisionDraws, s.Draws), s.Seed, s.workers); err != nil {
			return nil, err
		}
	}
	res, err := appraiseOptions(s, table, a, want, loss)
	if err != nil {
		return nil, err
	}
	// result returns the appraisal of portfolio q, nil for the empty one.
	result := func(q Portfolio) *Result {
		if len(q) == 0 {
			return nil
		}
		return &res[resAt[at[portfolioKey(q)]]]
	}
	an := &Analysis{Config: o.Config, Appraisal: a, Sim: s, Table: table, Results: res[:C:C], Ranking: RankIn(res[:C:C], o.Metric, a.View)}
	if s.Harm != nil {
		an.BaselineHarm, an.BaselineHarmSE = s.HarmMeanSE(0) // streaming keeps no years
	}
	an.Baseline = s.Summary(0)
	an.GordonLoeb = an.Baseline.ALE / math.E
	if r := result(pa.Choice.Portfolio); r != nil {
		an.Recommended, an.RecommendedSim = r, s
		pa.Result = r
	}
	pa.Sim = s
	for i := range pa.Frontier {
		pa.Frontier[i].Result = result(pa.Frontier[i].Choice.Portfolio)
	}
	d := &Decision{Analysis: an, Portfolio: pa, Budgeted: p.budgeted}
	// The build-up's simulated marginals (the check beside the exact
	// ones): paired differences of prefixes over the simulated draws.
	steps := p.steps
	var prev *Result
	annuity, healthAnnuity := table.Annuity, table.HealthAnnuity
	social := a.View == Social && s.Harm != nil
	simBenefit := func(r *Result) []float64 {
		if r == nil {
			return nil
		}
		b := make([]float64, s.Draws)
		for i := range b {
			b[i] = r.Draws.SimDeltaALE[i] * annuity
			if social {
				b[i] += (s.HarmDrawMean[0][i] - s.HarmDrawMean[r.Option][i]) * healthAnnuity
			}
		}
		return b
	}
	for i := range steps {
		cur := result(steps[i].Portfolio)
		st := &steps[i]
		// The SE from the paired draws; the mean as the difference of the
		// simulated NPVs, whose costs are exact.
		_, st.SimNPVSE = pairedDiff(simBenefit(cur), simBenefit(prev))
		st.SimDeltaALE, st.SimDeltaALESE = pairedDiff(cur.Draws.SimDeltaALE, prevDraws(prev, func(r *Result) []float64 { return r.Draws.SimDeltaALE }))
		if prev == nil {
			st.SimNPV = cur.DecisionSimNPV
		} else {
			st.SimNPV = cur.DecisionSimNPV - prev.DecisionSimNPV
		}
		prev = cur
	}
	d.BuildUp = steps
	d.LeftOut = leftOut(m, p.npvOp, p.op, an.Results, pa.Choice.Portfolio, o.Constraints)
	if s.Harm != nil {
		d.Deaths = ClosedFormDeaths(m, nil)
		d.DeathsRecommended = ClosedFormDeaths(m, pa.Choice.Portfolio)
		d.DeathsDrawn, d.DeathsRecommendedDrawn = s.Deaths(0), s.Deaths(0)
		if r := d.Recommended; r != nil {
			d.DeathsRecommendedDrawn = s.Deaths(r.Option)
		}
	}
	// What the answer hangs on, around the expected case.
	decision := pa.Choice.Portfolio
	if len(decision) == 0 && len(an.Ranking.Order) > 0 {
		decision = an.Results[an.Ranking.Order[0]].Portfolio
	}
	if len(decision) > 0 && (o.Explain || o.Sensitivity) {
		o.Config.stage(StageExplain)
		if d.Tornado, err = TornadoAnalysis(m, a, decision); err != nil {
			return nil, err
		}
		if len(pa.Choice.Portfolio) > 0 {
			if d.WeakPoint, err = weakPoint(m, a, d.Tornado); err != nil {
				return nil, err
			}
		}
	}
	if len(an.Ranking.Order) > 0 && o.Explain {
		top := an.Results[an.Ranking.Order[0]].Portfolio
		tn := d.Tornado
		if !slices.Equal(top, decision) {
			if tn, err = TornadoAnalysis(m, a, top); err != nil {
				return nil, err
			}
		}
		if d.TopWeakPoint, err = weakPoint(m, a, tn); err != nil {
			return nil, err
		}
	}
	if o.Sensitivity && len(decision) > 0 {
		decide := BestUnder(a, o.Constraints)
		name := "the recommended portfolio"
		if len(pa.Choice.Portfolio) == 0 {
			decide, name = BestSingle(a), "the best single control"
		}
		alternatives := []Portfolio{decision}
		for _, i := range an.Ranking.Order[:min(5, len(an.Ranking.Order))] {
			if p := an.Results[i].Portfolio; !slices.Equal(p, decision) {
				alternatives = append(alternatives, p)
			}
		}
		top := o.Top
		if top <= 0 {
			top = 15
		}
		o.Config.stage(StageSensitivity)
		if d.Sensitivity, err = AnalyseSensitivity(m, table, a, SensitivityOptions{Decision: decision, Name: name, Decide: decide, Top: top, Alternatives: alternatives, Progress: o.Config.Progress}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// portfolioKey names a portfolio's controls, in order, as a map key.
func portfolioKey(p Portfolio) string {
	b := make([]byte, 0, 4*len(p))
	for _, c := range p {
		b = binary.AppendUvarint(b, uint64(c))
	}
	return string(b)
}

// prevDraws returns the per-draw values of result i, or nil when i < 0 (the
// empty portfolio: all zero).
func prevDraws(r *Result, f func(*Result) []float64) []float64 {
	if r == nil {
		return nil
	}
	return f(r)
}

// pairedDiff returns the mean of a − b (b nil for zero) and its standard
// error over draws (0 with fewer than two).
func pairedDiff(a, b []float64) (mean, se float64) {
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i]
		if b != nil {
			d[i] -= b[i]
		}
	}
	m, v := meanVar(d)
	if len(d) < 2 {
		return m, 0
	}
	return m, math.Sqrt(v / float64(len(d)))
}

// buildUp orders portfolio p's controls greedily, each step adding the
// control (among those whose prerequisites are in) with the greatest
// marginal expected NPV, ties by ID, and records each marginal by the
// closed form. The marginals telescope to the portfolio's expected NPV.
func buildUp(m *Model, op *Optimiser, p Portfolio) []BuildStep {
	var steps []BuildStep
	var cur Portfolio
	left := slices.Clone(p)
	val := 0.0
	ale := ClosedFormALE(m, nil)
	for len(left) > 0 {
		best, bestV := -1, math.Inf(-1)
		for k, c := range left {
			if !requiresIn(m, c, cur) {
				continue
			}
			v := op.Evaluate(sorted(append(slices.Clone(cur), c)))
			if best < 0 || v > bestV || (v == bestV && m.Controls[c].ID < m.Controls[left[best]].ID) {
				best, bestV = k, v
			}
		}
		if best < 0 { // prerequisites outside p: add in order
			best, bestV = 0, op.Evaluate(sorted(append(slices.Clone(cur), left[0])))
		}
		c := left[best]
		left = slices.Delete(left, best, best+1)
		cur = sorted(append(cur, c))
		nale := ClosedFormALE(m, cur)
		steps = append(steps, BuildStep{
			Control: c, ID: m.Controls[c].ID, Portfolio: slices.Clone(cur),
			MarginalNPV: bestV - val, MarginalDeltaALE: ale - nale, Annual: op.annual[c],
		})
		val, ale = bestV, nale
	}
	return steps
}

func sorted(p Portfolio) Portfolio { slices.Sort(p); return p }

// requiresIn reports whether control c's prerequisites are all in p.
func requiresIn(m *Model, c int, p Portfolio) bool {
	for _, r := range m.Controls[c].Requires {
		if !slices.Contains(p, m.ControlIndex(r)) {
			return false
		}
	}
	return true
}

// leftOut explains each control with a positive expected NPV alone that p
// leaves out.
func leftOut(m *Model, npvOp, op *Optimiser, singles []Result, p Portfolio, cons Constraints) []LeftOut {
	var out []LeftOut
	f := fit(m)
	aff := f.affecting()
	cuts := func(c int) []int {
		var ts []int
		for t, cs := range aff {
			if slices.Contains(cs, c) {
				ts = append(ts, t)
			}
		}
		return ts
	}
	for c := range m.Controls {
		if slices.Contains(p, c) || !(singles[c].DecisionNPV.Mean > 0) {
			continue
		}
		with := sorted(append(slices.Clone(p), c))
		lo := LeftOut{Control: c, ID: m.Controls[c].ID, NPVAlone: singles[c].DecisionNPV.Mean, Marginal: op.Evaluate(with) - op.Evaluate(p)}
		for _, t := range cuts(c) {
			for _, q := range p {
				if slices.Contains(aff[t], q) {
					if id := m.Controls[q].ID; !slices.Contains(lo.With, id) {
						lo.With = append(lo.With, id)
					}
					if id := m.Threats[t].ID; !slices.Contains(lo.Threats, id) {
						lo.Threats = append(lo.Threats, id)
					}
				}
			}
		}
		switch {
		case !op.Feasible(with, NoBudget()):
			lo.Why, lo.Reason = Excluded, "excluded"
		case !op.Feasible(with, cons):
			lo.Why, lo.Reason = OverBudget, "budget"
		default:
			lo.Why, lo.Reason = Overlap, "overlap"
		}
		out = append(out, lo)
	}
	slices.SortStableFunc(out, func(x, y LeftOut) int { return cmp.Compare(y.NPVAlone, x.NPVAlone) })
	return out
}

// weakPoint returns the largest bar of tn with the value at which the
// decision's expected NPV turns zero.
func weakPoint(m *Model, a Appraisal, tn *Tornado) (*WeakPoint, error) {
	if tn == nil || len(tn.Bars) == 0 {
		return nil, nil
	}
	b := tn.Bars[0]
	sws, err := SwitchingValues(m, a, tn.Decision, nil, []Input{b.Input})
	if err != nil {
		return nil, err
	}
	if len(sws) != 1 {
		return nil, errors.New("model: no switching value")
	}
	sw := sws[0]
	d := b.Input.Estimate.Dist(b.Input.Kind)
	wp := &WeakPoint{
		Decision: tn.Decision, Input: b.Input, Name: b.Input.Name(), ExpectedNPV: tn.Central,
		P5: b.Lo, P95: b.Hi, NPVAtP5: b.NPVLo, NPVAtP95: b.NPVHi,
		Central: d.Mean(), Median: d.Quantile(0.5), Switch: sw.NPVZero,
	}
	// Below the switch the NPV is negative when it rises with the input.
	wp.Below = b.NPVHi > b.NPVLo
	return wp, nil
}

// exact reports whether the optimiser's search is exact: it enumerates
// every portfolio (at most 24 controls and a closed-form objective).
func (op *Optimiser) exact() bool { return op.n <= enumerateLimit && op.obj != MaxDeltaTVaR }

// refineFrontier turns a frontier on a grid of budgets into one whose
// budgets are exactly where the best portfolio changes. Between two grid
// budgets a and b with best portfolios A ≠ B, B costs c ≤ b and is the
// best of every portfolio within b, so it is best from c on; if the best
// just under c (a pound less) is A, the change is at c, else the best
// there is a portfolio between, and the interval splits in two. Each round
// asks the exact search once for every unresolved interval, so the rounds
// number the most changes between two grid budgets. The result is sorted
// by budget, each portfolio at the smallest budget where it is best.
func (op *Optimiser) refineFrontier(ctx context.Context, kind BudgetKind, budgets []float64, chs []Choice, c Constraints) ([]float64, []Choice, error) {
	type point struct {
		budget float64
		ch     Choice
		exact  bool
	}
	pts := make([]point, len(budgets))
	for i := range budgets {
		pts[i] = point{budget: budgets[i], ch: chs[i]}
	}
	slices.SortStableFunc(pts, func(x, y point) int { return cmpFloat(x.budget, y.budget) })
	cost := func(ch Choice) float64 {
		if kind == CapexBudget {
			return ch.Capex
		}
		return ch.Annual
	}
	for {
		var qs []float64
		var at []int
		for k := 1; k < len(pts); k++ {
			prev, cur := pts[k-1], &pts[k]
			if cur.exact || slices.Equal(prev.ch.Portfolio, cur.ch.Portfolio) {
				continue
			}
			cc := cost(cur.ch)
			q := cc - max(1, cc*1e-8)
			if q <= prev.budget {
				cur.budget, cur.exact = max(cc, prev.budget), true
				continue
			}
			qs, at = append(qs, q), append(at, k)
		}
		if len(qs) == 0 {
			break
		}
		got, err := op.FrontierContext(ctx, kind, qs, c)
		if err != nil {
			return nil, nil, err
		}
		// Insert from the end so that the earlier indices stay put.
		for i := len(qs) - 1; i >= 0; i-- {
			k := at[i]
			if slices.Equal(got[i].Portfolio, pts[k-1].ch.Portfolio) || slices.Equal(got[i].Portfolio, pts[k].ch.Portfolio) {
				pts[k].budget, pts[k].exact = cost(pts[k].ch), true
				continue
			}
			pts = slices.Insert(pts, k, point{budget: qs[i], ch: got[i]})
		}
	}
	outB := make([]float64, len(pts))
	outC := make([]Choice, len(pts))
	for i, p := range pts {
		outB[i], outC[i] = p.budget, p.ch
	}
	return outB, outC, nil
}

// breakpoints returns the frontier's points where the portfolio changes:
// for each distinct portfolio in order of budget, the smallest budget of
// the grid at which it is chosen.
func breakpoints(choices []Choice, budgets []float64) []FrontierPoint {
	order := make([]int, len(budgets))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(budgets[a], budgets[b]) })
	var out []FrontierPoint
	for _, i := range order {
		ch := choices[i]
		if n := len(out); n > 0 && slices.Equal(out[n-1].Choice.Portfolio, ch.Portfolio) {
			continue
		}
		fp := FrontierPoint{Budget: budgets[i], Choice: ch}
		var before []string
		if n := len(out); n > 0 {
			before = out[n-1].Choice.Controls
		}
		for _, id := range ch.Controls {
			if !slices.Contains(before, id) {
				fp.Added = append(fp.Added, id)
			}
		}
		for _, id := range before {
			if !slices.Contains(ch.Controls, id) {
				fp.Removed = append(fp.Removed, id)
			}
		}
		out = append(out, fp)
	}
	return out
}
