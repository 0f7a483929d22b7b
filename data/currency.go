package data

import "strings"

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
