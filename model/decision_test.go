package model

import (
	"context"
	"math"
	"slices"
	"testing"
)

// decideTest runs Decide on the test model, with harm and the social view
// when social is set.
func decideTest(t *testing.T, social bool, cons Constraints) (*Model, Appraisal, *Decision) {
	t.Helper()
	m := testModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	if social {
		m = harmModel()
		a.View = Social
	}
	d, err := Decide(context.Background(), m, DecideOptions{
		Config: Config{Draws: 40, Years: 400, Seed: 11}, Appraisal: a, Metric: ByNPV, Constraints: cons, Frontier: []float64{}, Explain: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, a, d
}

// bruteBest returns the subset of m's controls with the greatest expected
// NPV, computed independently of the optimiser: Σ_t closed-form ALE and
// harm per subset, the annuities summed by hand, costs from
// ExpectedCosts.
func bruteBest(m *Model, a Appraisal) (Portfolio, float64) {
	var A, HA float64
	for y := 1; y <= a.Horizon; y++ {
		A += math.Pow(1.035, -float64(y)) // Green Book to year 30
		HA += math.Pow(1.015, -float64(y))
	}
	costs := ExpectedCosts(m, a)
	base := ClosedFormALE(m, nil)
	baseHarm := ClosedFormHarm(m, nil)
	best, bestV := Portfolio(nil), 0.0
	n := len(m.Controls)
	for mask := 1; mask < 1<<n; mask++ {
		var p Portfolio
		var pv float64
		for c := range n {
			if mask&(1<<c) != 0 {
				p = append(p, c)
				pv += costs[c].PV
			}
		}
		v := (base-ClosedFormALE(m, p))*A - pv
		if a.View == Social {
			v += (baseHarm - ClosedFormHarm(m, p)) * HA
		}
		if v > bestV {
			best, bestV = p, v
		}
	}
	return best, bestV
}

// TestDecideRecommendsTheBestSet checks that the recommendation is the
// brute-force best subset in each view, that it is what a budget above the
// cost of everything chooses, and that its build-up's marginal NPVs sum to
// its expected NPV.
func TestDecideRecommendsTheBestSet(t *testing.T) {
	t.Parallel()
	for _, social := range []bool{false, true} {
		m, a, d := decideTest(t, social, NoBudget())
		want, wantV := bruteBest(m, a)
		if got := d.Portfolio.Choice.Portfolio; !slices.Equal(got, want) {
			t.Errorf("social=%v: recommended %v; brute force %v", social, got, want)
		}
		if got := d.Portfolio.Choice.Objective; math.Abs(got-wantV) > 1e-9*math.Abs(wantV) {
			t.Errorf("social=%v: recommended NPV %.10g; brute force %.10g", social, got, wantV)
		}
		var all float64
		for _, c := range ExpectedCosts(m, a) {
			all += c.Annual
		}
		_, _, db := decideTest(t, social, Constraints{Annual: 2 * all, Capex: math.Inf(1)})
		if !slices.Equal(db.Portfolio.Choice.Portfolio, d.Portfolio.Choice.Portfolio) {
			t.Errorf("social=%v: under a budget of twice everything %v; unconstrained %v", social, db.Portfolio.Choice.Portfolio, d.Portfolio.Choice.Portfolio)
		}
		var sum float64
		for _, st := range d.BuildUp {
			sum += st.MarginalNPV
		}
		if math.Abs(sum-wantV) > 1e-9*math.Abs(wantV) {
			t.Errorf("social=%v: build-up marginals sum to %.10g; portfolio NPV %.10g", social, sum, wantV)
		}
		if d.Tornado == nil || math.Abs(d.Tornado.Central-wantV) > 1e-9*math.Abs(wantV) {
			t.Errorf("social=%v: tornado centre %v; want the expected NPV %.10g", social, d.Tornado, wantV)
		}
		// The simulated marginals sum to the simulated portfolio NPV.
		var ssum float64
		for _, st := range d.BuildUp {
			ssum += st.SimNPV
		}
		if rec := d.Recommended; rec == nil || math.Abs(ssum-rec.DecisionSimNPV) > 1e-6*math.Abs(rec.DecisionSimNPV) {
			t.Errorf("social=%v: simulated marginals sum to %g; recommended NPV %v", social, ssum, rec)
		}
	}
}

// TestOneCostPerControl checks that a control's expected cost is the same
// to the penny in its appraisal alone, in the recommended portfolio's sum,
// on the frontier and in ExpectedCosts, and that ExpectedCosts is the
// hand-computed expectation.
func TestOneCostPerControl(t *testing.T) {
	t.Parallel()
	m, a, d := decideTest(t, false, NoBudget())
	costs := ExpectedCosts(m, a)
	for c, r := range d.Results {
		if r.EAC.Mean != costs[c].Annual {
			t.Errorf("%s: EAC %v; ExpectedCosts %v", m.Controls[c].ID, r.EAC.Mean, costs[c].Annual)
		}
		var A float64
		df := a.Discount.Factors(a.Horizon)
		for y := 1; y <= a.Horizon; y++ {
			A += df[y]
		}
		cx := m.Controls[c].Capex.Dist(Positive).Mean()
		ox := m.Controls[c].Opex.Dist(Positive).Mean()
		pv := cx + ox*A
		for y := m.Controls[c].Lifetime; m.Controls[c].Lifetime > 0 && y < a.Horizon; y += m.Controls[c].Lifetime {
			pv += cx * df[y]
		}
		if want := pv / A; math.Abs(costs[c].Annual-want) > 1e-9*want {
			t.Errorf("%s: expected EAC %.10g; hand %.10g", m.Controls[c].ID, costs[c].Annual, want)
		}
	}
	var sum float64
	for _, c := range d.Portfolio.Choice.Portfolio {
		sum += costs[c].Annual
	}
	if rec := d.Recommended; rec != nil && math.Abs(rec.EAC.Mean-sum) > 1e-9*sum {
		t.Errorf("recommended EAC %v; its controls' sum %v", rec.EAC.Mean, sum)
	}
	if d.Portfolio.Choice.Annual != 0 && math.Abs(d.Portfolio.Choice.Annual-sum) > 1e-9*sum {
		t.Errorf("choice's annual cost %v; its controls' sum %v", d.Portfolio.Choice.Annual, sum)
	}
	for _, fp := range d.Portfolio.Frontier {
		if fp.Result != nil && math.Abs(fp.Result.EAC.Mean-fp.Choice.Annual) > 1e-9*fp.Choice.Annual {
			t.Errorf("frontier %v: appraised EAC %v; chosen at %v", fp.Choice.Controls, fp.Result.EAC.Mean, fp.Choice.Annual)
		}
	}
}

// TestFrontierBreakpoints checks that consecutive frontier points differ
// in portfolio and that each names the controls it adds.
func TestFrontierBreakpoints(t *testing.T) {
	t.Parallel()
	_, _, d := decideTest(t, false, NoBudget())
	fr := d.Portfolio.Frontier
	if len(fr) < 2 {
		t.Fatalf("frontier has %d points; want several", len(fr))
	}
	for i := 1; i < len(fr); i++ {
		if slices.Equal(fr[i].Choice.Portfolio, fr[i-1].Choice.Portfolio) {
			t.Errorf("points %d and %d hold the same portfolio %v", i-1, i, fr[i].Choice.Controls)
		}
		if len(fr[i].Added)+len(fr[i].Removed) == 0 {
			t.Errorf("point %d adds and removes nothing", i)
		}
		if fr[i].Choice.Objective < fr[i-1].Choice.Objective {
			t.Errorf("point %d: objective falls from %g to %g", i, fr[i-1].Choice.Objective, fr[i].Choice.Objective)
		}
	}
}

// TestShownSummaries checks that a decision computing only the loss
// summaries it shows gives the recommendation, every build-up step and
// every frontier point (single controls among them) the same summaries as
// a decision computing them all, and the baseline too.
func TestShownSummaries(t *testing.T) {
	t.Parallel()
	m := testModel()
	o := DecideOptions{
		Config: Config{Draws: 20, Years: 400, Seed: 3}, Appraisal: Appraisal{Horizon: 10, Discount: GreenBook()},
		Constraints: Constraints{Annual: 2e5, Capex: math.Inf(1)}, Frontier: []float64{},
	}
	all, err := Decide(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	o.ShownSummaries = true
	shown, err := Decide(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if shown.Baseline.P95 != all.Baseline.P95 || shown.Baseline.TVaR95 != all.Baseline.TVaR95 {
		t.Errorf("baseline P95 %v, TVaR95 %v; want %v, %v", shown.Baseline.P95, shown.Baseline.TVaR95, all.Baseline.P95, all.Baseline.TVaR95)
	}
	singles := 0
	check := func(what string, got, want *Result) {
		t.Helper()
		if (got == nil) != (want == nil) {
			t.Fatalf("%s: result %v against %v", what, got, want)
		}
		if got == nil {
			return
		}
		if len(got.Portfolio) == 1 {
			singles++
		}
		if got.Loss.P95 != want.Loss.P95 || got.Loss.TVaR95 != want.Loss.TVaR95 || got.Loss.P95 == 0 {
			t.Errorf("%s %v: P95 %v, TVaR95 %v; want %v, %v", what, got.Portfolio, got.Loss.P95, got.Loss.TVaR95, want.Loss.P95, want.Loss.TVaR95)
		}
	}
	check("recommendation", shown.Portfolio.Result, all.Portfolio.Result)
	for i := range all.Portfolio.Frontier {
		check("frontier", shown.Portfolio.Frontier[i].Result, all.Portfolio.Frontier[i].Result)
	}
	if singles == 0 {
		t.Error("no single control among the shown portfolios: the test misses the case it is for")
	}
}

// TestFrontierExactBreakpoints checks the default frontier against every
// subset of the test model's controls, independently of the optimiser:
// sorted by yearly cost, each subset whose closed-form NPV beats every
// cheaper one is a breakpoint, at exactly its cost.
func TestFrontierExactBreakpoints(t *testing.T) {
	t.Parallel()
	m, a, d := decideTest(t, false, NoBudget())
	var A float64
	for y := 1; y <= a.Horizon; y++ {
		A += math.Pow(1.035, -float64(y))
	}
	costs := ExpectedCosts(m, a)
	base := ClosedFormALE(m, nil)
	type set struct {
		p         Portfolio
		cost, npv float64
	}
	n := len(m.Controls)
	sets := make([]set, 0, 1<<n)
	for mask := range 1 << n {
		var s set
		for c := range n {
			if mask&(1<<c) != 0 {
				s.p = append(s.p, c)
				s.cost += costs[c].Annual
				s.npv -= costs[c].PV
			}
		}
		s.npv += (base - ClosedFormALE(m, s.p)) * A
		sets = append(sets, s)
	}
	slices.SortStableFunc(sets, func(x, y set) int { return cmpFloat(x.cost, y.cost) })
	var want []set
	for _, s := range sets {
		if len(want) == 0 || s.npv > want[len(want)-1].npv+1e-6*math.Abs(s.npv) {
			want = append(want, s)
		}
	}
	fr := d.Portfolio.Frontier
	if len(fr) != len(want) {
		t.Fatalf("frontier has %d points; brute force %d", len(fr), len(want))
	}
	for i, w := range want {
		if got := fr[i].Choice.Portfolio; !slices.Equal(got, w.p) && len(got)+len(w.p) > 0 {
			t.Errorf("point %d: portfolio %v; brute force %v", i, got, w.p)
		}
		if got := fr[i].Budget; math.Abs(got-w.cost) > 1e-9*w.cost+1e-9 {
			t.Errorf("point %d: breakpoint %.2f; brute force %.2f", i, got, w.cost)
		}
	}
}
