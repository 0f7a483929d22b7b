package model

import (
	"math"
	"slices"
	"testing"
)

// TestSketchErrorBound checks the sketch's stated bound against exact
// order statistics: every rank of a sample within SketchError (relative)
// of the sorted sample's, zeros and the maximum exact, and the sum of the
// largest values within SketchError, on skewed, tied and zero-heavy data.
func TestSketchErrorBound(t *testing.T) {
	t.Parallel()
	r := newStream(51, 51)
	gens := map[string]func() float64{
		"lognormal":   func() float64 { return math.Exp(12 + 2.5*r.NormFloat64()) },
		"mostly-zero": func() float64 { return float64(r.IntN(10)/9) * math.Exp(15+r.NormFloat64()) },
		"ties":        func() float64 { return float64(1 + r.IntN(4)) },
		"wide":        func() float64 { return math.Exp(60 * r.Float64()) },
	}
	for name, gen := range gens {
		const n = 200_001
		x := make([]float64, n)
		// Two halves merged: merging must lose nothing.
		a, b := newSketch(), newSketch()
		for i := range x {
			x[i] = gen()
			if i%2 == 0 {
				a.add(x[i])
			} else {
				b.add(x[i])
			}
		}
		a.merge(b)
		slices.Sort(x)
		if a.n() != n || a.max != x[n-1] {
			t.Fatalf("%s: sketch holds %d values, max %g; want %d, %g", name, a.n(), a.max, n, x[n-1])
		}
		for _, p := range []float64{0, 0.001, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 0.99999, 1} {
			rk := min(int(p*n), n-1)
			got, want := a.rank(int64(rk)), x[rk]
			if math.Abs(got-want) > SketchError*want*(1+1e-12) {
				t.Errorf("%s: rank %d = %.6g; exact %.6g (relative error %.2g > %g)", name, rk, got, want, math.Abs(got-want)/want, SketchError)
			}
		}
		for _, m := range []int{1, 100, n / 20, n} {
			var want float64
			for _, v := range x[n-m:] {
				want += v
			}
			if got := a.top(int64(m)); math.Abs(got-want) > SketchError*want*(1+1e-9) {
				t.Errorf("%s: sum of top %d = %.6g; exact %.6g", name, m, got, want)
			}
		}
	}
}

// TestStreamingMatchesExact simulates the same runs exactly and streaming
// (a memory budget of one byte): per-draw means identical, ALE, harm and
// their SEs equal to rounding, every percentile, LEC point, TVaR95 and per-draw
// P95 within SketchError of the exact value, the maximum exact; and the
// streaming results bit-identical for 1, 2, 3 and 7 workers.
func TestStreamingMatchesExact(t *testing.T) {
	t.Parallel()
	m := testModel()
	m.Harm = &Harm{DeathsPerDay: Estimate{0.2, 2}, QALYsPerDeath: Estimate{3, 8}, ValuePerQALY: 70000, FullIntensity: Estimate{5, 7.5}}
	ps := append(allSingles(m), Portfolio{0, 1, 2, 3})
	for _, shape := range []struct{ draws, years int }{{1, 3*chunkYears + 17}, {30, 300}, {3, chunkYears + 50}} {
		cfg := Config{Draws: shape.draws, Years: shape.years, Seed: 8, MemoryBudget: -1}
		ex := mustSimulate(t, m, ps, cfg)
		if ex.Streaming() {
			t.Fatal("a negative budget streamed")
		}
		var ref *Sim
		for _, w := range []int{1, 2, 3, 7} {
			cfg.MemoryBudget, cfg.Workers = 1, w
			st := mustSimulate(t, m, ps, cfg)
			if !st.Streaming() || st.Loss[0] != nil || st.Harm[0] != nil {
				t.Fatalf("%d×%d: a one-byte budget kept the years", shape.draws, shape.years)
			}
			if ref == nil {
				ref = st
				compareStreaming(t, shape.draws, shape.years, ex, st)
				continue
			}
			if !equalSummaries(st.Summaries(), ref.Summaries()) {
				t.Fatalf("%d×%d streaming: %d workers' summaries differ from 1 worker's", shape.draws, shape.years, w)
			}
			for o := range st.Options {
				if !slices.Equal(st.DrawP95[o], ref.DrawP95[o]) || st.DeltaSE(o) != ref.DeltaSE(o) {
					t.Fatalf("%d×%d streaming: %d workers' per-draw P95 or ΔSE differ from 1 worker's", shape.draws, shape.years, w)
				}
			}
		}
	}
}

func compareStreaming(t *testing.T, draws, years int, ex, st *Sim) {
	t.Helper()
	within := func(what string, o int, got, want float64) {
		if math.Abs(got-want) > SketchError*math.Abs(want)*(1+1e-9) {
			t.Errorf("%d×%d option %d: streaming %s = %.6g; exact %.6g", draws, years, o, what, got, want)
		}
	}
	es, ss := ex.Summaries(), st.Summaries()
	for o := range ex.Options {
		if !slices.Equal(ex.DrawMean[o], st.DrawMean[o]) || !slices.Equal(ex.HarmDrawMean[o], st.HarmDrawMean[o]) {
			t.Fatalf("%d×%d option %d: streaming per-draw means differ from exact", draws, years, o)
		}
		e, s := es[o], ss[o]
		// With one draw, exact mode averages the years, streaming the chunk
		// sums: equal to rounding.
		if math.Abs(e.ALE-s.ALE) > 1e-12*e.ALE || math.Abs(e.ALESE-s.ALESE) > 1e-9*e.ALESE {
			t.Errorf("%d×%d option %d: streaming ALE %g ± %g; exact %g ± %g", draws, years, o, s.ALE, s.ALESE, e.ALE, e.ALESE)
		}
		hm, hse := ex.HarmMeanSE(o)
		if gm, gse := st.HarmMeanSE(o); math.Abs(gm-hm) > 1e-12*hm || math.Abs(gse-hse) > 1e-9*hse {
			t.Errorf("%d×%d option %d: streaming harm %g ± %g; exact %g ± %g", draws, years, o, gm, gse, hm, hse)
		}
		if d := math.Abs(ex.DeltaSE(o) - st.DeltaSE(o)); d > 1e-6*ex.DeltaSE(o)+1e-9 {
			t.Errorf("%d×%d option %d: streaming ΔSE %g; exact %g", draws, years, o, st.DeltaSE(o), ex.DeltaSE(o))
		}
		within("P50", o, s.P50, e.P50)
		within("P90", o, s.P90, e.P90)
		within("P95", o, s.P95, e.P95)
		within("P99", o, s.P99, e.P99)
		within("TVaR95", o, s.TVaR95, e.TVaR95)
		if s.Max != e.Max || len(s.LEC) != len(e.LEC) {
			t.Errorf("%d×%d option %d: streaming max %g, %d LEC points; exact %g, %d", draws, years, o, s.Max, len(s.LEC), e.Max, len(e.LEC))
			continue
		}
		for i := range e.LEC {
			within("LEC", o, s.LEC[i].Loss, e.LEC[i].Loss)
		}
		for d := range draws {
			within("draw P95", o, st.DrawP95[o][d], ex.DrawP95[o][d])
		}
	}
}

// TestStreamingChosenByBudget checks the automatic choice: exact while
// every year fits the budget, streaming beyond it, and a --target-se run
// sized by its most draws, growing the same draws in either mode.
func TestStreamingChosenByBudget(t *testing.T) {
	t.Parallel()
	m := testModel()
	for _, c := range []struct {
		cfg  Config
		want bool
	}{
		{Config{Draws: 200, Years: 5000}, false},                // 5 options × 1M years × 8 B = 40 MB
		{Config{Draws: 1, Years: 10_000_000}, true},             // 400 MB
		{Config{Draws: 10, Years: 10_000, TargetSE: 0.1}, true}, // up to 1,000 draws: 400 MB
		{Config{Draws: 1, Years: 10_000_000, MemoryBudget: -1}, false},
		{Config{Draws: 1, Years: 100, MemoryBudget: 1}, true},
	} {
		if got := chooseStreaming(m, 5, c.cfg); got != c.want {
			t.Errorf("chooseStreaming(%+v) = %v; want %v", c.cfg, got, c.want)
		}
	}
	run := func(budget int64) *Sim {
		return mustSimulate(t, m, []Portfolio{{0}}, Config{Draws: 10, Years: 200, Seed: 4, TargetSE: 0.03, MemoryBudget: budget})
	}
	ex, st := run(-1), run(1)
	if !st.Streaming() || ex.Draws != st.Draws || !slices.Equal(ex.DrawMean[1], st.DrawMean[1]) {
		t.Errorf("--target-se: streaming ran %d draws, exact %d, or their draw means differ", st.Draws, ex.Draws)
	}
	if e, s := ex.Summaries()[1], st.Summaries()[1]; math.Abs(s.P95-e.P95) > SketchError*e.P95 {
		t.Errorf("--target-se: streaming P95 %g; exact %g", s.P95, e.P95)
	}
}
