package model

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestFractionFitAnyInterval is issue 13's case 7: every fraction interval
// inside [0, 1] either checks and fits a beta holding its 5th and 95th
// percentiles, or Check refuses it with a message; nothing panics.
func TestFractionFitAnyInterval(t *testing.T) {
	t.Parallel()
	fits := [][2]float64{
		{1e-6, 1e-5}, // the reported panic
		{1e-9, 1e-8},
		{1e-4, 2e-4},
		{0, 1e-5},
		{0, 1},
		{0.999, 0.9999},
		{0.9999, 1},
		{0.2, 0.9999999},
		{0.5, 0.5001},
	}
	for _, iv := range fits {
		e := Estimate{iv[0], iv[1]}
		if err := e.Check(Fraction, "f"); err != nil {
			t.Errorf("Estimate%v.Check(Fraction) = %v; want nil", iv, err)
			continue
		}
		d := e.Dist(Fraction)
		lo, hi := betaBounds(iv[0], iv[1])
		// Tolerance: the fit's own (betaFitTol in probability), carried to x
		// by the density; 1e-4 of the width is far looser.
		if got := d.Quantile(0.05); math.Abs(got-lo) > 1e-4*(hi-lo) {
			t.Errorf("Estimate%v: Quantile(0.05) = %g; want %g", iv, got, lo)
		}
		if got := d.Quantile(0.95); math.Abs(got-hi) > 1e-4*(hi-lo) {
			t.Errorf("Estimate%v: Quantile(0.95) = %g; want %g", iv, got, hi)
		}
		r := newStream(1, 2)
		for range 1000 {
			if x := d.Rand(r); !(x >= 0 && x <= 1) {
				t.Fatalf("Estimate%v: Rand() = %g; want a fraction", iv, x)
			}
		}
	}
	refused := [][2]float64{
		{0.5, 0.500000001},
		{1e-300, 1.0000001e-300},
		{0, 1e-320},
		{1e-300, 1e-200},
	}
	for _, iv := range refused {
		err := Estimate{iv[0], iv[1]}.Check(Fraction, "effects[0].frequency")
		if err == nil || !strings.HasPrefix(err.Error(), "effects[0].frequency: no beta distribution") {
			t.Errorf("Estimate%v.Check(Fraction) = %v; want an error naming the field and saying no beta fits", iv, err)
		}
	}
}

// FuzzEstimate checks that an estimate Check accepts can be fitted and
// sampled: Dist does not panic, its quantiles and draws are finite and in
// the kind's support, and its mean lies inside the support.
//
//	go test -run='^$' -fuzz=FuzzEstimate -fuzztime=60s ./model
func FuzzEstimate(f *testing.F) {
	for _, s := range []struct {
		lo, hi   float64
		fraction bool
	}{
		{1e-6, 1e-5, true}, {0, 1, true}, {0.3, 0.7, true}, {0.5, 0.5001, true}, {0, 0, true}, {1, 1, true},
		{0.03, 0.2, false}, {1, 1e6, false}, {0, 0, false}, {1e15, 1e15, false}, {1e-300, 1e-290, false},
	} {
		f.Add(s.lo, s.hi, s.fraction)
	}
	f.Fuzz(func(t *testing.T, lo, hi float64, fraction bool) {
		kind := Positive
		if fraction {
			kind = Fraction
		}
		e := Estimate{lo, hi}
		if e.Check(kind, "x") != nil {
			return
		}
		d := e.Dist(kind)
		inSupport := func(x float64) bool {
			if kind == Fraction {
				return x >= 0 && x <= 1
			}
			return x >= 0 && !math.IsInf(x, 0)
		}
		for _, p := range []float64{0.05, 0.5, 0.95} {
			if q := d.Quantile(p); !inSupport(q) {
				t.Fatalf("Estimate%v kind %d: Quantile(%g) = %g", e, kind, p, q)
			}
		}
		for _, k := range []float64{1, 2, 3} {
			if m := d.Moment(k); math.IsNaN(m) || math.IsInf(m, 0) {
				t.Fatalf("Estimate%v kind %d: Moment(%g) = %g", e, kind, k, m)
			}
		}
		if m := d.Mean(); !inSupport(m) {
			t.Fatalf("Estimate%v kind %d: Mean() = %g", e, kind, m)
		}
		r := newStream(3, 4)
		for range 64 {
			if x := d.Rand(r); !inSupport(x) {
				t.Fatalf("Estimate%v kind %d: Rand() = %g", e, kind, x)
			}
		}
	})
}

// TestSearchBudget is issue 13's case 8: a frontier over many controls
// shares one node budget between its budgets, marks what it could not
// prove "NOT proven best", reports progress, and stops at once when its
// context is done.
func TestSearchBudget(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(8, 13))
	m := randomModel(r, 40, 200, false, false)
	op, err := NewOptimiser(m, Appraisal{Horizon: 10, Discount: GreenBook()}, MaxNPV, nil)
	if err != nil {
		t.Fatal(err)
	}
	op.nodes = 200_000
	var calls, most, total int
	op.Progress = func(done, tot int) { calls++; most = max(most, done); total = tot }
	budgets := op.DefaultBudgets(AnnualBudget, 20)
	fr, err := op.FrontierContext(t.Context(), AnnualBudget, budgets, NoBudget())
	if err != nil {
		t.Fatal(err)
	}
	spent, unproven := 0, 0
	for i, ch := range fr {
		spent += ch.Evaluated
		if !ch.Optimal {
			unproven++
			if !strings.Contains(ch.Method, "NOT proven best") {
				t.Errorf("frontier[%d].Method = %q; want it to say NOT proven best", i, ch.Method)
			}
		}
	}
	// The carry-forward can repeat a smaller budget's choice, with its
	// count: bound the sum of distinct searches by what Frontier allots.
	if unproven == 0 {
		t.Errorf("no frontier point unproven on 200 controls with 200,000 nodes; want the budget to bite")
	}
	if calls == 0 || most > op.nodes || total != op.nodes {
		t.Errorf("Progress: %d calls, most %d of %d; want calls reporting at most the budget %d", calls, most, total, op.nodes)
	}
	// Deterministic: the same search gives the same choices.
	again, _ := op.FrontierContext(t.Context(), AnnualBudget, budgets, NoBudget())
	for i := range fr {
		if !slices.Equal(fr[i].Controls, again[i].Controls) || fr[i].Evaluated != again[i].Evaluated {
			t.Errorf("frontier[%d]: %v (%d nodes) then %v (%d nodes); want the same", i, fr[i].Controls, fr[i].Evaluated, again[i].Controls, again[i].Evaluated)
		}
	}
	_ = spent
	// Cancelled: both the search and the enumeration return the context's
	// error.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	op.nodes = 0
	if _, err := op.FrontierContext(ctx, AnnualBudget, budgets, NoBudget()); !errors.Is(err, context.Canceled) {
		t.Errorf("FrontierContext(cancelled) error = %v; want context.Canceled", err)
	}
	small := randomModel(r, 4, 20, false, false)
	os, err := NewOptimiser(small, Appraisal{Horizon: 10, Discount: GreenBook()}, MaxNPV, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.BestContext(ctx, NoBudget()); !errors.Is(err, context.Canceled) {
		t.Errorf("BestContext(cancelled) on 20 controls error = %v; want context.Canceled", err)
	}
}

// TestSimBytesMatchesHeap is issue 13's case 10: the memory estimate a run
// is refused on agrees with the heap a simulation really holds, in exact
// and in streaming mode. It measures the live heap, so it does not run in
// parallel (parallel tests wait until the sequential ones are done).
func TestSimBytesMatchesHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	m := randomModel(r, 3, 5, false, false)
	singles := []Portfolio{{0}, {1}, {2}, {3}, {4}}
	for _, cfg := range []Config{
		{Draws: 100, Years: 5_000, Seed: 1, Workers: 2},
		{Draws: 2_000, Years: 200, Seed: 1, Workers: 2, MemoryBudget: 1 << 20}, // streams
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := Simulate(t.Context(), m, singles, cfg)
		if err != nil {
			t.Fatal(err)
		}
		s.Summaries()
		runtime.GC()
		runtime.ReadMemStats(&after)
		live := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		// The workers' chunk buffers (and open draws' sketches) are
		// garbage once the run is done; the rest must match the live heap
		// within 15% (allocator rounding, sketches sized generously).
		workers := int64(2 * 6 * chunkYears * 8)
		if s.Streaming() {
			workers += 2 * 6 * sketchBytes
		}
		rest := SimBytes(m, len(singles), cfg) - workers
		lo := rest
		if s.Streaming() {
			// Sketches grow with the losses' range: the estimate allows
			// each its largest size, so it only bounds them from above.
			lo -= 6 * (streamBatches + 1) * sketchBytes
		}
		if float64(live) > 1.15*float64(rest) || float64(live) < 0.85*float64(lo) {
			t.Errorf("%+v (streaming %v): SimBytes() less the workers' buffers = %d; the simulation holds %d bytes live", cfg, s.Streaming(), rest, live)
		}
		runtime.KeepAlive(s)
	}
}

// TestBetaFitsFastPath checks Check's shortcut: every interval betaFits
// accepts without fitting does fit, over a grid reaching its corners.
func TestBetaFitsFastPath(t *testing.T) {
	t.Parallel()
	pts := []float64{0, 1e-4, 2e-4, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 0.9998, 0.9999, 1}
	checked := 0
	for _, lo := range pts {
		for _, hi := range pts {
			for _, w := range []float64{0, betaEdge} { // and the narrowest allowed
				l, h := lo, hi
				if w > 0 {
					h = lo + w
				}
				if !(l < h) || h > 1 || !betaFits(l, h) {
					continue
				}
				checked++
				if _, _, err := fitBeta(l, h); err != nil {
					t.Errorf("betaFits(%g, %g) = true; fitBeta: %v", l, h, err)
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d intervals checked", checked)
	}
}
