package model

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Metric is what options are ranked by.
type Metric int

// The ranking metrics.
const (
	ByNPV Metric = iota
	ByBCR
	ByROSI
	ByDeltaALE
	ByDeltaP95
)

var metricNames = []string{"npv", "bcr", "rosi", "dale", "dp95"}

// String returns the metric's name as ParseMetric accepts it.
func (m Metric) String() string { return metricNames[m] }

// ParseMetric returns the metric named s: npv, bcr, rosi, dale or dp95.
func ParseMetric(s string) (Metric, error) {
	for i, n := range metricNames {
		if n == s {
			return Metric(i), nil
		}
	}
	return 0, &UnknownError{What: "metric", Got: s, Want: []string{"npv", "bcr", "rosi", "dale", "dp95"}, Hint: "one of npv, bcr, rosi, dale, dp95"}
}

// value returns result r's metric in view v: the expected value and the
// per-draw values behind its rank probabilities. In the social view (for a
// result with harm) NPV, BCR, ROSI and ΔALE count harm avoided (Social's);
// otherwise, and for ΔP95 always, they are money only (the Result's own).
func (m Metric) value(r *Result, v View) (point float64, draws []float64) {
	if v == Social && r.Social != nil {
		switch m {
		case ByNPV:
			return r.Social.NPV.Mean, r.Draws.SocialNPV
		case ByBCR:
			return r.Social.BCR.Mean, r.Draws.SocialBCR
		case ByROSI:
			return r.Social.ROSI.Mean, r.Draws.SocialROSI
		case ByDeltaALE:
			return r.Social.DeltaTotal.Mean, r.Draws.SocialDelta
		}
	}
	switch m {
	case ByBCR:
		return r.BCR.Mean, r.Draws.BCR
	case ByROSI:
		return r.ROSI.Mean, r.Draws.ROSI
	case ByDeltaALE:
		return r.DeltaALE.Mean, r.Draws.DeltaALE
	case ByDeltaP95:
		return r.DeltaP95.Mean, r.Draws.DeltaP95
	}
	return r.MoneyNPV.Mean, r.Draws.MoneyNPV
}

func (m Metric) point(r *Result, v View) float64 { p, _ := m.value(r, v); return p }

func (m Metric) draws(r *Result, v View) []float64 { _, d := m.value(r, v); return d }

// Ranking orders results by a metric, best first.
type Ranking struct {
	Metric Metric
	View   View
	// Order holds indices into the ranked results, best first.
	Order []int
	// Prob[i][k] is the probability, across outer draws, that result i
	// (index into the ranked results) ranks k+1.
	Prob [][]float64
}

// Rank ranks results by metric in the financial view, best first, breaking
// ties (and NaN, which ranks last) by the controls' IDs. Rank
// probabilities rank the per-draw values in each outer draw the same way.
func Rank(results []Result, metric Metric) Ranking { return RankIn(results, metric, Financial) }

// RankIn ranks results by metric in the given view. In the social view NPV,
// BCR, ROSI and ΔALE count harm avoided; ΔP95 stays financial.
func RankIn(results []Result, metric Metric, view View) Ranking {
	n := len(results)
	keys := make([]string, n)
	for i := range results {
		keys[i] = strings.Join(results[i].Controls, "+")
	}
	better := func(va, vb float64, a, b int) int {
		na, nb := math.IsNaN(va), math.IsNaN(vb)
		switch {
		case na != nb:
			if na {
				return 1
			}
			return -1
		case !na && va != vb:
			return cmp.Compare(vb, va)
		}
		return cmp.Compare(keys[a], keys[b])
	}
	rk := Ranking{Metric: metric, View: view, Order: make([]int, n), Prob: make([][]float64, n)}
	for i := range rk.Order {
		rk.Order[i] = i
		rk.Prob[i] = make([]float64, n)
	}
	slices.SortStableFunc(rk.Order, func(a, b int) int {
		return better(metric.point(&results[a], view), metric.point(&results[b], view), a, b)
	})
	if n == 0 {
		return rk
	}
	D := len(metric.draws(&results[0], view))
	idx := make([]int, n)
	for d := range D {
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			return better(metric.draws(&results[a], view)[d], metric.draws(&results[b], view)[d], a, b)
		})
		for k, i := range idx {
			rk.Prob[i][k] += 1 / float64(D)
		}
	}
	return rk
}
