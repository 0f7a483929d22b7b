package data

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cybercba/cybercba/reports/format"
)

// CurrencySymbol returns the symbol written before amounts in the currency
// with the ISO 4217 code: "£" for GBP, "€" for EUR, "$" for USD, and for
// any other code the code and a space ("CHF " for CHF), so that amounts
// read "CHF 1.2m". The code is matched without regard to case or
// surrounding space; an empty code has no symbol.
func CurrencySymbol(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	switch code {
	case "":
		return ""
	case "GBP":
		return "£"
	case "EUR":
		return "€"
	case "USD":
		return "$"
	}
	return code + " "
}

// Money writes an amount in the dataset's currency as the outputs do
// ("£358k", "−£1.20m"), for the warnings validate gives: package format
// is the one way numbers are written for people, and imports nothing of
// ours.
func (ds *Dataset) Money(x float64) string {
	return format.Currency(CurrencySymbol(ds.Currency)).Money(x)
}

// MaxSymbolLength is the most characters a currency symbol given on the
// command line may have ("CHF " has 4).
const MaxSymbolLength = 8

// CheckSymbol returns an error when s cannot be a currency symbol: longer
// than MaxSymbolLength characters, or holding a control or formatting
// character (an escape sequence would reach every terminal line, page and
// cell that shows an amount).
func CheckSymbol(s string) error {
	if n := utf8.RuneCountInString(s); n > MaxSymbolLength {
		return fmt.Errorf("want at most %d characters, e.g. € or \"CHF \", got %d", MaxSymbolLength, n)
	}
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("want printable characters, e.g. € or \"CHF \", got %s", Escape(fmt.Sprintf("%q", s)))
		}
	}
	return nil
}
