package model

import (
	"math"
	"testing"
)

// handSim is a two-draw, one-year simulation built by hand: baseline losses
// 1000 and 3000, the option's 600 and 2000, so ΔALE is 400 and 1000.
func handSim(bias float64) *Sim {
	// The model states the costs drawn below, so that the exact expected
	// costs Appraise reports are the same.
	m := &Model{Orgs: 1, Controls: []Control{{ID: "c", Lifetime: 3, Capex: Fixed(1000), Opex: Fixed(100)}}}
	if !math.IsNaN(bias) {
		m.Controls[0].OptimismBias = Fixed(bias)
	}
	return &Sim{
		Model: m, Options: []Portfolio{{}, {0}}, Draws: 2, Years: 1,
		Loss:     [][]float64{{1000, 3000}, {600, 2000}},
		DrawMean: [][]float64{{1000, 3000}, {600, 2000}},
		DrawP95:  [][]float64{{1000, 3000}, {600, 2000}},
		Capex:    [][]float64{{1000}, {1000}},
		Opex:     [][]float64{{100}, {100}},
		Bias:     [][]float64{{bias}, {bias}},
	}
}

// appraiseHand appraises a hand-built simulation, taking each draw's
// simulated mean loss as its exact conditional expectation and their mean
// as the closed form, so that the appraisal's arithmetic can be checked
// by hand.
func appraiseHand(s *Sim, a Appraisal) ([]Result, error) {
	f := fit(s.Model)
	_, annuity, capexPV := a.presentValues(s.Model)
	O, C, D := len(s.Options), len(s.Model.Controls), s.Draws
	t := &DrawTable{
		Seed: s.Seed, Draws: D, Options: s.Options, Annuity: annuity, HealthAnnuity: a.healthAnnuity(),
		ALE: s.DrawMean, PVCost: matrix(O, D), Capex: matrix(C, D), Opex: matrix(C, D), Uplift: matrix(C, D),
		ExpectedALE: make([]float64, O), ExpectedPVCost: make([]float64, O),
	}
	_, cxf, oxf := costFactors(s, a)
	exact := expectedCosts(f, a)
	t.CapexPV, t.ExpectedCapex, t.ExpectedOpex = capexPV, make([]float64, C), make([]float64, C)
	for c, e := range exact {
		t.ExpectedCapex[c], t.ExpectedOpex[c] = e.Capex, e.Opex
	}
	for o, p := range s.Options {
		t.ExpectedALE[o], _ = meanVar(s.DrawMean[o])
		for _, c := range p {
			t.ExpectedPVCost[o] += exact[c].PV
			for d := range D {
				t.Capex[c][d], t.Opex[c][d] = s.Capex[d][c]*cxf[d][c], s.Opex[d][c]*oxf[d][c]
				t.Uplift[c][d] = uplift(s, a, d, c)
				t.PVCost[o][d] += t.Capex[c][d]*capexPV[c] + t.Opex[c][d]*annuity
			}
		}
	}
	t.derive()
	var options []int
	for o := 1; o < O; o++ {
		options = append(options, o)
	}
	return appraiseOptions(s, t, a, options, func(o int) Summary { return s.Summaries()[o] })
}

// TestAppraiseHandWorked checks NPV, BCR, EAC, ROSI and payback against a
// hand computation (10% flat, 5 years, capex 1000 renewed in year 3, opex
// 100): annuity Σ1.1^-y = 3.790787, PV(cost) = 1000·(1 + 1.1^-3) + 100·A =
// 2130.3935.
func TestAppraiseHandWorked(t *testing.T) {
	t.Parallel()
	res, err := appraiseHand(handSim(math.NaN()), Appraisal{Horizon: 5, Discount: FlatDiscount(0.10)})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"PVCost", r.PVCost.Mean, 2130.3934778424223},
		{"NPV", r.DecisionNPV.Mean, 523.1572607434914},
		{"NPV lo", r.DecisionNPV.Lo, -614.0787700790431},
		{"NPV hi", r.DecisionNPV.Hi, 1660.3932915660257},
		{"BCR", r.BCR.Mean, 1.245568373253435},
		{"BCR lo", r.BCR.Lo, 0.7117533561448199},
		{"EAC", r.EAC.Mean, 561.9924325563873},
		{"ROSI", r.ROSI.Mean, 0.2455683732534349},
		{"ΔALE", r.DeltaALE.Mean, 700},
		{"P(NPV>0)", r.PNPVPositive, 0.5},
		{"payback", float64(r.Payback), 2},
		// Draw 0 (net 300/yr, renewal in year 3) never pays back: 6 = H+1.
		{"payback lo", float64(r.PaybackLo), 2},
		{"payback hi", float64(r.PaybackHi), 6},
	} {
		if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %.12g; want %.12g", c.name, c.got, c.want)
		}
	}
	// ΔALE's standard error by batch means: sd{400, 1000}/√2 = 300.
	if math.Abs(r.DeltaALESE-300) > 1e-9 {
		t.Errorf("ΔALE SE = %g; want 300", r.DeltaALESE)
	}
}

// TestOptimismBiasUplift checks that a 20% uplift lowers NPV by exactly 20%
// of the present value of costs, whether set on the control or the
// appraisal.
func TestOptimismBiasUplift(t *testing.T) {
	t.Parallel()
	const want = 97.07856517500704 // 700·A − 1.2·2130.3935
	for _, c := range []struct {
		name string
		s    *Sim
		bias float64 // the appraisal's uplift; the control's own wins when set
	}{
		{"appraisal", handSim(math.NaN()), 0.2},
		{"control", handSim(0.2), 0.9},
	} {
		name, s, a := c.name, c.s, Appraisal{Horizon: 5, Discount: FlatDiscount(0.10), OptimismBias: c.bias}
		res, err := appraiseHand(s, a)
		if err != nil {
			t.Fatal(err)
		}
		if got := res[0].DecisionNPV.Mean; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s uplift: NPV = %.12g; want %.12g", name, got, want)
		}
	}
}

func TestGreenBookFactors(t *testing.T) {
	t.Parallel()
	df := GreenBook().Factors(40)
	want30 := math.Pow(1.035, -30)
	want40 := want30 * math.Pow(1.03, -10)
	if math.Abs(df[30]-want30) > 1e-12 || math.Abs(df[40]-want40) > 1e-12 {
		t.Errorf("GreenBook DF(30), DF(40) = %g, %g; want %g, %g", df[30], df[40], want30, want40)
	}
}

func TestRankOrderAndProbabilities(t *testing.T) {
	t.Parallel()
	rs := []Result{
		{Controls: []string{"a"}, MoneyNPV: Interval{Mean: 5}, Draws: DrawValues{MoneyNPV: []float64{3, 9, 5, 5}}},
		{Controls: []string{"b"}, MoneyNPV: Interval{Mean: 7}, Draws: DrawValues{MoneyNPV: []float64{8, 6, 7, 7}}},
		{Controls: []string{"c"}, MoneyNPV: Interval{Mean: 5}, Draws: DrawValues{MoneyNPV: []float64{2, 2, math.NaN(), 3}}},
	}
	rk := Rank(rs, ByNPV)
	if want := []int{1, 0, 2}; !equalInts(rk.Order, want) {
		t.Errorf("Order = %v; want %v (ties broken by ID)", rk.Order, want)
	}
	// b is first in draws 0, 2, 3; a first in draw 1.
	if got := rk.Prob[1][0]; got != 0.75 {
		t.Errorf("P(b ranks 1) = %g; want 0.75", got)
	}
	if got := rk.Prob[2][2]; got != 1 {
		t.Errorf("P(c ranks 3) = %g; want 1 (NaN ranks last)", got)
	}
	for i, p := range rk.Prob {
		var s float64
		for _, x := range p {
			s += x
		}
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("rank probabilities of %d sum to %g", i, s)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCalibrateWannaCry checks the fit on the WannaCry target: the replay's
// closed-form mean is £92m exactly with the £19m/£73m split, and the
// simulated replay lands within 0.5% of it and within 4 standard errors.
func TestCalibrateWannaCry(t *testing.T) {
	t.Parallel()
	tg := Target{Spread: Estimate{80, 81}, Duration: Estimate{5, 7}, LostOutput: 19e6, IT: 73e6, Deflator: 1.2981}
	c, err := Calibrate(tg, 1)
	if err != nil {
		t.Fatal(err)
	}
	rp := c.Replay
	if math.Abs(rp.Mean-92e6) > 1 || math.Abs(rp.LostOutput-19e6) > 1 || math.Abs(rp.IT-73e6) > 1 {
		t.Errorf("replay mean = %.0f (%.0f + %.0f); want 92e6 (19e6 + 73e6)", rp.Mean, rp.LostOutput, rp.IT)
	}
	if math.Abs(rp.SimMean-92e6) > 0.005*92e6 || math.Abs(rp.SimMean-92e6) > 4*rp.SE {
		t.Errorf("simulated replay mean = %.0f ± %.0f; want 92e6 within 0.5%% and 4 SE", rp.SimMean, rp.SE)
	}
	if !(rp.P5 < 92e6 && 92e6 < rp.P95) {
		t.Errorf("replay 90%% interval [%g, %g] excludes £92m", rp.P5, rp.P95)
	}
	// Hand check of the rates: E[S] = exp(μ+σ²/2) with μ = ln√(80·81).
	es := math.Sqrt(80*81) * math.Exp(math.Pow(math.Log(81.0/80)/(2*z95), 2)/2)
	ed := math.Sqrt(5*7) * math.Exp(math.Pow(math.Log(7.0/5)/(2*z95), 2)/2)
	if want := 19e6 / (es * ed); math.Abs(c.Daily-want) > 1e-6*want {
		t.Errorf("Daily = %g; want %g", c.Daily, want)
	}
	if want := 73e6 / es * 1.2981; math.Abs(c.RecoveryNow-want) > 1e-6*want {
		t.Errorf("RecoveryNow = %g; want %g", c.RecoveryNow, want)
	}
}

// TestFortyYearNPV checks a 40-year NPV against a hand computation with the
// Green Book schedule: 3.5% for years 1–30, 3.0% for 31–40. Benefit 700 a
// year (ΔALE), opex 100, capex 1000 renewed every 3 years.
func TestFortyYearNPV(t *testing.T) {
	t.Parallel()
	df := func(y int) float64 {
		if y <= 30 {
			return math.Pow(1.035, -float64(y))
		}
		return math.Pow(1.035, -30) * math.Pow(1.03, -float64(y-30))
	}
	var want float64
	for y := 1; y <= 40; y++ {
		want += (700 - 100) * df(y)
	}
	want -= 1000 // year 0
	for y := 3; y < 40; y += 3 {
		want -= 1000 * df(y)
	}
	res, err := appraiseHand(handSim(math.NaN()), Appraisal{Horizon: 40, Discount: GreenBook()})
	if err != nil {
		t.Fatal(err)
	}
	if got := res[0].DecisionNPV.Mean; math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Errorf("40-year NPV = %.10g; want %.10g", got, want)
	}
}
