package model

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// Summary describes one option's distribution of annual loss, pooled over
// all simulated years of all draws.
type Summary struct {
	// ALE is the mean annual loss, and ALESE its Monte Carlo standard error
	// by batch means over outer draws (the draws are independent; years
	// within a draw are not, since they share parameters).
	ALE   float64 `json:"ale"`
	ALESE float64 `json:"ale_se"`
	// Percentiles of annual loss (gonum's stat.Empirical: the smallest loss
	// whose empirical CDF reaches p).
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	// TVaR95 is the mean of the worst 5% of years.
	TVaR95 float64 `json:"tvar95"`
	// Max is the worst simulated year.
	Max float64 `json:"max"`
	// LEC is the loss exceedance curve: P(annual loss > Loss) at fixed
	// exceedance probabilities.
	LEC []LECPoint `json:"lec"`
}

// LECPoint is one point of a loss exceedance curve.
type LECPoint struct {
	Exceedance float64 `json:"exceedance"`
	Loss       float64 `json:"loss"`
}

// lecLevels are the exceedance probabilities at which the LEC is reported:
// 1-2-5 steps per decade from 0.5 to 1e-5, kept while the sample holds at
// least ten years beyond the level.
var lecLevels = []float64{0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 5e-3, 2e-3, 1e-3, 5e-4, 2e-4, 1e-4, 5e-5, 2e-5, 1e-5}

// Summaries returns every option's summary, computing them once, in
// parallel over the simulation's workers. The simulated losses themselves
// are left in year order; each worker sorts a copy.
func (s *Sim) Summaries() []Summary {
	s.summariesOnce.Do(func() {
		s.summaries = make([]Summary, len(s.Loss))
		var next atomic.Int64
		var wg sync.WaitGroup
		for range max(min(s.workers, len(s.Loss)), 1) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				scratch := make([]float64, len(s.Loss[0]))
				for {
					o := int(next.Add(1) - 1)
					if o >= len(s.Loss) {
						return
					}
					s.summaries[o] = s.summarise(o, scratch)
				}
			}()
		}
		wg.Wait()
	})
	return s.summaries
}

// summarise returns option o's summary, ordering a copy of its losses in
// scratch just enough to read every statistic (see orderForSummary).
func (s *Sim) summarise(o int, scratch []float64) Summary {
	n := len(s.Loss[o])
	x := scratch[:n]
	copy(x, s.Loss[o])
	orderForSummary(x)
	var sum Summary
	sum.ALE, sum.ALESE = meanSE(s.DrawMean[o], s.Loss[o])
	sum.P50 = x[quantileIndex(0.50, n)]
	sum.P90 = x[quantileIndex(0.90, n)]
	sum.P95 = x[quantileIndex(0.95, n)]
	sum.P99 = x[quantileIndex(0.99, n)]
	sum.Max = x[n-1]
	tail := x[n-tailCount(0.95, n):]
	var t float64
	for _, v := range tail {
		t += v
	}
	sum.TVaR95 = t / float64(len(tail))
	for _, p := range lecLevels {
		if p*float64(n) < 10 {
			break
		}
		sum.LEC = append(sum.LEC, LECPoint{Exceedance: p, Loss: x[quantileIndex(1-p, n)]})
	}
	return sum
}

// orderForSummary partially orders x so that x[quantileIndex(p, n)] holds
// the p-quantile for p = 0.5, 0.8 and 0.9, and the worst 5% of years (from
// the 95th percentile up) are sorted: every statistic of a Summary reads
// from those places. Successive selections on shrinking ranges and one sort
// of the tail cost about a tenth of sorting everything.
func orderForSummary(x []float64) {
	n := len(x)
	lo := 0
	for _, p := range []float64{0.5, 0.8, 0.9} {
		k := quantileIndex(p, n)
		selectK(x[lo:], k-lo)
		lo = k
	}
	t := min(quantileIndex(0.95, n), n-tailCount(0.95, n))
	t = max(t, lo)
	selectK(x[lo:], t-lo)
	slices.Sort(x[t:])
}

// tailCount is the number of years in the worst 1−p of n, at least one.
func tailCount(p float64, n int) int {
	return max(int(math.Round((1-p)*float64(n))), 1)
}

// meanSE returns the mean of per-draw means and its standard error by batch
// means. With a single draw, years are independent, and the SE comes from
// them.
func meanSE(drawMeans, years []float64) (mean, se float64) {
	if len(drawMeans) > 1 {
		m, v := meanVar(drawMeans)
		return m, math.Sqrt(v / float64(len(drawMeans)))
	}
	m, v := meanVar(years)
	return m, math.Sqrt(v / float64(len(years)))
}

// meanVar returns the mean and the unbiased sample variance of x.
func meanVar(x []float64) (mean, variance float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
	}
	mean /= n
	if len(x) < 2 {
		return mean, 0
	}
	for _, v := range x {
		d := v - mean
		variance += d * d
	}
	return mean, variance / (n - 1)
}

// Exceedance returns the fraction of option o's simulated years with a loss
// above x.
func (s *Sim) Exceedance(o int, x float64) float64 {
	var k int
	for _, v := range s.Loss[o] {
		if v > x {
			k++
		}
	}
	return float64(k) / float64(len(s.Loss[o]))
}
