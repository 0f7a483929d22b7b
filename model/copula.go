package model

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// copulaFactor returns the lower Cholesky factor of the Gaussian copula's
// correlation matrix over threats' rates, or nil when threats are
// independent (every correlation zero, so that such a run is bit for bit
// the independent one). A Spearman rank correlation ρ_s maps to the Gaussian
// correlation r = 2·sin(π·ρ_s/6) (Pearson, 1907), so the rates' rank
// correlation is exactly ρ_s.
func copulaFactor(m *Model) (*mat.TriDense, error) {
	independent := m.CommonCorrelation == 0
	for _, c := range m.Correlations {
		independent = independent && c.Rank == 0
	}
	if independent {
		return nil, nil
	}
	T := len(m.Threats)
	r := mat.NewSymDense(T, nil)
	g := func(rs float64) float64 { return 2 * math.Sin(math.Pi*rs/6) }
	for i := range T {
		r.SetSym(i, i, 1)
		for j := i + 1; j < T; j++ {
			r.SetSym(i, j, g(m.CommonCorrelation))
		}
	}
	for _, c := range m.Correlations {
		r.SetSym(m.ThreatIndex(c.A), m.ThreatIndex(c.B), g(c.Rank))
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(r); !ok {
		return nil, errors.New("correlations: the threats' correlations are inconsistent (the matrix is not positive definite)")
	}
	var l mat.TriDense
	ch.LTo(&l)
	return &l, nil
}
