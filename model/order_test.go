package model

import (
	"math"
	"slices"
	"testing"
)

// TestRankStatsMatchesSort checks bucket selection against a full sort:
// every requested rank exactly, and the sum of the k largest, on data with
// ties, a mass at the minimum, negative values, a single value, and wide
// and narrow ranges, for ranks in any order.
func TestRankStatsMatchesSort(t *testing.T) {
	t.Parallel()
	r := newStream(41, 41)
	gens := map[string]func(i int) float64{
		"lognormal":   func(int) float64 { return math.Exp(3 * r.NormFloat64()) },
		"mostly-zero": func(int) float64 { return float64(r.IntN(20)/19) * math.Exp(r.NormFloat64()) },
		"ties":        func(int) float64 { return float64(r.IntN(5)) },
		"constant":    func(int) float64 { return 7 },
		"signed":      func(int) float64 { return r.NormFloat64() * 1e6 },
		"narrow":      func(int) float64 { return 1e9 + float64(r.IntN(1000)) },
		"huge-range":  func(int) float64 { return math.Exp(200 * r.Float64()) },
	}
	var sc orderScratch
	for name, gen := range gens {
		for _, n := range []int{1, 2, 9, 1000, 300_001} {
			x := make([]float64, n)
			for i := range x {
				x[i] = gen(i)
			}
			orig := slices.Clone(x)
			sorted := slices.Clone(x)
			slices.Sort(sorted)
			ranks := []int{n - 1, 0, n / 2, n / 2, (n * 99) / 100, r.IntN(n), r.IntN(n)}
			for _, k := range []int{1, max(n/20, 1), n} {
				out := make([]float64, len(ranks))
				top := sc.rankStats(x, ranks, out, k)
				for i, rk := range ranks {
					if out[i] != sorted[rk] {
						t.Errorf("%s n=%d: rank %d = %g; sort gives %g", name, n, rk, out[i], sorted[rk])
					}
				}
				// Summation order differs: allow rounding on the sum of
				// magnitudes.
				var want, mag float64
				for _, v := range sorted[n-k:] {
					want += v
					mag += math.Abs(v)
				}
				if math.Abs(top-want) > 1e-12*mag {
					t.Errorf("%s n=%d: sum of top %d = %g; sort gives %g", name, n, k, top, want)
				}
			}
			// A part of the sample, binned by the whole sample's layout (as
			// the batch statistics are).
			g := sc.geometry(x)
			part := x[n/3 : max(2*n/3, n/3+1)]
			ps := slices.Clone(part)
			slices.Sort(ps)
			pr := []int{0, len(part) / 2, len(part) - 1}
			out := make([]float64, len(pr))
			sc.rankStatsIn(part, &g, pr, out, 1)
			for i, rk := range pr {
				if out[i] != ps[rk] {
					t.Errorf("%s n=%d: part's rank %d = %g; sort gives %g", name, n, rk, out[i], ps[rk])
				}
			}
			if !slices.Equal(x, orig) {
				t.Errorf("%s n=%d: rankStats reordered its input", name, n)
			}
		}
	}
}

// TestRankStatsAllocatesNothing checks that a warmed-up scratch allocates
// nothing.
func TestRankStatsAllocatesNothing(t *testing.T) {
	r := newStream(42, 42)
	x := make([]float64, 50_000)
	for i := range x {
		x[i] = math.Exp(2 * r.NormFloat64())
	}
	var sc orderScratch
	sc.stats(x)
	if a := testing.AllocsPerRun(5, func() { sc.stats(x) }); a != 0 {
		t.Errorf("stats allocates %.1f times per call; want 0", a)
	}
}
