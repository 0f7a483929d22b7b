package model

import (
	"context"
	"math"
	"slices"
	"testing"
)

// TestICERsHandWorked checks the ICER table against a hand-worked example
// in dampack's convention. Sorted by cost (effect descending on ties):
//
//	A (0, 0)  G (50, −1)  B (100, 1)  H (100, 0.5)  C (250, 1.5)  D (300, 3)  E (400, 2.5)  F (600, 4)
//
// G is dominated by A (cheaper, more effect), H by B (as cheap, more
// effect), E by D. Among A, B, C, D, F the ICERs are B 100, C 300, D
// 50/1.5 = 33.3, F 300: C's 300 exceeds D's 33.3, so C is extendedly
// dominated. Among A, B, D, F: B 100, D 200/2 = 100, F 300/1 = 300,
// increasing (B's equals D's, which is not extended dominance), so done.
func TestICERsHandWorked(t *testing.T) {
	t.Parallel()
	names := []string{"A", "B", "C", "D", "E", "F", "G", "H"}
	cost := []float64{0, 100, 250, 300, 400, 600, 50, 100}
	effect := []float64{0, 1, 1.5, 3, 2.5, 4, -1, 0.5}
	got := ICERs(names, cost, effect)
	nan := math.NaN()
	want := []struct {
		name              string
		status            Status
		incC, incE, ratio float64
	}{
		{"A", NonDominated, nan, nan, nan},
		{"B", NonDominated, 100, 1, 100},
		{"D", NonDominated, 200, 2, 100},
		{"F", NonDominated, 300, 1, 300},
		{"C", ExtendedlyDominated, nan, nan, nan},
		{"G", Dominated, nan, nan, nan},
		{"H", Dominated, nan, nan, nan},
		{"E", Dominated, nan, nan, nan},
	}
	if len(got) != len(want) {
		t.Fatalf("ICERs returned %d rows; want %d", len(got), len(want))
	}
	same := func(a Number, b float64) bool {
		return (math.IsNaN(float64(a)) && math.IsNaN(b)) || math.Abs(float64(a)-b) < 1e-12
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name || g.Status != w.status || !same(g.IncCost, w.incC) || !same(g.IncEffect, w.incE) || !same(g.ICER, w.ratio) {
			t.Errorf("row %d = %s %s ΔC %g ΔE %g ICER %g; want %s %s ΔC %g ΔE %g ICER %g",
				i, g.Name, g.Status, g.IncCost, g.IncEffect, g.ICER, w.name, w.status, w.incC, w.incE, w.ratio)
		}
	}
}

// TestICERsCostSaving checks an option that costs less and gains more
// than doing nothing: doing nothing is dominated, and the saving option is
// the reference.
func TestICERsCostSaving(t *testing.T) {
	t.Parallel()
	got := ICERs([]string{"nothing", "saver", "dear"}, []float64{0, -50, 100}, []float64{0, 1, 2})
	if got[0].Name != "saver" || got[0].Status != NonDominated || !math.IsNaN(float64(got[0].ICER)) {
		t.Errorf("first row = %+v; want the saver as reference", got[0])
	}
	if got[1].Name != "dear" || float64(got[1].ICER) != 150 {
		t.Errorf("second row = %+v; want dear with ICER 150/1", got[1])
	}
	if got[2].Name != "nothing" || got[2].Status != Dominated {
		t.Errorf("third row = %+v; want nothing dominated", got[2])
	}
}

// healthAnalysis runs a small social-view analysis.
func healthAnalysis(t *testing.T, draws int) *HealthEconomics {
	t.Helper()
	m := harmModel()
	an, err := Analyse(context.Background(), m, Config{Draws: draws, Years: 200, Seed: 31}, Appraisal{Horizon: 10, Discount: GreenBook()}, ByNPV)
	if err != nil {
		t.Fatal(err)
	}
	he, err := AnalyseHealthEconomics(an, nil)
	if err != nil {
		t.Fatal(err)
	}
	return he
}

// TestAcceptabilitySumsToOne checks that at every value per QALY the
// options' probabilities of being best sum to 1, that the frontier is the
// option with the greatest mean net benefit, and that EVPI is never
// negative.
func TestAcceptabilitySumsToOne(t *testing.T) {
	t.Parallel()
	he := healthAnalysis(t, 60)
	ac := he.Acceptability
	for i, l := range ac.ValuePerQALY {
		var sum float64
		for a := range he.Options {
			p := ac.Prob[a][i]
			if p < 0 || p > 1 {
				t.Errorf("P(best) of %s at £%g = %g; want in [0, 1]", he.Options[a].Name, l, p)
			}
			sum += p
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("acceptability at £%g sums to %.15g; want 1", l, sum)
		}
		nb := he.NetBenefits(l)
		best, bestMean := 0, math.Inf(-1)
		for a := range nb {
			if m, _ := meanVar(nb[a]); m > bestMean {
				best, bestMean = a, m
			}
		}
		if ac.Frontier[i] != best || ac.FrontierProb[i] != ac.Prob[best][i] {
			t.Errorf("frontier at £%g = option %d (P %g); want %d (P %g)", l, ac.Frontier[i], ac.FrontierProb[i], best, ac.Prob[best][i])
		}
		if ac.EVPI[i] < 0 || math.Abs(ac.EVPIPerYear[i]*he.Annuity-ac.EVPI[i]) > 1e-9*math.Abs(ac.EVPI[i]) {
			t.Errorf("EVPI at £%g = %g (per year %g); want ≥ 0 and per year × %g", l, ac.EVPI[i], ac.EVPIPerYear[i], he.Annuity)
		}
	}
	if ac.ValuePerQALY[0] != 0 || ac.ValuePerQALY[len(ac.ValuePerQALY)-1] != 100_000 {
		t.Errorf("grid spans £%g to £%g; want £0 to £100,000", ac.ValuePerQALY[0], ac.ValuePerQALY[len(ac.ValuePerQALY)-1])
	}
}

// TestHealthEconomicsAgreesWithAppraise checks the conditional costs and
// QALYs against the simulation's own appraisal: each control's mean net
// benefit at the Green Book value against its social NPV, and its QALYs
// valued at v against the harm it avoids, each within 4 standard errors
// of the simulated figure (the conditional expectations carry no
// year-to-year noise, the simulation does).
func TestHealthEconomicsAgreesWithAppraise(t *testing.T) {
	t.Parallel()
	m := harmModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	an, err := Analyse(context.Background(), m, Config{Draws: 40, Years: 3000, Seed: 5}, a, ByNPV)
	if err != nil {
		t.Fatal(err)
	}
	he, err := AnalyseHealthEconomics(an, nil)
	if err != nil {
		t.Fatal(err)
	}
	if he.ValuePerQALY != 70000 {
		t.Errorf("value per QALY = %g; want 70000", he.ValuePerQALY)
	}
	for c, r := range an.Results {
		o := he.Options[c+1]
		if o.Name != m.Controls[c].ID {
			t.Fatalf("option %d = %s; want %s", c+1, o.Name, m.Controls[c].ID)
		}
		// Paired per simulated draw: conditional (the table's raw column)
		// − simulated, whose spread is the year-to-year noise of the
		// simulation alone.
		tb := an.Table
		dq := make([]float64, an.Sim.Draws)
		for d := range dq {
			dq[d] = (tb.QALYs[0][d]-tb.QALYs[c+1][d])*he.ValuePerQALY - (an.Sim.HarmDrawMean[0][d] - an.Sim.HarmDrawMean[c+1][d])
		}
		mean, v := meanVar(dq)
		if se := math.Sqrt(v / float64(len(dq))); math.Abs(mean) > 4*se+1e-6 {
			t.Errorf("%s: harm avoided a year, conditional − simulated = %.4g ± %.3g; want 0", o.Name, mean, se)
		}
		// The health-economic net benefit at v is the appraisal's NPV with
		// harm, draw by draw.
		for d := range he.Draws {
			nb := he.Annuity*(-o.CostPerYear[d]) + he.HealthAnnuity*o.QALYsPerYear[d]*he.ValuePerQALY
			if got := r.Draws.SocialNPV[d]; math.Abs(nb-got) > 1e-9*math.Max(math.Abs(got), 1) {
				t.Fatalf("%s: draw %d: net benefit %.10g; appraisal's NPV with harm %.10g", o.Name, d, nb, got)
			}
		}
	}
}

// TestBudgetAcceptability checks that, at each budget of the frontier, the
// probabilities of the affordable portfolios sum to 1 and a portfolio
// dearer than the budget has none.
func TestBudgetAcceptability(t *testing.T) {
	t.Parallel()
	m := harmModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	cfg := Config{Draws: 30, Years: 200, Seed: 3}
	an, err := Analyse(context.Background(), m, cfg, a, ByNPV)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decide(context.Background(), m, DecideOptions{Config: cfg, Appraisal: a, Objective: MaxNPV, Constraints: NoBudget(), Frontier: []float64{}})
	if err != nil {
		t.Fatal(err)
	}
	pa := d.Portfolio
	he, err := AnalyseHealthEconomics(an, pa)
	if err != nil {
		t.Fatal(err)
	}
	ba := he.Budget
	if ba == nil || len(ba.Budgets) != len(pa.Frontier) {
		t.Fatalf("budget acceptability = %+v; want one point per frontier budget", ba)
	}
	for b, budget := range ba.Budgets {
		var sum float64
		for p := range ba.Portfolios {
			if ba.Cost[p] > budget*(1+1e-9) && p != ba.Frontier[b] && ba.Prob[p][b] != 0 {
				t.Errorf("budget %g: %s costs %g yet P(best) = %g", budget, ba.Portfolios[p].Name, ba.Cost[p], ba.Prob[p][b])
			}
			sum += ba.Prob[p][b]
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("budget %g: probabilities sum to %g; want 1", budget, sum)
		}
	}
}

// TestEVPPIKnownOnCyberModel checks each single input's EVPPI, estimated
// by regression on a social-view run's outer draws, against its exact
// value: with every other input random, the expected social NPV of each
// option given the input at x is the optimiser's closed form with the
// input fixed at x, so
//
//	EVPPI = E_x[max_a NPV_a(x)] − max_a E_x[NPV_a(x)]
//
// by quadrature over x's distribution (200 points at its quantiles). The
// estimate must lie within 3 of its standard errors (which count the
// regression's error and the sampling error of the outer draws). Each control's costs are scaled so that its expected social NPV
// alone is zero: the decision is close, and information worth having.
func TestEVPPIKnownOnCyberModel(t *testing.T) {
	skipUnlessLong(t, "a social-view analysis with every EVPPI at 300 draws, and 200 closed forms per input")
	t.Parallel()
	m := harmModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook(), View: Social}
	free := cloneModel(m)
	for c := range free.Controls {
		free.Controls[c].Capex, free.Controls[c].Opex = Estimate{}, Estimate{}
	}
	opFree, err := NewOptimiser(free, a, MaxNPV, nil)
	if err != nil {
		t.Fatal(err)
	}
	op, err := NewOptimiser(m, a, MaxNPV, nil)
	if err != nil {
		t.Fatal(err)
	}
	for c := range m.Controls {
		benefit := opFree.Evaluate(Portfolio{c})
		f := benefit / (benefit - op.Evaluate(Portfolio{c}))
		for _, e := range []*Estimate{&m.Controls[c].Capex, &m.Controls[c].Opex} {
			e.Lo, e.Hi = e.Lo*f, e.Hi*f
		}
	}
	an, err := Analyse(context.Background(), m, Config{Draws: 300, Years: 20, Seed: 11}, a, ByNPV)
	if err != nil {
		t.Fatal(err)
	}
	he, err := AnalyseHealthEconomics(an, nil)
	if err != nil {
		t.Fatal(err)
	}
	const N = 200
	checked := 0
	for _, in := range Inputs(m) {
		if in.PerEvent || in.draw == nil {
			continue
		}
		i := slices.IndexFunc(he.Partial, func(r PartialRow) bool { return r.Name == in.Name() })
		if i < 0 {
			t.Errorf("no EVPPI for %s", in.Name())
			continue
		}
		row := he.Partial[i]
		dist := in.Estimate.Dist(in.Kind)
		best := make([]float64, N)
		means := make([]float64, len(he.Options))
		for k := range N {
			mm := cloneModel(m)
			in.set(mm, Fixed(dist.Quantile((float64(k)+0.5)/N)))
			op, err := NewOptimiser(mm, a, MaxNPV, nil)
			if err != nil {
				t.Fatal(err)
			}
			best[k] = math.Inf(-1)
			for o := range he.Options {
				v := op.Evaluate(he.Options[o].Portfolio)
				means[o] += v / N
				best[k] = math.Max(best[k], v)
			}
		}
		withInfo, _ := meanVar(best)
		known := withInfo - slices.Max(means)
		if math.Abs(row.Value-known) > 3*row.SE {
			t.Errorf("EVPPI of %s = %.4g ± %.3g; want %.4g (exact)", in.Name(), row.Value, row.SE, known)
		}
		t.Logf("%s: regression %.4g ± %.3g, exact %.4g", in.Name(), row.Value, row.SE, known)
		checked++
	}
	if checked < 10 {
		t.Errorf("checked %d inputs; want the model's (at least 10)", checked)
	}
}
