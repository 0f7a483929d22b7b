package data

import (
	"math"
	"strings"
	"testing"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1200000", 1.2e6, true},
		{"1,200,000", 1.2e6, true},
		{"£1.2m", 1.2e6, true},
		{"£1.2M", 1.2e6, true},
		{"1.2mn", 1.2e6, true},
		{"250k", 250e3, true},
		{"£250K", 250e3, true},
		{" £2.5 bn ", 2.5e9, true},
		{"3e6", 3e6, true},
		{"0", 0, true},
		{"1,234.5", 1234.5, true},
		{"£ 40", 40, true},
		{"€400k", 400e3, true},
		{"$2m", 2e6, true},
		{"£€5", 0, false},
		{"", 0, false},
		{"£", 0, false},
		{"tbc", 0, false},
		{"-5", 0, false},
		{"+5", 0, false},
		{"1,20,000", 0, false},
		{"12,00", 0, false},
		{"1e400", 0, false},
		{"1e308bn", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"0x10", 0, false},
		{"1_000", 0, false},
		{"5 m k", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if tt.ok && (err != nil || math.Abs(got-tt.want) > 1e-9*math.Max(1, tt.want)) {
			t.Errorf("ParseAmount(%q) = %g, %v; want %g", tt.in, got, err, tt.want)
		}
		if !tt.ok && err == nil {
			t.Errorf("ParseAmount(%q) = %g, nil; want an error", tt.in, got)
		}
	}
}

func TestParseRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"3.5%", 0.035, true},
		{" 3 % ", 0.03, true},
		{"0.035", 0.035, true},
		{"-2%", -0.02, true},
		{"abc", 0, false},
		{"NaN", 0, false},
		{"%", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if tt.ok && (err != nil || math.Abs(got-tt.want) > 1e-12) {
			t.Errorf("ParseRate(%q) = %g, %v; want %g", tt.in, got, err, tt.want)
		}
		if !tt.ok && err == nil {
			t.Errorf("ParseRate(%q) = %g, nil; want an error", tt.in, got)
		}
	}
}

// FuzzParseAmount checks that ParseAmount never panics and that what it
// accepts is a finite, non-negative amount.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"£1.2m", "250k", "1,200,000", "3e6", "tbc", "1,20,000", "£ 2.5 bn", "-1", "1e309"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0) || v < 0) {
			t.Errorf("ParseAmount(%q) = %g, nil; want a finite amount ≥ 0", s, v)
		}
		r, err := ParseRate(s)
		if err == nil && (math.IsNaN(r) || math.IsInf(r, 0)) {
			t.Errorf("ParseRate(%q) = %g, nil; want a finite rate", s, r)
		}
	})
}

// TestCheckCurrency checks that an amount written in another currency
// than the dataset's is refused, naming both, and that one in the
// dataset's currency, or with no sign, passes.
func TestCheckCurrency(t *testing.T) {
	for _, tc := range []struct {
		amount, currency string
		bad              bool
	}{
		{"£5m", "GBP", false}, {"5m", "GBP", false}, {"$5m", "GBP", true}, {" €5m", "gbp", true},
		{"$5m", "USD", false}, {"£5m", "USD", true}, {"£5m", "", false}, {"£5m", "CHF", true},
	} {
		err := CheckCurrency(tc.amount, tc.currency)
		if (err != nil) != tc.bad {
			t.Errorf("CheckCurrency(%q, %q) = %v; want an error: %v", tc.amount, tc.currency, err, tc.bad)
		}
		if err != nil && !strings.Contains(err.Error(), strings.ToUpper(tc.currency)) {
			t.Errorf("CheckCurrency(%q, %q) = %v; want the dataset's currency named", tc.amount, tc.currency, err)
		}
	}
}
