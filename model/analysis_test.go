package model

import (
	"context"
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
		for y, x := range an.RecommendedSim.Loss[1] {
			if x > single[y] {
				t.Fatalf("year %d: recommended portfolio loses %g > control %d alone %g", y, x, c, single[y])
			}
		}
	}
}
