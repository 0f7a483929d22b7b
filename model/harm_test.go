package model

import (
	"context"
	"math"
	"slices"
	"testing"
)

func harmModel() *Model {
	m := testModel()
	m.Harm = &Harm{DeathsPerDay: Estimate{0.2, 2}, QALYsPerDeath: Estimate{3, 8}, ValuePerQALY: 70000, FullIntensity: Estimate{5, 7.5}}
	return m
}

// TestFullShare checks E[min(k_d/k_full, 1)] against hand values for fixed
// intensities and against a seeded Monte Carlo mean (1e6 draws; tolerance
// 4 standard errors of that mean) for lognormal ones.
func TestFullShare(t *testing.T) {
	t.Parallel()
	fixed := func(x float64) Dist { return Fixed(x).Dist(Positive) }
	for _, tt := range []struct{ kd, kf, want float64 }{{10, 5, 1}, {2.5, 5, 0.5}, {1, 6.25, 0.16}, {0, 5, 0}} {
		if got := fullShare(fixed(tt.kd), fixed(tt.kf)); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("fullShare(%g, %g) = %g; want %g", tt.kd, tt.kf, got, tt.want)
		}
	}
	for _, tt := range []struct{ kd, kf Estimate }{
		{Estimate{5, 7.5}, Estimate{5, 7.5}},
		{Estimate{1, 3}, Estimate{5, 7.5}},
		{Fixed(1), Estimate{5, 7.5}},
		{Estimate{4, 12}, Fixed(6)},
	} {
		kd, kf := tt.kd.Dist(Positive), tt.kf.Dist(Positive)
		r := newStream(7, streamParam, 1, 2)
		const n = 1_000_000
		var sum, sum2 float64
		for range n {
			x := math.Min(kd.Rand(r)/kf.Rand(r), 1)
			sum += x
			sum2 += x * x
		}
		mean := sum / n
		se := math.Sqrt((sum2/n - mean*mean) / n)
		if got := fullShare(kd, kf); math.Abs(got-mean) > 4*se+1e-12 {
			t.Errorf("fullShare(%v, %v) = %.6f; Monte Carlo %.6f ± %.2g", tt.kd, tt.kf, got, mean, se)
		}
	}
}

// TestHarmLeavesFinancialUnchanged checks that turning harm on changes no
// financial figure, bit for bit.
func TestHarmLeavesFinancialUnchanged(t *testing.T) {
	t.Parallel()
	cfg := Config{Draws: 12, Years: 300, Seed: 8}
	off := mustSimulate(t, testModel(), allSingles(testModel()), cfg)
	on := mustSimulate(t, harmModel(), allSingles(harmModel()), cfg)
	for o := range off.Loss {
		if !slices.Equal(off.Loss[o], on.Loss[o]) || !slices.Equal(off.DrawMean[o], on.DrawMean[o]) {
			t.Fatalf("option %d: financial losses change when harm is on", o)
		}
	}
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	ra, _ := Appraise(off, a)
	rb, _ := Appraise(on, a)
	for i := range ra {
		if ra[i].DecisionNPV != rb[i].DecisionNPV || ra[i].BCR != rb[i].BCR || ra[i].DeltaALE != rb[i].DeltaALE {
			t.Errorf("option %d: financial appraisal changes when harm is on", i)
		}
	}
}

// TestHarmMatchesClosedForm checks the simulated harm of each option
// against E[λ]·E[S·D·k_d]·E[h]·E[q]·v within 3.5 standard errors, and the
// present value of harm avoided against a hand computation at 1.5%.
func TestHarmMatchesClosedForm(t *testing.T) {
	t.Parallel()
	m := harmModel()
	s := mustSimulate(t, m, allSingles(m), Config{Draws: bySize(100, 400), Years: 2000, Seed: 19})
	for o, p := range s.Options {
		got, se := meanSE(s.HarmDrawMean[o], s.Harm[o])
		want := ClosedFormHarm(m, p)
		if math.Abs(got-want) > 3.5*se {
			t.Errorf("option %v: harm %.5g ± %.3g; closed form %.5g", p, got, se, want)
		}
	}
	res, err := Appraise(s, Appraisal{Horizon: 10, Discount: GreenBook()})
	if err != nil {
		t.Fatal(err)
	}
	var A float64
	for y := 1; y <= 10; y++ {
		A += math.Pow(1.015, -float64(y))
	}
	for _, r := range res {
		sr := r.Social
		if want := sr.DeltaHarm.Mean * A; math.Abs(sr.PVHarm.Mean-want) > 1e-9*math.Abs(want) {
			t.Errorf("%v: PV of harm avoided %.10g; want Δharm × Σ1.015^-y = %.10g", r.Controls, sr.PVHarm.Mean, want)
		}
		if want := r.DecisionNPV.Mean + sr.PVHarm.Mean; math.Abs(sr.NPV.Mean-want) > 1e-6*math.Abs(want) {
			t.Errorf("%v: social NPV %.10g; want financial NPV + PV harm = %.10g", r.Controls, sr.NPV.Mean, want)
		}
	}
}

// TestGuidanceUpliftForcedHigh checks that with the equipment uplift forced
// to its upper bound (200%), NPV falls by exactly 2 × the discounted capex.
func TestGuidanceUpliftForcedHigh(t *testing.T) {
	t.Parallel()
	m := testModel()
	m.Controls[1].Project = ProjectEquipment // segment: capex 0.5–2.5m, lifetime 5
	s := mustSimulate(t, m, allSingles(m), Config{Draws: 20, Years: 100, Seed: 2})
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	base, _ := Appraise(s, a)
	a.BiasByProject = map[string]BiasRange{ProjectEquipment: {2, 2}, ProjectOutsourcing: {0, 0.41}}
	high, _ := Appraise(s, a)
	df := GreenBook().Factors(10)
	// The decision's capex is moment matched, scaled by its exact mean
	// over its sample mean, the same factor in both appraisals.
	tb, err := NewDrawTable(context.Background(), m, Appraisal{Horizon: 10, Discount: GreenBook()}, allSingles(m), Config{Draws: decisionDraws(0, s.Draws), Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	k := tb.ExpectedCapex[1] / exactMean(tb.Capex[1])
	for d := range s.Draws {
		capexPV := k * s.Capex[d][1] * (1 + df[5]) // year 0 and the renewal in year 5
		if got, want := base[1].Draws.DecisionNPV[d]-high[1].Draws.DecisionNPV[d], 2*capexPV; math.Abs(got-want) > 1e-9*want {
			t.Errorf("draw %d: NPV falls by %.10g; want 2 × discounted capex %.10g", d, got, want)
		}
	}
	if got := high[1].Uplift[0]; math.Abs(got-2) > 1e-12 {
		t.Errorf("uplift shown = %g; want 2", got)
	}
	// A control with no project type takes no guidance uplift.
	if base[0].DecisionNPV != high[0].DecisionNPV {
		t.Errorf("a control with no project type changed with the guidance uplift")
	}
}

// TestRankSocialView checks that the social view ranks by NPV with harm.
func TestRankSocialView(t *testing.T) {
	t.Parallel()
	rs := []Result{
		{Controls: []string{"a"}, MoneyNPV: Interval{Mean: -5}, Social: &SocialResult{Figures: Figures{NPV: Interval{Mean: 9}}},
			Draws: DrawValues{MoneyNPV: []float64{-5}, SocialNPV: []float64{9}}},
		{Controls: []string{"b"}, MoneyNPV: Interval{Mean: 3}, Social: &SocialResult{Figures: Figures{NPV: Interval{Mean: 4}}},
			Draws: DrawValues{MoneyNPV: []float64{3}, SocialNPV: []float64{4}}},
	}
	if got := RankIn(rs, ByNPV, Financial).Order; got[0] != 1 {
		t.Errorf("financial order %v; want b first", got)
	}
	if got := RankIn(rs, ByNPV, Social).Order; got[0] != 0 {
		t.Errorf("social order %v; want a first", got)
	}
}

// TestDeathsMatchSimulation checks ClosedFormDeaths, the sanity line's
// extra deaths a year, against the simulation: with one QALY per death
// valued at 1, the simulated harm of each option is its deaths, so the
// closed form must lie within 3.5 batch-means standard errors of it.
func TestDeathsMatchSimulation(t *testing.T) {
	t.Parallel()
	m := harmModel()
	m.Harm.QALYsPerDeath, m.Harm.ValuePerQALY = Fixed(1), 1
	s := mustSimulate(t, m, allSingles(m), Config{Draws: bySize(100, 400), Years: 2000, Seed: 23})
	for o, p := range s.Options {
		got, se := meanSE(s.HarmDrawMean[o], s.Harm[o])
		if want := ClosedFormDeaths(m, p); math.Abs(got-want) > 3.5*se {
			t.Errorf("option %v: simulated deaths %.5g ± %.3g; closed form %.5g", p, got, se, want)
		}
	}
}

// TestSimDeaths checks Sim.Deaths, the deaths line's interval: with QALYs
// per death uncertain and a value per QALY, each draw's deaths (harm ÷ q·v)
// must be what the same seed gives when q·v is 1 and harm counts deaths
// (the draw's deaths per day come first from the same stream, and events
// are common random numbers; k_full is fixed so that it draws nothing);
// and the mean must lie within 3.5 standard
// errors of the closed form.
func TestSimDeaths(t *testing.T) {
	t.Parallel()
	m := harmModel()
	m.Harm.QALYsPerDeath, m.Harm.ValuePerQALY = Estimate{Lo: 3, Hi: 8}, 82450
	one := harmModel()
	one.Harm.QALYsPerDeath, one.Harm.ValuePerQALY = Fixed(1), 1
	// k_full, drawn after q from the same stream, is fixed in both, so that
	// a fixed q (which draws nothing) leaves the streams alike.
	m.Harm.FullIntensity, one.Harm.FullIntensity = Fixed(6), Fixed(6)
	cfg := Config{Draws: 200, Years: 200, Seed: 29}
	s := mustSimulate(t, m, allSingles(m), cfg)
	s1 := mustSimulate(t, one, allSingles(one), cfg)
	for o, p := range s.Options {
		got := s.Deaths(o)
		want := interval(s1.HarmDrawMean[o])
		for _, x := range [][2]float64{{got.Mean, want.Mean}, {got.Lo, want.Lo}, {got.Hi, want.Hi}} {
			if math.Abs(x[0]-x[1]) > 1e-9*math.Abs(x[1]) {
				t.Errorf("option %v: Deaths = %+v; want %+v, the deaths of a run valuing a death at 1", p, got, want)
				break
			}
		}
		if !(got.Lo < got.Mean && got.Mean < got.Hi) {
			t.Errorf("option %v: Deaths = %+v; want a mean inside its 90%% interval", p, got)
		}
		_, se := meanSE(s1.HarmDrawMean[o], s1.Harm[o])
		if cf := ClosedFormDeaths(m, p); math.Abs(got.Mean-cf) > 3.5*se {
			t.Errorf("option %v: simulated deaths %.5g ± %.3g; closed form %.5g", p, got.Mean, se, cf)
		}
	}
}
