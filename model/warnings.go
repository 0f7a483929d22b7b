package model

import (
	"fmt"
	"math"
)

// Warning is a doubtful but valid input: worth a look, not an error.
type Warning struct {
	// Field names the input, as Validate names it.
	Field string
	// Msg says what is doubtful.
	Msg string
	// Mean and P99 are an estimate's implied mean and 99th percentile, for
	// the reader to judge (zero for warnings about costs and budgets).
	Mean, P99 float64
}

func (w Warning) String() string {
	if w.Mean == 0 && w.P99 == 0 {
		return w.Field + ": " + w.Msg
	}
	return fmt.Sprintf("%s: %s (implied mean %.4g, P99 %.4g)", w.Field, w.Msg, w.Mean, w.P99)
}

// wideRatio is the hi/lo ratio from which a lognormal interval draws a
// warning: three orders of magnitude.
const wideRatio = 1000

// Warnings returns the model's doubtful inputs under the appraisal and
// constraints: a positive 90% interval spanning more than three orders of
// magnitude (its lognormal mean is then driven by σ, and above about 5e4
// it exceeds the interval's upper bound), an estimate whose implied mean
// lies outside its own interval, a control costing more a year than the
// whole baseline expected annual loss, and a budget above the Gordon–Loeb
// bound of (1/e)·ALE.
func Warnings(m *Model, a Appraisal, cons Constraints) []Warning {
	if err := m.Validate(); err != nil {
		return nil
	}
	var ws []Warning
	check := func(e Estimate, kind Kind, field string) {
		if e.IsFixed() {
			return
		}
		d := e.Dist(kind)
		mean, p99 := d.Mean(), d.Quantile(0.99)
		if kind == Positive && e.Hi/e.Lo > wideRatio {
			ws = append(ws, Warning{field, fmt.Sprintf("the 90%% interval [%g, %g] spans more than three orders of magnitude (×%.0f): its lognormal mean is driven by the spread", e.Lo, e.Hi, e.Hi/e.Lo), mean, p99})
		}
		if mean < e.Lo || mean > e.Hi {
			ws = append(ws, Warning{field, fmt.Sprintf("the implied mean lies outside its own 90%% interval [%g, %g]", e.Lo, e.Hi), mean, p99})
		}
	}
	for _, t := range m.Threats {
		f := fmt.Sprintf("threats[%s]", t.ID)
		check(t.Rate, Positive, f+".rate")
		check(t.Spread, Positive, f+".spread")
		check(t.Duration, Positive, f+".duration")
		check(t.Fixed, Positive, f+".fixed")
		check(kOrOne(t.KDaily), Positive, f+".k_daily")
		check(kOrOne(t.KRecovery), Positive, f+".k_recovery")
	}
	for _, c := range m.Controls {
		f := fmt.Sprintf("controls[%s]", c.ID)
		check(c.Capex, Positive, f+".capex")
		check(c.Opex, Positive, f+".opex")
	}
	op, err := NewOptimiser(m, a, MaxNPV, nil)
	if err != nil {
		return ws
	}
	ale := op.baseALE
	for i, c := range m.Controls {
		if cost := op.AnnualCost(i); cost > ale {
			ws = append(ws, Warning{fmt.Sprintf("controls[%s]", c.ID), fmt.Sprintf("costs %.4g a year, more than the whole baseline expected annual loss %.4g", cost, ale), 0, 0})
		}
	}
	if gl := ale / math.E; cons.Annual > gl && !math.IsInf(cons.Annual, 1) {
		ws = append(ws, Warning{"budget", fmt.Sprintf("%.4g a year is above the Gordon–Loeb bound, (1/e) × baseline ALE = %.4g", cons.Annual, gl), 0, 0})
	}
	return ws
}
