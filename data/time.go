package data

import (
	"fmt"
	"math"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// timeEffects returns the control's rollout and decay for the model.
func (c *Control) timeEffects() (model.Rollout, model.Decay) {
	var r model.Rollout
	if c.RolloutYears != nil {
		r.Years = int(c.RolloutYears.Lo)
	}
	r.Shape = strings.ToLower(c.RolloutShape)
	d := model.Decay{Kind: strings.ToLower(c.Decay)}
	if c.DecayLife != nil {
		d.L = c.DecayLife.Lo
	}
	if c.DecayShape != nil {
		d.K = c.DecayShape.Lo
	}
	return r, d
}

// trend checks a threat's trend: its provenance, and a growth a year
// above −100% and at most model.MaxTrend, lo ≤ hi.
func (v *validator) trend(n *Number, field, at string) {
	if n == nil {
		return
	}
	if n.bad != "" {
		v.errf(n.pos(), field, "%s", n.bad)
		return
	}
	// Provenance, checked on a stand-in value: a growth may be negative,
	// which the number kinds do not take.
	p := *n
	p.Lo, p.Hi = 1, 1
	v.number(&p, field, at, model.Positive, false)
	switch {
	case math.IsNaN(n.Lo) || math.IsNaN(n.Hi) || math.IsInf(n.Lo, 0) || math.IsInf(n.Hi, 0):
		v.errf(n.pos(), field, "must be a finite growth a year, got %s", n)
	case n.Lo > n.Hi:
		v.errf(n.pos(), field, "lo %g is above hi %g", n.Lo, n.Hi)
	case !(n.Lo > -1) || n.Hi > model.MaxTrend:
		v.errf(n.pos(), field, "a growth of the rate a year must be above −1 (−100%%) and at most %g (+%g%%), got %s", float64(model.MaxTrend), 100*float64(model.MaxTrend), n)
	case n.Lo < n.Hi && 1+n.Hi > model.MaxSpan*(1+n.Lo):
		v.errf(n.pos(), field, "the growth factor 1 + g spans more than %g times from lo to hi, too wide for a 90%% interval", float64(model.MaxSpan))
	}
}

// timeOf checks a control's rollout and decay, each naming its field.
func (v *validator) timeOf(c *Control, cf, ca string) {
	single := func(n *Number, name string, lo, hi float64, whole bool, what string) {
		f := cf + "." + name
		if !v.number(n, f, ca, model.Positive, false) {
			return
		}
		if n.Lo != n.Hi || n.Lo < lo || n.Lo > hi || (whole && n.Lo != math.Trunc(n.Lo)) {
			v.errf(n.pos(), f, "must be %s, a single value from %g to %g, got %s", what, lo, hi, n)
		}
	}
	at := func(key string) int {
		if l := v.at(ca + "." + key); l > 0 {
			return l
		}
		return v.at(ca)
	}
	single(c.RolloutYears, "rollout_years", 0, model.MaxRolloutYears, true, "a whole number of years")
	switch strings.ToLower(c.RolloutShape) {
	case "", model.RolloutLinear, model.RolloutStep:
	default:
		v.errf(at("rollout_shape"), cf+".rollout_shape", "must be linear or step, got %q", c.RolloutShape)
	}
	kind := strings.ToLower(c.Decay)
	switch kind {
	case "", model.DecayNone:
		if c.DecayLife != nil || c.DecayShape != nil {
			v.errf(at("decay"), cf+".decay", "decay_life or decay_shape is given without a decay kind (want step, exponential or weibull)")
		}
	case model.DecayStep, model.DecayExponential, model.DecayWeibull:
		if c.DecayLife == nil {
			v.errf(at("decay"), cf+".decay_life", "missing: a %s decay needs its life in years (the step's life, the exponential's half-life, the Weibull's scale)", kind)
		}
		single(c.DecayLife, "decay_life", 1e-3, model.MaxHorizon, false, "years")
		if kind == model.DecayWeibull {
			if c.DecayShape == nil {
				v.errf(at("decay"), cf+".decay_shape", "missing: a weibull decay needs its shape k")
			}
			single(c.DecayShape, "decay_shape", 0.1, 20, false, "the Weibull shape k")
		} else if c.DecayShape != nil {
			v.errf(c.DecayShape.pos(), cf+".decay_shape", "only a weibull decay takes a shape")
		}
	default:
		v.errf(at("decay"), cf+".decay", "must be none, step, exponential or weibull, got %q%s", c.Decay, didYouMean(c.Decay, []string{"none", "step", "exponential", "weibull"}))
	}
}

// ParseBudgetPlan reads yearly budgets written "2026-27:50m,2027-28:50m"
// (a label and an amount a year, in order; an amount alone is labelled
// "year N"), of the kind named: both (capital and running, the default
// when kind is ""), capital, running or annual.
func ParseBudgetPlan(s, kind string) (model.YearBudgets, error) {
	var b model.YearBudgets
	if kind != "" {
		k, err := model.ParsePlanBudgetKind(strings.ToLower(strings.TrimSpace(kind)))
		if err != nil {
			return b, err
		}
		b.Kind = k
	}
	if strings.TrimSpace(s) == "" {
		return b, fmt.Errorf("no yearly budgets given (want e.g. 2026-27:50m,2027-28:50m)")
	}
	seen := map[string]bool{}
	for i, part := range strings.Split(s, ",") {
		label, amount, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			label, amount = fmt.Sprintf("year %d", i+1), label
		}
		label = strings.TrimSpace(label)
		switch {
		case label == "":
			return b, fmt.Errorf("year %d: empty label before ':' in %q", i+1, part)
		case seen[label]:
			return b, fmt.Errorf("year %d: label %q appears twice", i+1, label)
		}
		seen[label] = true
		x, err := ParseAmount(amount)
		if err != nil {
			return b, fmt.Errorf("%s: %w", label, err)
		}
		b.Labels = append(b.Labels, label)
		b.Amounts = append(b.Amounts, x)
	}
	return b, nil
}
