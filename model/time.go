package model

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Time effects (used by phased plans; see Plan). A threat's rate grows
// by its Trend a year; a control reaches its full effect over its Rollout
// and, between renewals, loses it by its Decay. A reduction r then acts in
// year y as
//
//	m = 1 − r·φ(y),  φ(y) = fraction(y)·w̄(y)
//
// where fraction is the rollout's share of the control in place and w̄ the
// decay's mean over the year of the control's life, so every closed form
// of a static portfolio holds year by year with r replaced by r·φ.

// Rollout shapes.
const (
	// RolloutLinear puts a fraction min(a/R, 1) of the control in place in
	// year a of its rollout (a = 1 the start year).
	RolloutLinear = "linear"
	// RolloutStep puts none of it in place until year R, then all.
	RolloutStep = "step"
)

// Decay kinds, after OpenMalaria's decay functions (Smith et al., Malaria
// Journal 2012; OpenMalaria's DecayFunction), of the time t in years since
// the control was put in place or last renewed.
const (
	// DecayNone: w(t) = 1.
	DecayNone = "none"
	// DecayStep: w(t) = 1 for t < L, then 0.
	DecayStep = "step"
	// DecayExponential: w(t) = exp(−t·ln2/L), L the half-life.
	DecayExponential = "exponential"
	// DecayWeibull: w(t) = exp(−(t/L)^k).
	DecayWeibull = "weibull"
)

// Rollout is how long a control takes to reach its full effect after it
// starts. Years ≤ 1 is immediate (the full effect in the start year).
type Rollout struct {
	Years int
	// Shape is RolloutLinear (or empty) or RolloutStep.
	Shape string
}

// Decay is how a control's effect fades between renewals: w(t) of the
// time t in years since it was put in place or last renewed. Renewal,
// at the end of each Lifetime (paying the capex again), restores w to 1; a
// control with Lifetime 0 is never renewed within the horizon.
type Decay struct {
	// Kind is DecayNone (or empty), DecayStep, DecayExponential or
	// DecayWeibull.
	Kind string
	// L is the step's life, the exponential's half-life or the Weibull's
	// scale, in years.
	L float64
	// K is the Weibull's shape k (k = 1 is exponential with mean life L).
	K float64
}

// w returns w(t).
func (d Decay) w(t float64) float64 {
	switch d.Kind {
	case DecayStep:
		if t < d.L {
			return 1
		}
		return 0
	case DecayExponential:
		return math.Exp(-t * math.Ln2 / d.L)
	case DecayWeibull:
		return math.Exp(-math.Pow(t/d.L, d.K))
	}
	return 1
}

// YearMean returns w̄(a), the mean of w(t) over year a of the control's
// life since it was last put in place (t from a−1 to a), in closed form:
//
//	none         1
//	step         min(max(L − (a−1), 0), 1)
//	exponential  (e^{−λ(a−1)} − e^{−λa})/λ,  λ = ln2/L
//	Weibull      L·Γ(1+1/k)·[P(1/k, (a/L)^k) − P(1/k, ((a−1)/L)^k)]
//
// P being the regularised lower incomplete gamma function.
func (d Decay) YearMean(a int) float64 {
	t0, t1 := float64(a-1), float64(a)
	switch d.Kind {
	case DecayStep:
		return math.Min(math.Max(d.L-t0, 0), 1)
	case DecayExponential:
		lam := math.Ln2 / d.L
		return (math.Exp(-lam*t0) - math.Exp(-lam*t1)) / lam
	case DecayWeibull:
		s := 1 / d.K
		g := math.Gamma(1 + s)
		return d.L * g * (mathext.GammaIncReg(s, math.Pow(t1/d.L, d.K)) - mathext.GammaIncReg(s, math.Pow(t0/d.L, d.K)))
	}
	return 1
}

// Weight returns φ, the share of the control's reductions in force in year
// y (1-based) when it starts in year s: its rollout's fraction in place
// times the decay's mean over the year of its life since the last renewal
// (renewals at each Lifetime restore it). It is 0 before s.
func (c Control) Weight(s, y int) float64 {
	if s < 1 || y < s {
		return 0
	}
	a := y - s + 1
	frac := 1.0
	if R := c.Rollout.Years; R > 1 && a < R {
		if c.Rollout.Shape == RolloutStep {
			frac = 0
		} else {
			frac = float64(a) / float64(R)
		}
	}
	life := a
	if L := c.Lifetime; L > 0 {
		life = (a-1)%L + 1
	}
	return frac * c.Decay.YearMean(life)
}

// Timeless reports whether the control reaches its full effect at once
// and keeps it.
func (c Control) Timeless() bool {
	return c.Rollout.Years <= 1 && (c.Decay.Kind == "" || c.Decay.Kind == DecayNone)
}

// growth returns the distribution of a trend's yearly growth factor 1 + g:
// lognormal with the 90% interval [1 + lo, 1 + hi] (fixed at 1 without a
// trend).
func growth(trend Estimate) Dist {
	return Estimate{1 + trend.Lo, 1 + trend.Hi}.Dist(Positive)
}

// RateFactor returns E[(1+g)^(y−1)], the expected multiplier of the
// threat's rate in year y under its trend: for a lognormal growth factor
// with log-mean μ and log-sd σ, exp((y−1)μ + (y−1)²σ²/2). Drawn
// independently of the rate, so year y's expected rate is E[λ] times it.
func (t Threat) RateFactor(y int) float64 {
	if t.Trend == (Estimate{}) || y <= 1 {
		return 1
	}
	return growth(t.Trend).Moment(float64(y - 1))
}

// MaxTrend is the largest growth of a threat's rate a year the model
// takes (+100%, a doubling every year).
const MaxTrend = 1

// MaxRolloutYears is the longest rollout the model takes.
const MaxRolloutYears = 50

// checkTime returns every problem with a threat's trend.
func (t Threat) checkTime(f string) error {
	e := t.Trend
	if math.IsNaN(e.Lo) || math.IsNaN(e.Hi) || math.IsInf(e.Lo, 0) || math.IsInf(e.Hi, 0) {
		return fmt.Errorf("%s.trend: must be a finite growth a year, got [%g, %g]", f, e.Lo, e.Hi)
	}
	var errs []error
	if e.Lo > e.Hi {
		errs = append(errs, fmt.Errorf("%s.trend: lo %g is above hi %g", f, e.Lo, e.Hi))
	}
	if !(e.Lo > -1) || e.Hi > MaxTrend {
		errs = append(errs, fmt.Errorf("%s.trend: a growth a year must be above −1 (−100%%) and at most %g (+%g%%), got [%g, %g]", f, float64(MaxTrend), 100*float64(MaxTrend), e.Lo, e.Hi))
	} else if e.Lo < e.Hi {
		if err := (Estimate{1 + e.Lo, 1 + e.Hi}).Check(Positive, f+".trend (as the growth factor 1 + g)"); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkTime returns every problem with a control's rollout and decay.
func (c Control) checkTime(f string) error {
	var errs []error
	if r := c.Rollout; r.Years < 0 || r.Years > MaxRolloutYears {
		errs = append(errs, fmt.Errorf("%s.rollout_years: must be 0 to %d years, got %d", f, MaxRolloutYears, r.Years))
	}
	switch c.Rollout.Shape {
	case "", RolloutLinear, RolloutStep:
	default:
		errs = append(errs, fmt.Errorf("%s.rollout_shape: must be linear or step, got %q", f, c.Rollout.Shape))
	}
	d := c.Decay
	positive := func(name string, x float64) {
		if !(x > 0) || math.IsInf(x, 0) || x > MaxValue {
			errs = append(errs, fmt.Errorf("%s.%s: must be a positive number of years, got %g", f, name, x))
		}
	}
	switch d.Kind {
	case "", DecayNone:
	case DecayStep, DecayExponential:
		positive("decay_life", d.L)
	case DecayWeibull:
		positive("decay_life", d.L)
		if !(d.K >= 0.1 && d.K <= 20) {
			errs = append(errs, fmt.Errorf("%s.decay_shape: the Weibull shape k must be 0.1 to 20, got %g", f, d.K))
		}
	default:
		errs = append(errs, fmt.Errorf("%s.decay: must be none, step, exponential or weibull, got %q", f, d.Kind))
	}
	return errors.Join(errs...)
}
