package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/cybercba/cybercba/data"
)

// currency is the symbol written before amounts of money: "£", "€",
// "CHF " (data.CurrencySymbol gives a dataset's).
type currency string

// currencyUsage is the help text of --currency-symbol.
const currencyUsage = "`symbol` written before amounts of money, e.g. € or \"CHF \" (default: the dataset's currency's, £ for GBP, € for EUR, $ for USD, else the code)"

// currencyOf returns the symbol a command writes money with: the one given
// by --currency-symbol, or else the dataset's currency's.
func currencyOf(ds *data.Dataset, symbol string) currency {
	if symbol != "" {
		return currency(symbol)
	}
	return currency(data.CurrencySymbol(ds.Currency))
}

// money formats an amount with the currency's symbol and k/m/bn, to three
// significant figures: £950, £12.3k, £4.56m, £1.20bn, −€3.00m.
func (c currency) money(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	if math.IsInf(x, 0) {
		if x > 0 {
			return "∞"
		}
		return "−∞"
	}
	sign := ""
	if x < 0 {
		sign = "−"
		x = -x
	}
	if x == 0 {
		x = 0 // not −0
	}
	unit, div := "", 1.0
	switch {
	case x >= 999.5e6:
		unit, div = "bn", 1e9
	case x >= 999.5e3:
		unit, div = "m", 1e6
	case x >= 999.5:
		unit, div = "k", 1e3
	}
	v := x / div
	var s string
	switch {
	case div == 1:
		s = fmt.Sprintf("%.0f", v)
	case v >= 99.95:
		s = fmt.Sprintf("%.0f", v)
	case v >= 9.995:
		s = fmt.Sprintf("%.1f", v)
	default:
		s = fmt.Sprintf("%.2f", v)
	}
	return sign + string(c) + s + unit
}

// bare formats an amount as money does, without the symbol (after a ±).
func (c currency) bare(x float64) string {
	return strings.TrimPrefix(c.money(x), string(c))
}

// ratioText formats a ratio to two decimals (n/a for NaN).
func ratioText(x float64) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "−∞"
	case math.Abs(x) >= 100:
		return strings.Replace(fmt.Sprintf("%.0f", x), "-", "−", 1)
	}
	return strings.Replace(fmt.Sprintf("%.2f", x), "-", "−", 1)
}

// percent formats a fraction as a percentage.
func percent(x float64) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "−∞"
	case math.Abs(x) >= 10:
		return strings.Replace(fmt.Sprintf("%.0f%%", 100*x), "-", "−", 1)
	}
	return strings.Replace(fmt.Sprintf("%.1f%%", 100*x), "-", "−", 1)
}

// table writes rows as aligned columns; right-aligns columns whose index is
// in right.
type table struct {
	rows  [][]string
	right map[int]bool
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) String() string {
	var w []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(w) {
				w = append(w, 0)
			}
			w[i] = max(w[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			pad := strings.Repeat(" ", w[i]-len([]rune(c)))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right[i] {
				b.WriteString(pad + c)
			} else if i < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// thousands formats n with comma separators.
func thousands(n int) string {
	if n < 0 {
		return "−" + thousands(-n)
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
