package model

import (
	"context"
	"math"
	"math/rand/v2"
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
// that the tornado, centred on the expected case, matches a hand
// computation: E[NPV | λ] = A·λ·(0.5·E[F] + 0.5·E[F]·E[r]) − A·E[opex] (an
// event is stopped half the time, else its fixed cost is cut by r), so the
// swing is A·0.5·E[F]·(1 + E[r])·(100 − 1) and the centre the same with
// E[λ] for λ.
func TestTornadoDominantInput(t *testing.T) {
	t.Parallel()
	m := dominantModel()
	a := Appraisal{Horizon: 10, Discount: FlatDiscount(0.035)}
	tn, err := TornadoAnalysis(m, a, Portfolio{0})
	if err != nil {
		t.Fatal(err)
	}
	if got := tn.Bars[0].Input.Ref; got != (InputRef{Kind: "threat", ID: "T", Key: "rate"}) {
		t.Fatalf("top bar = %+v; want threat T's rate", got)
	}
	if got, want := tn.Bars[0].Input.Name(), "T: events a year"; got != want {
		t.Errorf("top bar's name = %q; want %q", got, want)
	}
	var A float64
	for y := 1; y <= 10; y++ {
		A += math.Pow(1.035, -float64(y))
	}
	lnMean := func(lo, hi float64) float64 {
		mu, s := (math.Log(lo)+math.Log(hi))/2, (math.Log(hi)-math.Log(lo))/(2*1.6448536269514722)
		return math.Exp(mu + s*s/2)
	}
	eF := lnMean(0.9e6, 1.1e6)
	eR := Estimate{0.01, 0.02}.Dist(Fraction).Mean()
	perEvent := 0.5*eF + 0.5*eF*eR
	if want := A * perEvent * (100 - 1); math.Abs(tn.Bars[0].Swing()-want) > 1e-9*want {
		t.Errorf("swing = %.10g; want %.10g", tn.Bars[0].Swing(), want)
	}
	central := A*perEvent*lnMean(1, 100) - A*lnMean(9e4, 1.1e5)
	if math.Abs(tn.Central-central) > 1e-9*math.Abs(central) {
		t.Errorf("central NPV = %.10g; want the expected NPV %.10g", tn.Central, central)
	}
}

// TestTornadoSwingMatchesSimulation checks a closed-form swing, with the
// other inputs integrated out, against common-random-number simulations
// with the input fixed at its P5 and at its P95 and every other input
// uncertain: the paired per-draw difference of ΔALE, within 3.5 standard
// errors over draws.
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
		if b.Input.Ref == (InputRef{Kind: "threat", ID: "worm", Key: "rate"}) {
			bar = b
		}
	}
	if bar.Hi == 0 {
		t.Fatal("no bar for the worm's rate")
	}
	var A float64
	df := a.Discount.Factors(10)
	for y := 1; y <= 10; y++ {
		A += df[y]
	}
	cfg := Config{Draws: 400, Years: 500, Seed: 5}
	sims := make([]*Sim, 2)
	for i, x := range []float64{bar.Lo, bar.Hi} {
		mm := cloneModel(m)
		bar.Input.set(mm, Fixed(x))
		sims[i] = mustSimulate(t, mm, []Portfolio{{1}}, cfg)
	}
	d := make([]float64, cfg.Draws)
	for k := range d {
		d[k] = (sims[1].DrawMean[0][k] - sims[1].DrawMean[1][k]) - (sims[0].DrawMean[0][k] - sims[0].DrawMean[1][k])
	}
	mean, v := meanVar(d)
	se := math.Sqrt(v / float64(len(d)))
	want := (bar.NPVHi - bar.NPVLo) / A // costs cancel
	if math.Abs(mean-want) > 3.5*se {
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
	dec, err := decide.Decide(m)
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
		mm := cloneModel(m)
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
		// Just past the switch, away from the central value, the new
		// decision wins.
		x := sw.Change * (1 + 1e-6)
		if sw.Central > sw.Change {
			x = sw.Change * (1 - 1e-6)
		}
		mm := cloneModel(m)
		sw.Input.set(mm, Fixed(x))
		got, err := decide.Decide(mm)
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
	v, err := ValueOfInformation(mustTable(t, m, a, allSingles(m), Config{Draws: 200, Seed: 3}), a, allSingles(m))
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
	fv, err := ValueOfInformation(mustTable(t, fixed, a, allSingles(fixed), Config{Draws: 50, Seed: 3}), a, allSingles(fixed))
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

// TestConditionalALEMatchesSimulation checks the per-draw closed form of
// the draw table against the simulation's own ALE, within 3 standard
// errors.
func TestConditionalALEMatchesSimulation(t *testing.T) {
	t.Parallel()
	m := testModel()
	s := mustSimulate(t, m, allSingles(m), Config{Draws: bySize(100, 300), Years: 2000, Seed: 9})
	p := mustTable(t, m, Appraisal{Horizon: 10, Discount: GreenBook()}, allSingles(m), Config{Draws: s.Draws, Seed: 9})
	for o := range s.Options {
		cond, _ := meanVar(p.ALE[o])
		// Within a draw, the simulated mean differs from the conditional
		// mean only by year-to-year noise: compare paired per draw.
		var sum, sum2 float64
		for d := range s.Draws {
			diff := s.DrawMean[o][d] - p.ALE[o][d]
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

// mustTable returns the draw table of m's portfolios.
func mustTable(t testing.TB, m *Model, a Appraisal, ports []Portfolio, cfg Config) *DrawTable {
	t.Helper()
	tb, err := NewDrawTable(context.Background(), m, a, ports, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tb
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
	tb := mustTable(b, m, a, allSingles(m), Config{Draws: DefaultDecisionDraws, Seed: 1})
	b.Run("voi", func(b *testing.B) {
		for b.Loop() {
			if _, err := ValueOfInformation(tb, a, allSingles(m)); err != nil {
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

// TestSwitchFromCentral checks that switching values are measured from the
// central case the tables show, the input's mean with the others at their
// expectations (issue 22, item 4: S2's spread read "9.21 from R-C1 to
// N4+R-C1" beside a central 10.7): the decision at the central value is the
// old decision, and it holds all the way from there to the switch. One
// threat's rate is made skewed, so that its median and mean lie far apart.
func TestSwitchFromCentral(t *testing.T) {
	t.Parallel()
	for _, spread := range []float64{10, 40, 100} {
		m := testModel()
		for i := range m.Threats {
			r := &m.Threats[i].Rate
			g := math.Sqrt(r.Lo * r.Hi)
			r.Lo, r.Hi = g/spread, g*spread
		}
		a := Appraisal{Horizon: 10, Discount: GreenBook()}
		decide := BestSingle(a)
		dec, err := decide.Decide(m)
		if err != nil {
			t.Fatal(err)
		}
		sws, err := SwitchingValues(m, a, dec, decide, Inputs(m))
		if err != nil {
			t.Fatal(err)
		}
		for _, sw := range sws {
			if math.IsNaN(sw.Change) {
				continue
			}
			central := sw.Input.Estimate.Dist(sw.Input.Kind).Mean()
			if sw.Central != central {
				t.Errorf("%s: central %g; want the mean %g", sw.Input.Name(), sw.Central, central)
			}
			for k := 0; k <= 20; k++ {
				f := float64(k) / 20 * (1 - 1e-6)
				x := central + f*(sw.Change-central)
				if sw.Input.Kind == Positive {
					x = central * math.Pow(sw.Change/central, f)
				}
				mm := cloneModel(m)
				sw.Input.set(mm, Fixed(x))
				got, err := decide.Decide(mm)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, sw.OldDecision) {
					t.Errorf("spread ×%g, %s: decision %v at %g, between the central %g and the switch %g; want the old decision %v",
						spread, sw.Input.Name(), got, x, central, sw.Change, sw.OldDecision)
					break
				}
			}
		}
	}
}

// plainDecider hides a Decider's fitted path, so that SwitchingValues
// takes its plain one: a fresh model, validated and fitted, for every
// value tried, for the NPV and the decision alike (the method before the
// fitted path, kept as the reference).
type plainDecider struct{ d Decider }

func (p plainDecider) Decide(m *Model) (Portfolio, error) { return p.d.Decide(m) }

// TestSwitchingValuesFittedPathIdentical checks the switching values'
// fitted path (each value tried fitted once and not validated again,
// shared by the NPV and the decision) against the plain path, deciding by
// the best single control, the best portfolio with no budget and under a
// tight one: every switching value and decision is the same to the bit.
// Without a decider (the weak point) the NPV's switching values are the
// plain path's too. The long tier runs the test models and three random
// ones with harm, exclusive groups and prerequisites, in both views; the
// quick tier one random model with harm, groups and prerequisites, in the
// social view, one input of each kind and field, under the tight budget
// and without a decider.
func TestSwitchingValuesFittedPathIdentical(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	var models []*Model
	if longTier() {
		models = append(models, testModel(), harmModel())
	}
	for i := range bySize(1, 3) {
		m := randomModel(r, 2+r.IntN(3), 4+r.IntN(5), i%2 == 0, i%3 == 0)
		if i%2 == 1 || !longTier() {
			m.Harm = harmModel().Harm
		}
		models = append(models, m)
	}
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	zeros, changes := 0, 0
	for i, m := range models {
		// The quick tier tries one input of each kind and field.
		ins := Inputs(m)
		if !longTier() {
			seen := map[[2]string]bool{}
			ins = slices.DeleteFunc(ins, func(in Input) bool {
				k := [2]string{in.Ref.Kind, in.Ref.Key}
				defer func() { seen[k] = true }()
				return seen[k]
			})
		}
		views := []View{Social}
		if longTier() {
			views = append(views, Financial)
		}
		for _, view := range views {
			a := Appraisal{Horizon: 10, Discount: GreenBook(), View: view}
			op, err := NewOptimiser(m, a, MaxNPV, nil)
			if err != nil {
				t.Fatal(err)
			}
			all := op.Best(NoBudget())
			deciders := map[string]Decider{
				"single":  BestSingle(a),
				"best":    BestUnder(a, NoBudget()),
				"budget":  BestUnder(a, Constraints{Annual: all.Annual / 2, Capex: math.Inf(1)}),
				"decider": nil,
			}
			if !longTier() {
				delete(deciders, "single")
				delete(deciders, "best")
			}
			for name, d := range deciders {
				dec := all.Portfolio
				if d != nil {
					if dec, err = d.Decide(m); err != nil {
						t.Fatal(err)
					}
				}
				if len(dec) == 0 {
					dec = Portfolio{0}
				}
				got, err := SwitchingValues(m, a, dec, d, ins)
				if err != nil {
					t.Fatal(err)
				}
				var ref Decider = plainDecider{BestSingle(a)}
				if d != nil {
					ref = plainDecider{d}
				}
				want, err := SwitchingValues(m, a, dec, ref, ins)
				if err != nil {
					t.Fatal(err)
				}
				for k := range got {
					g, w := got[k], want[k]
					if !same(g.NPVZero, w.NPVZero) || !same(g.SearchLo, w.SearchLo) || !same(g.SearchHi, w.SearchHi) {
						t.Errorf("model %d %v %s, %s: NPV zero %v; plain path %v", i, view, name, g.Input.Name(), g.NPVZero, w.NPVZero)
					}
					if !math.IsNaN(g.NPVZero) {
						zeros++
					}
					if d == nil {
						continue
					}
					if !math.IsNaN(g.Change) {
						changes++
					}
					if !same(g.Change, w.Change) || !slices.Equal(g.NewDecision, w.NewDecision) || !slices.Equal(g.OldDecision, w.OldDecision) {
						t.Errorf("model %d %v %s, %s: change at %v %v→%v; plain path %v %v→%v", i, view, name, g.Input.Name(), g.Change, g.OldDecision, g.NewDecision, w.Change, w.OldDecision, w.NewDecision)
					}
				}
			}
		}
	}
	if zeros == 0 || changes == 0 {
		t.Errorf("%d NPV switching values and %d decision changes compared; want some of each", zeros, changes)
	}
	t.Logf("%d NPV switching values and %d decision changes compared", zeros, changes)
}
