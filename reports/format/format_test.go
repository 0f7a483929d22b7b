package format

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

var negZero = math.Copysign(0, -1) // the literal -0.0 is +0 in Go

func TestMoney(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in         float64
		money, bar string
		tick       string
	}{
		{0, "£0", "0", "£0"},
		{negZero, "£0", "0", "£0"},
		{1e-300, "£0", "0", "£0"},
		{-1e-300, "£0", "0", "£0"},
		{0.4, "£0", "0", "£0"},
		{-0.4, "£0", "0", "£0"},
		{0.6, "£1", "1", "£1"},
		{950, "£950", "950", "£950"},
		{999.4, "£999", "999", "£999"},
		{999.5, "£1.00k", "1.00k", "£1k"}, // rounds into the next unit, not £1000
		{9994, "£9.99k", "9.99k", "£9.99k"},
		{9995, "£10.0k", "10.0k", "£10k"},
		{12345, "£12.3k", "12.3k", "£12.3k"},
		{99_949, "£99.9k", "99.9k", "£99.9k"},
		{99_950, "£100k", "100k", "£100k"},
		{999_499, "£999k", "999k", "£999k"},
		{999_500, "£1.00m", "1.00m", "£1m"},
		{2.5e6, "£2.50m", "2.50m", "£2.5m"},
		{4.56e6, "£4.56m", "4.56m", "£4.56m"},
		{92e6, "£92.0m", "92.0m", "£92m"},
		{82_450, "£82.5k", "82.5k", "£82.5k"}, // halves away from zero
		{-82_450, "−£82.5k", "−82.5k", "−£82.5k"},
		{1.125e6, "£1.13m", "1.13m", "£1.13m"},
		{1.2e9, "£1.20bn", "1.20bn", "£1.2bn"},
		{-3e6, "−£3.00m", "−3.00m", "−£3m"},
		{1e12, "£1.00tn", "1.00tn", "£1tn"},
		{999.4e12, "£999tn", "999tn", "£999tn"},
		{1e15, "£1.00e15", "1.00e15", "£1e15"},
		{1e18, "£1.00e18", "1.00e18", "£1e18"},
		// Issue 27, case 11: beyond 1e18 an amount says it is out of range.
		{2e19, "£2.00e19 (out of range)", "2.00e19 (out of range)", "£2e19 (out of range)"},
		{1e300, "£1.00e300 (out of range)", "1.00e300 (out of range)", "£1e300 (out of range)"},
		{-1e300, "−£1.00e300 (out of range)", "−1.00e300 (out of range)", "−£1e300 (out of range)"},
		{math.MaxFloat64, "£1.80e308 (out of range)", "1.80e308 (out of range)", "£1.7976931348623157e308 (out of range)"},
		{-950, "−£950", "−950", "−£950"},
		{math.Inf(1), "∞", "∞", "∞"},
		{math.Inf(-1), "−∞", "−∞", "−∞"},
		{math.NaN(), "n/a", "n/a", "n/a"},
	}
	const c = Currency("£")
	for _, tt := range tests {
		if got := c.Money(tt.in); got != tt.money {
			t.Errorf("Money(%g) = %q; want %q", tt.in, got, tt.money)
		}
		if got := c.Bare(tt.in); got != tt.bar {
			t.Errorf("Bare(%g) = %q; want %q", tt.in, got, tt.bar)
		}
		if got := c.Tick(tt.in); got != tt.tick {
			t.Errorf("Tick(%g) = %q; want %q", tt.in, got, tt.tick)
		}
	}
}

func TestCurrency(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cur        Currency
		in         float64
		want, unit string
	}{
		{"€", 12_345, "€12.3k", "€"},
		{"€", -2.5e6, "−€2.50m", "€"},
		{"$", 1.234e9, "$1.23bn", "$"},
		{"CHF ", 92e6, "CHF 92.0m", "CHF"},
		{"CHF ", -950, "−CHF 950", "CHF"},
		{"€", negZero, "€0", "€"},
		{"", 5e3, "5.00k", ""},
	}
	for _, tt := range tests {
		if got := tt.cur.Money(tt.in); got != tt.want {
			t.Errorf("Currency(%q).Money(%g) = %q; want %q", tt.cur, tt.in, got, tt.want)
		}
		if got := tt.cur.Unit(); got != tt.unit {
			t.Errorf("Currency(%q).Unit() = %q; want %q", tt.cur, got, tt.unit)
		}
	}
	if got, want := Currency("£").Interval(-31e6, 531e6), "−£31.0m to £531m"; got != want {
		t.Errorf("Interval(−31e6, 531e6) = %q; want %q", got, want)
	}
}

// TestMoneyRoundTrip checks Money against an independent reading of its
// output: parsing the text back (suffix to power of ten) gives x within
// the half-unit of the third significant figure, for amounts over twelve
// orders of magnitude.
func TestMoneyRoundTrip(t *testing.T) {
	t.Parallel()
	pow := map[string]float64{"": 1, "k": 1e3, "m": 1e6, "bn": 1e9, "tn": 1e12}
	for e := 3.0; e < 15; e += 0.01 {
		x := math.Pow(10, e)
		s := strings.TrimPrefix(Currency("£").Money(x), "£")
		i := strings.IndexFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' })
		num, suf := s, ""
		if i >= 0 && s[i] != 'e' {
			num, suf = s[:i], s[i:]
		}
		var v float64
		if _, err := fmt.Sscan(num, &v); err != nil {
			t.Fatalf("Money(%g) = %q: %v", x, s, err)
		}
		got := v * pow[suf]
		// Three significant figures: the error is at most half of one unit
		// in the third figure, 0.5·10^(⌊log10 x⌋−2), relative 0.5% at worst.
		tol := 0.5*math.Pow(10, math.Floor(math.Log10(x))-2) + 1e-9*x
		if math.Abs(got-x) > tol {
			t.Errorf("Money(%g) = %q, which reads as %g; want within %g", x, s, got, tol)
		}
		if digits := strings.Count(num, "") - 1 - strings.Count(num, "."); digits != 3 && suf != "" {
			t.Errorf("Money(%g) = %q has %d digits; want 3 significant figures", x, s, digits)
		}
	}
}

func TestPercentRatioNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func(float64) string
		in   float64
		want string
	}{
		{"Percent", Percent, 0.123, "12.3%"},
		{"Percent", Percent, -0.05, "−5.0%"},
		{"Percent", Percent, 1.565, "156.5%"},
		{"Percent", Percent, 25, "2500%"},
		{"Percent", Percent, 0, "0.0%"},
		{"Percent", Percent, 0.035, "3.5%"},
		{"Percent", Percent, 9.99, "999.0%"},
		{"Percent", Percent, 10, "1000%"},
		{"Percent", Percent, -10, "−1000%"},
		{"Percent", Percent, math.Inf(1), "∞"},
		{"Percent", Percent, negZero, "0.0%"},
		{"Percent", Percent, -1e-300, "0.0%"},
		{"Percent", Percent, 1e300, "1.00e302%"},
		{"Percent", Percent, math.Inf(-1), "−∞"},
		{"Percent", Percent, math.NaN(), "n/a"},
		{"PercentExact", PercentExact, 0.035, "3.5%"},
		{"PercentExact", PercentExact, 0.01, "1%"},
		{"PercentExact", PercentExact, 0.005, "0.5%"},
		{"PercentExact", PercentExact, negZero, "0%"},
		{"PercentExact", PercentExact, 1e-300, "1e−298%"},
		{"PercentExact", PercentExact, math.NaN(), "n/a"},
		{"Ratio", Ratio, 2.5612, "2.56"},
		{"Ratio", Ratio, -0.5, "−0.50"},
		{"Ratio", Ratio, 130.4, "130"},
		{"Ratio", Ratio, 2.844, "2.84"},
		{"Ratio", Ratio, 99.99, "99.99"},
		{"Ratio", Ratio, 100, "100"},
		{"Ratio", Ratio, 1234.4, "1234"},
		{"Ratio", Ratio, -250, "−250"},
		{"Ratio", Ratio, negZero, "0.00"},
		{"Ratio", Ratio, -1e-300, "0.00"},
		{"Ratio", Ratio, 1e300, "1e300 (out of range)"},
		{"Ratio", Ratio, math.Inf(1), "∞"},
		{"Ratio", Ratio, math.NaN(), "n/a"},
		{"Number", Number, 0.05, "0.05"},
		{"Number", Number, 12.54, "12.5"},
		{"Number", Number, 1234, "1230"},
		{"Number", Number, negZero, "0"},
		{"Number", Number, -3.2e-7, "−3.2e−07"},
		{"Number", Number, 1e300, "1e300 (out of range)"},
		{"Number", Number, math.Inf(-1), "−∞"},
		{"ReturnPeriod", ReturnPeriod, 200, "1 in 200"},
		{"ReturnPeriod", ReturnPeriod, 1000.4, "1 in 1,000"},
		{"ReturnPeriod", ReturnPeriod, 1e20, "1 in 1e20"},
		{"ReturnPeriod", ReturnPeriod, math.Inf(1), "never"},
		{"ReturnPeriod", ReturnPeriod, 0, "n/a"},
		{"ReturnPeriod", ReturnPeriod, math.NaN(), "n/a"},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("%s(%g) = %q; want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   int
		want string
	}{
		{0, "0"},
		{999, "999"},
		{1000, "1,000"},
		{-2500, "−2,500"},
		{-123, "−123"},
		{12345, "12,345"},
		{1234567, "1,234,567"},
		{1_000_000, "1,000,000"},
		{math.MaxInt64, "9,223,372,036,854,775,807"},
		{math.MinInt64, "−9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := Count(tt.in); got != tt.want {
			t.Errorf("Count(%d) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestNoHyphenMinus checks that no formatter writes an ASCII hyphen as a
// minus sign, and none writes more than 30 characters, across magnitudes
// from 1e−300 to 1e300 of both signs.
func TestNoHyphenMinus(t *testing.T) {
	t.Parallel()
	fs := map[string]func(float64) string{
		"Money": Currency("£").Money, "Bare": Currency("£").Bare, "Tick": Currency("£").Tick,
		"Percent": Percent, "PercentExact": PercentExact, "Ratio": Ratio, "Number": Number,
	}
	for e := -300; e <= 300; e += 7 {
		for _, x := range []float64{math.Pow10(e), -math.Pow10(e), -1.5 * math.Pow10(e)} {
			for name, f := range fs {
				s := f(x)
				if strings.Contains(s, "-") {
					t.Errorf("%s(%g) = %q has a hyphen-minus; want U+2212", name, x, s)
				}
				if n := utf8.RuneCountInString(s); n > 30 {
					t.Errorf("%s(%g) = %q is %d characters long", name, x, s, n)
				}
			}
		}
	}
}

func TestClip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"Every trust: MFA on remote", 12, "Every trust…"},
		{"ΔALE ΔALE ΔALE", 6, "ΔALE…"},
		{"abc", 0, ""},
		{"£££££", 3, "££…"},
		{"", 2, ""},
	}
	for _, tt := range tests {
		if got := Clip(tt.in, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestRoundSig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   float64
		n    int
		want float64
	}{
		{0.125, 2, 0.13},
		{-2.5, 1, -3},
		{82.45, 3, 82.5},
		{999.5, 3, 1000},
		{123456, 3, 123000},
		{1.5e-300, 1, 2e-300},
		{math.MaxFloat64, 1, math.MaxFloat64}, // 2e308 overflows: kept
		{7, 0, 7},                             // n below 1 counts as 1
		{negZero, 3, negZero},
	}
	for _, tt := range tests {
		if got := RoundSig(tt.in, tt.n); got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
			t.Errorf("RoundSig(%g, %d) = %g; want %g", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestOutOfRange is issue 27's case 11: no number over 1e18 is written
// without saying it is out of range, whatever the writer.
func TestOutOfRange(t *testing.T) {
	t.Parallel()
	const c = Currency("£")
	for _, x := range []float64{1.01e18, 1.89e21, -3e300} {
		for name, s := range map[string]string{"Money": c.Money(x), "Bare": c.Bare(x), "Tick": c.Tick(x), "Number": Number(x), "Ratio": Ratio(x)} {
			if !strings.HasSuffix(s, " (out of range)") {
				t.Errorf("%s(%g) = %q; want it to say out of range", name, x, s)
			}
		}
	}
	for _, x := range []float64{1e18, 1.89e15, -5e17} {
		for name, s := range map[string]string{"Money": c.Money(x), "Number": Number(x), "Ratio": Ratio(x)} {
			if strings.Contains(s, "out of range") {
				t.Errorf("%s(%g) = %q; want no out of range", name, x, s)
			}
		}
	}
}
