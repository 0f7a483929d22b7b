package model

import (
	"math"
	"math/rand/v2"
)

// The samplers here run in the simulation's inner loop. They take the
// worker's own generator and allocate nothing.

// posRand draws from a positive (lognormal or fixed) distribution.
func posRand(d *Dist, r *rand.Rand) float64 {
	if d.fixed {
		return d.value
	}
	return math.Exp(d.mu + d.sigma*r.NormFloat64())
}

// maxPoissonMean is the largest mean poisson draws from (2⁶⁰).
const maxPoissonMean = 1 << 60

// poisson draws a Poisson(lam) count. expNeg is e^{−lam}, which callers
// precompute when lam is fixed across many draws (pass a negative value to
// have it computed). Below lam = 10 it inverts the CDF by sequential search;
// above, it uses Hörmann's transformed rejection with squeeze (PTRS, 1993).
func poisson(r *rand.Rand, lam, expNeg float64) int {
	if lam <= 0 {
		return 0
	}
	if lam > maxPoissonMean {
		// Only a lognormal rate's far tail (beyond ten standard normals
		// under the input limits) reaches here: cap it so the count fits
		// an int rather than wrapping to a negative one.
		lam = maxPoissonMean
	}
	if lam < 10 {
		if expNeg < 0 {
			expNeg = math.Exp(-lam)
		}
		u := r.Float64()
		k := 0
		p := expNeg
		f := p
		for u > f {
			k++
			p *= lam / float64(k)
			f += p
			if p < 1e-300 && float64(k) > lam {
				break // u fell in the last ulp of the CDF
			}
		}
		return k
	}
	slam := math.Sqrt(lam)
	loglam := math.Log(lam)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lam + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lam+k*loglam-lg {
			return int(k)
		}
	}
}

// gammaRand draws from Gamma(shape, scale 1) by Marsaglia and Tsang's method
// (2000), boosting shapes below 1 by G(a) = G(a+1)·U^{1/a}.
func gammaRand(r *rand.Rand, shape float64) float64 {
	boost := 1.0
	if shape < 1 {
		boost = math.Pow(1-r.Float64(), 1/shape)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := 1 - r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v * boost
		}
	}
}

// selectK rearranges x so that x[k] holds the k-th smallest element, with
// smaller ones before it (Hoare's quickselect, median-of-three pivot).
func selectK(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		p := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < p {
				i++
			}
			for x[j] > p {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}
