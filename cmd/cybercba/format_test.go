package main

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestMoney(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   float64
		want string
		bug  string // why the case is skipped, if it is
	}{
		{0, "£0", ""},
		{950, "£950", ""},
		{999.4, "£999", ""},
		{999.5, "£1.00k", ""}, // rounds up into the next unit, not "£1000"
		{9994, "£9.99k", ""},
		{9995, "£10.0k", ""},
		{12345, "£12.3k", ""},
		{99_949, "£99.9k", ""},
		{99_950, "£100k", ""},
		{999_499, "£999k", ""},
		{999_500, "£1.00m", ""},
		{4.56e6, "£4.56m", ""},
		{1.2e9, "£1.20bn", ""},
		{1e12, "£1000bn", ""},
		{-950, "−£950", ""},
		{-3e6, "−£3.00m", ""},
		{math.NaN(), "n/a", ""},
		{math.Inf(1), "∞", ""},
		{math.Inf(-1), "−∞", ""},
		{math.Copysign(0, -1), "£0", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in), func(t *testing.T) {
			t.Parallel()
			if tt.bug != "" {
				t.Skip("bug: " + tt.bug)
			}
			if got := currency("£").money(tt.in); got != tt.want {
				t.Errorf("currency(\"£\").money(%g) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   float64
		want string
		bug  string
	}{
		{0, "0.0%", ""},
		{0.035, "3.5%", ""},
		{-0.055, "−5.5%", ""},
		{1.837, "183.7%", ""},
		{9.99, "999.0%", ""},
		{10, "1000%", ""},
		{-10, "−1000%", ""},
		{math.NaN(), "n/a", ""},
		{math.Inf(1), "∞", ""},
		{math.Inf(-1), "−∞", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in), func(t *testing.T) {
			t.Parallel()
			if tt.bug != "" {
				t.Skip("bug: " + tt.bug)
			}
			if got := percent(tt.in); got != tt.want {
				t.Errorf("percent(%g) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRatioText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.00"},
		{2.844, "2.84"},
		{99.99, "99.99"},
		{100, "100"},
		{1234.4, "1234"},
		{math.NaN(), "n/a"},
		{math.Inf(1), "∞"},
		{-0.5, "−0.50"},
		{-250, "−250"},
		{math.Inf(-1), "−∞"},
	}
	for _, tt := range tests {
		if got := ratioText(tt.in); got != tt.want {
			t.Errorf("ratioText(%g) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   int
		want string
		bug  string
	}{
		{0, "0", ""},
		{7, "7", ""},
		{999, "999", ""},
		{1000, "1,000", ""},
		{12345, "12,345", ""},
		{200000, "200,000", ""},
		{1234567, "1,234,567", ""},
		{-1234, "−1,234", ""},
		{-123, "−123", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in), func(t *testing.T) {
			t.Parallel()
			if tt.bug != "" {
				t.Skip("bug: " + tt.bug)
			}
			if got := thousands(tt.in); got != tt.want {
				t.Errorf("thousands(%d) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    float64
		wantErr bool
		bug     string
	}{
		{"3.5%", 0.035, false, ""},
		{"0.035", 0.035, false, ""},
		{" 3 % ", 0.03, false, ""},
		{"0.5%", 0.005, false, ""},
		{"1e-2", 0.01, false, ""},
		{"0", 0, false, ""},
		{"-2%", -0.02, false, ""},
		{"abc", 0, true, ""},
		{"", 0, true, ""},
		{"%", 0, true, ""},
		{"3.5%%", 0, true, ""},
		{"150%", 0, true, ""},
		{"100%", 0, true, ""},
		{"-100%", 0, true, ""},
		{"1", 0, true, ""},
		{"Inf", 0, true, ""},
		{"NaN", 0, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if tt.bug != "" {
				t.Skip("bug: " + tt.bug)
			}
			got, err := parseRate(tt.in)
			switch {
			case tt.wantErr && err == nil:
				t.Errorf("parseRate(%q) = %g, nil; want an error", tt.in, got)
			case tt.wantErr && !strings.Contains(err.Error(), `"`+tt.in+`"`):
				t.Errorf("parseRate(%q) error %q does not quote the input", tt.in, err)
			case !tt.wantErr && err != nil:
				t.Errorf("parseRate(%q) error: %v", tt.in, err)
			case !tt.wantErr && math.Abs(got-tt.want) > 1e-15:
				t.Errorf("parseRate(%q) = %g; want %g", tt.in, got, tt.want)
			}
		})
	}
}

func TestTable(t *testing.T) {
	t.Parallel()
	tb := &table{right: map[int]bool{1: true}}
	tb.add("ID", "Cost", "Name")
	tb.add("N1", "£13.8m", "SOC")
	tb.add("R-C10", "£9", "Plan")
	want := "" +
		"ID       Cost  Name\n" +
		"N1     £13.8m  SOC\n" +
		"R-C10      £9  Plan\n"
	if got := tb.String(); got != want {
		t.Errorf("table.String() =\n%s\nwant\n%s", got, want)
	}
}

func TestClip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcdef", 4, "abc…"},
		{"£££££", 3, "££…"},
		{"", 2, ""},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestBare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cur  currency
		in   float64
		want string
	}{
		{"£", 12_345, "12.3k"},
		{"€", 12_345, "12.3k"},
		{"CHF ", 4.56e6, "4.56m"},
		{"£", math.NaN(), "n/a"},
		{"£", math.Inf(1), "∞"},
	}
	for _, tt := range tests {
		if got := tt.cur.bare(tt.in); got != tt.want {
			t.Errorf("currency(%q).bare(%g) = %q; want %q", tt.cur, tt.in, got, tt.want)
		}
	}
}

func TestMoneyInCurrency(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cur  currency
		in   float64
		want string
	}{
		{"€", 950, "€950"},
		{"€", -3e6, "−€3.00m"},
		{"$", 1.2e9, "$1.20bn"},
		{"CHF ", 12_345, "CHF 12.3k"},
		{"CHF ", -950, "−CHF 950"},
	}
	for _, tt := range tests {
		if got := tt.cur.money(tt.in); got != tt.want {
			t.Errorf("currency(%q).money(%g) = %q; want %q", tt.cur, tt.in, got, tt.want)
		}
	}
}
