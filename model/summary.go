package model

import (
	"math"
	"strconv"
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
	// Standard errors of the percentiles and TVaR95, by batch means: the
	// statistic on each of up to 20 batches of outer draws (of years, with
	// one draw), sd/√batches.
	P50SE    float64 `json:"p50_se"`
	P90SE    float64 `json:"p90_se"`
	P95SE    float64 `json:"p95_se"`
	P99SE    float64 `json:"p99_se"`
	TVaR95SE float64 `json:"tvar95_se"`
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
	// SE is the loss's standard error by batch means, NaN where a batch
	// holds fewer than two years beyond the point.
	SE float64 `json:"se"`
}

// MarshalJSON writes the point, with null for an unknown SE.
func (p LECPoint) MarshalJSON() ([]byte, error) {
	se := "null"
	if !math.IsNaN(p.SE) && !math.IsInf(p.SE, 0) {
		se = strconv.FormatFloat(p.SE, 'g', -1, 64)
	}
	return []byte(`{"exceedance":` + strconv.FormatFloat(p.Exceedance, 'g', -1, 64) +
		`,"loss":` + strconv.FormatFloat(p.Loss, 'g', -1, 64) + `,"se":` + se + `}`), nil
}

// lecLevels are the exceedance probabilities at which the LEC is reported:
// 1-2-5 steps per decade from 0.5 to 1e-5, kept while the sample holds at
// least ten years beyond the level.
var lecLevels = [nLEC]float64{0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 5e-3, 2e-3, 1e-3, 5e-4, 2e-4, 1e-4, 5e-5, 2e-5, 1e-5}

// nLEC is the number of LEC levels; nStats the statistics a batch yields.
const (
	nLEC   = 15
	nStats = 5 + nLEC
)

// Summaries returns every option's summary, computing each once (in
// parallel over the simulation's workers). The simulated losses are only
// read: order statistics come from bucket selection (see rankStatsIn),
// with no copy of any option's losses.
func (s *Sim) Summaries() []Summary {
	if s.memo == nil { // a Sim made by hand
		var sc orderScratch
		out := make([]Summary, len(s.Options))
		for o := range out {
			out[o] = s.summariseOne(o, &sc)
		}
		return out
	}
	s.memo.all.Do(func() {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range max(min(s.workers, len(s.Options)), 1) {
			wg.Go(func() {
				var sc orderScratch
				for {
					o := int(next.Add(1) - 1)
					if o >= len(s.Options) {
						return
					}
					s.summaryWith(o, &sc)
				}
			})
		}
		wg.Wait()
	})
	return s.memo.sums
}

// Summary returns option o's summary, computing it once: the same as
// Summaries()[o], without the others.
func (s *Sim) Summary(o int) Summary {
	var sc orderScratch
	return s.summaryWith(o, &sc)
}

// summaryWith is Summary with scratch space sc.
func (s *Sim) summaryWith(o int, sc *orderScratch) Summary {
	if s.memo == nil {
		return s.summariseOne(o, sc)
	}
	s.memo.once[o].Do(func() { s.memo.sums[o] = s.summariseOne(o, sc) })
	return s.memo.sums[o]
}

// summariseOne computes option o's summary, in either mode.
func (s *Sim) summariseOne(o int, sc *orderScratch) Summary {
	if s.stream != nil {
		return s.summariseStream(o)
	}
	return s.summarise(o, sc)
}

// summarise returns option o's summary.
func (s *Sim) summarise(o int, sc *orderScratch) Summary {
	x := s.Loss[o]
	n := len(x)
	var sum Summary
	sum.ALE, sum.ALESE = meanSE(s.DrawMean[o], x)
	g := sc.geometry(x)
	st := sc.statsIn(x, &g)
	sum.P50, sum.P90, sum.P95, sum.P99, sum.TVaR95 = st[0], st[1], st[2], st[3], st[4]
	sum.Max = st[nStats]
	for i, p := range lecLevels {
		if p*float64(n) < 10 {
			break
		}
		sum.LEC = append(sum.LEC, LECPoint{Exceedance: p, Loss: st[5+i]})
	}
	// Batch means: the same statistics on batches of draws (or of years,
	// with a single draw).
	B, per := 20, s.Years
	if s.Draws > 1 {
		B = min(B, s.Draws)
	} else {
		B, per = min(B, n), 1
	}
	units := n / per
	var acc, acc2 [nStats]float64
	for b := range B {
		lo, hi := b*units/B*per, (b+1)*units/B*per
		bs := sc.statsIn(x[lo:hi], &g)
		for i, v := range bs[:nStats] {
			acc[i] += v
			acc2[i] += v * v
		}
	}
	se := func(i int) float64 {
		if B < 2 {
			return 0 // a single year: nothing to measure spread with
		}
		m := acc[i] / float64(B)
		return math.Sqrt(max(acc2[i]/float64(B)-m*m, 0) * float64(B) / float64(B-1) / float64(B))
	}
	sum.P50SE, sum.P90SE, sum.P95SE, sum.P99SE, sum.TVaR95SE = se(0), se(1), se(2), se(3), se(4)
	batch := float64(n) / float64(B)
	for i := range sum.LEC {
		sum.LEC[i].SE = math.NaN()
		if sum.LEC[i].Exceedance*batch >= 2 {
			sum.LEC[i].SE = se(5 + i)
		}
	}
	return sum
}

// stats returns x's P50, P90, P95, P99, TVaR95, the loss at each LEC
// level, and last its maximum, leaving x unchanged.
func (sc *orderScratch) stats(x []float64) [nStats + 1]float64 {
	g := sc.geometry(x)
	return sc.statsIn(x, &g)
}

// statsIn is stats with the bin layout g of x or of a sample holding it.
func (sc *orderScratch) statsIn(x []float64, g *orderGeom) [nStats + 1]float64 {
	n := len(x)
	var ranks [nStats + 1]int
	ranks[0] = quantileIndex(0.50, n)
	ranks[1] = quantileIndex(0.90, n)
	ranks[2] = quantileIndex(0.95, n)
	ranks[3] = quantileIndex(0.99, n)
	for i, p := range lecLevels {
		ranks[5+i] = quantileIndex(1-p, n)
	}
	ranks[nStats] = n - 1
	var st [nStats + 1]float64
	k := tailCount(0.95, n)
	// ranks[4] is a placeholder for TVaR95, filled from the top-k sum.
	st[4] = sc.rankStatsIn(x, g, ranks[:], st[:], k) / float64(k)
	return st
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
	if s.stream != nil { // within the sketch's resolution
		k := s.stream.all[o]
		var above int64
		for j, c := range k.counts {
			if min(bucketValue(k.off+j), k.max) > x {
				above += c
			}
		}
		if x < 0 {
			above += k.zeros
		}
		return float64(above) / float64(k.n())
	}
	var k int
	for _, v := range s.Loss[o] {
		if v > x {
			k++
		}
	}
	return float64(k) / float64(len(s.Loss[o]))
}
