package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// evppiCase is a small decision with a known EVPPI: option 0 has net
// benefit 0, option 1 has net benefit f(θ₁, θ₂) + ε, θ₁, θ₂ and ε
// independent standard normals, ε never learnt.
type evppiCase struct {
	name string
	f    func(t1, t2 float64) float64
	// group is true when the EVPPI asked for is of (θ₁, θ₂) together,
	// false for θ₁ alone.
	group bool
	// known is the exact EVPPI, by quadrature.
	known float64
}

// positivePart returns E[max(0, μ + σZ)], Z standard normal:
// μ·Φ(μ/σ) + σ·φ(μ/σ).
func positivePart(mu, sigma float64) float64 {
	z := distuv.UnitNormal
	return mu*z.CDF(mu/sigma) + sigma*z.Prob(mu/sigma)
}

func evppiCases() []evppiCase {
	// E[max(0, θ₁² − 1.2)] over θ₁ ~ N(0, 1) by the midpoint rule.
	var sq2 float64
	const h = 1e-4
	for x := -12.0; x < 12; x += h {
		m := x + h/2
		sq2 += math.Max(m*m-1.2, 0) * distuv.UnitNormal.Prob(m) * h
	}
	return []evppiCase{
		{
			name: "linear, one input",
			f:    func(t1, t2 float64) float64 { return t1 + t2 - 0.3 },
			// E[NB₁ | θ₁] = θ₁ − 0.3: E[max(0, θ₁ − 0.3)] − max(0, −0.3).
			known: positivePart(-0.3, 1),
		},
		{
			name: "quadratic, one input",
			f:    func(t1, t2 float64) float64 { return t1*t1 + t2 - 1.2 },
			// E[NB₁ | θ₁] = θ₁² − 1.2; E[NB₁] = −0.2.
			known: sq2,
		},
		{
			name:  "linear, two inputs together",
			f:     func(t1, t2 float64) float64 { return t1 + 0.5*t2 - 0.3 },
			group: true,
			// θ₁ + θ₂/2 ~ N(0, 1.25).
			known: positivePart(-0.3, math.Sqrt(1.25)),
		},
	}
}

// nestedEVPPI estimates the case's EVPPI by nested Monte Carlo: outer
// draws of the inputs of interest, inner draws of the rest, and returns
// the estimate with its standard error over the outer draws.
func nestedEVPPI(c evppiCase, outer, inner int, rng *rand.Rand) (float64, float64) {
	with := make([]float64, outer)
	var total float64
	for o := range outer {
		t1, t2 := rng.NormFloat64(), rng.NormFloat64()
		var sum float64
		for range inner {
			eps := rng.NormFloat64()
			if c.group {
				sum += c.f(t1, t2) + eps
			} else {
				sum += c.f(t1, rng.NormFloat64()) + eps
			}
		}
		g := sum / float64(inner)
		with[o] = math.Max(g, 0)
		total += g
	}
	m, v := meanVar(with)
	return m - math.Max(total/float64(outer), 0), math.Sqrt(v / float64(outer))
}

// TestEVPPIRegressionAgainstNested checks the regression estimates of
// EVPPI against a nested Monte Carlo estimate of the same quantity, and
// both against the exact value: the regression within 2 standard errors
// of the nested estimate (the two errors combined, since both are
// estimates), the nested within 3 of the exact value.
func TestEVPPIRegressionAgainstNested(t *testing.T) {
	t.Parallel()
	const D = 500
	for i, c := range evppiCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(i)+1, 99))
			theta := [][]float64{make([]float64, D), make([]float64, D)}
			nb := [][]float64{make([]float64, D), make([]float64, D)}
			for d := range D {
				t1, t2 := rng.NormFloat64(), rng.NormFloat64()
				theta[0][d], theta[1][d] = t1, t2
				nb[1][d] = c.f(t1, t2) + rng.NormFloat64()
			}
			var got PartialValue
			if c.group {
				got = EVPPIGP(theta, nb)
			} else {
				got = EVPPISpline(theta[0], nb)
			}
			nested, nse := nestedEVPPI(c, 4000, 400, rand.New(rand.NewPCG(uint64(i)+7, 3)))
			if math.Abs(nested-c.known) > 3*nse+1e-3 {
				t.Errorf("nested EVPPI = %.4f ± %.4f; want %.4f (exact)", nested, nse, c.known)
			}
			se := math.Hypot(got.SE, nse)
			if math.Abs(got.Value-nested) > 2*se {
				t.Errorf("%s EVPPI = %.4f ± %.4f; want %.4f ± %.4f (nested Monte Carlo), within 2 SE", got.Method, got.Value, got.SE, nested, nse)
			}
			if !(got.SE > 0) {
				t.Errorf("%s EVPPI SE = %g; want > 0", got.Method, got.SE)
			}
			t.Logf("%s: regression %.4f ± %.4f, nested %.4f ± %.4f, exact %.4f", c.name, got.Value, got.SE, nested, nse, c.known)
		})
	}
}

// TestEVPPIIrrelevantInput checks that an input the net benefit does not
// depend on has an EVPPI near zero, within 3 standard errors.
func TestEVPPIIrrelevantInput(t *testing.T) {
	t.Parallel()
	const D = 400
	rng := rand.New(rand.NewPCG(5, 5))
	theta := make([]float64, D)
	nb := [][]float64{make([]float64, D), make([]float64, D)}
	for d := range D {
		theta[d] = rng.NormFloat64()
		nb[1][d] = rng.NormFloat64() - 0.1
	}
	got := EVPPISpline(theta, nb)
	if got.Value > 3*got.SE+1e-3 {
		t.Errorf("EVPPISpline(irrelevant) = %.4f ± %.4f; want about 0", got.Value, got.SE)
	}
	gp := EVPPIGP([][]float64{theta}, nb)
	if gp.Value > 3*gp.SE+1e-3 {
		t.Errorf("EVPPIGP(irrelevant) = %.4f ± %.4f; want about 0", gp.Value, gp.SE)
	}
}

// TestEVPPIGPManyInputs checks the Gaussian-process estimate for a group
// of ten inputs, each moving net benefit a little, against the exact
// value, within 3 standard errors; and that a group of twenty inputs the
// net benefit ignores is worth about nothing (an in-sample fit would
// reproduce the draws' own noise and call it information).
func TestEVPPIGPManyInputs(t *testing.T) {
	t.Parallel()
	const D, p = 400, 10
	rng := rand.New(rand.NewPCG(10, 400))
	theta := make([][]float64, 2*p+p)
	for i := range theta {
		theta[i] = make([]float64, D)
	}
	nb := [][]float64{make([]float64, D), make([]float64, D)}
	for d := range D {
		var s float64
		for i := range theta {
			theta[i][d] = rng.NormFloat64()
			if i < p {
				s += theta[i][d]
			}
		}
		// E[NB₁ | θ₁..θ₁₀] = 0.8·Σθ/√10 − 0.3 ~ N(−0.3, 0.64).
		nb[1][d] = 0.8*s/math.Sqrt(p) + 0.6*rng.NormFloat64() - 0.3
	}
	got := EVPPIGP(theta[:p], nb)
	if want := positivePart(-0.3, 0.8); math.Abs(got.Value-want) > 3*got.SE {
		t.Errorf("EVPPIGP(10 inputs) = %.4f ± %.4f; want %.4f", got.Value, got.SE, want)
	}
	null := EVPPIGP(theta[p:], nb)
	if null.Value > 3*null.SE+0.01 {
		t.Errorf("EVPPIGP(20 irrelevant inputs) = %.4f ± %.4f; want about 0", null.Value, null.SE)
	}
}

// evppiWorkload is a benchmark's decision: 200 draws (the run's default),
// six options whose net benefits move with ten inputs.
func evppiWorkload() (theta, nb [][]float64) {
	const D, p, A = 200, 10, 6
	rng := rand.New(rand.NewPCG(1, 2))
	theta = make([][]float64, p)
	for i := range theta {
		theta[i] = make([]float64, D)
	}
	nb = make([][]float64, A)
	for a := range nb {
		nb[a] = make([]float64, D)
	}
	for d := range D {
		for i := range theta {
			theta[i][d] = rng.NormFloat64()
		}
		for a := 1; a < A; a++ {
			nb[a][d] = theta[a][d] + 0.5*theta[a+1][d]*theta[0][d] + rng.NormFloat64() - 0.5
		}
	}
	return theta, nb
}

// BenchmarkEVPPISpline times the EVPPI of one input over 200 draws and six
// options, with its standard error.
func BenchmarkEVPPISpline(b *testing.B) {
	theta, nb := evppiWorkload()
	b.ReportAllocs()
	for b.Loop() {
		EVPPISpline(theta[1], nb)
	}
}

// BenchmarkEVPPIGP times the EVPPI of a group of ten inputs over 200 draws
// and six options, with its standard error.
func BenchmarkEVPPIGP(b *testing.B) {
	theta, nb := evppiWorkload()
	b.ReportAllocs()
	for b.Loop() {
		EVPPIGP(theta, nb)
	}
}
