package model

import (
	"math"
	"slices"
	"testing"
)

// TestRatioSEMatchesBootstrap checks the delta-method standard error of a
// ratio of means (BCR, ROSI) against a bootstrap over draws: a second,
// independent method. Tolerance 10%: the bootstrap's own error with 4,000
// resamples is about 1%, the delta method's bias at n = 400 a few percent.
func TestRatioSEMatchesBootstrap(t *testing.T) {
	t.Parallel()
	r := newStream(41, 41)
	const n = 400
	b, c := make([]float64, n), make([]float64, n)
	for i := range b {
		z := r.NormFloat64()
		c[i] = 100 * math.Exp(0.3*r.NormFloat64())
		b[i] = 150*math.Exp(0.5*z) + 0.4*c[i] // correlated with cost
	}
	got := ratioSE(b, c)
	const resamples = 4000
	ratios := make([]float64, resamples)
	for k := range ratios {
		var sb, sc float64
		for range n {
			i := r.IntN(n)
			sb += b[i]
			sc += c[i]
		}
		ratios[k] = sb / sc
	}
	_, v := meanVar(ratios)
	want := math.Sqrt(v)
	if math.Abs(got-want) > 0.10*want {
		t.Errorf("ratioSE = %.5g; bootstrap SE = %.5g", got, want)
	}
}

// TestPercentileSEMatchesReplicates checks the batch-means standard errors
// of P95 and TVaR95 against the spread of those statistics over 120
// independent runs (different seeds). The reported SE, averaged over runs,
// must lie within 25% of the replicates' standard deviation (the SD of 120
// replicates is itself uncertain by about 7%, and batch means with 20
// batches by about 16%).
func TestPercentileSEMatchesReplicates(t *testing.T) {
	if testing.Short() {
		t.Skip("120 replicate runs: skipped with -short")
	}
	t.Parallel()
	m := testModel()
	m.Threats = m.Threats[:3]
	m.Controls = nil
	const runs = 120
	var p95, tvar, p95se, tvarse []float64
	for seed := range runs {
		s := mustSimulate(t, m, nil, Config{Draws: 40, Years: 250, Seed: uint64(500 + seed), Workers: 1})
		sum := s.Summaries()[0]
		p95, tvar = append(p95, sum.P95), append(tvar, sum.TVaR95)
		p95se, tvarse = append(p95se, sum.P95SE), append(tvarse, sum.TVaR95SE)
	}
	for _, c := range []struct {
		name       string
		values, se []float64
	}{{"P95", p95, p95se}, {"TVaR95", tvar, tvarse}} {
		_, v := meanVar(c.values)
		sd := math.Sqrt(v)
		mse, _ := meanVar(c.se)
		if math.Abs(mse-sd) > 0.25*sd {
			t.Errorf("%s: mean reported SE %.4g; SD over %d runs %.4g", c.name, mse, runs, sd)
		}
		if slices.Contains(c.se, 0) {
			t.Errorf("%s: some runs report a zero SE", c.name)
		}
	}
}
