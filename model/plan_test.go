package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// integrate returns ∫_a^b f by composite Simpson's rule on 20,000 panels,
// a second method for the decay's closed-form year means.
func integrate(f func(float64) float64, a, b float64) float64 {
	const n = 20_000
	h := (b - a) / n
	sum := f(a) + f(b)
	for i := 1; i < n; i++ {
		x := a + float64(i)*h
		if i%2 == 1 {
			sum += 4 * f(x)
		} else {
			sum += 2 * f(x)
		}
	}
	return sum * h / 3
}

func TestDecayYearMean(t *testing.T) {
	t.Parallel()
	for _, d := range []Decay{
		{Kind: DecayExponential, L: 0.5},
		{Kind: DecayExponential, L: 13.5},
		{Kind: DecayWeibull, L: 2, K: 0.7},
		{Kind: DecayWeibull, L: 3, K: 2.5},
		{Kind: DecayWeibull, L: 1.5, K: 1},
		{Kind: DecayStep, L: 2.5},
		{Kind: DecayNone},
	} {
		for a := 1; a <= 6; a++ {
			want := integrate(d.w, float64(a-1), float64(a))
			if d.Kind == DecayStep {
				want = math.Min(math.Max(d.L-float64(a-1), 0), 1) // w jumps: Simpson's rule is inexact there
			}
			// Simpson's error is below 1e-12 for smooth w, and about 5e-8
			// next to 0 for a Weibull with k < 1 (w' is singular there; the
			// error is O(h^{1+k}), h = 5e-5).
			tol := 1e-11
			if d.Kind == DecayWeibull && d.K < 1 {
				tol = 1e-7
			}
			if got := d.YearMean(a); math.Abs(got-want) > tol {
				t.Errorf("%+v.YearMean(%d) = %.12g; want %.12g (Simpson)", d, a, got, want)
			}
		}
	}
	// Weibull with k = 1 is exponential with mean life L, half-life L·ln2.
	w, e := Decay{Kind: DecayWeibull, L: 2, K: 1}, Decay{Kind: DecayExponential, L: 2 * math.Ln2}
	for a := 1; a <= 5; a++ {
		if got, want := w.YearMean(a), e.YearMean(a); math.Abs(got-want) > 1e-12 {
			t.Errorf("Weibull k=1 year %d = %g; want exponential's %g", a, got, want)
		}
	}
}

func TestControlWeight(t *testing.T) {
	t.Parallel()
	exp := Decay{Kind: DecayExponential, L: 1}
	for _, tc := range []struct {
		name string
		c    Control
		s    int
		want []float64 // years 1..len
	}{
		{"immediate", Control{}, 2, []float64{0, 1, 1, 1}},
		{"linear over 3", Control{Rollout: Rollout{Years: 3}}, 1, []float64{1. / 3, 2. / 3, 1, 1}},
		{"step over 3", Control{Rollout: Rollout{Years: 3, Shape: RolloutStep}}, 2, []float64{0, 0, 0, 1, 1}},
		{"half-life 1, never renewed", Control{Decay: exp}, 1, []float64{exp.YearMean(1), exp.YearMean(2), exp.YearMean(3)}},
		{"half-life 1, renewed every 2 years", Control{Lifetime: 2, Decay: exp}, 1, []float64{exp.YearMean(1), exp.YearMean(2), exp.YearMean(1), exp.YearMean(2)}},
		{"linear over 2 and decaying", Control{Rollout: Rollout{Years: 2}, Decay: exp}, 1, []float64{0.5 * exp.YearMean(1), exp.YearMean(2)}},
	} {
		for y, want := range tc.want {
			if got := tc.c.Weight(tc.s, y+1); math.Abs(got-want) > 1e-15 {
				t.Errorf("%s: Weight(%d, %d) = %g; want %g", tc.name, tc.s, y+1, got, want)
			}
		}
	}
}

// timeModel is a small model with trends, rollouts and decays.
func timeModel(trend Estimate) *Model {
	return &Model{
		Scope: "test", Orgs: 50,
		Daily: Fixed(1e5), Recovery: Fixed(4e5),
		Threats: []Threat{
			{ID: "T1", Rate: Estimate{0.5, 2}, Spread: Estimate{1, 10}, Duration: Estimate{2, 20}, Fixed: Estimate{1e5, 1e6}, KDaily: Estimate{1, 3}, Trend: trend},
			{ID: "T2", Rate: Estimate{1, 3}, Spread: Estimate{1, 3}, Duration: Estimate{1, 5}, Fixed: Estimate{5e4, 5e5}, Trend: Estimate{0, 0.05}},
		},
		Controls: []Control{
			{ID: "A", Capex: Fixed(1e6), Opex: Fixed(1e5), Lifetime: 5,
				Effects: []Effect{{Threat: "T1", Frequency: Estimate{0.3, 0.6}, Duration: Estimate{0.1, 0.3}}},
				Rollout: Rollout{Years: 3}},
			{ID: "B", Capex: Fixed(2e5), Opex: Fixed(3e5), Lifetime: 1,
				Effects: []Effect{{Threat: "T1", Frequency: Estimate{0.1, 0.3}}, {Threat: "T2", Frequency: Estimate{0.2, 0.5}}},
				Decay:   Decay{Kind: DecayExponential, L: 0.5}},
			{ID: "C", Capex: Fixed(5e5), Opex: Fixed(5e4),
				Effects: []Effect{{Threat: "T2", Spread: Estimate{0.2, 0.6}, Fixed: Estimate{0.1, 0.4}}},
				Decay:   Decay{Kind: DecayWeibull, L: 4, K: 1.5}, Rollout: Rollout{Years: 2, Shape: RolloutStep}},
		},
	}
}

func testAppraisal(h int) Appraisal {
	return Appraisal{Horizon: h, Discount: GreenBook()}
}

// within fails unless got is within k standard errors of want.
func within(t *testing.T, what string, got, se, want float64) {
	t.Helper()
	const k = 4 // a 4-SE band: a false alarm about once in 16,000 checks
	if math.Abs(got-want) > k*se {
		t.Errorf("%s: simulated %.6g ± %.3g; closed form %.6g (off by %.1f SE)", what, got, se, want, math.Abs(got-want)/se)
	}
}

// TestTrendRaisesYearFive: a trend of +20% a year raises the baseline's
// expected loss in year 5 by 1.2⁴ against year 1, in the closed form
// exactly and in the simulation within Monte Carlo error.
func TestTrendRaisesYearFive(t *testing.T) {
	t.Parallel()
	m := timeModel(Fixed(0.2))
	m.Threats[1].Trend = Fixed(0.2)
	p, err := NewPlanner(m, testAppraisal(10), YearBudgets{Labels: []string{"y1"}, Amounts: []float64{1e6}})
	if err != nil {
		t.Fatal(err)
	}
	a1, _ := p.BaselineLoss(1)
	a5, _ := p.BaselineLoss(5)
	if r := a5 / a1; math.Abs(r-math.Pow(1.2, 4)) > 1e-12 {
		t.Errorf("closed form year 5 / year 1 = %.15g; want 1.2⁴ = %.15g", r, math.Pow(1.2, 4))
	}
	if a1 != ClosedFormALE(m, nil) {
		t.Errorf("year 1's baseline %g differs from the static closed form %g", a1, ClosedFormALE(m, nil))
	}
	cfg := Config{Draws: 200, Years: 1000, Seed: 7}
	var mean, se [6]float64
	for _, y := range []int{1, 5} {
		s, err := SimulatePlanYear(context.Background(), m, nil, y, cfg)
		if err != nil {
			t.Fatal(err)
		}
		mean[y], se[y] = s.meanSE(0)
		want, _ := p.BaselineLoss(y)
		within(t, fmt.Sprintf("baseline year %d", y), mean[y], se[y], want)
	}
	// The ratio's standard error by the delta method; the two years share
	// their random numbers, so this (independent) bound is conservative.
	r := mean[5] / mean[1]
	rse := r * math.Hypot(se[5]/mean[5], se[1]/mean[1])
	within(t, "year 5 / year 1", r, rse, math.Pow(1.2, 4))
}

// TestPlanYearSimulation: year y's simulated loss under a plan with
// rollouts, decays and uncertain trends agrees with the closed form.
func TestPlanYearSimulation(t *testing.T) {
	t.Parallel()
	m := timeModel(Estimate{0, 0.2})
	a := testAppraisal(6)
	p, err := NewPlanner(m, a, YearBudgets{Labels: []string{"y1", "y2", "y3"}, Amounts: []float64{1e9, 1e9, 1e9}})
	if err != nil {
		t.Fatal(err)
	}
	plans := []Plan{{Start: []int{1, 2, 1}}, {Start: []int{3, 1, 2}}}
	cfg := Config{Draws: 200, Years: 500, Seed: 11}
	for _, y := range []int{1, 2, 4, 6} {
		s, err := SimulatePlanYear(context.Background(), m, plans, y, cfg)
		if err != nil {
			t.Fatal(err)
		}
		base, _ := p.BaselineLoss(y)
		mean0, se := s.meanSE(0)
		within(t, fmt.Sprintf("year %d baseline", y), mean0, se, base)
		for i, pl := range plans {
			want, _ := p.YearLoss(pl, y)
			mean, se := s.meanSE(i + 1)
			within(t, fmt.Sprintf("year %d plan %v", y, pl.Start), mean, se, want)
			// The difference from the baseline, on common random numbers.
			within(t, fmt.Sprintf("year %d plan %v ΔALE", y, pl.Start), mean0-mean, s.DeltaSE(i+1), base-want)
		}
	}
}

// handModel is the hand-worked example: one threat of one event a year
// costing 100, three controls cutting its frequency, three years at no
// discount.
//
//	A: capex 30, halves the rate, immediate and lasting.
//	B: opex 10 a year, halves the rate, rolled out linearly over 2 years.
//	C: capex 10, cuts the rate by 40% for one year (a step decay at L = 1).
//
// Budgets (capital and running together) 30, 20, 20. A can start only in
// year 1 (its 30 fits no other year), filling it. The best plan starts A
// in year 1, B and C in year 2:
//
//	year 1: 100·0.5                 = 50
//	year 2: 100·0.5·(1−0.5·0.5)·0.6 = 22.5
//	year 3: 100·0.5·0.5             = 25
//
// avoided 50 + 77.5 + 75 = 202.5, costs 30 + 20 + 10 = 60: NPV 142.5.
// Next best: without C 137.5 (avoided 187.5, costs 50), C in year 3 137.5.
// Starting everything in year 1 allows A alone (NPV 150 − 30 = 120), or B
// and C (avoided 55 + 50 + 50, costs 40: 115): the value of phasing is
// 142.5 − 120 = 22.5.
func handModel() (*Model, Appraisal, YearBudgets) {
	m := &Model{
		Scope: "hand", Orgs: 1, Daily: Fixed(0), Recovery: Fixed(0),
		Threats: []Threat{{ID: "T", Rate: Fixed(1), Spread: Fixed(1), Duration: Fixed(1), Fixed: Fixed(100)}},
		Controls: []Control{
			{ID: "A", Capex: Fixed(30), Opex: Fixed(0), Effects: []Effect{{Threat: "T", Frequency: Fixed(0.5)}}},
			{ID: "B", Capex: Fixed(0), Opex: Fixed(10), Effects: []Effect{{Threat: "T", Frequency: Fixed(0.5)}}, Rollout: Rollout{Years: 2}},
			{ID: "C", Capex: Fixed(10), Opex: Fixed(0), Effects: []Effect{{Threat: "T", Frequency: Fixed(0.4)}}, Decay: Decay{Kind: DecayStep, L: 1}},
		},
	}
	a := Appraisal{Horizon: 3, Discount: FlatDiscount(0)}
	b := YearBudgets{Labels: []string{"2026-27", "2027-28", "2028-29"}, Amounts: []float64{30, 20, 20}, Kind: PlanBoth}
	return m, a, b
}

func TestHandWorkedPlan(t *testing.T) {
	t.Parallel()
	m, a, b := handModel()
	p, err := NewPlanner(m, a, b)
	if err != nil {
		t.Fatal(err)
	}
	best, err := p.Best(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 2, 2}; !slices.Equal(best.Plan.Start, want) || math.Abs(best.NPV-142.5) > 1e-12 || !best.Optimal {
		t.Errorf("Best = %v, NPV %g, optimal %v; want %v, NPV 142.5, proven", best.Plan.Start, best.NPV, best.Optimal, want)
	}
	for y, want := range []float64{50, 22.5, 25} {
		if got, _ := p.YearLoss(best.Plan, y+1); math.Abs(got-want) > 1e-12 {
			t.Errorf("YearLoss(year %d) = %g; want %g", y+1, got, want)
		}
	}
	if got, want := p.Spend(best.Plan), []float64{30, 20, 10}; !slices.Equal(got, want) {
		t.Errorf("Spend = %v; want %v", got, want)
	}
	for _, tc := range []struct {
		start []int
		npv   float64
	}{{[]int{1, 2, 0}, 137.5}, {[]int{1, 2, 3}, 137.5}, {[]int{0, 1, 1}, 115}, {[]int{1, 0, 0}, 120}} {
		if got := p.NPV(Plan{Start: tc.start}); math.Abs(got-tc.npv) > 1e-12 {
			t.Errorf("NPV(%v) = %g; want %g", tc.start, got, tc.npv)
		}
	}
	one, err := p.BestYearOne(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 0, 0}; !slices.Equal(one.Plan.Start, want) || math.Abs(one.NPV-120) > 1e-12 {
		t.Errorf("BestYearOne = %v, NPV %g; want %v, NPV 120", one.Plan.Start, one.NPV, want)
	}
}

// bruteForcePlan returns the best feasible plan over every assignment of start
// years 0..maxStart, ties to the first in lexicographic order.
func bruteForcePlan(p *Planner, maxStart int) (Plan, float64) {
	n := len(p.m.Controls)
	start := make([]int, n)
	var best Plan
	bestV := math.Inf(-1)
	for {
		pl := Plan{Start: slices.Clone(start)}
		if p.Feasible(pl) {
			if v := p.NPV(pl); v > bestV {
				best, bestV = pl, v
			}
		}
		i := 0
		for ; i < n; i++ {
			start[i]++
			if start[i] <= maxStart {
				break
			}
			start[i] = 0
		}
		if i == n {
			return best, bestV
		}
	}
}

// randomTimeModel returns a model of 7 controls on 3 threats with random
// costs, effects, rollouts, decays, an exclusive group and a prerequisite.
func randomTimeModel(seed uint64) *Model {
	r := rand.New(rand.NewPCG(seed, 1))
	m := timeModel(Estimate{0, 0.2})
	m.Threats = append(m.Threats, Threat{ID: "T3", Rate: Estimate{2, 6}, Spread: Fixed(1), Duration: Estimate{1, 4}, Fixed: Estimate{1e4, 1e5}, Trend: Estimate{-0.05, 0.1}})
	m.Controls = nil
	decays := []Decay{{}, {Kind: DecayExponential, L: 0.5 + 5*r.Float64()}, {Kind: DecayWeibull, L: 1 + 4*r.Float64(), K: 0.5 + 2*r.Float64()}, {Kind: DecayStep, L: 1 + 3*r.Float64()}}
	for c := range 7 {
		ctl := Control{
			ID: fmt.Sprintf("C%d", c), Capex: Fixed(math.Round(2e6 * r.Float64())), Opex: Fixed(math.Round(4e5 * r.Float64())),
			Lifetime: r.IntN(4), Rollout: Rollout{Years: r.IntN(4)}, Decay: decays[r.IntN(len(decays))],
		}
		if r.IntN(2) == 0 {
			ctl.Rollout.Shape = RolloutStep
		}
		for _, th := range []string{"T1", "T2", "T3"} {
			if r.IntN(2) == 0 {
				lo := 0.5 * r.Float64()
				ctl.Effects = append(ctl.Effects, Effect{Threat: th, Frequency: Estimate{lo, lo + 0.3}, Spread: Fixed(0.3 * r.Float64()), Duration: Fixed(0.2 * r.Float64())})
			}
		}
		m.Controls = append(m.Controls, ctl)
	}
	m.Controls[1].Group, m.Controls[2].Group = "g", "g"
	m.Controls[4].Requires = []string{"C3"}
	return m
}

// TestPlanBranchAndBoundBruteForce: the branch and bound's plan is the
// brute-force best over all start-year assignments, and never overspends.
func TestPlanBranchAndBoundBruteForce(t *testing.T) {
	t.Parallel()
	for seed := range uint64(6) {
		for _, kind := range []PlanBudgetKind{PlanBoth, PlanCapital, PlanRunning, PlanAnnual} {
			m := randomTimeModel(seed)
			a := testAppraisal(8)
			a.View = Financial
			b := YearBudgets{Labels: []string{"y1", "y2", "y3"}, Amounts: []float64{1.5e6, 1e6, 2e6}, Kind: kind}
			p, err := NewPlanner(m, a, b)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Best(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want, wantV := bruteForcePlan(p, 3)
			if !got.Optimal || math.Abs(got.NPV-wantV) > 1e-9*math.Abs(wantV) {
				t.Errorf("seed %d %s: Best = %v NPV %.10g (%s); brute force %v NPV %.10g", seed, kind, got.Plan.Start, got.NPV, got.Method, want.Start, wantV)
			}
			if !p.Feasible(got.Plan) {
				t.Errorf("seed %d %s: plan %v infeasible", seed, kind, got.Plan.Start)
			}
			for y, v := range p.Spend(got.Plan) {
				if v > b.Amounts[y] {
					t.Errorf("seed %d %s: year %d spend %g over budget %g", seed, kind, y+1, v, b.Amounts[y])
				}
			}
			one, err := p.BestYearOne(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			_, oneV := bruteForcePlan(p, 1)
			if math.Abs(one.NPV-oneV) > 1e-9*math.Abs(oneV) || one.NPV > got.NPV {
				t.Errorf("seed %d %s: BestYearOne NPV %.10g; brute force %.10g (phased %.10g)", seed, kind, one.NPV, oneV, got.NPV)
			}
		}
	}
}

// TestPlanStaticEqualsPortfolio: with no trend, immediate rollout, no
// decay and the same equivalent-annual-cost budget every year, the best
// plan starts today's best portfolio in year 1, with its NPV bit for bit.
// The lifetimes divide the horizon: a renewal that would buy only the
// horizon's last year or two can make a later start worth more (a real
// cash-flow effect the static appraisal cannot take), and then the plan
// rightly differs.
func TestPlanStaticEqualsPortfolio(t *testing.T) {
	t.Parallel()
	for seed := range uint64(4) {
		m := randomTimeModel(seed)
		for i := range m.Threats {
			m.Threats[i].Trend = Estimate{}
		}
		for i := range m.Controls {
			m.Controls[i].Rollout, m.Controls[i].Decay = Rollout{}, Decay{}
			m.Controls[i].Lifetime = []int{0, 1, 2, 5, 10}[i%5]
		}
		a := testAppraisal(10)
		op, err := NewOptimiser(m, a, MaxNPV, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, budget := range []float64{3e5, 8e5, 2e6} {
			want := op.Best(Constraints{Annual: budget, Capex: math.Inf(1)})
			p, err := NewPlanner(m, a, YearBudgets{Labels: []string{"a", "b", "c"}, Amounts: []float64{budget, budget, budget}, Kind: PlanAnnual})
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Best(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var starts []int
			for c, s := range got.Plan.Start {
				if s > 1 {
					t.Errorf("seed %d budget %g: control %d starts in year %d", seed, budget, c, s)
				}
				if s == 1 {
					starts = append(starts, c)
				}
			}
			if !slices.Equal(Portfolio(starts), want.Portfolio) || got.NPV != want.Objective {
				t.Errorf("seed %d budget %g: plan %v NPV %v; today's portfolio %v NPV %v", seed, budget, starts, got.NPV, want.Portfolio, want.Objective)
			}
		}
	}
}

// TestPlanNPVByYear: summed year by year, a static plan's NPV is the
// portfolio search's (a second method), in the financial and the social
// view.
func TestPlanNPVByYear(t *testing.T) {
	t.Parallel()
	m := randomTimeModel(2)
	for i := range m.Threats {
		m.Threats[i].Trend = Estimate{}
		m.Threats[i].KDaily = Estimate{2, 8}
	}
	for i := range m.Controls {
		m.Controls[i].Rollout, m.Controls[i].Decay = Rollout{}, Decay{}
	}
	m.Harm = &Harm{DeathsPerDay: Estimate{0.2, 2}, QALYsPerDeath: Estimate{3, 8}, ValuePerQALY: 7e4, FullIntensity: Estimate{5, 7.5}}
	for _, view := range []View{Financial, Social} {
		a := testAppraisal(10)
		a.View = view
		op, err := NewOptimiser(m, a, MaxNPV, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewPlanner(m, a, YearBudgets{Labels: []string{"a"}, Amounts: []float64{1e9}})
		if err != nil {
			t.Fatal(err)
		}
		for _, pf := range []Portfolio{{0}, {1, 3}, {0, 2, 4, 5, 6}} {
			pl := Plan{Start: make([]int, len(m.Controls))}
			for _, c := range pf {
				pl.Start[c] = 1
			}
			want := op.Evaluate(pf)
			if got := p.npvByYear(pl); math.Abs(got-want) > 1e-9*math.Abs(want) {
				t.Errorf("%s view, %v: NPV by year %.12g; portfolio search %.12g", view, pf, got, want)
			}
		}
	}
}

// BenchmarkPlanBest times the branch and bound on a random model of 7
// controls over three budget years, and NPV, the closed form it rests on.
func BenchmarkPlanBest(b *testing.B) {
	p, err := NewPlanner(randomTimeModel(1), testAppraisal(10), YearBudgets{Labels: []string{"a", "b", "c"}, Amounts: []float64{1.5e6, 1e6, 2e6}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Best(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlanNPV(b *testing.B) {
	p, err := NewPlanner(randomTimeModel(1), testAppraisal(10), YearBudgets{Labels: []string{"a", "b", "c"}, Amounts: []float64{1.5e6, 1e6, 2e6}})
	if err != nil {
		b.Fatal(err)
	}
	pl := Plan{Start: []int{1, 0, 2, 3, 1, 0, 2}}
	b.ReportAllocs()
	for b.Loop() {
		p.NPV(pl)
	}
}

// TestPlanSearchStops: a search that spends its node budget returns the
// best plan it found, feasible, and says it is NOT proven best; a
// cancelled context stops it with the context's error.
func TestPlanSearchStops(t *testing.T) {
	t.Parallel()
	p, err := NewPlanner(randomTimeModel(3), testAppraisal(8), YearBudgets{Labels: []string{"a", "b", "c"}, Amounts: []float64{1.5e6, 1e6, 2e6}})
	if err != nil {
		t.Fatal(err)
	}
	full, err := p.Best(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p.nodes = 5
	got, err := p.Best(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.Optimal || !strings.Contains(got.Method, "NOT proven best") || !p.Feasible(got.Plan) || got.NPV > full.NPV {
		t.Errorf("stopped search: %v NPV %g optimal %v (%s); want a feasible plan no better than %g, NOT proven best", got.Plan.Start, got.NPV, got.Optimal, got.Method, full.NPV)
	}
	p.nodes = 0
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Best(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Best(cancelled) error = %v; want context.Canceled", err)
	}
}
