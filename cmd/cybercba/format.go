package main

import (
	"strings"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports/format"
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

// money formats an amount as format.Currency.Money does: £950, £12.3k,
// £4.56m, £1.20bn, −€3.00m.
func (c currency) money(x float64) string { return format.Currency(c).Money(x) }

// bare formats an amount as money does, without the symbol (after a ±).
func (c currency) bare(x float64) string { return format.Currency(c).Bare(x) }

// ratioText formats a ratio to two decimals (n/a for NaN).
func ratioText(x float64) string { return format.Ratio(x) }

// percent formats a fraction as a percentage.
func percent(x float64) string { return format.Percent(x) }

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
func thousands(n int) string { return format.Count(n) }
