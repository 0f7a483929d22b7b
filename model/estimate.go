package model

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

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
	// Bounds of exactly 0 or 1 are moved in by 1e-4 for the fit.
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
		}
	case Fraction:
		if e.Lo < 0 || e.Hi > 1 || e.Lo > 1 || e.Hi < 0 {
			errs = append(errs, fmt.Errorf("%s: must be a fraction in [0, 1], got [%g, %g]", field, e.Lo, e.Hi))
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
		a, b := fitBeta(e.Lo, e.Hi)
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

// fitBeta returns the beta parameters whose 5th and 95th percentiles are lo
// and hi: Newton's method on (ln α, ln β), started from the beta with the
// normal approximation's mean and variance, with a nested bisection as the
// fallback should Newton not converge.
func fitBeta(lo, hi float64) (alpha, beta float64) {
	const eps = 1e-4
	lo = math.Max(lo, eps)
	hi = math.Min(hi, 1-eps)
	if lo >= hi {
		lo = hi - eps/2
	}
	resid := func(la, lb float64) (float64, float64) {
		if !(la > -7 && la < 19 && lb > -7 && lb < 19) {
			return math.Inf(1), math.Inf(1) // outside α, β ∈ (1e-3, 1e8)
		}
		a, b := math.Exp(la), math.Exp(lb)
		return mathext.RegIncBeta(a, b, lo) - 0.05, mathext.RegIncBeta(a, b, hi) - 0.95
	}
	m := (lo + hi) / 2
	sd := (hi - lo) / (2 * z95)
	k := math.Max(m*(1-m)/(sd*sd)-1, 0.5)
	la, lb := math.Log(m*k), math.Log((1-m)*k)
	f1, f2 := resid(la, lb)
	for range 60 {
		norm := math.Hypot(f1, f2)
		if norm < 1e-13 {
			return math.Exp(la), math.Exp(lb)
		}
		const h = 1e-7
		a1, a2 := resid(la+h, lb)
		b1, b2 := resid(la, lb+h)
		j11, j21 := (a1-f1)/h, (a2-f2)/h
		j12, j22 := (b1-f1)/h, (b2-f2)/h
		det := j11*j22 - j12*j21
		if det == 0 || math.IsNaN(det) {
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
		return math.Exp(la), math.Exp(lb)
	}
	return fitBetaBisect(lo, hi)
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
	la, lb := math.Log(1e-3), math.Log(1e8)
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
