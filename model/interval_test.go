package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIntervalMatchesSort checks interval's selection against the order
// statistics of a full sort (NaN first), on samples with ties, infinities
// and NaNs, of every small size and some large ones.
func TestIntervalMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sorted := func(x []float64) []float64 {
		s := slices.Clone(x)
		slices.SortFunc(s, func(a, b float64) int {
			switch {
			case math.IsNaN(a) && math.IsNaN(b):
				return 0
			case math.IsNaN(a):
				return -1
			case math.IsNaN(b):
				return 1
			}
			if a < b {
				return -1
			}
			if a > b {
				return 1
			}
			return 0
		})
		return s
	}
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for _, n := range []int{1, 2, 3, 5, 19, 20, 21, 40, 101, 1000, 10000} {
		for trial := range 20 {
			x := make([]float64, n)
			for i := range x {
				switch v := r.IntN(20); {
				case v == 0 && trial%2 == 1:
					x[i] = math.NaN()
				case v == 1:
					x[i] = math.Inf(1 - 2*r.IntN(2))
				case v < 8:
					x[i] = float64(r.IntN(3)) // ties
				default:
					x[i] = r.NormFloat64()
				}
			}
			orig := slices.Clone(x)
			got := interval(x)
			s := sorted(x)
			lo, hi := s[quantileIndex(0.05, n)], s[quantileIndex(0.95, n)]
			if !same(got.Lo, lo) || !same(got.Hi, hi) {
				t.Fatalf("n=%d trial %d: interval gives [%v, %v], sorting [%v, %v]", n, trial, got.Lo, got.Hi, lo, hi)
			}
			if !slices.EqualFunc(x, orig, same) {
				t.Fatalf("n=%d: interval changed its input", n)
			}
		}
	}
}
