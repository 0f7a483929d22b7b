package model

import (
	"context"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// dominantModel has one threat whose rate (1 to 100 events a year) dwarfs
// every other input, and one control halving its frequency.
func dominantModel() *Model {
	return &Model{
		Scope: "dominant", Orgs: 1, Daily: Fixed(0), Recovery: Fixed(0),
		Threats: []Threat{{ID: "T", Rate: Estimate{1, 100}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{0.9e6, 1.1e6}}},
		Controls: []Control{{ID: "C", Opex: Estimate{9e4, 1.1e5}, Effects: []Effect{
			{Threat: "T", Frequency: Fixed(0.5), Fixed: Estimate{0.01, 0.02}},
		}}},
	}
}

// TestTornadoDominantInput checks that the dominant input ranks first and
// that its swing matches a hand computation: NPV = A·(λ·0.5·F̃ + λ·0.5·F̃·r̃)
// − A·õpex with medians F̃ = √(0.9e6·1.1e6), r̃ the beta median, so the
// swing is A·0.5·F̃·(1 + r̃)·(100 − 1).
func TestTornadoDominantInput(t *testing.T) {
	t.Parallel()
	m := dominantModel()
	a := Appraisal{Horizon: 10, Discount: FlatDiscount(0.035)}
	tn, err := TornadoAnalysis(m, a, Portfolio{0})
	if err != nil {
		t.Fatal(err)
	}
	if got := tn.Bars[0].Input.Name(); got != "threat T rate" {
		t.Fatalf("top bar = %s; want threat T rate", got)
	}
	var A float64
	for y := 1; y <= 10; y++ {
		A += math.Pow(1.035, -float64(y))
	}
	fMed := math.Sqrt(0.9e6 * 1.1e6)
	rMed := Estimate{0.01, 0.02}.Dist(Fraction).Quantile(0.5)
	// Saved per event: the event itself half the time, or a share r̃ of
	// its fixed cost when it still happens: 0.5·F̃ + 0.5·F̃·r̃.
	want := A * (0.5*fMed + 0.5*fMed*rMed) * (100 - 1)
	if got := tn.Bars[0].Swing(); math.Abs(got-want) > 1e-9*want {
		t.Errorf("swing = %.10g; want %.10g", got, want)
	}
	oMed := math.Sqrt(9e4 * 1.1e5)
	central := A*(0.5*fMed+0.5*fMed*rMed)*10 - A*oMed // λ̃ = √(1·100) = 10
	if math.Abs(tn.Central-central) > 1e-9*math.Abs(central) {
		t.Errorf("central NPV = %.10g; want %.10g", tn.Central, central)
	}
}

// TestTornadoSwingMatchesSimulation checks a closed-form swing against
// common-random-number simulations of the median model at the input's P5
// and P95, within 3 standard errors of the paired difference.
func TestTornadoSwingMatchesSimulation(t *testing.T) {
	t.Parallel()
	m := testModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	tn, err := TornadoAnalysis(m, a, Portfolio{1})
	if err != nil {
		t.Fatal(err)
	}
	var bar TornadoBar
	for _, b := range tn.Bars {
		if b.Input.Name() == "threat worm rate" {
			bar = b
		}
	}
	base := MedianModel(m)
	var A float64
	df := a.Discount.Factors(10)
	for y := 1; y <= 10; y++ {
		A += df[y]
	}
	cfg := Config{Draws: 1, Years: bySize(100000, 400000), Seed: 5}
	sims := make([]*Sim, 2)
	for i, x := range []float64{bar.Lo, bar.Hi} {
		mm := cloneModel(base)
		bar.Input.set(mm, Fixed(x))
		sims[i] = mustSimulate(t, mm, []Portfolio{{1}}, cfg)
	}
	// Swing in ΔALE, paired year by year: (base − option) at P95 minus at P5.
	n := float64(cfg.Years)
	var sum, sum2 float64
	for y := range cfg.Years {
		d := (sims[1].Loss[0][y] - sims[1].Loss[1][y]) - (sims[0].Loss[0][y] - sims[0].Loss[1][y])
		sum += d
		sum2 += d * d
	}
	mean := sum / n
	se := math.Sqrt((sum2/n - mean*mean) / n)
	want := (bar.NPVHi - bar.NPVLo) / A // costs cancel
	if math.Abs(mean-want) > 3*se {
		t.Errorf("simulated ΔALE swing %.5g ± %.3g; closed form %.5g", mean, se, want)
	}
}

// TestSwitchingValuePluggedBack checks that NPV is zero at each switching
// value found, and that the decision does change there.
func TestSwitchingValuePluggedBack(t *testing.T) {
	t.Parallel()
	m := testModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	decide := BestSingle(a)
	dec, err := decide(MedianModel(m))
	if err != nil {
		t.Fatal(err)
	}
	tn, err := TornadoAnalysis(m, a, dec)
	if err != nil {
		t.Fatal(err)
	}
	sws, err := SwitchingValues(m, a, dec, decide, Inputs(m))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, sw := range sws {
		if math.IsNaN(sw.NPVZero) {
			continue
		}
		found++
		mm := MedianModel(m)
		sw.Input.set(mm, Fixed(sw.NPVZero))
		v, err := npvOf(mm, a, dec)
		if err != nil {
			t.Fatal(err)
		}
		if scale := math.Abs(tn.Central); math.Abs(v) > 1e-6*scale {
			t.Errorf("%s: NPV at switching value %g = %g; want 0 (central %g)", sw.Input.Name(), sw.NPVZero, v, tn.Central)
		}
	}
	if found == 0 {
		t.Error("no NPV switching value found for any input")
	}
	changes := 0
	for _, sw := range sws {
		if math.IsNaN(sw.Change) {
			continue
		}
		changes++
		// Just past the switch, away from the median, the new decision wins.
		x := sw.Change * (1 + 1e-6)
		if sw.Median > sw.Change {
			x = sw.Change * (1 - 1e-6)
		}
		mm := MedianModel(m)
		sw.Input.set(mm, Fixed(x))
		got, err := decide(mm)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, sw.NewDecision) {
			t.Errorf("%s: past the switch at %g the decision is %v; want %v", sw.Input.Name(), sw.Change, got, sw.NewDecision)
		}
	}
	if changes == 0 {
		t.Error("no decision switch found for any input")
	}
}

// TestEVPIClosedForm checks EVPI on a two-option case, doing nothing (0)
// against X ~ N(μ, σ²): EVPI = μΦ(μ/σ) + σφ(μ/σ) − max(0, μ).
func TestEVPIClosedForm(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ mu, sigma float64 }{{1, 2}, {-0.5, 1}, {3, 1}} {
		const n = 400000
		r := newStream(2, uint64(c.mu*10+100))
		x := make([]float64, n)
		var s, s2 float64
		for i := range x {
			x[i] = c.mu + c.sigma*r.NormFloat64()
			p := max(x[i], 0)
			s += p
			s2 += p * p
		}
		z := c.mu / c.sigma
		norm := distuv.UnitNormal
		want := c.mu*norm.CDF(z) + c.sigma*norm.Prob(z) - max(0, c.mu)
		got := EVPI([][]float64{make([]float64, n), x})
		// SE: the sample mean of max(0, X), plus that of X where it sets the
		// second term.
		se := math.Sqrt((s2/n-(s/n)*(s/n))/n) + c.sigma/math.Sqrt(n)
		if math.Abs(got-want) > 4*se {
			t.Errorf("EVPI(μ=%g, σ=%g) = %.5g; want %.5g ± %.2g", c.mu, c.sigma, got, want, 4*se)
		}
	}
}

// TestVOIBounds checks EVPI ≥ every EVPPI ≥ 0 on the test model, and EVPI
// = 0 when nothing is uncertain.
func TestVOIBounds(t *testing.T) {
	t.Parallel()
	m := testModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	s := mustSimulate(t, m, nil, Config{Draws: 200, Years: 10, Seed: 3})
	v, err := ValueOfInformation(s, a, allSingles(m))
	if err != nil {
		t.Fatal(err)
	}
	if !(v.EVPI > 0) {
		t.Errorf("EVPI = %g; want > 0 with uncertain inputs", v.EVPI)
	}
	for _, e := range v.EVPPI {
		if e.Value < 0 || e.Value > v.EVPI*(1+1e-12) {
			t.Errorf("EVPPI(%s) = %g; want within [0, EVPI = %g]", e.Input.Name(), e.Value, v.EVPI)
		}
	}
	fixed := MedianModel(m)
	fs := mustSimulate(t, fixed, nil, Config{Draws: 50, Years: 10, Seed: 3})
	fv, err := ValueOfInformation(fs, a, allSingles(fixed))
	if err != nil {
		t.Fatal(err)
	}
	if fv.EVPI > 1e-9*math.Abs(ClosedFormALE(fixed, nil)) {
		t.Errorf("EVPI with nothing uncertain = %g; want 0", fv.EVPI)
	}
	if len(fv.EVPPI) != 0 {
		t.Errorf("EVPPI lists %d inputs with nothing uncertain", len(fv.EVPPI))
	}
}

// TestConditionalALEMatchesSimulation checks the per-draw closed form used
// by the value of information against the simulation's own ALE, within 3
// standard errors.
func TestConditionalALEMatchesSimulation(t *testing.T) {
	t.Parallel()
	m := testModel()
	s := mustSimulate(t, m, allSingles(m), Config{Draws: bySize(100, 300), Years: 2000, Seed: 9})
	p := drawParameters(s, s.Options)
	for o := range s.Options {
		var cond float64
		for d := range s.Draws {
			cond += p.condALE[d][o]
		}
		cond /= float64(s.Draws)
		// Within a draw, the simulated mean differs from the conditional
		// mean only by year-to-year noise: compare paired per draw.
		var sum, sum2 float64
		for d := range s.Draws {
			diff := s.DrawMean[o][d] - p.condALE[d][o]
			sum += diff
			sum2 += diff * diff
		}
		n := float64(s.Draws)
		mean := sum / n
		se := math.Sqrt((sum2/n - mean*mean) / n)
		if math.Abs(mean) > 3*se {
			t.Errorf("option %d: simulated − conditional ALE = %.4g ± %.3g (conditional mean %.4g)", o, mean, se, cond)
		}
	}
}

// BenchmarkSensitivity times the tornado and switching values of the
// standard workload, and the value of information on its simulation.
func BenchmarkSensitivity(b *testing.B) {
	m := standardModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	b.Run("tornado", func(b *testing.B) {
		for b.Loop() {
			if _, err := TornadoAnalysis(m, a, Portfolio{0}); err != nil {
				b.Fatal(err)
			}
		}
	})
	s, err := Simulate(context.Background(), m, allSingles(m), Config{Draws: 200, Years: 5000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("voi", func(b *testing.B) {
		for b.Loop() {
			if _, err := ValueOfInformation(s, a, allSingles(m)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestSwitchNewDecisionDiffers checks that a reported decision change
// always changes to a different decision.
func TestSwitchNewDecisionDiffers(t *testing.T) {
	t.Parallel()
	m := testModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	sws, err := SwitchingValues(m, a, Portfolio{0}, BestSingle(a), Inputs(m))
	if err != nil {
		t.Fatal(err)
	}
	for _, sw := range sws {
		if !math.IsNaN(sw.Change) && slices.Equal(sw.OldDecision, sw.NewDecision) {
			t.Errorf("%s: decision changes at %g from %v to the same %v", sw.Input.Name(), sw.Change, sw.OldDecision, sw.NewDecision)
		}
	}
}
