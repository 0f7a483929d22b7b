package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestPoissonMatchesPMF(t *testing.T) {
	t.Parallel()
	// Chi-square goodness of fit against gonum's Poisson PMF, for both the
	// inversion (lam < 10) and PTRS (lam ≥ 10) branches.
	for _, lam := range []float64{0.02, 0.7, 3, 9.5, 12, 45, 800} {
		r := newPCG(7, uint64(lam*1000))
		const n = 200000
		counts := map[int]int{}
		var sum float64
		for range n {
			k := poisson(r, lam, -1)
			counts[k]++
			sum += float64(k)
		}
		mean := sum / n
		if se := math.Sqrt(lam / n); math.Abs(mean-lam) > 4*se {
			t.Errorf("poisson(%g): mean %g; want %g ± %g", lam, mean, lam, 4*se)
		}
		// Pool cells with expected count < 20 into the tails.
		pmf := distuv.Poisson{Lambda: lam}
		lo := int(pmf.Mean() - 8*math.Sqrt(lam) - 2)
		hi := int(pmf.Mean() + 8*math.Sqrt(lam) + 2)
		lo = max(lo, 0)
		var chi2 float64
		cells := 0
		var expAcc, obsAcc float64
		for k := lo; k <= hi; k++ {
			expAcc += n * pmf.Prob(float64(k))
			obsAcc += float64(counts[k])
			if expAcc >= 20 {
				chi2 += (obsAcc - expAcc) * (obsAcc - expAcc) / expAcc
				cells++
				expAcc, obsAcc = 0, 0
			}
		}
		if cells < 2 {
			continue
		}
		// The 99.9th percentile of chi-square with cells−1 d.o.f.
		crit := distuv.ChiSquared{K: float64(cells - 1)}.Quantile(0.999)
		if chi2 > crit {
			t.Errorf("poisson(%g): chi² = %.1f over %d cells; want < %.1f", lam, chi2, cells, crit)
		}
	}
}

func TestGammaRandMoments(t *testing.T) {
	t.Parallel()
	for _, shape := range []float64{0.3, 1, 4.5} {
		r := newPCG(3, uint64(shape*10))
		const n = 200000
		var s, s2 float64
		for range n {
			x := gammaRand(r, shape)
			s += x
			s2 += x * x
		}
		mean := s / n
		v := s2/n - mean*mean
		if se := math.Sqrt(shape / n); math.Abs(mean-shape) > 4*se {
			t.Errorf("gammaRand(%g): mean %g; want %g ± %g", shape, mean, shape, 4*se)
		}
		if math.Abs(v-shape) > 0.05*shape {
			t.Errorf("gammaRand(%g): variance %g; want %g", shape, v, shape)
		}
	}
}

func TestSelectK(t *testing.T) {
	t.Parallel()
	r := newStream(5, 5)
	for _, n := range []int{1, 2, 3, 10, 101, 5000} {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Floor(r.Float64() * 50) // many ties
		}
		s := slices.Clone(x)
		slices.Sort(s)
		for _, k := range []int{0, n / 2, n - 1, (n * 95) / 100} {
			y := slices.Clone(x)
			if got := selectK(y, k); got != s[k] {
				t.Errorf("selectK(n=%d, k=%d) = %g; want %g", n, k, got, s[k])
			}
		}
	}
}

// TestExpAccuracy checks exp against math.Exp: relative error below 2 ulp
// (4.5e-16) over the range lognormal draws use and beyond, and math.Exp's
// values at the edges and special inputs.
func TestExpAccuracy(t *testing.T) {
	t.Parallel()
	r := newStream(3, 3)
	worst := 0.0
	for i := range 2_000_000 {
		x := (2*r.Float64() - 1) * 700
		if i%2 == 0 {
			x /= 30 // the body of lognormal arguments, |x| < 24
		}
		got, want := exp(x), math.Exp(x)
		worst = max(worst, math.Abs(got-want)/want)
	}
	if worst > 4.5e-16 {
		t.Errorf("exp: worst relative error %.3g; want ≤ 4.5e-16 (2 ulp)", worst)
	}
	for _, x := range []float64{0, 1, -1, 1e-300, 707.9, -707.9, 709.7, 710, -745, -800, math.Inf(1), math.Inf(-1)} {
		got, want := exp(x), math.Exp(x)
		if got != want && math.Abs(got-want) > 4.5e-16*want {
			t.Errorf("exp(%g) = %g; want %g", x, got, want)
		}
	}
	if !math.IsNaN(exp(math.NaN())) {
		t.Errorf("exp(NaN) = %g; want NaN", exp(math.NaN()))
	}
}

// TestNormalMatchesRand checks that normal and uniform, which read the PCG
// directly, return exactly what math/rand/v2's NormFloat64 and Float64
// return from the same stream, over enough draws to pass through the
// ziggurat's wedges and tail many times.
func TestNormalMatchesRand(t *testing.T) {
	t.Parallel()
	a, b := newPCG(9, 9), newPCG(9, 9)
	r := rand.New(b)
	tail := 0
	for i := range 3_000_000 {
		x, y := normal(a), r.NormFloat64()
		if x != y {
			t.Fatalf("draw %d: normal = %g; NormFloat64 = %g", i, x, y)
		}
		if math.Abs(x) > zigR {
			tail++
		}
		if i%10 == 0 {
			if u, v := uniform(a), r.Float64(); u != v {
				t.Fatalf("draw %d: uniform = %g; Float64 = %g", i, u, v)
			}
		}
	}
	if tail == 0 {
		t.Errorf("no draw beyond %g: the tail path was not exercised", zigR)
	}
}
