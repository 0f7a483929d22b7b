package model

import (
	"math"
	"strings"
	"testing"
)

func TestEstimateFitHoldsInterval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    Estimate
		kind Kind
	}{
		{Estimate{0.03, 0.2}, Positive},
		{Estimate{80, 81}, Positive},
		{Estimate{5e3, 2.5e5}, Positive},
		{Estimate{0.5, 0.9}, Fraction},
		{Estimate{0.05, 0.15}, Fraction},
		{Estimate{0.7, 0.95}, Fraction},
		{Estimate{0.3, 0.7}, Fraction},
		{Estimate{0.01, 0.04}, Fraction},
	}
	for _, tt := range tests {
		d := tt.e.Dist(tt.kind)
		if got := d.Quantile(0.05); math.Abs(got-tt.e.Lo) > 1e-6*tt.e.Hi {
			t.Errorf("%v kind %d: Quantile(0.05) = %g; want %g", tt.e, tt.kind, got, tt.e.Lo)
		}
		if got := d.Quantile(0.95); math.Abs(got-tt.e.Hi) > 1e-6*tt.e.Hi {
			t.Errorf("%v kind %d: Quantile(0.95) = %g; want %g", tt.e, tt.kind, got, tt.e.Hi)
		}
	}
}

// TestFitBetaNewtonMatchesBisection checks the Newton fit against the
// bisection fit, a second method, over a spread of intervals.
func TestFitBetaNewtonMatchesBisection(t *testing.T) {
	t.Parallel()
	for _, iv := range [][2]float64{{0.5, 0.9}, {0.05, 0.15}, {0.7, 0.95}, {0.01, 0.04}, {0.3, 0.7}, {0.15, 0.4}, {0.9, 0.99}, {0.0001, 0.5}} {
		a1, b1, err := fitBeta(iv[0], iv[1])
		if err != nil {
			t.Errorf("fitBeta%v: %v", iv, err)
			continue
		}
		a2, b2 := fitBetaBisect(iv[0], iv[1])
		if math.Abs(a1-a2) > 1e-5*a2 || math.Abs(b1-b2) > 1e-5*b2 {
			t.Errorf("fitBeta%v = (%g, %g); bisection gives (%g, %g)", iv, a1, b1, a2, b2)
		}
	}
}

func TestEstimateSampleMeanMatchesClosedForm(t *testing.T) {
	t.Parallel()
	const n = 200000
	for _, tt := range []struct {
		e    Estimate
		kind Kind
	}{
		{Estimate{0.5, 4}, Positive},
		{Estimate{0.2, 0.5}, Fraction},
	} {
		d := tt.e.Dist(tt.kind)
		r := newStream(1, 99)
		var s, s2 float64
		for range n {
			x := d.Rand(r)
			s += x
			s2 += x * x
		}
		mean := s / n
		se := math.Sqrt((s2/n - mean*mean) / n)
		// Tolerance: 4 Monte Carlo standard errors.
		if math.Abs(mean-d.Mean()) > 4*se {
			t.Errorf("%v: sample mean %g; want %g ± %g", tt.e, mean, d.Mean(), 4*se)
		}
		if m2 := d.Moment(2); math.Abs(s2/n-m2) > 0.02*m2 {
			t.Errorf("%v: sample E[X²] %g; want %g", tt.e, s2/n, m2)
		}
	}
}

func TestCappedMoment(t *testing.T) {
	t.Parallel()
	d := Estimate{20, 300}.Dist(Positive)
	// Second method: numerical integration of min(x,c)^k against the density.
	for _, k := range []float64{1, 2} {
		c := 209.0
		got := d.CappedMoment(k, c)
		var want float64
		const steps = 200000
		for i := range steps {
			p := (float64(i) + 0.5) / steps
			want += math.Pow(math.Min(d.Quantile(p), c), k) / steps
		}
		if math.Abs(got-want) > 1e-3*want {
			t.Errorf("CappedMoment(%g, %g) = %g; want %g", k, c, got, want)
		}
	}
}

func TestEstimateCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    Estimate
		kind Kind
		want string
	}{
		{Estimate{1, 2}, Positive, ""},
		{Fixed(0), Positive, ""},
		{Estimate{2, 1}, Positive, "lo 2 is above hi 1"},
		{Estimate{-1, -1}, Positive, "must not be negative"},
		{Estimate{0, 3}, Positive, "needs lo > 0"},
		{Estimate{0.2, 1.3}, Fraction, "fraction in [0, 1]"},
		{Fixed(1.3), Fraction, "fraction in [0, 1]"},
		{Estimate{math.NaN(), 1}, Positive, "finite"},
	}
	for _, tt := range tests {
		err := tt.e.Check(tt.kind, "x.rate")
		if tt.want == "" {
			if err != nil {
				t.Errorf("Check(%v) = %v; want nil", tt.e, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "x.rate: ") {
			t.Errorf("Check(%v) = %v; want error naming x.rate containing %q", tt.e, err, tt.want)
		}
	}
}

func BenchmarkFitBeta(b *testing.B) {
	for b.Loop() {
		fitBeta(0.15, 0.4)
	}
}
