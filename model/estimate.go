package model

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// z95 is the standard normal quantile at 0.95: a 90% interval spans
// ±z95 standard deviations.
const z95 = 1.6448536269514722

// Estimate is an uncertain quantity elicited as a 90% confidence interval
// [Lo, Hi] (Hubbard's calibrated estimates). Lo == Hi is a fixed value.
type Estimate struct {
	Lo, Hi float64
}

// Fixed returns the estimate of a known value x.
func Fixed(x float64) Estimate { return Estimate{x, x} }

// IsFixed reports whether the estimate is a single known value.
func (e Estimate) IsFixed() bool { return e.Lo == e.Hi }

// Kind says how an estimate's interval is turned into a distribution.
type Kind int

const (
	// Positive quantities (rates, costs, spread, duration, multipliers) are
	// lognormal, fitted so that the interval holds its 5th and 95th
	// percentiles:
	//
	//	μ = (ln lo + ln hi)/2,  σ = (ln hi − ln lo)/(2·1.6449)
	Positive Kind = iota
	// Fractions (a control's reductions) are beta distributed, with α and β
	// solved so that the interval holds the 5th and 95th percentiles exactly.
	// Bounds of exactly 0 or 1 are moved in by 1e-4 (or a tenth of the
	// distance to the other bound, if less) for the fit. An interval no beta
	// can hold (narrower than about 3·10⁻⁶ of m(1 − m), m its midpoint) is
	// refused by Check.
	Fraction
)

// Check returns every problem with the estimate as a quantity of the given
// kind, naming field.
func (e Estimate) Check(kind Kind, field string) error {
	var errs []error
	if math.IsNaN(e.Lo) || math.IsNaN(e.Hi) || math.IsInf(e.Lo, 0) || math.IsInf(e.Hi, 0) {
		return fmt.Errorf("%s: must be a finite number, got [%g, %g]", field, e.Lo, e.Hi)
	}
	if e.Lo > e.Hi {
		errs = append(errs, fmt.Errorf("%s: lo %g is above hi %g", field, e.Lo, e.Hi))
	}
	switch kind {
	case Positive:
		if e.Lo < 0 || e.Hi < 0 {
			errs = append(errs, fmt.Errorf("%s: must not be negative, got [%g, %g]", field, e.Lo, e.Hi))
		} else if e.Lo == 0 && e.Hi > 0 {
			errs = append(errs, fmt.Errorf("%s: a lognormal interval needs lo > 0, got [0, %g] (give a small positive lo, or 0 as a fixed value)", field, e.Hi))
		} else if e.Lo < e.Hi && e.Hi > MaxSpan*e.Lo {
			errs = append(errs, fmt.Errorf("%s: [%g, %g] spans more than %g times from lo to hi, too wide for a 90%% interval", field, e.Lo, e.Hi, float64(MaxSpan)))
		}
		if e.Hi > MaxValue {
			errs = append(errs, fmt.Errorf("%s: %g is beyond the largest value the model takes, %g", field, e.Hi, float64(MaxValue)))
		}
	case Fraction:
		if e.Lo < 0 || e.Hi > 1 || e.Lo > 1 || e.Hi < 0 {
			errs = append(errs, fmt.Errorf("%s: must be a fraction in [0, 1], got [%g, %g]", field, e.Lo, e.Hi))
		} else if e.Lo < e.Hi && !betaFits(e.Lo, e.Hi) {
			if _, _, err := fitBeta(e.Lo, e.Hi); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", field, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Dist is a fitted distribution of an estimate.
type Dist struct {
	kind  Kind
	fixed bool
	value float64 // fixed value
	mu    float64 // lognormal
	sigma float64
	alpha float64 // beta
	beta  float64
}

// Dist returns the distribution fitted to a valid estimate of the given
// kind. It panics on an invalid estimate: call Check first.
func (e Estimate) Dist(kind Kind) Dist {
	if err := e.Check(kind, "estimate"); err != nil {
		panic("model: " + err.Error())
	}
	if e.IsFixed() {
		return Dist{kind: kind, fixed: true, value: e.Lo}
	}
	switch kind {
	case Positive:
		return Dist{
			kind:  kind,
			mu:    (math.Log(e.Lo) + math.Log(e.Hi)) / 2,
			sigma: (math.Log(e.Hi) - math.Log(e.Lo)) / (2 * z95),
		}
	default:
		a, b, err := fitBeta(e.Lo, e.Hi)
		if err != nil {
			panic("model: " + err.Error()) // Check has fitted it
		}
		return Dist{kind: kind, alpha: a, beta: b}
	}
}

// IsFixed reports whether the distribution is a point mass.
func (d Dist) IsFixed() bool { return d.fixed }

// Mean returns the distribution's mean: exp(μ + σ²/2) for a lognormal,
// α/(α+β) for a beta.
func (d Dist) Mean() float64 {
	switch {
	case d.fixed:
		return d.value
	case d.kind == Positive:
		return math.Exp(d.mu + d.sigma*d.sigma/2)
	default:
		return d.alpha / (d.alpha + d.beta)
	}
}

// Moment returns E[X^k].
func (d Dist) Moment(k float64) float64 {
	switch {
	case d.fixed:
		return math.Pow(d.value, k)
	case d.kind == Positive:
		return math.Exp(k*d.mu + k*k*d.sigma*d.sigma/2)
	default:
		// E[X^k] = B(α+k, β)/B(α, β)
		return math.Exp(lbeta(d.alpha+k, d.beta) - lbeta(d.alpha, d.beta))
	}
}

// CappedMoment returns E[min(X, c)^k] for a positive distribution, the
// moments of a spread capped at the scope's organisations:
//
//	E[min(X,c)^k] = e^{kμ+k²σ²/2}·Φ((ln c − μ − kσ²)/σ) + c^k·(1 − Φ((ln c − μ)/σ))
func (d Dist) CappedMoment(k, c float64) float64 {
	switch {
	case d.fixed:
		return math.Pow(math.Min(d.value, c), k)
	case d.kind != Positive:
		panic("model: CappedMoment of a fraction")
	}
	lc := math.Log(c)
	below := math.Exp(k*d.mu+k*k*d.sigma*d.sigma/2) * phi((lc-d.mu-k*d.sigma*d.sigma)/d.sigma)
	return below + math.Pow(c, k)*(1-phi((lc-d.mu)/d.sigma))
}

// Quantile returns the p-quantile.
func (d Dist) Quantile(p float64) float64 {
	switch {
	case d.fixed:
		return d.value
	case d.kind == Positive:
		return distuv.LogNormal{Mu: d.mu, Sigma: d.sigma}.Quantile(p)
	default:
		return distuv.Beta{Alpha: d.alpha, Beta: d.beta}.Quantile(p)
	}
}

// CDF returns P(X ≤ x).
func (d Dist) CDF(x float64) float64 {
	switch {
	case d.fixed:
		if x < d.value {
			return 0
		}
		return 1
	case d.kind == Positive:
		return distuv.LogNormal{Mu: d.mu, Sigma: d.sigma}.CDF(x)
	default:
		return distuv.Beta{Alpha: d.alpha, Beta: d.beta}.CDF(x)
	}
}

// Rand draws one value using r.
func (d Dist) Rand(r *rand.Rand) float64 {
	switch {
	case d.fixed:
		return d.value
	case d.kind == Positive:
		return math.Exp(d.mu + d.sigma*r.NormFloat64())
	default:
		return distuv.Beta{Alpha: d.alpha, Beta: d.beta, Src: r}.Rand()
	}
}

func phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

func lbeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

// betaEdge is how far a bound of exactly 0 or 1 is moved in for the beta
// fit (a beta puts no mass on the bounds themselves).
const betaEdge = 1e-4

// betaMin and betaMax bound the fitted α and β. A beta whose 90% interval is
// narrower than about 3·10⁻⁶ of its mean's m(1 − m) needs a concentration
// beyond betaMax, and Check refuses it.
const (
	betaMin = 1e-3
	betaMax = 1e12
)

// betaFitTol is how close the fitted beta's CDF at lo and hi must come to
// 0.05 and 0.95.
const betaFitTol = 1e-6

// betaBounds returns the interval the beta is fitted to: a bound of exactly
// 0 is moved in to betaEdge, or a tenth of hi if that is smaller, and a
// bound of exactly 1 likewise; bounds inside (0, 1) are kept.
func betaBounds(lo, hi float64) (float64, float64) {
	if lo <= 0 {
		lo = math.Min(betaEdge, hi/10)
	}
	if hi >= 1 {
		hi = 1 - math.Min(betaEdge, (1-lo)/10)
	}
	return lo, hi
}

// betaFits reports, without fitting, that a beta holds the interval: one
// at least 10⁻⁴ wide with both bounds (after betaBounds) at least 10⁻⁴
// from 0 and 1 needs a concentration below 10⁹ and α, β above 10⁻², well
// inside [betaMin, betaMax] (TestBetaFitsFastPath checks a grid, and
// FuzzEstimate that what Check accepts fits). Other intervals are fitted.
func betaFits(lo, hi float64) bool {
	lo, hi = betaBounds(lo, hi)
	return lo >= betaEdge && hi <= 1-betaEdge && hi-lo >= betaEdge
}

// fitBeta returns the beta parameters whose 5th and 95th percentiles are lo
// and hi (after betaBounds): Newton's method on (ln α, ln β), started from
// the beta with the normal approximation's mean and variance, with a nested
// bisection as the fallback should Newton not converge. It reports an error
// when no beta with α, β in [betaMin, betaMax] holds the interval to
// betaFitTol.
func fitBeta(lo, hi float64) (alpha, beta float64, err error) {
	key := [2]float64{lo, hi}
	if v, ok := betaFitCache.Load(key); ok {
		f := v.(betaFit)
		return f.alpha, f.beta, f.err
	}
	alpha, beta, err = fitBetaUncached(lo, hi)
	if betaFitCount.Add(1) <= maxBetaFits {
		betaFitCache.Store(key, betaFit{alpha, beta, err})
	}
	return alpha, beta, err
}

// betaFitCache memoises fitBeta, a pure function of (lo, hi): the sensitivity
// analysis refits a model's every interval at each of hundreds of points
// while moving one input, and Newton's fit dominated its time. At most
// maxBetaFits intervals are kept, so a hostile dataset cannot grow it
// without bound; beyond that the fit is computed each time.
var (
	betaFitCache sync.Map
	betaFitCount atomic.Int64
)

const maxBetaFits = 1 << 14

type betaFit struct {
	alpha, beta float64
	err         error
}

func fitBetaUncached(lo, hi float64) (alpha, beta float64, err error) {
	lo, hi = betaBounds(lo, hi)
	if !(0 < lo && lo < hi && hi < 1) {
		return 0, 0, fmt.Errorf("no beta distribution has its 5th and 95th percentiles at %g and %g", lo, hi)
	}
	lmin, lmax := math.Log(betaMin), math.Log(betaMax)
	resid := func(la, lb float64) (float64, float64) {
		if !(la > lmin && la < lmax && lb > lmin && lb < lmax) {
			return math.Inf(1), math.Inf(1)
		}
		a, b := math.Exp(la), math.Exp(lb)
		return mathext.RegIncBeta(a, b, lo) - 0.05, mathext.RegIncBeta(a, b, hi) - 0.95
	}
	check := func(a, b float64) (float64, float64, error) {
		if !(a >= betaMin && a <= betaMax && b >= betaMin && b <= betaMax) ||
			math.Abs(mathext.RegIncBeta(a, b, lo)-0.05) > betaFitTol ||
			math.Abs(mathext.RegIncBeta(a, b, hi)-0.95) > betaFitTol {
			return 0, 0, fmt.Errorf("no beta distribution has its 5th and 95th percentiles at %g and %g (the interval is too narrow, or too close to 0 or 1, for a beta: widen it or give a single value)", lo, hi)
		}
		return a, b, nil
	}
	m := (lo + hi) / 2
	sd := (hi - lo) / (2 * z95)
	k := math.Min(math.Max(m*(1-m)/(sd*sd)-1, 0.5), betaMax/2)
	la, lb := math.Log(math.Max(m*k, 2*betaMin)), math.Log(math.Max((1-m)*k, 2*betaMin))
	f1, f2 := resid(la, lb)
	for range 60 {
		norm := math.Hypot(f1, f2)
		if norm < 1e-13 {
			return check(math.Exp(la), math.Exp(lb))
		}
		const h = 1e-7
		a1, a2 := resid(la+h, lb)
		b1, b2 := resid(la, lb+h)
		j11, j21 := (a1-f1)/h, (a2-f2)/h
		j12, j22 := (b1-f1)/h, (b2-f2)/h
		det := j11*j22 - j12*j21
		if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
			break
		}
		da := -(j22*f1 - j12*f2) / det
		db := -(-j21*f1 + j11*f2) / det
		// Damp the step until the residual falls.
		step := 1.0
		for range 30 {
			n1, n2 := resid(la+step*da, lb+step*db)
			if math.Hypot(n1, n2) < norm {
				la, lb, f1, f2 = la+step*da, lb+step*db, n1, n2
				break
			}
			step /= 2
		}
		if step < 1e-9 {
			break
		}
	}
	if math.Hypot(f1, f2) < 1e-9 {
		return check(math.Exp(la), math.Exp(lb))
	}
	return check(fitBetaBisect(lo, hi))
}

// fitBetaBisect solves the beta fit by nested bisection. With mean m and
// concentration κ (α = mκ, β = (1−m)κ), the lower percentile falls as m
// rises at fixed κ, and the interval narrows as κ rises.
func fitBetaBisect(lo, hi float64) (alpha, beta float64) {
	// meanFor returns the mean at which the 5th percentile is lo.
	meanFor := func(k float64) float64 {
		a, b := 1e-9, 1-1e-9
		for range 100 {
			m := (a + b) / 2
			if mathext.RegIncBeta(m*k, (1-m)*k, lo) > 0.05 {
				a = m
			} else {
				b = m
			}
		}
		return (a + b) / 2
	}
	la, lb := math.Log(betaMin), math.Log(betaMax)
	for range 100 {
		lk := (la + lb) / 2
		k := math.Exp(lk)
		m := meanFor(k)
		if mathext.RegIncBeta(m*k, (1-m)*k, hi) < 0.95 {
			la = lk // too wide: concentrate
		} else {
			lb = lk
		}
	}
	k := math.Exp((la + lb) / 2)
	m := meanFor(k)
	return m * k, (1 - m) * k
}
