package model

import (
	"math"
	"testing"
)

// TestInputUnits checks each input's unit against what a change of
// currency does: multiplying every Money input by k (the test model's
// amounts restated in pence) multiplies the expected NPV of every
// portfolio by k exactly, since losses and costs are linear in the money
// inputs and the Plain and Share inputs (rates, spreads, reductions,
// uplifts) do not change. An input marked Money that is not (a rate, a
// reduction) or one left Plain that is (a cost) breaks the proportion.
func TestInputUnits(t *testing.T) {
	t.Parallel()
	m := testModel()
	m.Daily = Estimate{3e4, 5e4} // uncertain, so that it is an input
	m.Controls[1].OptimismBias = Estimate{0.1, 0.4}
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	const k = 100
	scaled := cloneModel(m)
	seen := map[Unit]int{}
	for _, in := range Inputs(m) {
		seen[in.Unit]++
		if in.Unit == Money {
			in.set(scaled, Estimate{k * in.Estimate.Lo, k * in.Estimate.Hi})
		}
	}
	if seen[Money] == 0 || seen[Share] == 0 || seen[Plain] == 0 {
		t.Fatalf("units of the test model's inputs = %v; want some of each", seen)
	}
	for _, p := range append(allSingles(m), Portfolio{0, 2, 3}) {
		base, err := npvOf(m, a, p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := npvOf(scaled, a, p)
		if err != nil {
			t.Fatal(err)
		}
		// Only rounding separates the two: a few ulps of the sums.
		if math.Abs(got-k*base) > 1e-9*math.Abs(k*base) {
			t.Errorf("NPV of %v with money inputs ×%d = %g; want %d × %g = %g", p, k, got, k, base, k*base)
		}
	}
}
