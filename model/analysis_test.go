package model

import (
	"context"
	"math"
	"slices"
	"testing"
)

// TestAnalyseRecommendedSharesBaseline checks that the recommended
// portfolio's separate simulation has bit for bit the baseline of the
// singles' run, and never loses more than its best member in any year.
func TestAnalyseRecommendedSharesBaseline(t *testing.T) {
	t.Parallel()
	m := testModel()
	an, err := Analyse(context.Background(), m, Config{Draws: 20, Years: 500, Seed: 5}, Appraisal{Horizon: 10, Discount: GreenBook()}, ByNPV)
	if err != nil {
		t.Fatal(err)
	}
	if an.Recommended == nil {
		t.Fatal("no recommended portfolio: the test model should have positive-NPV controls")
	}
	if !slices.Equal(an.Sim.Loss[0], an.RecommendedSim.Loss[0]) {
		t.Fatal("the recommended portfolio's baseline differs from the singles' run")
	}
	for _, c := range an.Recommended.Portfolio {
		single := an.Sim.Loss[c+1]
		for y, x := range an.RecommendedSim.Loss[an.Recommended.Option] {
			if x > single[y] {
				t.Fatalf("year %d: recommended portfolio loses %g > control %d alone %g", y, x, c, single[y])
			}
		}
	}
}

// TestSeparation checks the top-two comparison by hand: differences 1, 3,
// 2, 6 have mean 3, sample SD √(14/3), SE √(14/3)/2 = 1.0801; 3 SE = 3.24 >
// 3, so 4·(3.24/3)² = 4.67 → 5 draws are needed.
func TestSeparation(t *testing.T) {
	t.Parallel()
	an := &Analysis{
		Results: []Result{
			{MoneyNPV: Interval{Mean: 3}, Draws: DrawValues{MoneyNPV: []float64{1, 3, 2, 6}}},
			{MoneyNPV: Interval{Mean: 6}, Draws: DrawValues{MoneyNPV: []float64{2, 6, 4, 12}}},
		},
		Ranking: Ranking{Order: []int{1, 0}},
	}
	diff, se, need := an.Separation()
	if diff != 3 || math.Abs(se-math.Sqrt(14.0/3)/2) > 1e-12 || need != 5 {
		t.Errorf("Separation() = %g, %g, %d; want 3, %g, 5", diff, se, need, math.Sqrt(14.0/3)/2)
	}
}
