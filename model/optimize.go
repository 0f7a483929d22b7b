package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// Objective is what a portfolio choice maximises.
type Objective int

// The objectives.
const (
	// MaxNPV maximises expected NPV over the appraisal horizon.
	MaxNPV Objective = iota
	// MaxDeltaALE maximises the reduction in expected annual loss.
	MaxDeltaALE
	// MaxDeltaTVaR maximises the reduction in TVaR95, the mean of the worst
	// 5% of simulated years, on common simulated events.
	MaxDeltaTVaR
)

var objectiveNames = []string{"npv", "dale", "dtvar"}

// String returns the objective's name as ParseObjective accepts it.
func (o Objective) String() string { return objectiveNames[o] }

// ParseObjective returns the objective named s: npv, dale or dtvar.
func ParseObjective(s string) (Objective, error) {
	for i, n := range objectiveNames {
		if n == s {
			return Objective(i), nil
		}
	}
	return 0, &UnknownError{What: "objective", Got: s, Want: []string{"npv", "dale", "dtvar"}, Hint: "npv, dale or dtvar"}
}

// BudgetKind says which cost a budget caps.
type BudgetKind int

// The budget kinds.
const (
	// AnnualBudget caps the expected equivalent annual cost: capex and its
	// renewals annuitised over the horizon, plus opex, with optimism bias.
	AnnualBudget BudgetKind = iota
	// CapexBudget caps the expected capital cost in year 0, with optimism
	// bias.
	CapexBudget
)

// Constraints limit a portfolio's costs. Use math.Inf(1) for no limit.
// Exclusive groups and prerequisites come from the model's controls.
type Constraints struct {
	Annual, Capex float64
}

// NoBudget is the constraint of unlimited money.
func NoBudget() Constraints { return Constraints{Annual: math.Inf(1), Capex: math.Inf(1)} }

// Choice is a chosen portfolio.
type Choice struct {
	Portfolio Portfolio `json:"-"`
	Controls  []string  `json:"controls"`
	// Objective is the portfolio's objective: by the closed form for MaxNPV
	// and MaxDeltaALE (an exact expectation), on the evaluation sample for
	// MaxDeltaTVaR.
	Objective float64 `json:"objective"`
	// Annual and Capex are its expected costs, with optimism bias.
	Annual float64 `json:"annual_cost"`
	Capex  float64 `json:"capex"`
	// Method says how it was found; Optimal whether the search proved it
	// best.
	Method  string `json:"method"`
	Optimal bool   `json:"optimal"`
	// Evaluated counts the portfolios (or search nodes) evaluated.
	Evaluated int `json:"evaluated"`
}

// enumerateLimit is the most controls searched by enumerating every
// portfolio; beyond it, branch and bound.
const enumerateLimit = 24

// searchNodes is the overall budget of branch-and-bound nodes of one
// search (Best, or a whole Frontier: its budgets share it). A search that
// spends its share returns the best portfolio found, marked not proven
// optimal. The budget counts nodes, not seconds, so the result is the same
// on any machine; a node takes about 2.5 µs at 200 controls, so a search
// ends within about 15 s.
const searchNodes = 5_000_000

// checkEvery is how many nodes (or enumerated portfolios) pass between
// looks at the context and calls of Progress.
const checkEvery = 1 << 14

// Optimiser searches portfolios of one model under one appraisal.
type Optimiser struct {
	m   *Model
	obj Objective
	n   int
	// touches[c] lists (threat, bit) for each threat control c affects.
	touches [][]touch
	// table[t][mask] is threat t's closed-form ALE under the subset mask of
	// the controls affecting it (bit j: the j-th of them).
	table [][]float64
	// tvar evaluates TVaR95 on the evaluation sample (MaxDeltaTVaR only).
	tvar *tvarEval
	// Expected costs per control.
	annual, capex, pv []float64
	annuity           float64
	group             []int // group index or −1
	requires          [][]int
	baseALE           float64
	baseTVaR          float64
	// Progress, when set, is called now and then during a search with the
	// nodes (or portfolios) visited and the most the search may visit.
	Progress func(done, total int)
	// nodes, when positive, replaces searchNodes (tests).
	nodes int
}

// nodeBudget returns the search's overall node budget.
func (op *Optimiser) nodeBudget() int {
	if op.nodes > 0 {
		return op.nodes
	}
	return searchNodes
}

type touch struct{ t, bit int }

// NewOptimiser prepares the search: the closed-form ALE of every threat
// under every subset of the controls affecting it, and each control's
// expected costs. For MaxDeltaTVaR, sample gives the simulated events the
// search evaluates portfolios on (see NewTVaRSample).
func NewOptimiser(m *Model, a Appraisal, obj Objective, sample *TVaRSample) (*Optimiser, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return newOptimiser(m, fit(m), a, obj, sample)
}

// newOptimiser is NewOptimiser on a valid model m, fitted as f, and a
// valid appraisal.
func newOptimiser(m *Model, f *fitted, a Appraisal, obj Objective, sample *TVaRSample) (*Optimiser, error) {
	n := len(m.Controls)
	op := &Optimiser{m: m, obj: obj, n: n, touches: make([][]touch, n), table: make([][]float64, len(m.Threats))}
	// In the social view the objective counts harm avoided: a year's harm
	// weighs Σ DF_health/Σ DF against a year's money in the NPV, so that
	// ΔALE·Σ DF carries PV(harm avoided) at the health rate; the ΔALE
	// objective counts it one for one.
	var harmWeight float64
	if a.View == Social && m.Harm != nil {
		harmWeight = 1
		if obj == MaxNPV {
			harmWeight = a.healthAnnuity() / a.annuity()
		}
	}
	affecting := f.affecting()
	for t, cs := range affecting {
		for j, c := range cs {
			op.touches[c] = append(op.touches[c], touch{t, j})
		}
	}
	for t, cs := range affecting {
		if len(cs) > 22 {
			return nil, fmt.Errorf("threat %s: %d controls affect it; the search handles at most 22 per threat", m.Threats[t].ID, len(cs))
		}
		op.table[t] = f.threatTable(t, cs, harmWeight)
		op.baseALE += op.table[t][0]
	}
	_, annuity, _ := a.presentValues(m)
	op.annuity = annuity
	op.annual, op.capex, op.pv = make([]float64, n), make([]float64, n), make([]float64, n)
	groups := map[string]int{}
	op.group = make([]int, n)
	op.requires = make([][]int, n)
	costs := expectedCosts(f, a)
	for c, ctl := range m.Controls {
		op.capex[c] = costs[c].Capex
		op.pv[c] = costs[c].PV
		op.annual[c] = costs[c].Annual
		op.group[c] = -1
		if ctl.Group != "" {
			g, ok := groups[ctl.Group]
			if !ok {
				g = len(groups)
				groups[ctl.Group] = g
			}
			op.group[c] = g
		}
		for _, r := range ctl.Requires {
			op.requires[c] = append(op.requires[c], m.ControlIndex(r))
		}
	}
	if obj == MaxDeltaTVaR {
		if sample == nil {
			return nil, errors.New("the ΔTVaR objective needs a simulated sample")
		}
		if sample.m != m {
			return nil, errors.New("the ΔTVaR sample was simulated from another model")
		}
		op.tvar = newTVaREval(sample)
		op.baseTVaR = op.tvar.tvar(make([]int, len(m.Threats)))
	}
	return op, nil
}

// AnnualCost and CapexCost return control c's expected costs, with
// optimism bias, as budgets count them.
func (op *Optimiser) AnnualCost(c int) float64 { return op.annual[c] }

// CapexCost returns control c's expected year-0 capital cost.
func (op *Optimiser) CapexCost(c int) float64 { return op.capex[c] }

// value returns the objective of the portfolio whose per-threat masks are
// masks and whose PV of costs is pv.
func (op *Optimiser) value(masks []int, pv float64) float64 {
	if op.obj == MaxDeltaTVaR {
		return op.baseTVaR - op.tvar.tvar(masks)
	}
	var ale float64
	for t, mk := range masks {
		ale += op.table[t][mk]
	}
	d := op.baseALE - ale
	if op.obj == MaxNPV {
		return d*op.annuity - pv
	}
	return d
}

// Evaluate returns the objective of portfolio p.
func (op *Optimiser) Evaluate(p Portfolio) float64 {
	masks := make([]int, len(op.table))
	var pv float64
	for _, c := range p {
		pv += op.pv[c]
		for _, tb := range op.touches[c] {
			masks[tb.t] |= 1 << tb.bit
		}
	}
	return op.value(masks, pv)
}

// Feasible reports whether p meets c and the model's exclusive groups and
// prerequisites.
func (op *Optimiser) Feasible(p Portfolio, c Constraints) bool {
	var annual, capex float64
	used := map[int]bool{}
	for _, i := range p {
		annual += op.annual[i]
		capex += op.capex[i]
		if g := op.group[i]; g >= 0 {
			if used[g] {
				return false
			}
			used[g] = true
		}
		for _, r := range op.requires[i] {
			if !slices.Contains(p, r) {
				return false
			}
		}
	}
	return annual <= c.Annual && capex <= c.Capex
}

func (op *Optimiser) choice(p Portfolio, method string, optimal bool, evaluated int) Choice {
	p = slices.Clone(p)
	slices.Sort(p)
	ch := Choice{Portfolio: p, Objective: op.Evaluate(p), Method: method, Optimal: optimal, Evaluated: evaluated}
	for _, c := range p {
		ch.Controls = append(ch.Controls, op.m.Controls[c].ID)
		ch.Annual += op.annual[c]
		ch.Capex += op.capex[c]
	}
	return ch
}

// Best returns the feasible portfolio with the greatest objective: by
// enumerating every portfolio (in Gray-code order, each step updating only
// the threats one control touches) when there are at most 24 controls and
// the objective has a closed form, and by branch and bound otherwise. Ties
// go to the portfolio found first.
func (op *Optimiser) Best(c Constraints) Choice {
	ch, _ := op.BestContext(context.Background(), c)
	return ch
}

// BestContext is Best, stopping with ctx's error when ctx is done.
func (op *Optimiser) BestContext(ctx context.Context, c Constraints) (Choice, error) {
	out, err := op.FrontierContext(ctx, AnnualBudget, []float64{c.Annual}, c)
	if err != nil {
		return Choice{}, err
	}
	return out[0], nil
}

// Frontier returns the best portfolio at each budget of the given kind, in
// the order given, under the other constraints of c. The best portfolio
// at a larger budget is never worse.
func (op *Optimiser) Frontier(kind BudgetKind, budgets []float64, c Constraints) []Choice {
	out, _ := op.FrontierContext(context.Background(), kind, budgets, c)
	return out
}

// FrontierContext is Frontier, stopping with ctx's error when ctx is done.
// Enumeration (at most 24 controls, closed-form objectives) is exact; a
// branch-and-bound search shares searchNodes between its budgets, in the
// order given, each taking an equal share of what the earlier ones left.
func (op *Optimiser) FrontierContext(ctx context.Context, kind BudgetKind, budgets []float64, c Constraints) ([]Choice, error) {
	if op.n <= enumerateLimit && op.obj != MaxDeltaTVaR {
		return op.enumerate(ctx, kind, budgets, c)
	}
	out := make([]Choice, len(budgets))
	total := op.nodeBudget()
	left := total
	for i, b := range budgets {
		cc := c
		if kind == AnnualBudget {
			cc.Annual = math.Min(c.Annual, b)
		} else {
			cc.Capex = math.Min(c.Capex, b)
		}
		share := left / (len(budgets) - i)
		var err error
		var used int
		out[i], used, err = op.branchAndBound(ctx, cc, share, total-left)
		if err != nil {
			return nil, err
		}
		left -= used
	}
	// A larger budget admits every smaller budget's portfolio; carry the
	// better forward (it can only matter for an unproven search).
	order := make([]int, len(budgets))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(budgets[a], budgets[b]) })
	for k := 1; k < len(order); k++ {
		if prev, cur := out[order[k-1]], out[order[k]]; prev.Objective > cur.Objective {
			prev.Method, prev.Optimal = cur.Method, cur.Optimal
			out[order[k]] = prev
		}
	}
	return out, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// enumerate visits every portfolio once in Gray-code order and keeps, for
// each budget, the best feasible one.
func (op *Optimiser) enumerate(ctx context.Context, kind BudgetKind, budgets []float64, c Constraints) ([]Choice, error) {
	n := op.n
	masks := make([]int, len(op.table))
	in := make([]bool, n)
	groupCount := make([]int, 0)
	for _, g := range op.group {
		if g >= len(groupCount) {
			groupCount = append(groupCount, make([]int, g-len(groupCount)+1)...)
		}
	}
	// missing counts included controls' prerequisites not included; clash
	// counts groups holding two or more controls.
	missing, clash := 0, 0
	dependents := make([][]int, n)
	for i, rs := range op.requires {
		for _, r := range rs {
			dependents[r] = append(dependents[r], i)
		}
	}
	var annual, capex, pv float64
	best := make([]float64, len(budgets))
	bestSet := make([][]bool, len(budgets))
	for i := range best {
		best[i] = math.Inf(-1)
	}
	// sorted budgets, to find the smallest budget a portfolio fits.
	order := make([]int, len(budgets))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(budgets[a], budgets[b]) })
	const slack = 1e-9
	consider := func() {
		if missing > 0 || clash > 0 || annual > c.Annual*(1+slack)+slack || capex > c.Capex*(1+slack)+slack {
			return
		}
		cost := annual
		if kind == CapexBudget {
			cost = capex
		}
		v := op.value(masks, pv)
		// The smallest budget the portfolio fits (with a little slack for
		// the running sums' rounding; exact costs are checked on keeping).
		k, _ := slices.BinarySearchFunc(order, cost, func(i int, x float64) int {
			return cmpFloat(budgets[i]*(1+slack)+slack, x)
		})
		var p Portfolio
		for ; k < len(order); k++ {
			j := order[k]
			if !(v > best[j]) {
				return // a smaller budget already holds a better portfolio
			}
			if p == nil {
				p = portfolioOf(in)
			}
			if op.fits(p, kind, budgets[j], c) {
				best[j] = v
				bestSet[j] = slices.Clone(in)
				return
			}
		}
	}
	consider() // the empty portfolio
	total := uint64(1) << n
	for i := uint64(1); i < total; i++ {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if op.Progress != nil {
				op.Progress(int(i), int(total))
			}
		}
		ctl := bits.TrailingZeros64(i)
		// Toggle ctl: the Gray code g(i) = i ^ i>>1 differs from g(i−1) in
		// bit ctl.
		adding := !in[ctl]
		in[ctl] = adding
		sign := 1.0
		if !adding {
			sign = -1
		}
		annual += sign * op.annual[ctl]
		capex += sign * op.capex[ctl]
		pv += sign * op.pv[ctl]
		for _, tb := range op.touches[ctl] {
			masks[tb.t] ^= 1 << tb.bit
		}
		if g := op.group[ctl]; g >= 0 {
			if adding {
				groupCount[g]++
				if groupCount[g] == 2 {
					clash++
				}
			} else {
				groupCount[g]--
				if groupCount[g] == 1 {
					clash--
				}
			}
		}
		for _, r := range op.requires[ctl] {
			if !in[r] {
				if adding {
					missing++
				} else {
					missing--
				}
			}
		}
		for _, d := range dependents[ctl] {
			if in[d] {
				if adding {
					missing--
				} else {
					missing++
				}
			}
		}
		consider()
	}
	// Best at a budget is the best at it or any smaller budget.
	out := make([]Choice, len(budgets))
	var run []bool
	runV := math.Inf(-1)
	method := fmt.Sprintf("exhaustive search over all %d portfolios", total)
	for _, j := range order {
		if best[j] > runV {
			runV, run = best[j], bestSet[j]
		}
		out[j] = op.choice(portfolioOf(run), method, true, int(total))
	}
	return out, nil
}

// fits reports whether p meets budget b of the kind and c, exactly.
func (op *Optimiser) fits(p Portfolio, kind BudgetKind, b float64, c Constraints) bool {
	cc := c
	if kind == AnnualBudget {
		cc.Annual = math.Min(c.Annual, b)
	} else {
		cc.Capex = math.Min(c.Capex, b)
	}
	return op.Feasible(p, cc)
}

func portfolioOf(in []bool) Portfolio {
	var p Portfolio
	for c, ok := range in {
		if ok {
			p = append(p, c)
		}
	}
	return p
}

// branchAndBound searches depth first, deciding controls in order of
// their value alone. A node's bound is the objective's benefit with every
// undecided control that fits the remaining budget added (benefits only
// grow with more controls: a portfolio never loses more than its subsets),
// less the costs already committed; nodes whose bound cannot beat the best
// found are pruned. It visits at most limit nodes and returns the nodes
// used; done counts the nodes earlier searches of the same call used, for
// Progress.
func (op *Optimiser) branchAndBound(ctx context.Context, c Constraints, limit, done int) (Choice, int, error) {
	n := op.n
	order := make([]int, n)
	single := make([]float64, n)
	for i := range order {
		order[i] = i
		single[i] = op.Evaluate(Portfolio{i})
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(single[b], single[a]) })
	masks := make([]int, len(op.table))
	bound := make([]int, len(op.table))
	in := make([]bool, n)
	used := map[int]int{}
	var best Portfolio
	bestV := op.value(masks, 0) // the empty portfolio
	nodes := 0
	stopped := false
	var err error
	var annual, capex, pv float64
	var visit func(k int)
	visit = func(k int) {
		if nodes >= limit {
			stopped = true
			return
		}
		nodes++
		if (done+nodes)%checkEvery == 0 {
			if err = ctx.Err(); err != nil {
				stopped = true
				return
			}
			if op.Progress != nil {
				op.Progress(done+nodes, op.nodeBudget())
			}
		}
		if k == n {
			p := portfolioOf(in)
			if v := op.value(masks, pv); v > bestV && op.Feasible(p, c) {
				bestV, best = v, p
			}
			return
		}
		// Bound: add every undecided control that fits on its own.
		copy(bound, masks)
		for _, ctl := range order[k:] {
			if annual+op.annual[ctl] <= c.Annual && capex+op.capex[ctl] <= c.Capex {
				for _, tb := range op.touches[ctl] {
					bound[tb.t] |= 1 << tb.bit
				}
			}
		}
		if op.value(bound, pv) <= bestV {
			return
		}
		ctl := order[k]
		g := op.group[ctl]
		if annual+op.annual[ctl] <= c.Annual && capex+op.capex[ctl] <= c.Capex && (g < 0 || used[g] == 0) {
			in[ctl] = true
			annual += op.annual[ctl]
			capex += op.capex[ctl]
			pv += op.pv[ctl]
			saved := slices.Clone(masks)
			for _, tb := range op.touches[ctl] {
				masks[tb.t] |= 1 << tb.bit
			}
			if g >= 0 {
				used[g]++
			}
			visit(k + 1)
			if g >= 0 {
				used[g]--
			}
			copy(masks, saved)
			in[ctl] = false
			annual -= op.annual[ctl]
			capex -= op.capex[ctl]
			pv -= op.pv[ctl]
		}
		if !stopped {
			visit(k + 1)
		}
	}
	visit(0)
	if err != nil {
		return Choice{}, nodes, err
	}
	method := fmt.Sprintf("branch and bound, proven optimal after %d nodes", nodes)
	if stopped {
		method = fmt.Sprintf("branch and bound stopped at its budget of %d nodes: the best portfolio found, NOT proven best", nodes)
	}
	return op.choice(best, method, !stopped, nodes), nodes, nil
}

// affecting returns, for each threat, the controls with an effect on it, in
// control order.
func (f *fitted) affecting() [][]int {
	out := make([][]int, len(f.threats))
	for c, cd := range f.controls {
		for _, e := range cd.effects {
			out[e.threat] = append(out[e.threat], c)
		}
	}
	return out
}

// maxSampleValues caps the losses a TVaRSample keeps: 200 MB of float64.
const maxSampleValues = 25_000_000

// TVaRSample holds simulated annual losses by threat, for evaluating any
// portfolio's TVaR95 on common random numbers: since a threat's loss in a
// year depends on a portfolio only through the controls affecting that
// threat, the sample keeps each threat's yearly losses under every subset
// of those controls, and a portfolio's yearly loss is the sum over threats.
type TVaRSample struct {
	m     *Model
	years int
	// loss[t][mask][y] is threat t's loss in simulated year y under the
	// subset mask of the controls affecting it.
	loss [][][]float64
}

// NewTVaRSample simulates the sample with cfg, threat by threat, on the
// same random numbers as Simulate with cfg.
func NewTVaRSample(ctx context.Context, m *Model, cfg Config) (*TVaRSample, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	aff := fit(m).affecting()
	n := cfg.Draws * cfg.Years
	total := 0
	for _, cs := range aff {
		total += (1 << len(cs)) * n
	}
	if total > maxSampleValues {
		return nil, fmt.Errorf("the ΔTVaR search would keep %d simulated losses (at most %d): use fewer draws × years, or fewer controls per threat", total, maxSampleValues)
	}
	ts := &TVaRSample{m: m, years: n, loss: make([][][]float64, len(aff))}
	for t, cs := range aff {
		var ps []Portfolio
		for mask := 1; mask < 1<<len(cs); mask++ {
			var p Portfolio
			for j, c := range cs {
				if mask&(1<<j) != 0 {
					p = append(p, c)
				}
			}
			ps = append(ps, p)
		}
		s, err := simulate(ctx, m, ps, cfg, t)
		if err != nil {
			return nil, err
		}
		ts.loss[t] = s.Loss
	}
	return ts, nil
}

// tvarEval evaluates TVaR95 of portfolios on a TVaRSample.
type tvarEval struct {
	s       *TVaRSample
	scratch []float64
}

func newTVaREval(s *TVaRSample) *tvarEval {
	return &tvarEval{s: s, scratch: make([]float64, s.years)}
}

// tvar returns TVaR95 of the portfolio with per-threat masks.
func (e *tvarEval) tvar(masks []int) float64 {
	x := e.scratch
	clear(x)
	for t, mk := range masks {
		for y, v := range e.s.loss[t][mk] {
			x[y] += v
		}
	}
	n := len(x)
	k := tailCount(0.95, n)
	selectK(x, n-k)
	var sum float64
	for _, v := range x[n-k:] {
		sum += v
	}
	return sum / float64(k)
}

// threatTable returns threat t's closed-form ALE plus harmWeight times its
// harm under every subset mask of cs, the controls affecting it in control
// order (bit j: cs[j]): table[mask] is exactly (to the bit)
// f.threatALE(p, t) + harmWeight*f.threatHarm(p, t) for the portfolio p of
// mask's controls, since the same products are taken in the same order,
// but each mask's reduction factors are its parent's (the mask without its
// highest bit) times the highest bit's factor, and the threat's constants
// are computed once: a table of 2^k entries costs O(2^k), not O(k·2^k)
// Dist.Mean calls. The optimiser (and the switching values, which build
// one for each value tried) spend their set-up here.
func (f *fitted) threatTable(t int, cs []int, harmWeight float64) []float64 {
	td := &f.threats[t]
	k := len(cs)
	// a[j] are cs[j]'s factors (1 − E[r]) on threat t, as threatALE takes
	// them: a control cuts a threat in one effect at most (Validate).
	type factors struct{ f, s, d, F float64 }
	a := make([]factors, k)
	for j, c := range cs {
		a[j] = factors{1, 1, 1, 1}
		for _, e := range f.controls[c].effects {
			if e.threat == t {
				a[j].f *= 1 - e.freq.Mean()
				a[j].s *= 1 - e.spread.Mean()
				a[j].d *= 1 - e.dur.Mean()
				a[j].F *= 1 - e.fixed.Mean()
			}
		}
	}
	// m[mask]: the products Π (1 − E[r]) over mask's controls, in
	// ascending order as threatALE multiplies them.
	m := make([]factors, 1<<k)
	m[0] = factors{1, 1, 1, 1}
	for mask := 1; mask < len(m); mask++ {
		j := bits.Len(uint(mask)) - 1
		p := m[mask&^(1<<j)]
		m[mask] = factors{p.f * a[j].f, p.s * a[j].s, p.d * a[j].d, p.F * a[j].F}
	}
	es := td.spread.CappedMoment(1, f.m.Orgs)
	rate, dur, kd, daily := td.rate.Mean(), td.duration.Mean(), td.kd.Mean(), f.daily.Mean()
	kr, rec, fixed := td.kr.Mean(), f.recovery.Mean(), td.fixed.Mean()
	var share, deaths, qalys, value float64
	if f.harm != nil {
		share = fullShare(td.kd, f.harm.kfull)
		deaths, qalys, value = f.harm.deaths.Mean(), f.harm.qalys.Mean(), f.harm.value
	}
	table := make([]float64, 1<<k)
	for mask, p := range m {
		outage := es * p.s * (dur*p.d*kd*daily + kr*rec)
		ale := rate * p.f * (outage + fixed*p.F)
		var harm float64
		if f.harm != nil {
			harm = rate * p.f * es * p.s * dur * p.d * share * deaths * qalys * value
		}
		table[mask] = ale + harmWeight*harm
	}
	return table
}
