package reports

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/cybercba/cybercba/reports/format"
)

// currency is the symbol written before amounts of money: "£", "€",
// "CHF ".
type currency string

// currencyOf returns the report's currency symbol, "£" when it sets none.
func currencyOf(r *Report) currency {
	if r == nil || r.CurrencySymbol == "" {
		return "£"
	}
	return currency(r.CurrencySymbol)
}

// text writes an amount as format.Currency.Money does: £950, £12.3k,
// £1.00m, −£2.50m, £1.20bn.
func (c currency) text(x float64) string { return format.Currency(c).Money(x) }

// interval writes a 90% interval of amounts: "−£31.0m to £531m".
func (c currency) interval(lo, hi float64) string { return format.Currency(c).Interval(lo, hi) }

// tick writes an amount as an axis label: £1m, £2.5m.
func (c currency) tick(x float64) string { return format.Currency(c).Tick(x) }

// numFmt is the spreadsheet number format of whole amounts, negatives in
// red: "£"#,##0;[Red]-"£"#,##0. A quote in the symbol is dropped, since a
// quoted literal cannot hold one.
func (c currency) numFmt() string {
	q := `"` + strings.ReplaceAll(string(c), `"`, "") + `"`
	return q + `#,##0;[Red]-` + q + `#,##0`
}

// millionsFmt is the spreadsheet number format of amounts in millions to
// one decimal, negatives in red with a minus sign: "£"#,##0.0,,"m". The
// cell keeps the exact amount; only its display is rounded.
func (c currency) millionsFmt() string {
	q := strings.ReplaceAll(string(c), `"`, "")
	return `"` + q + `"#,##0.0,,"m";[Red]"−` + q + `"#,##0.0,,"m"`
}

// axisFmt is the number format of a chart's money axis: whole millions,
// or whole amounts when millions is false, negatives with a minus sign
// and never in red, which reads as an error on an axis.
func (c currency) axisFmt(millions bool) string {
	q := strings.ReplaceAll(string(c), `"`, "")
	if millions {
		return `"` + q + `"#,##0,,"m";"−` + q + `"#,##0,,"m";"` + q + `"0`
	}
	return `"` + q + `"#,##0;"−` + q + `"#,##0;"` + q + `"0`
}

// in rewrites a heading written in pounds in the currency: "NPV (£)"
// becomes "NPV (€)" or "NPV (CHF)".
func (c currency) in(s string) string { return strings.ReplaceAll(s, "£", c.unit()) }

// roundSig rounds x to n significant figures.
func roundSig(x float64, n int) float64 { return format.RoundSig(x, n) }

// unit is the symbol as a unit in a label or column head: "£", "CHF".
func (c currency) unit() string { return format.Currency(c).Unit() }

// logTicks marks an axis whose data are base-10 logarithms: a labelled
// tick at each power of ten and unlabelled ticks at 2–9 times it, each
// labelled with the untransformed value. So that a short axis still has a
// few labels and a long one no crowded labels, 2 and 5 times each power are
// labelled too when the axis spans at most 1.2 decades, 3 times it when it
// spans at most 2.5, and every other power when it spans more than eight.
//
// The figures plot log10 of their data on linear axes rather than use
// plot.LogScale: gonum/plot v0.17.0 pads a log axis for its label as if the
// label sat at the arithmetic midpoint of the data range, which on a log
// axis lies near the top end, and so shrinks the plot.
type logTicks struct {
	// Label formats a labelled tick's value.
	Label func(float64) string
}

// Ticks returns the ticks between 10^lo and 10^hi.
func (t logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	e0, e1 := int(math.Floor(lo)), int(math.Ceil(hi))
	span, width := e1-e0, hi-lo
	var ticks []plot.Tick
	for e := e0; e <= e1; e++ {
		for m := 1; m < 10; m++ {
			v := float64(e) + math.Log10(float64(m))
			if v < lo-1e-9 || v > hi+1e-9 {
				continue
			}
			tk := plot.Tick{Value: v}
			switch {
			case m == 1 && (span <= 8 || (e-e0)%2 == 0),
				width <= 1.2 && (m == 2 || m == 5),
				width > 1.2 && width <= 2.5 && m == 3:
				tk.Label = t.Label(float64(m) * math.Pow10(e))
			}
			ticks = append(ticks, tk)
		}
	}
	return ticks
}

// linearTicks marks a linear axis where gonum's default ticks fall, with
// the labels rewritten by Label.
type linearTicks struct {
	Label func(float64) string
}

// Ticks returns the ticks in [lo, hi].
func (t linearTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if !ticks[i].IsMinor() {
			if math.Abs(ticks[i].Value) < 1e-9*(hi-lo) {
				ticks[i].Value = 0
			}
			ticks[i].Label = t.Label(ticks[i].Value)
		}
	}
	return ticks
}

// niceTicks marks a linear axis with as many labelled ticks as it can, at
// most N, at a round step (1, 2, 2.5 or 5 times a power of ten), and an
// unlabelled tick halfway between each pair. When Width, the axis's
// length, is set, labels also keep a gap between them.
type niceTicks struct {
	N     int
	Label func(float64) string
	Width vg.Length
}

// fits reports whether labels at step apart on an axis from lo to hi
// leave a gap between neighbours.
func (t niceTicks) fits(lo, hi, step float64) bool {
	if t.Width == 0 {
		return true
	}
	sty := textStyle(tickSize)
	space := vg.Length(step/(hi-lo)) * t.Width
	for k := math.Ceil(lo / step); k*step <= hi; k++ {
		if sty.Width(t.Label(roundSig(k*step, 12)))+8 > space {
			return false
		}
	}
	return true
}

// Ticks returns the ticks in [lo, hi].
func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || t.N < 2 {
		return nil
	}
	step := math.Inf(1)
	for e := math.Floor(math.Log10((hi-lo)/float64(t.N))) - 1; math.IsInf(step, 1); e++ {
		for _, m := range []float64{1, 2, 2.5, 5} {
			st := m * math.Pow10(int(e))
			if math.Floor(hi/st)-math.Ceil(lo/st)+1 <= float64(t.N) && t.fits(lo, hi, st) {
				step = st
				break
			}
		}
	}
	var ticks []plot.Tick
	for k := math.Ceil(lo / step * 2); k/2*step <= hi*(1+1e-12)+1e-300; k++ {
		v := k / 2 * step
		tk := plot.Tick{Value: v}
		if int(k)%2 == 0 {
			tk.Label = t.Label(roundSig(v, 12))
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// decades returns the log10 axis range of [lo, hi] widened to whole
// powers of ten.
func decades(lo, hi float64) (float64, float64) {
	return math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
}

// lg is the base-10 logarithm, the coordinate of a value on a log axis.
func lg(x float64) float64 { return math.Log10(x) }

// moneyTicks relabels a linear money axis's ticks in one format: one unit
// (k, m or bn, from the largest labelled value) and one number of decimals
// (the fewest that write every label exactly), so that an axis reads
// £0.5m, £1.0m, £1.5m rather than £500k, £1m, £1.5m.
type moneyTicks struct {
	Ticker plot.Ticker
	Cur    currency
}

// Ticks returns the inner ticker's ticks, relabelled.
func (t moneyTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := t.Ticker.Ticks(lo, hi)
	var top float64
	for _, tk := range ticks {
		if tk.Label != "" {
			top = max(top, math.Abs(tk.Value))
		}
	}
	scale, suffix := 1.0, ""
	switch {
	case top >= 999.5e6:
		scale, suffix = 1e9, "bn"
	case top >= 999.5e3:
		scale, suffix = 1e6, "m"
	case top >= 999.5:
		scale, suffix = 1e3, "k"
	}
	decimals := 0
	for ; decimals < 3; decimals++ {
		exact := true
		for _, tk := range ticks {
			if tk.Label == "" {
				continue
			}
			v := tk.Value / scale * math.Pow10(decimals)
			if math.Abs(v-math.Round(v)) > 1e-6*max(1, math.Abs(v)) {
				exact = false
				break
			}
		}
		if exact {
			break
		}
	}
	for i := range ticks {
		if ticks[i].Label == "" {
			continue
		}
		v := ticks[i].Value
		switch {
		case v == 0:
			ticks[i].Label = string(t.Cur) + "0"
		case v < 0:
			ticks[i].Label = format.Minus + string(t.Cur) + strconv.FormatFloat(-v/scale, 'f', decimals, 64) + suffix
		default:
			ticks[i].Label = string(t.Cur) + strconv.FormatFloat(v/scale, 'f', decimals, 64) + suffix
		}
	}
	return ticks
}
