package model

import (
	"context"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// twoThreats is a model of two independent-by-default ransomware threats
// with wide rate uncertainty, where correlation matters for the tail.
func twoThreats() *Model {
	return &Model{Scope: "two", Orgs: 1, Daily: Fixed(0), Recovery: Fixed(0), Threats: []Threat{
		{ID: "A", Rate: Estimate{0.05, 2}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{1e6, 4e6}},
		{ID: "B", Rate: Estimate{0.05, 2}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{1e6, 4e6}},
	}}
}

// spearman returns the rank correlation of x and y.
func spearman(x, y []float64) float64 {
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int {
			switch {
			case v[a] < v[b]:
				return -1
			case v[a] > v[b]:
				return 1
			}
			return 0
		})
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
	return stat.Correlation(rank(x), rank(y), nil)
}

// TestCorrelatedRates checks the copula: the realised rank correlation of
// the rates across draws is within 0.05 of the target; a 0.9 correlation
// raises P99 of annual loss while the ALE stays within 3 SE of the
// independent run's; correlation 0 is the independent run bit for bit.
func TestCorrelatedRates(t *testing.T) {
	t.Parallel()
	cfg := Config{Draws: 2000, Years: 200, Seed: 6}
	ind := twoThreats()
	cor := twoThreats()
	cor.Correlations = []Correlation{{A: "A", B: "B", Rank: 0.9}}
	zero := twoThreats()
	zero.CommonCorrelation = 0
	zero.Correlations = []Correlation{{A: "A", B: "B", Rank: 0}}

	si := mustSimulate(t, ind, nil, cfg)
	sc := mustSimulate(t, cor, nil, cfg)
	sz := mustSimulate(t, zero, nil, cfg)
	if !slices.Equal(si.Loss[0], sz.Loss[0]) {
		t.Error("correlation 0 differs from the independent run")
	}
	rates := func(m *Model) (a, b []float64) {
		t.Helper()
		tb, err := NewDrawTable(context.Background(), m, Appraisal{Horizon: 10, Discount: GreenBook()}, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return tb.Values[tb.Input(InputRef{Kind: "threat", ID: "A", Key: "rate"})], tb.Values[tb.Input(InputRef{Kind: "threat", ID: "B", Key: "rate"})]
	}
	a, b := rates(cor)
	if got := spearman(a, b); math.Abs(got-0.9) > 0.05 {
		t.Errorf("realised rank correlation %.3f; want 0.9 ± 0.05", got)
	}
	a, b = rates(ind)
	if got := spearman(a, b); math.Abs(got) > 0.05 {
		t.Errorf("independent run's rank correlation %.3f; want 0 ± 0.05", got)
	}
	ai, ac := si.Summaries()[0], sc.Summaries()[0]
	if ac.P99 <= ai.P99 {
		t.Errorf("P99 with correlation %.4g; want above the independent %.4g", ac.P99, ai.P99)
	}
	if se := math.Hypot(ai.ALESE, ac.ALESE); math.Abs(ai.ALE-ac.ALE) > 3*se {
		t.Errorf("ALE %.4g with correlation vs %.4g independent; want within 3 SE (%.3g)", ac.ALE, ai.ALE, se)
	}
}

func TestCorrelationValidation(t *testing.T) {
	t.Parallel()
	m := twoThreats()
	m.Threats = append(m.Threats, Threat{ID: "C", Rate: Estimate{1, 2}, Spread: Fixed(0), Duration: Fixed(0)})
	m.Correlations = []Correlation{{A: "A", B: "B", Rank: 0.95}, {A: "A", B: "C", Rank: 0.95}, {A: "B", B: "C", Rank: -0.95}}
	if err := m.Validate(); err == nil || !contains(err.Error(), "not positive definite") {
		t.Errorf("inconsistent correlations: Validate = %v; want an error", err)
	}
	m.Correlations = []Correlation{{A: "A", B: "nope", Rank: 0.5}, {A: "A", B: "B", Rank: 1.5}}
	if err := m.Validate(); err == nil || !contains(err.Error(), `"nope"`) || !contains(err.Error(), "must be in (−1, 1)") {
		t.Errorf("bad correlations: Validate = %v; want errors naming both", err)
	}
}
