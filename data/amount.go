package data

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseAmount reads an amount of money as people write it: "1200000",
// "1,200,000", "£1.2m", "250k", "£2.5 bn", "3e6". The currency sign (£, €
// or $) is optional; k, m and bn (any case, "mn" too) scale by a thousand, a million
// and a billion. It rejects anything else, negative amounts included.
func ParseAmount(s string) (float64, error) {
	t := strings.TrimSpace(s)
	for _, sym := range []string{"£", "€", "$"} {
		if strings.HasPrefix(t, sym) {
			t = strings.TrimSpace(strings.TrimPrefix(t, sym))
			break
		}
	}
	lower := strings.ToLower(t)
	scale := 1.0
	for _, u := range []struct {
		suffix string
		scale  float64
	}{{"bn", 1e9}, {"mn", 1e6}, {"m", 1e6}, {"k", 1e3}} {
		if strings.HasSuffix(lower, u.suffix) {
			scale = u.scale
			t = strings.TrimSpace(t[:len(t)-len(u.suffix)])
			break
		}
	}
	if scale == 1 && ambiguousPoint(t) {
		return 0, errors.New(ambiguousMsg(s))
	}
	if strings.Contains(t, ",") {
		if !validThousands(t) {
			return 0, fmt.Errorf("want an amount such as £1.2m, 250k or 1,200,000 (a point for decimals, commas between thousands), got %q", s)
		}
		t = strings.ReplaceAll(t, ",", "")
	}
	if t == "" || strings.ContainsAny(t, "+-_ ") || strings.HasPrefix(strings.ToLower(t), "0x") {
		return 0, fmt.Errorf("want an amount such as £1.2m, 250k or 1,200,000, got %q", s)
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("want an amount such as £1.2m, 250k or 1,200,000, got %q", s)
	}
	v *= scale
	if math.IsInf(v, 0) {
		return 0, fmt.Errorf("amount %q is too large", s)
	}
	return v, nil
}

// CheckCurrency returns an error when the amount s is written with a
// currency sign (£, € or $) other than the one of the currency with ISO
// code currency; an amount with no sign, or a currency with none, passes.
func CheckCurrency(s, currency string) error {
	currency = strings.ToUpper(strings.TrimSpace(currency))
	want := strings.TrimSpace(CurrencySymbol(currency))
	if sym := AmountSymbol(s); sym != "" && want != "" && sym != want {
		return fmt.Errorf("%q is in %s, but the dataset's amounts are in %s (%s): convert it and give the %s amount", s, sym, currency, want, currency)
	}
	return nil
}

// AmountSymbol returns the currency sign an amount is written with (£, €
// or $), or "".
func AmountSymbol(s string) string {
	t := strings.TrimSpace(s)
	for _, sym := range []string{"£", "€", "$"} {
		if strings.HasPrefix(t, sym) {
			return sym
		}
	}
	return ""
}

// ambiguousPoint reports whether s is one to three digits, a point and
// exactly three digits ("5.000", "12.500"): in much of Europe the point
// groups thousands, so it may mean a thousand times what it reads as here.
func ambiguousPoint(s string) bool {
	i, f, ok := strings.Cut(s, ".")
	return ok && len(i) >= 1 && len(i) <= 3 && len(f) == 3 && digits(i) && digits(f)
}

func ambiguousMsg(s string) string {
	return fmt.Sprintf("%q is ambiguous: a point before exactly three digits may group thousands (5.000 = 5,000) or mark decimals (5.000 = 5): write 5000, 5,000 or 5", s)
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// validThousands reports whether s groups its integer digits in threes
// with commas: "1,200,000" or "1,234.5".
func validThousands(s string) bool {
	intPart, frac, _ := strings.Cut(s, ".")
	if strings.Contains(frac, ",") {
		return false // "5.000,50": a comma after the point is another convention's decimal comma
	}
	groups := strings.Split(intPart, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups {
		for _, r := range g {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// ParseRate reads a rate or fraction as people write it: "3.5%" or 0.035.
// A number without % is taken as a fraction.
func ParseRate(s string) (float64, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(t, "_xX") {
		return 0, fmt.Errorf("want a rate such as 3.5%% or 0.035, got %q", s)
	}
	if pct {
		v /= 100
	}
	return v, nil
}
