package format

import (
	"math"
	"strconv"
	"strings"
)

// Minus is the sign written before a negative number: U+2212, the
// typographic minus, which lines up with a plus and is not taken for a
// hyphen.
const Minus = "\u2212"

// NA is written for a number that is not a number (NaN).
const NA = "n/a"

// Currency is the symbol written before amounts of money: "£", "€",
// "CHF ". The empty Currency writes amounts with no symbol.
type Currency string

// Unit is the symbol as a unit in a label or a column head: "£", "CHF".
func (c Currency) Unit() string { return strings.TrimSpace(string(c)) }

// scale is a suffix and the power of ten it stands for.
type scale struct {
	suffix string
	div    float64
}

// scales are the suffixes of amounts, largest first.
var scales = []scale{{"tn", 1e12}, {"bn", 1e9}, {"m", 1e6}, {"k", 1e3}, {"", 1}}

// Money writes an amount to three significant figures with a k, m, bn or
// tn suffix, trailing zeros kept so that every amount shows its precision:
// £950, £12.3k, £4.56m, £1.20bn, −€3.00m. An amount that rounds to zero is
// £0, whatever its sign; NaN is n/a, ±Inf ∞ and −∞ (no symbol); an amount of a
// thousand trillion or more is written in powers of ten, £1.00e15, and one
// above OutOfRange says so: £2.00e19 (out of range).
func (c Currency) Money(x float64) string {
	sign, s := magnitude(x, true)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return s
	}
	return sign + string(c) + s
}

// Bare writes an amount as Money does, without the symbol: after a ± or in
// a column whose head names the currency.
func (c Currency) Bare(x float64) string {
	sign, s := magnitude(x, true)
	return sign + s
}

// Tick writes an amount as an axis label: like Money, but with no trailing
// zeros, since the ticks' spacing shows their precision: £0, £500k, £1m,
// £2.5m, £1.2bn.
func (c Currency) Tick(x float64) string {
	sign, s := magnitude(x, false)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return s
	}
	return sign + string(c) + s
}

// Interval writes a 90% (or other) interval of amounts: "−£31.0m to £531m".
func (c Currency) Interval(lo, hi float64) string {
	return c.Money(lo) + " to " + c.Money(hi)
}

// OutOfRange is the amount beyond which Money and Bare say "(out of
// range)" (and so does Tick): 10¹⁸, the largest value any input may take (model.MaxValue),
// beyond any real organisation's figures.
const OutOfRange = 1e18

// magnitude returns the sign (Minus or "") and the text of |x| to three
// significant figures with its suffix, keeping trailing zeros when keep is
// set. Non-finite x gives "" and n/a, ∞ or −∞.
func magnitude(x float64, keep bool) (sign, s string) {
	switch {
	case math.IsNaN(x):
		return "", NA
	case math.IsInf(x, 1):
		return "", "∞"
	case math.IsInf(x, -1):
		return "", Minus + "∞"
	}
	if x < 0 {
		sign, x = Minus, -x
	}
	// Round to three significant figures first, so that 999.5 is written
	// £1.00k, not £1000.
	r := roundSig(x, 3)
	if r == 0 || r < 0.5 {
		return "", "0"
	}
	if r >= 999.5e12 {
		prec := -1
		if keep {
			prec = 2
		}
		if r > OutOfRange {
			return sign, sci(r, prec) + " (out of range)"
		}
		return sign, sci(r, prec)
	}
	sc := scales[len(scales)-1]
	for _, s := range scales {
		if r >= s.div {
			sc = s
			break
		}
	}
	v := roundSig(r/sc.div, 3)
	if sc.div == 1 {
		// Whole units: £950, £12, £1 (pennies are never shown).
		return sign, strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	if !keep {
		return sign, strconv.FormatFloat(v, 'f', -1, 64) + sc.suffix
	}
	prec := 2
	switch {
	case v >= 100:
		prec = 0
	case v >= 10:
		prec = 1
	}
	return sign, strconv.FormatFloat(v, 'f', prec, 64) + sc.suffix
}

// roundSig rounds x to n significant figures, halves away from zero, on
// the shortest decimal that reads back as x, the number a person would
// see: 82,450 to three figures is 82,500, as is 82.45 (whose float lies
// just above it). Scaling by a power of ten instead would be inexact at
// the ends of the float range. Zero, NaN and ±Inf are returned as they
// are, and so is x when the rounded value would overflow.
func roundSig(x float64, n int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	s := strconv.FormatFloat(math.Abs(x), 'e', -1, 64) // d.ddde±XX
	i := strings.IndexByte(s, 'e')
	digits := strings.Replace(s[:i], ".", "", 1)
	if len(digits) <= n {
		return x
	}
	e, _ := strconv.Atoi(s[i+1:])
	v, _ := strconv.ParseUint(digits[:n], 10, 64)
	if digits[n] >= '5' {
		v++
	}
	r, err := strconv.ParseFloat(strconv.FormatUint(v, 10)+"e"+strconv.Itoa(e-(n-1)), 64)
	if err != nil {
		return x
	}
	return math.Copysign(r, x)
}

// sci writes x in powers of ten with prec decimals (−1: as many as it
// needs) and U+2212 minuses: 1.00e15, −1e300, 3.2e−07.
func sci(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'e', prec, 64)
	return strings.ReplaceAll(strings.Replace(s, "e+", "e", 1), "-", Minus)
}

// RoundSig rounds x to n significant figures (n ≥ 1); zero, NaN and ±Inf
// are returned as they are.
func RoundSig(x float64, n int) float64 { return roundSig(x, max(n, 1)) }

// fixed writes x with prec decimals and a U+2212 minus; a value that rounds
// to zero has no sign, and one of 10^15 or more is written in powers of
// ten, so that no number prints as hundreds of digits.
func fixed(x float64, prec int) string {
	switch {
	case math.IsNaN(x):
		return NA
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return Minus + "∞"
	}
	var s string
	if math.Abs(x) >= 1e15 {
		s = strings.Replace(strconv.FormatFloat(x, 'e', 2, 64), "e+", "e", 1)
	} else {
		s = strconv.FormatFloat(x, 'f', prec, 64)
	}
	if strings.HasPrefix(s, "-") {
		if strings.Trim(s[1:], "0.") == "" {
			return s[1:]
		}
		return Minus + s[1:]
	}
	return s
}

// Percent writes a fraction as a percentage to one decimal, or to a whole
// number from 1000% up: 12.3%, −5.0%, 156.5%, 2500%.
func Percent(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fixed(x, 0)
	}
	if math.Abs(x) >= 10 {
		return fixed(100*x, 0) + "%"
	}
	return fixed(100*x, 1) + "%"
}

// PercentExact writes a fraction given as a setting as a percentage with
// as many digits as it needs, up to six significant figures: 1%, 0.5%,
// 3.5%.
func PercentExact(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fixed(x, 0)
	}
	v := roundSig(100*x, 6)
	if v != 0 && (math.Abs(v) < 1e-4 || math.Abs(v) >= 1e15) {
		return sci(v, -1) + "%"
	}
	return fixed(v, -1) + "%"
}

// Ratio writes a ratio (a benefit-cost ratio) to two decimals, or to a
// whole number from 100 up: 2.56, −0.50, 130; beyond OutOfRange, in
// powers of ten and saying so.
func Ratio(x float64) string {
	if math.Abs(x) > OutOfRange && !math.IsInf(x, 0) {
		return Number(x)
	}
	if math.Abs(x) >= 100 {
		return fixed(x, 0)
	}
	return fixed(x, 2)
}

// Number writes a quantity with no unit of money (a rate, a duration, a
// multiplier) to three significant figures, without trailing zeros:
// 0.05, 12.5, 1200, 3.2e−07; beyond OutOfRange it says so: 2e+19 (out
// of range).
func Number(x float64) string {
	v := roundSig(x, 3)
	if v != 0 && !math.IsNaN(v) && !math.IsInf(v, 0) && (math.Abs(v) < 1e-4 || math.Abs(v) >= 1e15) {
		if math.Abs(v) > OutOfRange {
			return sci(v, -1) + " (out of range)"
		}
		return sci(v, -1)
	}
	return fixed(v, -1)
}

// Count writes a whole number with commas between thousands and a U+2212
// minus: 1,000,000, −2,500.
func Count(n int) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		// −n overflows for the smallest int; two's complement negation of
		// the unsigned value does not.
		sign, u = Minus, -u
	}
	s := strconv.FormatUint(u, 10)
	var b strings.Builder
	b.WriteString(sign)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ReturnPeriod writes how rare a yearly event is from its return period
// in years: "1 in 200", "1 in 1,000"; from 10^15 years in powers of ten,
// "1 in 1e20". A period that is not a positive number is n/a; an infinite
// one is "never".
func ReturnPeriod(years float64) string {
	switch {
	case !(years > 0):
		return NA
	case math.IsInf(years, 1):
		return "never"
	case years >= 1e15:
		// A return period this long is a rare event, not a figure out of
		// range.
		return "1 in " + sci(roundSig(years, 3), -1)
	}
	return "1 in " + Count(int(math.Round(years)))
}

// Clip shortens s to at most n characters (runes), ending it with an
// ellipsis when it cuts.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
