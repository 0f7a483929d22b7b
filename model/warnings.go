package model

import (
	"fmt"
	"math"
)

// Warning is a doubtful but valid input: worth a look, not an error.
type Warning struct {
	// Field names the input, as Validate names it.
	Field string
	// Msg says what is doubtful, amounts written as plain numbers (Text
	// writes them as money).
	Msg string
	// Mean and P99 are an estimate's implied mean and 99th percentile, for
	// the reader to judge (zero for warnings about costs and budgets).
	Mean, P99 float64
	// Money says that the estimate is an amount of money.
	Money bool
	// format and args make Msg, each arg written %s: a float64 as a
	// number, a moneyArg as an amount of money, a string as it is.
	format string
	args   []any
}

// moneyArg is an amount of money in a warning's message.
type moneyArg float64

// newWarning returns the warning on field saying format with args (see
// Warning.format).
func newWarning(field string, mean, p99 float64, money bool, format string, args ...any) Warning {
	w := Warning{Field: field, Mean: mean, P99: p99, Money: money, format: format, args: args}
	w.Msg = w.message(nil)
	return w
}

// plainNumber writes a number as the messages did before they knew of
// money: four significant figures.
func plainNumber(x float64) string { return fmt.Sprintf("%.4g", x) }

// message writes the warning's message, amounts of money with money (nil:
// as plain numbers).
func (w Warning) message(money func(float64) string) string {
	if money == nil {
		money = plainNumber
	}
	args := make([]any, len(w.args))
	for i, a := range w.args {
		switch x := a.(type) {
		case moneyArg:
			args[i] = money(float64(x))
		case float64:
			args[i] = fmt.Sprintf("%g", x)
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(w.format, args...)
}

// Text writes the warning with its amounts of money written by money
// (e.g. "£358k"; nil writes them as plain numbers, as String does).
func (w Warning) Text(money func(float64) string) string {
	msg := w.message(money)
	if w.Mean == 0 && w.P99 == 0 {
		return w.Field + ": " + msg
	}
	mean, p99 := plainNumber(w.Mean), plainNumber(w.P99)
	if w.Money && money != nil {
		mean, p99 = money(w.Mean), money(w.P99)
	}
	return fmt.Sprintf("%s: %s (implied mean %s, P99 %s)", w.Field, msg, mean, p99)
}

func (w Warning) String() string { return w.Text(nil) }

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
	check := func(e Estimate, kind Kind, field string, money bool) {
		if e.IsFixed() {
			return
		}
		d := e.Dist(kind)
		mean, p99 := d.Mean(), d.Quantile(0.99)
		var lo, hi any = e.Lo, e.Hi
		if money {
			lo, hi = moneyArg(e.Lo), moneyArg(e.Hi)
		}
		if kind == Positive && e.Hi/e.Lo > wideRatio {
			ws = append(ws, newWarning(field, mean, p99, money, "the 90%% interval [%s, %s] spans more than three orders of magnitude (×%s): its lognormal mean is driven by the spread", lo, hi, fmt.Sprintf("%.0f", e.Hi/e.Lo)))
		}
		if mean < e.Lo || mean > e.Hi {
			ws = append(ws, newWarning(field, mean, p99, money, "the implied mean lies outside its own 90%% interval [%s, %s]", lo, hi))
		}
	}
	for _, t := range m.Threats {
		f := fmt.Sprintf("threats[%s]", t.ID)
		check(t.Rate, Positive, f+".rate", false)
		check(t.Spread, Positive, f+".spread", false)
		check(t.Duration, Positive, f+".duration", false)
		check(t.Fixed, Positive, f+".fixed", true)
		check(kOrOne(t.KDaily), Positive, f+".k_daily", false)
		check(kOrOne(t.KRecovery), Positive, f+".k_recovery", false)
	}
	for _, c := range m.Controls {
		f := fmt.Sprintf("controls[%s]", c.ID)
		check(c.Capex, Positive, f+".capex", true)
		check(c.Opex, Positive, f+".opex", true)
	}
	op, err := NewOptimiser(m, a, MaxNPV, nil)
	if err != nil {
		return ws
	}
	ale := op.baseALE
	if w, ok := implausibleALE(ale, m.Orgs); ok {
		ws = append(ws, w)
	}
	for i, c := range m.Controls {
		if cost := op.AnnualCost(i); cost > ale {
			ws = append(ws, newWarning(fmt.Sprintf("controls[%s]", c.ID), 0, 0, true, "costs %s a year, more than the whole baseline expected annual loss %s", moneyArg(cost), moneyArg(ale)))
		}
	}
	if gl := ale / math.E; cons.Annual > gl && !math.IsInf(cons.Annual, 1) {
		ws = append(ws, newWarning("budget", 0, 0, true, "%s a year is above the Gordon–Loeb bound, (1/e) × baseline ALE = %s", moneyArg(cons.Annual), moneyArg(gl)))
	}
	return ws
}

// MaxALEPerOrg is the expected annual loss per organisation above which
// the baseline draws a warning: 10¹² a year in the dataset's currency,
// more than the yearly revenue of the world's largest company by revenue
// (Walmart Inc., Annual Report 2024: US$648 billion in fiscal 2024), so
// that no organisation could lose it year after year. Inputs that each
// lie within their limits (MaxAmount, MaxRate, MaxOrgs) can combine to
// far more: at the caps a 10-organisation scope reached 1.89e15 a year.
const MaxALEPerOrg = 1e12

// implausibleALE returns a warning when the baseline expected annual loss
// ale of a scope of orgs organisations is beyond belief: above
// MaxALEPerOrg an organisation, or above MaxValue (1e18), beyond the range
// the outputs are meant to show.
func implausibleALE(ale, orgs float64) (Warning, bool) {
	per := ale / max(orgs, 1)
	switch {
	case ale > MaxValue:
		return newWarning("scope", 0, 0, true, "the baseline expected annual loss, %s a year, is out of range (above %s): no figure this large means anything; an input is mis-scaled (an amount in pence, a rate a day rather than a year, a spread or duration far too large)", moneyArg(ale), moneyArg(MaxValue)), true
	case per > MaxALEPerOrg:
		return newWarning("scope", 0, 0, true, "the baseline expected annual loss, %s a year (%s per organisation), is implausible: above %s a year per organisation, more than the yearly revenue of the world's largest company (Walmart, US$648bn in fiscal 2024); an input is likely mis-scaled (an amount in pence, a rate a day rather than a year, a spread or duration far too large)", moneyArg(ale), moneyArg(per), moneyArg(MaxALEPerOrg)), true
	}
	return Warning{}, false
}
