package model

import (
	"context"
	"math"
	"slices"
	"testing"
)

// testModel is a small model with every feature: spread capped at orgs,
// uncertain intensities, a fixed cost, overdispersion, a high-frequency
// threat simulated in aggregate, and controls acting on every channel.
func testModel() *Model {
	return &Model{
		Scope:    "test",
		Orgs:     50,
		Daily:    Fixed(40e3),
		Recovery: Estimate{0.7e6, 1.1e6},
		Threats: []Threat{
			{ID: "worm", Rate: Estimate{0.05, 0.4}, Spread: Estimate{5, 80}, Duration: Estimate{3, 10}, KDaily: Estimate{0.8, 1.5}},
			{ID: "ransom", Rate: Estimate{0.3, 2}, Spread: Fixed(1), Duration: Estimate{4, 60}, KDaily: Estimate{5, 7.5}, KRecovery: Estimate{1, 3}, Fixed: Estimate{1e4, 5e5}, Dispersion: 0.5},
			{ID: "breach", Rate: Estimate{2, 6}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{3e5, 8e6}},
			{ID: "phish", Rate: Estimate{40, 120}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{5e3, 2.5e5}},
		},
		Controls: []Control{
			{ID: "patch", Opex: Estimate{1e5, 3e5}, Effects: []Effect{
				{Threat: "worm", Frequency: Estimate{0.7, 0.95}},
				{Threat: "ransom", Frequency: Estimate{0.15, 0.35}},
			}},
			{ID: "segment", Capex: Estimate{5e5, 2.5e6}, Opex: Estimate{1e5, 5e5}, Lifetime: 5, Effects: []Effect{
				{Threat: "worm", Spread: Estimate{0.4, 0.8}},
				{Threat: "ransom", Spread: Estimate{0.2, 0.5}},
			}},
			{ID: "backup", Opex: Estimate{5e4, 4e5}, Effects: []Effect{
				{Threat: "ransom", Duration: Estimate{0.3, 0.7}},
			}},
			{ID: "mfa", Opex: Estimate{2e4, 1.5e5}, Effects: []Effect{
				{Threat: "phish", Frequency: Estimate{0.5, 0.9}, Fixed: Estimate{0.05, 0.2}},
				{Threat: "ransom", Frequency: Estimate{0.15, 0.4}},
				{Threat: "breach", Fixed: Estimate{0.1, 0.3}},
			}},
		},
	}
}

func allSingles(m *Model) []Portfolio {
	var ps []Portfolio
	for c := range m.Controls {
		ps = append(ps, Portfolio{c})
	}
	return ps
}

func mustSimulate(t testing.TB, m *Model, ps []Portfolio, cfg Config) *Sim {
	t.Helper()
	s, err := Simulate(context.Background(), m, ps, cfg)
	if err != nil {
		t.Fatalf("Simulate: %v", err)
	}
	return s
}

// TestALEMatchesClosedForm checks every option's simulated ALE against the
// closed form (ClosedFormALE), within 3.5 batch-means standard errors, for
// each threat alone and for the whole model.
func TestALEMatchesClosedForm(t *testing.T) {
	t.Parallel()
	m := testModel()
	ps := append(allSingles(m), Portfolio{0, 1, 2, 3}, Portfolio{0, 3})
	for ti := range m.Threats {
		single := *m
		single.Threats = []Threat{m.Threats[ti]}
		single.Controls = nil
		for _, c := range m.Controls {
			cc := c
			cc.Effects = nil
			for _, e := range c.Effects {
				if e.Threat == m.Threats[ti].ID {
					cc.Effects = append(cc.Effects, e)
				}
			}
			single.Controls = append(single.Controls, cc)
		}
		t.Run(m.Threats[ti].ID, func(t *testing.T) {
			t.Parallel()
			s := mustSimulate(t, &single, ps, Config{Draws: bySize(100, 400), Years: 2000, Seed: 11})
			for o, p := range s.Options {
				want := ClosedFormALE(&single, p)
				got := s.Summaries()[o]
				if math.Abs(got.ALE-want) > 3.5*got.ALESE {
					t.Errorf("option %v: ALE = %.6g ± %.3g; want %.6g (off by %.1f SE)", p, got.ALE, got.ALESE, want, (got.ALE-want)/got.ALESE)
				}
			}
		})
	}
	t.Run("whole", func(t *testing.T) {
		t.Parallel()
		s := mustSimulate(t, m, ps, Config{Draws: bySize(100, 400), Years: 2000, Seed: 12})
		for o, p := range s.Options {
			want := ClosedFormALE(m, p)
			got := s.Summaries()[o]
			if math.Abs(got.ALE-want) > 3.5*got.ALESE {
				t.Errorf("option %v: ALE = %.6g ± %.3g; want %.6g", p, got.ALE, got.ALESE, want)
			}
		}
	})
}

// TestCRNSubsetNeverLosesLess checks that in every simulated year a
// portfolio loses no more than any of its subsets.
func TestCRNSubsetNeverLosesLess(t *testing.T) {
	t.Parallel()
	m := testModel()
	var ps []Portfolio
	for mask := 1; mask < 1<<len(m.Controls); mask++ {
		var p Portfolio
		for c := range m.Controls {
			if mask&(1<<c) != 0 {
				p = append(p, c)
			}
		}
		ps = append(ps, p)
	}
	s := mustSimulate(t, m, ps, Config{Draws: 20, Years: 500, Seed: 3})
	subset := func(a, b Portfolio) bool { // a ⊆ b
		for _, c := range a {
			if !slices.Contains(b, c) {
				return false
			}
		}
		return true
	}
	for i, a := range s.Options {
		for j, b := range s.Options {
			if i == j || !subset(a, b) {
				continue
			}
			for y := range s.Loss[i] {
				if s.Loss[j][y] > s.Loss[i][y] {
					t.Fatalf("year %d: portfolio %v loses %g > its subset %v's %g", y, b, s.Loss[j][y], a, s.Loss[i][y])
				}
			}
		}
	}
}

// TestDeterministicAcrossWorkers checks bit-identical results for 1 and 2
// workers and across runs.
func TestDeterministicAcrossWorkers(t *testing.T) {
	t.Parallel()
	m := testModel()
	ps := allSingles(m)
	a := mustSimulate(t, m, ps, Config{Draws: 13, Years: 300, Seed: 99, Workers: 1})
	b := mustSimulate(t, m, ps, Config{Draws: 13, Years: 300, Seed: 99, Workers: 2})
	c := mustSimulate(t, m, ps, Config{Draws: 13, Years: 300, Seed: 99, Workers: 5})
	for o := range a.Loss {
		if !slices.Equal(a.Loss[o], b.Loss[o]) || !slices.Equal(a.Loss[o], c.Loss[o]) {
			t.Fatalf("option %d: losses differ between worker counts", o)
		}
	}
	for d := range a.Capex {
		if !slices.Equal(a.Capex[d], b.Capex[d]) || !slices.Equal(a.Opex[d], c.Opex[d]) {
			t.Fatalf("draw %d: costs differ between worker counts", d)
		}
	}
	other := mustSimulate(t, m, ps, Config{Draws: 13, Years: 300, Seed: 100, Workers: 2})
	if slices.Equal(a.Loss[0], other.Loss[0]) {
		t.Errorf("seeds 99 and 100 gave the same losses")
	}
}

// TestAddingOptionKeepsOthers checks that an option's losses do not depend
// on which other options run, for threats simulated event by event and in
// aggregate alike.
func TestAddingOptionKeepsOthers(t *testing.T) {
	t.Parallel()
	m := testModel()
	m.Controls = m.Controls[:3]
	m.Controls[0].Effects = append(m.Controls[0].Effects, Effect{Threat: "phish", Frequency: Estimate{0.2, 0.4}})
	m.Controls[2].Effects = append(m.Controls[2].Effects, Effect{Threat: "phish", Frequency: Estimate{0.5, 0.9}})
	a := mustSimulate(t, m, []Portfolio{{0}}, Config{Draws: 5, Years: 200, Seed: 4})
	b := mustSimulate(t, m, []Portfolio{{2}, {1}, {0}}, Config{Draws: 5, Years: 200, Seed: 4})
	if !slices.Equal(a.Loss[1], b.Loss[3]) || !slices.Equal(a.Loss[0], b.Loss[0]) {
		t.Errorf("losses of {0} changed when other options were added")
	}
}

// TestCompoundQuantileMatchesPanjer checks a high quantile of a compound
// Poisson–lognormal annual loss (fixed rate, one draw) against Panjer's
// recursion on a discretised severity: an independent computation.
func TestCompoundQuantileMatchesPanjer(t *testing.T) {
	t.Parallel()
	const lam = 3.0
	sev := Estimate{1e5, 2e6}
	m := &Model{Orgs: 1, Daily: Fixed(0), Recovery: Fixed(0), Threats: []Threat{
		{ID: "x", Rate: Fixed(lam), Spread: Fixed(0), Duration: Fixed(0), Fixed: sev},
	}}
	const years = 1_000_000
	s := mustSimulate(t, m, nil, Config{Draws: 1, Years: years, Seed: 8})
	x := slices.Clone(s.Loss[0])
	slices.Sort(x)

	// Panjer: severity on a grid of h, mass f_j = F((j+½)h) − F((j−½)h).
	d := sev.Dist(Positive)
	const h = 2000.0
	const K = 12000 // grid up to £24m
	f := make([]float64, K)
	for j := range K {
		lo := 0.0
		if j > 0 {
			lo = d.CDF((float64(j) - 0.5) * h)
		}
		f[j] = d.CDF((float64(j)+0.5)*h) - lo
	}
	g := make([]float64, K)
	g[0] = math.Exp(-lam * (1 - f[0]))
	for k := 1; k < K; k++ {
		var acc float64
		for j := 1; j <= k; j++ {
			acc += float64(j) * f[j] * g[k-j]
		}
		g[k] = lam / float64(k) * acc
	}
	cdf := 0.0
	for _, p := range []float64{0.95, 0.99} {
		var q float64
		cdf = 0
		for k := range K {
			cdf += g[k]
			if cdf >= p {
				q = float64(k) * h
				break
			}
		}
		// Tolerance: the order-statistic 99.9% band of the sample quantile,
		// p ± 3.3·sqrt(p(1−p)/n), plus one grid step.
		dp := 3.3 * math.Sqrt(p*(1-p)/years)
		lo, hi := x[quantileIndex(p-dp, years)], x[quantileIndex(p+dp, years)]
		if q < lo-h || q > hi+h {
			t.Errorf("P%g: Panjer %.4g outside Monte Carlo band [%.4g, %.4g]", p*100, q, lo, hi)
		}
	}
}

// TestAggregateModeMatchesEventMode checks the normal approximation used
// for high-frequency threats against event-by-event simulation of the same
// threat: the mean by closed form, the P95 and P99 within their sampling
// bands.
func TestAggregateModeMatchesEventMode(t *testing.T) {
	t.Parallel()
	m := &Model{Orgs: 1, Daily: Fixed(0), Recovery: Fixed(0), Threats: []Threat{
		{ID: "phish", Rate: Fixed(300), Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{5e3, 2.5e5}},
	}, Controls: []Control{{ID: "mfa", Effects: []Effect{{Threat: "phish", Frequency: Fixed(0.5)}}}}}
	// The bands below come from the sample size n, ±3.3·√(p(1−p)/n) in
	// probability: 20,000 years in the quick tier, 200,000 in the long.
	cfg := Config{Draws: 1, Years: bySize(20000, 200000), Seed: 21}
	agg := mustSimulate(t, m, []Portfolio{{0}}, cfg)
	f := fit(m)
	f.threats[0].aggregate = false
	ev := newSim(m, []Portfolio{{}, {0}}, cfg)
	w := newWorker(f, ev.Options, cfg)
	w.draw(ev, 0)
	for o := range 2 {
		a, e := slices.Clone(agg.Loss[o]), slices.Clone(ev.Loss[o])
		slices.Sort(a)
		slices.Sort(e)
		n := cfg.Years
		for _, p := range []float64{0.5, 0.95, 0.99} {
			dp := 3.3 * math.Sqrt(p*(1-p)/float64(n))
			lo, hi := e[quantileIndex(p-dp, n)], e[quantileIndex(p+dp, n)]
			got := a[quantileIndex(p, n)]
			// The normal approximation ignores the sum's skewness
			// (≈ 0.4 here): allow 1% beyond the sampling band.
			if got < lo*0.99 || got > hi*1.01 {
				t.Errorf("option %d P%g: aggregate %.5g outside event-mode band [%.5g, %.5g]", o, p*100, got, lo, hi)
			}
		}
	}
}

func TestSimulateRejectsBadInput(t *testing.T) {
	t.Parallel()
	m := testModel()
	m.Controls[0].Opex = Estimate{-5, -1}
	m.Controls[1].Effects[0].Spread = Fixed(1.3)
	m.Controls[2].Effects[0].Threat = "nope"
	m.Threats[0].Rate = Estimate{3, 1}
	_, err := Simulate(context.Background(), m, nil, Config{Draws: 1, Years: 1})
	if err == nil {
		t.Fatal("Simulate of a bad model: no error")
	}
	for _, want := range []string{
		"controls[patch].opex: must not be negative",
		"controls[segment].effects[0].spread: must be a fraction in [0, 1]",
		`controls[backup].effects[0].threat: unknown threat "nope"`,
		"threats[worm].rate: lo 3 is above hi 1",
	} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub)))
}

// TestSummaryMatchesFullSort checks the partial ordering behind Summary
// against a full sort, on skewed data with ties, for several sizes.
func TestSummaryMatchesFullSort(t *testing.T) {
	t.Parallel()
	r := newStream(31, 31)
	for _, n := range []int{1, 7, 20, 1000, 99_999} {
		x := make([]float64, n)
		for i := range x {
			if r.IntN(3) > 0 {
				x[i] = math.Floor(math.Exp(3 * r.NormFloat64()))
			}
		}
		s := &Sim{Loss: [][]float64{x}, DrawMean: [][]float64{{0}}, workers: 1}
		got := s.summarise(0, new(orderScratch))
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		q := func(p float64) float64 { return sorted[quantileIndex(p, n)] }
		k := tailCount(0.95, n)
		var tail float64
		for _, v := range sorted[n-k:] {
			tail += v
		}
		want := []float64{q(0.5), q(0.9), q(0.95), q(0.99), tail / float64(k), sorted[n-1]}
		have := []float64{got.P50, got.P90, got.P95, got.P99, got.TVaR95, got.Max}
		for i := range want {
			if math.Abs(have[i]-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
				t.Errorf("n=%d: statistic %d = %g; full sort gives %g", n, i, have[i], want[i])
			}
		}
		for _, pt := range got.LEC {
			if w := q(1 - pt.Exceedance); pt.Loss != w {
				t.Errorf("n=%d: LEC at %g = %g; full sort gives %g", n, pt.Exceedance, pt.Loss, w)
			}
		}
	}
}

// TestTargetSE checks that --target-se stops with the relative SE below
// the target, the same for 1 and 2 workers, identical to a plain run of as
// many draws, and that a tighter target never uses fewer draws.
func TestTargetSE(t *testing.T) {
	t.Parallel()
	m := testModel()
	run := func(target float64, workers int) *Sim {
		return mustSimulate(t, m, []Portfolio{{0}}, Config{Draws: 10, Years: 200, Seed: 4, Workers: workers, TargetSE: target})
	}
	prev := 0
	for _, target := range []float64{0.2, 0.1, 0.05, 0.03} {
		a, b := run(target, 1), run(target, 2)
		if a.Draws != b.Draws || !slices.Equal(a.Loss[1], b.Loss[1]) {
			t.Fatalf("target %g: 1 and 2 workers differ (%d vs %d draws)", target, a.Draws, b.Draws)
		}
		if got := a.relativeSE(); got > target {
			t.Errorf("target %g: relative SE %g after %d draws", target, got, a.Draws)
		}
		if a.Draws < prev {
			t.Errorf("target %g used %d draws, fewer than a looser target's %d", target, a.Draws, prev)
		}
		prev = a.Draws
		plain := mustSimulate(t, m, []Portfolio{{0}}, Config{Draws: a.Draws, Years: 200, Seed: 4})
		if !slices.Equal(plain.Loss[0], a.Loss[0]) || !slices.Equal(plain.Capex[a.Draws-1], a.Capex[a.Draws-1]) {
			t.Errorf("target %g: differs from a plain run of %d draws", target, a.Draws)
		}
	}
}

// TestApproxSumQuantiles checks the shifted-gamma approximation of a sum
// of n lognormal event costs against the exact sum, drawn event by event,
// where the simulation starts using it below 65 events: from 33 events for
// a 90% interval spanning 30× (the NHS's phishing costs), whose sum's
// skewness is then 1.08; not below 65 for one spanning 50× (skewness 1.35
// at 64). The approximation's median and 90th and 99th percentiles must lie
// within 2% of the exact sample's sampling band, its 99.9th within 4%: the
// price of drawing one number instead of n.
func TestApproxSumQuantiles(t *testing.T) {
	t.Parallel()
	N := bySize(40_000, 400_000)
	for _, tc := range []struct {
		lo, hi float64
		from   int
	}{{1500, 45000, 33}, {5e3, 2.5e5, aggregateEvents + 1}} {
		m := &Model{Orgs: 1, Daily: Fixed(0), Recovery: Fixed(0), Threats: []Threat{
			{ID: "phish", Rate: Fixed(300), Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{tc.lo, tc.hi}},
		}}
		td := &fit(m).threats[0]
		if td.approxAt != tc.from {
			t.Errorf("%g–%g: approximated from %d events; want %d", tc.lo, tc.hi, td.approxAt, tc.from)
		}
		if td.approxAt > aggregateEvents {
			continue // approximated only where it always was
		}
		for _, n := range []int{td.approxAt, aggregateEvents} {
			w := &worker{}
			w.pcg.Seed(uint64(n), 7)
			a, e := make([]float64, N), make([]float64, N)
			for i := range N {
				a[i] = w.approxSum(td, float64(n))[2]
				e[i] = sumLognormal(&w.pcg, n, td.fixed.mu, td.fixed.sigma, w.z64[:])
			}
			slices.Sort(a)
			slices.Sort(e)
			for _, q := range []struct{ p, tol float64 }{{0.5, 0.02}, {0.9, 0.02}, {0.99, 0.02}, {0.999, 0.04}} {
				dp := 3.3 * math.Sqrt(q.p*(1-q.p)/float64(N))
				lo, hi := e[quantileIndex(q.p-dp, N)], e[quantileIndex(q.p+dp, N)]
				if got := a[quantileIndex(q.p, N)]; got < lo*(1-q.tol) || got > hi*(1+q.tol) {
					t.Errorf("%g–%g, %d events, P%g: approximation %.5g outside the exact band [%.5g, %.5g] ± %g%%", tc.lo, tc.hi, n, q.p*100, got, lo, hi, q.tol*100)
				}
			}
		}
	}
}
