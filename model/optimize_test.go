package model

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomModel returns a small random model: nThreats threats and nControls
// controls with random effects on one to three threats each, random costs,
// and (with the flags) exclusive groups and prerequisites.
func randomModel(r *rand.Rand, nThreats, nControls int, groups, prereqs bool) *Model {
	m := &Model{Scope: "random", Orgs: 20, Daily: Fixed(5e4), Recovery: Fixed(1e6)}
	for t := range nThreats {
		lo := 0.05 + r.Float64()
		m.Threats = append(m.Threats, Threat{
			ID: fmt.Sprintf("T%d", t), Rate: Estimate{lo, lo * (1 + 4*r.Float64())},
			Spread: Estimate{1, 1 + 10*r.Float64()}, Duration: Estimate{1, 2 + 20*r.Float64()},
			Fixed: Estimate{1e4, 1e4 + 1e6*r.Float64()},
		})
	}
	frac := func() Estimate {
		lo := 0.05 + 0.5*r.Float64()
		return Estimate{lo, lo + (0.95-lo)*r.Float64()*0.9 + 0.01}
	}
	for c := range nControls {
		ctl := Control{
			ID:   fmt.Sprintf("C%d", c),
			Opex: Estimate{1e4, 1e4 + 5e5*r.Float64()},
		}
		if r.IntN(3) == 0 {
			ctl.Capex, ctl.Lifetime = Estimate{1e5, 1e5 + 2e6*r.Float64()}, 1+r.IntN(6)
		}
		for _, t := range r.Perm(nThreats)[:1+r.IntN(min(3, nThreats))] {
			e := Effect{Threat: fmt.Sprintf("T%d", t)}
			switch r.IntN(4) {
			case 0:
				e.Frequency = frac()
			case 1:
				e.Spread = frac()
			case 2:
				e.Duration = frac()
			default:
				e.Frequency, e.Fixed = frac(), frac()
			}
			ctl.Effects = append(ctl.Effects, e)
		}
		if groups && r.IntN(3) == 0 {
			ctl.Group = fmt.Sprintf("G%d", r.IntN(2))
		}
		if prereqs && c > 0 && r.IntN(3) == 0 {
			ctl.Requires = []string{fmt.Sprintf("C%d", r.IntN(c))}
		}
		m.Controls = append(m.Controls, ctl)
	}
	return m
}

// bruteForce returns the best objective over every feasible subset, each
// evaluated independently of the optimiser's tables: the closed form
// (ClosedFormALE) and hand-summed costs for NPV and ΔALE, and a direct
// simulation of every subset for ΔTVaR.
func bruteForce(t *testing.T, m *Model, a Appraisal, obj Objective, c Constraints, cfg Config) float64 {
	t.Helper()
	n := len(m.Controls)
	var subsets []Portfolio
	for mask := range 1 << n {
		var p Portfolio
		for i := range n {
			if mask&(1<<i) != 0 {
				p = append(p, i)
			}
		}
		subsets = append(subsets, p)
	}
	df := a.Discount.Factors(a.Horizon)
	var annuity float64
	for y := 1; y <= a.Horizon; y++ {
		annuity += df[y]
	}
	feasible := func(p Portfolio) bool {
		var annual, capex float64
		groups := map[string]int{}
		for _, i := range p {
			ctl := m.Controls[i]
			cx := ctl.Capex.Dist(Positive).Mean() * (1 + a.OptimismBias)
			ox := ctl.Opex.Dist(Positive).Mean() * (1 + a.OptimismBias)
			pv := cx + ox*annuity
			if ctl.Lifetime > 0 {
				for y := ctl.Lifetime; y < a.Horizon; y += ctl.Lifetime {
					pv += cx * df[y]
				}
			}
			annual += pv / annuity
			capex += cx
			if ctl.Group != "" {
				groups[ctl.Group]++
				if groups[ctl.Group] > 1 {
					return false
				}
			}
			for _, r := range ctl.Requires {
				if !slices.Contains(p, m.ControlIndex(r)) {
					return false
				}
			}
		}
		return annual <= c.Annual*(1+1e-12) && capex <= c.Capex*(1+1e-12)
	}
	var sim *Sim
	if obj == MaxDeltaTVaR {
		var err error
		sim, err = Simulate(context.Background(), m, subsets[1:], cfg)
		if err != nil {
			t.Fatal(err)
		}
	}
	tvar := func(o int) float64 {
		x := slices.Clone(sim.Loss[o])
		slices.Sort(x)
		k := tailCount(0.95, len(x))
		var s float64
		for _, v := range x[len(x)-k:] {
			s += v
		}
		return s / float64(k)
	}
	base := ClosedFormALE(m, nil)
	best := math.Inf(-1)
	for o, p := range subsets {
		if !feasible(p) {
			continue
		}
		var v float64
		switch obj {
		case MaxDeltaTVaR:
			v = tvar(0) - tvar(o)
		default:
			v = base - ClosedFormALE(m, p)
			if obj == MaxNPV {
				var pv float64
				for _, i := range p {
					ctl := m.Controls[i]
					cx := ctl.Capex.Dist(Positive).Mean() * (1 + a.OptimismBias)
					pv += cx + ctl.Opex.Dist(Positive).Mean()*(1+a.OptimismBias)*annuity
					if ctl.Lifetime > 0 {
						for y := ctl.Lifetime; y < a.Horizon; y += ctl.Lifetime {
							pv += cx * df[y]
						}
					}
				}
				v = v*annuity - pv
			}
		}
		best = math.Max(best, v)
	}
	return best
}

// TestOptimiserMatchesBruteForce checks, on random instances of up to 10
// controls, that the optimiser's best objective equals brute force over
// every subset, for every objective and kind of constraint, by enumeration
// and by branch and bound alike.
func TestOptimiserMatchesBruteForce(t *testing.T) {
	t.Parallel()
	a := Appraisal{Horizon: 10, Discount: GreenBook(), OptimismBias: 0.1}
	cfg := Config{Draws: 10, Years: 200, Seed: 3}
	for i := range bySize(4, 12) { // the quick tier tries each objective and kind of model once
		r := rand.New(rand.NewPCG(uint64(i), 77))
		nc := 3 + r.IntN(8)
		if i%4 == 3 {
			nc = min(nc, 7) // ΔTVaR brute force simulates every subset
		}
		m := randomModel(r, 2+r.IntN(4), nc, i%3 == 1, i%3 == 2)
		free := NoBudget()
		op0, err := NewOptimiser(m, a, MaxDeltaALE, nil)
		if err != nil {
			t.Fatal(err)
		}
		var all float64
		var allCapex float64
		for c := range m.Controls {
			all += op0.AnnualCost(c)
			allCapex += op0.CapexCost(c)
		}
		for _, cons := range []struct {
			name string
			c    Constraints
		}{
			{"none", free},
			{"annual", Constraints{Annual: all * 0.4, Capex: math.Inf(1)}},
			{"capex", Constraints{Annual: math.Inf(1), Capex: allCapex * 0.5}},
			{"both", Constraints{Annual: all * 0.6, Capex: allCapex * 0.3}},
			{"zero", Constraints{Annual: 0, Capex: 0}},
		} {
			for _, obj := range []Objective{MaxNPV, MaxDeltaALE, MaxDeltaTVaR} {
				if obj == MaxDeltaTVaR && nc > 7 {
					continue
				}
				t.Run(fmt.Sprintf("%d/%s/%s", i, cons.name, obj), func(t *testing.T) {
					var sample *TVaRSample
					if obj == MaxDeltaTVaR {
						sample, err = NewTVaRSample(context.Background(), m, cfg)
						if err != nil {
							t.Fatal(err)
						}
					}
					op, err := NewOptimiser(m, a, obj, sample)
					if err != nil {
						t.Fatal(err)
					}
					want := bruteForce(t, m, a, obj, cons.c, cfg)
					got := op.Best(cons.c)
					if !op.Feasible(got.Portfolio, cons.c) {
						t.Fatalf("Best = %v is infeasible", got.Controls)
					}
					tol := 1e-9 * math.Max(1, math.Abs(want))
					if math.Abs(got.Objective-want) > tol {
						t.Errorf("Best(%s) objective = %.10g (%v); brute force %.10g", cons.name, got.Objective, got.Controls, want)
					}
					if obj != MaxDeltaTVaR {
						bb, _, _ := op.branchAndBound(t.Context(), cons.c, searchNodes, 0)
						if math.Abs(bb.Objective-want) > tol || !bb.Optimal {
							t.Errorf("branchAndBound(%s) objective = %.10g (%v, optimal %v); brute force %.10g", cons.name, bb.Objective, bb.Controls, bb.Optimal, want)
						}
					}
				})
			}
		}
	}
}

// TestFrontierMonotoneAndFeasible checks that more budget never lowers the
// frontier and that no portfolio on it breaks a group or a prerequisite.
func TestFrontierMonotoneAndFeasible(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 9))
	m := randomModel(r, 5, 12, true, true)
	op, err := NewOptimiser(m, Appraisal{Horizon: 10, Discount: GreenBook()}, MaxNPV, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all float64
	for c := range m.Controls {
		all += op.AnnualCost(c)
	}
	var budgets []float64
	for k := range 21 {
		budgets = append(budgets, all*float64(k)/20)
	}
	slices.Reverse(budgets) // any order is allowed
	fr := op.Frontier(AnnualBudget, budgets, NoBudget())
	for i := range fr {
		c := Constraints{Annual: budgets[i], Capex: math.Inf(1)}
		if !op.Feasible(fr[i].Portfolio, c) {
			t.Errorf("budget %g: portfolio %v is infeasible", budgets[i], fr[i].Controls)
		}
		for j := range fr {
			if budgets[j] > budgets[i] && fr[j].Objective < fr[i].Objective {
				t.Errorf("budget %g gives %g < budget %g's %g", budgets[j], fr[j].Objective, budgets[i], fr[i].Objective)
			}
		}
		if want := op.Best(c); math.Abs(want.Objective-fr[i].Objective) > 1e-9*math.Abs(want.Objective) {
			t.Errorf("budget %g: frontier %g; Best %g", budgets[i], fr[i].Objective, want.Objective)
		}
	}
}

// TestChosenPortfolioClosedFormMatchesSimulation checks the closed-form
// ΔALE of a chosen portfolio against its Monte Carlo estimate on common
// random numbers, within 3 standard errors.
func TestChosenPortfolioClosedFormMatchesSimulation(t *testing.T) {
	t.Parallel()
	m := testModel()
	op, err := NewOptimiser(m, Appraisal{Horizon: 10, Discount: GreenBook()}, MaxDeltaALE, nil)
	if err != nil {
		t.Fatal(err)
	}
	ch := op.Best(Constraints{Annual: op.AnnualCost(0) + op.AnnualCost(3) + 1, Capex: math.Inf(1)})
	s := mustSimulate(t, m, []Portfolio{ch.Portfolio}, Config{Draws: bySize(100, 400), Years: 2000, Seed: 17})
	res, err := Appraise(s, Appraisal{Horizon: 10, Discount: GreenBook()})
	if err != nil {
		t.Fatal(err)
	}
	got := res[0]
	if math.Abs(got.DeltaALE.Mean-ch.Objective) > 3*got.DeltaALESE {
		t.Errorf("portfolio %v: simulated ΔALE %.5g ± %.3g; closed form %.5g", ch.Controls, got.DeltaALE.Mean, got.DeltaALESE, ch.Objective)
	}
}

// TestChooseAppraisesOnCommonEvents checks that Choose's portfolios are
// simulated on the run's random numbers: the baseline equals a plain
// simulation's, bit for bit, and the chosen portfolio's simulated ΔALE
// matches its closed form within 3 standard errors.
func TestChooseAppraisesOnCommonEvents(t *testing.T) {
	t.Parallel()
	m := testModel()
	cfg := Config{Draws: 200, Years: 1000, Seed: 23}
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	d, err := Decide(context.Background(), m, DecideOptions{Config: cfg, Appraisal: a, Objective: MaxDeltaALE,
		Constraints: Constraints{Annual: 5e5, Capex: math.Inf(1)}, FrontierKind: AnnualBudget, Frontier: []float64{}})
	if err != nil {
		t.Fatal(err)
	}
	pa := d.Portfolio
	if len(pa.Frontier) < 2 {
		t.Fatalf("default frontier has %d points; want a point for each change of portfolio", len(pa.Frontier))
	}
	plain := mustSimulate(t, m, nil, cfg)
	if !slices.Equal(plain.Loss[0], pa.Sim.Loss[0]) {
		t.Fatal("Choose's baseline differs from a plain simulation's")
	}
	if pa.Result == nil {
		t.Fatal("no portfolio chosen under £500k a year")
	}
	if d := pa.Result.DeltaALE.Mean - pa.Choice.Objective; math.Abs(d) > 3*pa.Result.DeltaALESE {
		t.Errorf("chosen %v: simulated ΔALE %.5g ± %.3g; closed form %.5g", pa.Choice.Controls, pa.Result.DeltaALE.Mean, pa.Result.DeltaALESE, pa.Choice.Objective)
	}
	for i := 1; i < len(pa.Frontier); i++ {
		if pa.Frontier[i].Choice.Objective < pa.Frontier[i-1].Choice.Objective {
			t.Errorf("frontier falls from %g to %g", pa.Frontier[i-1].Choice.Objective, pa.Frontier[i].Choice.Objective)
		}
	}
}

// BenchmarkOptimiser is the workload: exact search over 20
// controls × 10 threats under a budget, and a 21-point frontier, for the
// closed-form NPV objective (by enumeration, and by branch and bound) and
// for ΔTVaR95 on a simulated sample.
func BenchmarkOptimiser(b *testing.B) {
	r := rand.New(rand.NewPCG(20, 10))
	m := randomModel(r, 10, 20, true, true)
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	op, err := NewOptimiser(m, a, MaxNPV, nil)
	if err != nil {
		b.Fatal(err)
	}
	var all float64
	for c := range m.Controls {
		all += op.AnnualCost(c)
	}
	budget := Constraints{Annual: all / 3, Capex: math.Inf(1)}
	b.Run("npv/best", func(b *testing.B) {
		for b.Loop() {
			op.Best(budget)
		}
	})
	b.Run("npv/frontier21", func(b *testing.B) {
		for b.Loop() {
			op.Frontier(AnnualBudget, op.DefaultBudgets(AnnualBudget, 20), NoBudget())
		}
	})
	b.Run("npv/branch-and-bound", func(b *testing.B) {
		for b.Loop() {
			op.branchAndBound(b.Context(), budget, searchNodes, 0)
		}
	})
	sample, err := NewTVaRSample(context.Background(), m, Config{Draws: 50, Years: 200, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	ot, err := NewOptimiser(m, a, MaxDeltaTVaR, sample)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("dtvar/best", func(b *testing.B) {
		for b.Loop() {
			ot.Best(budget)
		}
	})
}

// TestThreatTableMatchesClosedForm checks the optimiser's tables, built by
// threatTable from each mask's parent, against threatALE and threatHarm
// called on each subset's portfolio (the closed form as ClosedFormALE
// evaluates it): equal to the bit, for every threat and subset of twenty
// random models with harm and intensity multipliers, in both views' harm
// weights, and for the test models.
func TestThreatTableMatchesClosedForm(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(11, 12))
	models := []*Model{testModel(), harmModel()}
	for i := range 20 {
		m := randomModel(r, 1+r.IntN(4), 2+r.IntN(9), false, false)
		if i%2 == 0 {
			m.Harm = &Harm{DeathsPerDay: Estimate{0.01 + r.Float64(), 2 + r.Float64()}, QALYsPerDeath: Estimate{3, 8}, ValuePerQALY: 7e4, FullIntensity: Estimate{2 + r.Float64(), 9}}
		}
		for k := range m.Threats {
			if r.IntN(2) == 0 {
				m.Threats[k].KDaily = Estimate{0.5 + r.Float64(), 3 + 5*r.Float64()}
				m.Threats[k].KRecovery = Estimate{0.2 + r.Float64(), 2}
			}
		}
		models = append(models, m)
	}
	for i, m := range models {
		if err := m.Validate(); err != nil {
			t.Fatalf("model %d: %v", i, err)
		}
		f := fit(m)
		for t0, cs := range f.affecting() {
			for _, w := range []float64{0, 1, 0.73} {
				table := f.threatTable(t0, cs, w)
				for mask, got := range table {
					var p Portfolio
					for j, c := range cs {
						if mask&(1<<j) != 0 {
							p = append(p, c)
						}
					}
					if want := f.threatALE(p, t0) + w*f.threatHarm(p, t0); math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("model %d threat %d mask %b weight %g: table %v; closed form %v", i, t0, mask, w, got, want)
					}
				}
			}
		}
	}
}
