package model

import (
	"math"
	"math/rand/v2"
)

// The samplers here run in the simulation's inner loop. They take the
// worker's own PCG generator directly (no call through rand.Source) and
// allocate nothing.

// uniform returns a uniform float64 in [0, 1) from p: the same bits as
// rand.New(p).Float64().
func uniform(p *rand.PCG) float64 {
	return float64(p.Uint64()<<11>>11) / (1 << 53)
}

// Ziggurat tables for normal (Marsaglia and Tsang, 2000, 128 layers),
// built by their zigset with math/rand/v2's rounding (float32 widths and
// densities), so that normal returns the same values as NormFloat64.
const zigR = 3.442619855899

var zigK, zigW, zigF = func() (k [128]uint32, w, f [128]float32) {
	const m1 = 1 << 31
	dn, tn, vn := zigR, zigR, 9.91256303526217e-3
	q := vn / math.Exp(-.5*dn*dn)
	k[0], k[1] = uint32(dn/q*m1), 0
	w[0], w[127] = float32(q/m1), float32(dn/m1)
	f[0], f[127] = 1, float32(math.Exp(-.5*dn*dn))
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(vn/dn+math.Exp(-.5*dn*dn)))
		k[i+1] = uint32(dn / tn * m1)
		tn = dn
		f[i] = float32(math.Exp(-.5 * dn * dn))
		w[i] = float32(dn / m1)
	}
	return k, w, f
}()

// normal returns a standard normal draw from p by the ziggurat method: the
// same values, from the same stream, as rand.New(p).NormFloat64()
// (TestNormalMatchesRand).
func normal(p *rand.PCG) float64 {
	for {
		u := p.Uint64()
		j := int32(u)
		i := u >> 32 & 0x7F
		x := float64(j) * float64(zigW[i])
		a := uint32(j)
		if j < 0 {
			a = uint32(-j)
		}
		if a < zigK[i] {
			return x // over 99% of draws
		}
		if i == 0 { // the tail beyond zigR
			for {
				x = -math.Log(uniform(p)) * (1.0 / zigR)
				y := -math.Log(uniform(p))
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigR + x
			}
			return -zigR - x
		}
		if zigF[i]+float32(uniform(p))*(zigF[i-1]-zigF[i]) < float32(math.Exp(-.5*x*x)) {
			return x
		}
	}
}

// posRand draws from a positive (lognormal or fixed) distribution.
func posRand(d *Dist, p *rand.PCG) float64 {
	if d.fixed {
		return d.value
	}
	return exp(d.mu + d.sigma*normal(p))
}

// sumLognormal returns the sum of n independent draws of exp(mu + sigma·Z),
// Z standard normal, using z (of length at least n) as scratch: the
// normals are drawn first and then transformed, two tight loops rather
// than one that alternates (the same numbers, summed in the same order).
func sumLognormal(p *rand.PCG, n int, mu, sigma float64, z []float64) float64 {
	z = z[:n]
	for i := range z {
		z[i] = mu + sigma*normal(p)
	}
	var sum float64
	for _, x := range z {
		sum += exp(x)
	}
	return sum
}

// expBits sets exp's table: 2^expBits entries of 2^(j/2^expBits).
const expBits = 7

// expTable[j] holds the bits of 2^(j/128), less j shifted into the
// exponent field, so that adding k<<45 scales by 2^(k/128).
var expTable = func() (t [1 << expBits]uint64) {
	for j := range t {
		t[j] = math.Float64bits(math.Exp2(float64(j)/(1<<expBits))) - uint64(j)<<(52-expBits)
	}
	return t
}()

// exp returns e^x within 2 ulp (a relative error below 4.5e-16, checked
// against math.Exp by TestExpAccuracy), in about half math.Exp's time: the
// simulation's lognormal draws spend most of their time here. Following
// Tang (1989) and ARM's optimized-routines exp: x = (k/128)·ln 2 + r with
// |r| ≤ ln 2/256, e^x = 2^(k/128)·e^r, 2^(k/128) from a table of 128
// entries and the exponent bits, e^r by its degree-5 Taylor polynomial
// (truncation error r⁶/720 < 6e-19). Outside ±708 it defers to math.Exp.
func exp(x float64) float64 {
	if !(x > -708 && x < 708) {
		return math.Exp(x)
	}
	const (
		n      = 1 << expBits
		shift  = 0x1.8p52 // adding it rounds to an integer in the low bits
		ln2hiN = 0x1.62e42fefa0000p-8
		ln2loN = 0x1.cf79abc9e3b3ap-47
	)
	kd := x*(n/math.Ln2) + shift
	ki := math.Float64bits(kd)
	kd -= shift
	r := x - kd*ln2hiN - kd*ln2loN
	scale := math.Float64frombits(expTable[ki&(n-1)] + ki<<(52-expBits))
	r2 := r * r
	p := r + r2*(1.0/2+r*(1.0/6)) + r2*r2*(1.0/24+r*(1.0/120))
	return scale + scale*p
}

// maxPoissonMean is the largest mean poisson draws from (2⁶⁰).
const maxPoissonMean = 1 << 60

// poisson draws a Poisson(lam) count. expNeg is e^{−lam}, which callers
// precompute when lam is fixed across many draws (pass a negative value to
// have it computed). See poissonDist.
func poisson(p *rand.PCG, lam, expNeg float64) int {
	if lam < 10 && expNeg >= 0 {
		d := poissonDist{lam: lam, expNeg: expNeg}
		return d.rand(p)
	}
	d := newPoisson(lam)
	return d.rand(p)
}

// poissonDist is a Poisson law with its sampler's constants computed once,
// for the many draws a simulation makes at one rate. Below lam = 10 it
// inverts the CDF by sequential search; above, it uses Hörmann's
// transformed rejection with squeeze (PTRS, 1993).
type poissonDist struct {
	lam, expNeg float64
	// PTRS constants.
	loglam, a, b, invalpha, vr, logInvAlpha float64
}

// newPoisson returns the Poisson law of mean lam ≥ 0.
func newPoisson(lam float64) poissonDist {
	p := poissonDist{lam: lam}
	if lam < 10 {
		p.expNeg = math.Exp(-lam)
		return p
	}
	slam := math.Sqrt(lam)
	p.loglam = math.Log(lam)
	p.b = 0.931 + 2.53*slam
	p.a = -0.059 + 0.02483*p.b
	p.invalpha = 1.1239 + 1.1328/(p.b-3.4)
	p.vr = 0.9277 - 3.6224/(p.b-2)
	p.logInvAlpha = math.Log(p.invalpha)
	return p
}

// rand draws a count.
func (p *poissonDist) rand(src *rand.PCG) int {
	lam := p.lam
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
		return p.invert(uniform(src))
	}
	a, b := p.a, p.b
	for {
		u := uniform(src) - 0.5
		v := uniform(src)
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lam + 0.43)
		if us >= 0.07 && v <= p.vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		if p.accept(lam, v, a/(us*us)+b, k) {
			return int(k)
		}
	}
}

// invert returns the count at uniform u of a law of mean below 10, by
// sequential search of its CDF.
func (p *poissonDist) invert(u float64) int {
	lam := p.lam
	k := 0
	q := p.expNeg
	f := q
	for u > f {
		k++
		q *= lam / float64(k)
		f += q
		if q < 1e-300 && float64(k) > lam {
			break // u fell in the last ulp of the CDF
		}
	}
	return k
}

// poissonTable is the number of cumulative probabilities a poissonInv
// keeps.
const poissonTable = 32

// poissonInv is a Poisson law of mean below 10, sampled by the same
// inversion as poissonDist's, with the running sums of its sequential
// search computed once: the same counts from the same uniforms, without a
// division per step.
type poissonInv struct {
	pd poissonDist
	// cdf[k] is the search's running sum after k steps (+Inf where the
	// search stops whatever the uniform), for k < n; q its last term.
	cdf [poissonTable]float64
	n   int
	q   float64
}

// newPoissonInv returns the law Poisson(lam), 0 < lam < 10, tabulated.
func newPoissonInv(lam float64) poissonInv {
	p := poissonInv{pd: newPoisson(lam)}
	q := p.pd.expNeg
	f := q
	p.cdf[0], p.n, p.q = f, 1, q
	for k := 1; k < poissonTable; k++ {
		q *= lam / float64(k)
		f += q
		p.n, p.q = k+1, q
		if q < 1e-300 && float64(k) > lam {
			p.cdf[k] = math.Inf(1) // the search stops here
			break
		}
		p.cdf[k] = f
	}
	return p
}

// rand draws a count: poissonDist.rand's, from the same uniform.
func (p *poissonInv) rand(src *rand.PCG) int { return p.invert(uniform(src)) }

// invert returns the count at uniform u: poissonDist.invert's.
func (p *poissonInv) invert(u float64) int {
	for k, f := range p.cdf[:p.n] {
		if !(u > f) {
			return k
		}
	}
	// Beyond the table: the search carries on from its last step.
	lam := p.pd.lam
	k, q, f := p.n-1, p.q, p.cdf[p.n-1]
	for u > f {
		k++
		q *= lam / float64(k)
		f += q
		if q < 1e-300 && float64(k) > lam {
			break
		}
	}
	return k
}

// accept is PTRS's acceptance test of k at mean lam, ln v + ln(1/α) − ln h
// ≤ R = −λ + k·ln λ − ln k!, decided as that floating-point expression
// decides it, with one exp instead of two logs. R is computed as the test
// computes it; the left-hand side, of magnitude below about 120, carries
// an absolute rounding error below 1e-13, and v against h·e^{R − ln(1/α)}
// (exp within 4.5e-16 relative; where R is too large for that to hold, e^R
// is 0 or +Inf and the answer far from the boundary) the same relative
// error, so outside a band of ±1e-9 around equality both compare alike.
// Inside it (about one draw in 10⁹), or where h·e^{R − ln(1/α)} is near the
// subnormal range and loses relative precision, the expression itself
// decides.
func (p *poissonDist) accept(lam, v, h, k float64) bool {
	rhs := -lam + k*p.loglam - logFactorial(k)
	if t := h * exp(rhs-p.logInvAlpha); t > 0x1p-1000 { // not near subnormal
		switch {
		case v < t*(1-1e-9):
			return true
		case v > t*(1+1e-9):
			return false
		}
	}
	return math.Log(v)+p.logInvAlpha-math.Log(h) <= rhs
}

// logFactorials[k] is ln k! = math.Lgamma(k+1), for the counts PTRS's
// slow path meets most.
var logFactorials = func() (t [4096]float64) {
	for k := range t {
		t[k], _ = math.Lgamma(float64(k) + 1)
	}
	return t
}()

// logFactorial returns ln k! for a whole k ≥ 0, from the table when it
// holds k (the same bits as math.Lgamma).
func logFactorial(k float64) float64 {
	if k < float64(len(logFactorials)) {
		return logFactorials[int(k)]
	}
	lg, _ := math.Lgamma(k + 1)
	return lg
}

// gammaRand draws from Gamma(shape, scale 1) by Marsaglia and Tsang's method
// (2000), boosting shapes below 1 by G(a) = G(a+1)·U^{1/a}.
func gammaRand(p *rand.PCG, shape float64) float64 {
	g := newGammaConst(shape)
	return g.rand(p)
}

// gammaConst holds gammaRand's constants for one shape, for the many draws
// a simulation makes at it: the same draws as gammaRand's.
type gammaConst struct {
	// invShape is 1/shape when the shape is below 1 (and boosted), else 0.
	d, c, invShape float64
}

// newGammaConst returns the constants of Gamma(shape, scale 1).
func newGammaConst(shape float64) gammaConst {
	var g gammaConst
	if shape < 1 {
		g.invShape = 1 / shape
		shape++
	}
	g.d = shape - 1.0/3
	g.c = 1 / math.Sqrt(9*g.d)
	return g
}

// rand draws from the gamma law.
func (g *gammaConst) rand(p *rand.PCG) float64 {
	boost := 1.0
	if g.invShape != 0 {
		boost = math.Pow(1-uniform(p), g.invShape)
	}
	d, c := g.d, g.c
	for {
		x := normal(p)
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := 1 - uniform(p)
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v * boost
		}
	}
}

// Select rearranges x so that x[k] holds its k-th smallest element (from
// 0), with none larger before it and none smaller after, and returns it:
// Hoare's quickselect, in linear time on average. Sorting x[k:] then gives
// every order statistic from the k-th up, as sorting x would.
func Select(x []float64, k int) float64 { return selectK(x, k) }

// selectK rearranges x so that x[k] holds the k-th smallest element, with
// none larger before it and none smaller after, and returns it: Floyd and
// Rivest's SELECT (1975), which first selects, recursively, within a small
// sample around rank k for two pivots that bracket it, so that one pass
// over x leaves only a short middle to search (about n + O(n^{2/3})
// comparisons, against quickselect's 2n to 3.4n).
func selectK(x []float64, k int) float64 {
	floydRivest(x, 0, len(x)-1, k)
	return x[k]
}

// floydRivest rearranges x[left..right] so that x[k] holds its k-th
// smallest element (ranked in x), smaller ones before, larger after.
func floydRivest(x []float64, left, right, k int) {
	for right > left {
		if right-left > 600 {
			// Bring the sample's bracket of rank k into x[newLeft..newRight].
			n := float64(right - left + 1)
			i := float64(k - left + 1)
			z := math.Log(n)
			s := 0.5 * math.Exp(2*z/3)
			sd := 0.5 * math.Sqrt(z*s*(n-s)/n)
			if i < n/2 {
				sd = -sd
			}
			newLeft := max(left, int(float64(k)-i*s/n+sd))
			newRight := min(right, int(float64(k)+(n-i)*s/n+sd))
			floydRivest(x, newLeft, newRight, k)
		}
		// Partition x[left..right] about t = x[k].
		t := x[k]
		i, j := left, right
		x[left], x[k] = x[k], x[left]
		if x[right] > t {
			x[right], x[left] = x[left], x[right]
		}
		for i < j {
			x[i], x[j] = x[j], x[i]
			i++
			j--
			for x[i] < t {
				i++
			}
			for x[j] > t {
				j--
			}
		}
		if x[left] == t {
			x[left], x[j] = x[j], x[left]
		} else {
			j++
			x[j], x[right] = x[right], x[j]
		}
		if j <= k {
			left = j + 1
		}
		if k <= j {
			right = j - 1
		}
	}
}
