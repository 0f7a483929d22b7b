package model

import (
	"math"
	"testing"
)

// TestIntervalCoverage checks that the nominal 90% intervals of the
// simulated ALE and ΔALE (± 1.645 batch-means SE) cover the closed-form truth in 85–95% of
// 300 independent runs.
func TestIntervalCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("coverage over 300 seeds: skipped with -short")
	}
	t.Parallel()
	m := &Model{Scope: "coverage", Orgs: 10, Daily: Fixed(5e4), Recovery: Fixed(1e6),
		Threats: []Threat{
			{ID: "a", Rate: Estimate{0.5, 2}, Spread: Estimate{1, 5}, Duration: Estimate{2, 10}},
			{ID: "b", Rate: Estimate{2, 6}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{1e4, 2e5}},
		},
		Controls: []Control{{ID: "c", Opex: Fixed(1), Effects: []Effect{
			{Threat: "a", Frequency: Estimate{0.2, 0.6}}, {Threat: "b", Fixed: Estimate{0.1, 0.3}},
		}}},
	}
	trueALE := ClosedFormALE(m, nil)
	trueDelta := trueALE - ClosedFormALE(m, Portfolio{0})
	const runs = 300
	var coverALE, coverDelta int
	for seed := range runs {
		s := mustSimulate(t, m, []Portfolio{{0}}, Config{Draws: 40, Years: 100, Seed: uint64(1000 + seed), Workers: 1})
		sum := s.Summaries()[0]
		if math.Abs(sum.ALE-trueALE) <= z95*sum.ALESE {
			coverALE++
		}
		// The simulated ΔALE and its SE alone are checked: the decision's
		// draws need be no more than the simulation's.
		res, err := AppraiseOn(s, Appraisal{Horizon: 5, Discount: GreenBook()}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res[0].SimDeltaALE-trueDelta) <= z95*res[0].DeltaALESE {
			coverDelta++
		}
	}
	for name, c := range map[string]int{"ALE": coverALE, "ΔALE": coverDelta} {
		if f := float64(c) / runs; f < 0.85 || f > 0.95 {
			t.Errorf("%s: 90%% interval covers the truth in %.1f%% of %d runs; want 85–95%%", name, 100*f, runs)
		}
	}
}
