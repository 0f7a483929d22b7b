package model

import (
	"fmt"
	"math"
	"sync"
)

// DefaultMemoryBudget is the memory, in bytes, that a simulation may use to
// keep every simulated year's loss (8 bytes per year per option, twice that
// with harm). Beyond it, Simulate streams: see Config.MemoryBudget.
const DefaultMemoryBudget = 256 << 20

// SketchError is the streaming mode's bound on the relative error of every
// percentile, LEC point and TVaR95: a reported value v̂ of an order
// statistic v satisfies |v̂ − v| ≤ SketchError·v.
const SketchError = 0.005

// sketchGamma is the log-bucket ratio γ = (1+α)/(1−α) for α = SketchError:
// bucket i holds the values in (γ^(i−1), γ^i], and its representative
// 2γ^i/(γ+1) is within α of every one of them (Masson, Rim and Lee,
// "DDSketch", VLDB 2019).
var (
	sketchGamma    = (1 + SketchError) / (1 - SketchError)
	sketchLogGamma = math.Log(sketchGamma)
)

// sketch is a mergeable quantile sketch of non-negative values: a count of
// zeros, counts in relative-width log buckets over the range the values
// span, and the exact maximum. Its state is integers (and a maximum), so
// merging sketches in any order gives the same sketch: results do not
// depend on how the work was split.
type sketch struct {
	zeros int64
	// counts[j] counts bucket off+j.
	counts []int64
	off    int
	max    float64
}

func newSketch() *sketch { return &sketch{} }

// bucket returns the bucket index of v > 0.
func bucket(v float64) int {
	return int(math.Ceil(math.Log(v) / sketchLogGamma))
}

// bucketValue returns bucket i's representative.
func bucketValue(i int) float64 {
	return 2 * math.Exp(float64(i)*sketchLogGamma) / (sketchGamma + 1)
}

// inc adds c to bucket i, growing the range to hold it.
func (k *sketch) inc(i int, c int64) {
	j := i - k.off
	switch {
	case len(k.counts) == 0:
		k.counts = make([]int64, 64)
		k.off = i - 32
		j = 32
	case j < 0:
		grow := max(-j, len(k.counts)/2)
		k.counts = append(make([]int64, grow, grow+len(k.counts)), k.counts...)
		k.off -= grow
		j += grow
	case j >= len(k.counts):
		grow := max(j-len(k.counts)+1, len(k.counts)/2)
		k.counts = append(k.counts, make([]int64, grow)...)
	}
	k.counts[j] += c
}

func (k *sketch) add(v float64) {
	if v <= 0 {
		k.zeros++
		return
	}
	k.inc(bucket(v), 1)
	k.max = max(k.max, v)
}

func (k *sketch) merge(o *sketch) {
	k.zeros += o.zeros
	for j, c := range o.counts {
		if c != 0 {
			k.inc(o.off+j, c)
		}
	}
	k.max = max(k.max, o.max)
}

func (k *sketch) reset() {
	k.zeros, k.max = 0, 0
	clear(k.counts)
}

func (k *sketch) n() int64 {
	n := k.zeros
	for _, c := range k.counts {
		n += c
	}
	return n
}

// rank returns the value at 0-based sorted rank r, within SketchError.
func (k *sketch) rank(r int64) float64 {
	if r < k.zeros {
		return 0
	}
	c := k.zeros
	for j, n := range k.counts {
		c += n
		if r < c {
			return min(bucketValue(k.off+j), k.max)
		}
	}
	return k.max
}

// top returns the sum of the m largest values, each within SketchError.
func (k *sketch) top(m int64) float64 {
	var sum float64
	for j := len(k.counts) - 1; j >= 0 && m > 0; j-- {
		take := min(k.counts[j], m)
		sum += float64(take) * min(bucketValue(k.off+j), k.max)
		m -= take
	}
	return sum // zeros add nothing
}

// stats returns the statistics of a Summary from the sketch (see
// orderScratch.stats): P50, P90, P95, P99, TVaR95, the LEC levels' losses,
// and last the maximum.
func (k *sketch) stats() [nStats + 1]float64 {
	n := k.n()
	var st [nStats + 1]float64
	if n == 0 {
		return st
	}
	q := func(p float64) float64 { return k.rank(int64(quantileIndex(p, int(n)))) }
	st[0], st[1], st[2], st[3] = q(0.50), q(0.90), q(0.95), q(0.99)
	t := int64(tailCount(0.95, int(n)))
	st[4] = k.top(t) / float64(t)
	for i, p := range lecLevels {
		st[5+i] = q(1 - p)
	}
	st[nStats] = k.max
	return st
}

// streamBatches is the number of batches of the streaming mode's batch
// means: draw d falls in batch d mod 20, and with a single draw year y of n
// in batch ⌊20y/n⌋.
const streamBatches = 20

// stream is a streaming simulation's state: each option's sketch over all
// years and one per batch, merged from the workers'; per chunk sums of
// squares for standard errors; and the open draws' sketches for their P95.
type stream struct {
	all   []*sketch   // [o]
	batch [][]*sketch // [o][b]
	// byYear says batches are ranges of years of the single draw.
	byYear bool
	// chunkSq[o][d·chunks+c] is the sum of squared losses over a chunk,
	// harmSq of harm, diffSq of (baseline − option o)².
	chunkSq, harmSq, diffSq [][]float64

	mu    sync.Mutex
	open  map[int]*drawSketch
	spare []*drawSketch
}

// drawSketch collects one draw's years, cut into chunks simulated by any
// worker, for its P95.
type drawSketch struct {
	mu   sync.Mutex
	left int // chunks still to add
	opt  []*sketch
}

// streamState is one worker's part of a streaming simulation.
type streamState struct {
	all   []*sketch
	batch [][]*sketch
}

func newStreamState(options int) *streamState {
	st := &streamState{all: make([]*sketch, options), batch: make([][]*sketch, options)}
	for o := range options {
		st.all[o] = newSketch()
		st.batch[o] = make([]*sketch, streamBatches)
		for b := range st.batch[o] {
			st.batch[o][b] = newSketch()
		}
	}
	return st
}

// streamBytes is the memory exact mode would keep for a simulation.
func streamBytes(m *Model, options, draws, years int) float64 {
	per := 8.0
	if m.Harm != nil {
		per = 16
	}
	return per * float64(options) * float64(draws) * float64(years)
}

// chooseStreaming decides whether a simulation streams.
func chooseStreaming(m *Model, options int, cfg Config) bool {
	budget := float64(cfg.MemoryBudget)
	switch {
	case cfg.MemoryBudget < 0:
		return false
	case cfg.MemoryBudget == 0:
		budget = DefaultMemoryBudget
	}
	draws := cfg.Draws
	if cfg.TargetSE > 0 {
		draws = cfg.MaxDraws
		if draws <= 0 {
			draws = 100 * cfg.Draws
		}
	}
	return streamBytes(m, options, draws, cfg.Years) > budget
}

// Streaming reports whether s was simulated in streaming mode, keeping no
// per-year losses (each Loss[o] and Harm[o] is nil): read its statistics
// through Summaries, MeanSE-style methods (HarmMeanSE, DeltaSE) and
// Exceedance instead.
func (s *Sim) Streaming() bool { return s.stream != nil }

// Method states how s's percentiles were computed, for the output.
func (s *Sim) Method() string {
	if s.stream == nil {
		return fmt.Sprintf("percentiles exact, from all %d simulated years", s.Draws*s.Years)
	}
	return fmt.Sprintf("percentiles, LEC and TVaR95 streamed through a log-bucket quantile sketch, each within ±%.1f%% of the exact value "+
		"(keeping every year would need %.0f MiB, over the %.0f MiB memory budget); means and their standard errors exact",
		100*SketchError, streamBytes(s.Model, len(s.Options), s.Draws, s.Years)/(1<<20), float64(s.budget)/(1<<20))
}

// addChunk adds a finished chunk's losses (w.acc) to the worker's sketches
// and the chunk's sums of squares to s.
func (w *worker) addChunk(s *Sim, d, c, y0, ny int) {
	st, ss := w.stream, s.stream
	k := d*s.chunks + c
	O := len(w.options)
	acc := w.acc[:ny*O]
	var ds *drawSketch
	if s.chunks > 1 {
		ds = ss.openDraw(d, s.chunks, O)
		ds.mu.Lock()
	}
	for o := range O {
		var sq, dsq float64
		all := st.all[o]
		for y := range ny {
			v := acc[y*O+o]
			b := d % streamBatches
			if ss.byYear {
				b = int(int64(y0+y) * streamBatches / int64(s.Years))
			}
			if v > 0 {
				i := bucket(v)
				all.inc(i, 1)
				all.max = max(all.max, v)
				bk := st.batch[o][b]
				bk.inc(i, 1)
				bk.max = max(bk.max, v)
				if ds != nil {
					ds.opt[o].inc(i, 1)
					ds.opt[o].max = max(ds.opt[o].max, v)
				}
			} else {
				all.zeros++
				st.batch[o][b].zeros++
				if ds != nil {
					ds.opt[o].zeros++
				}
			}
			sq += v * v
			e := acc[y*O] - v
			dsq += e * e
		}
		ss.chunkSq[o][k] = sq
		ss.diffSq[o][k] = dsq
		if w.hacc != nil {
			var h float64
			for y := range ny {
				v := w.hacc[y*O+o]
				h += v * v
			}
			ss.harmSq[o][k] = h
		}
	}
	if ds == nil {
		return
	}
	ds.left--
	done := ds.left == 0
	ds.mu.Unlock()
	if done {
		r := int64(quantileIndex(0.95, s.Years))
		for o := range O {
			s.DrawP95[o][d] = ds.opt[o].rank(r)
		}
		ss.closeDraw(d)
	}
}

// openDraw returns draw d's sketch, creating it for the draw's first chunk.
func (ss *stream) openDraw(d, chunks, options int) *drawSketch {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ds, ok := ss.open[d]; ok {
		return ds
	}
	var ds *drawSketch
	if n := len(ss.spare); n > 0 {
		ds, ss.spare = ss.spare[n-1], ss.spare[:n-1]
		for _, k := range ds.opt {
			k.reset()
		}
	} else {
		ds = &drawSketch{opt: make([]*sketch, options)}
		for o := range ds.opt {
			ds.opt[o] = newSketch()
		}
	}
	ds.left = chunks
	ss.open[d] = ds
	return ds
}

func (ss *stream) closeDraw(d int) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.spare = append(ss.spare, ss.open[d])
	delete(ss.open, d)
}

// merge adds a worker's sketches to the simulation's.
func (ss *stream) merge(st *streamState) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for o := range st.all {
		ss.all[o].merge(st.all[o])
		st.all[o].reset()
		for b := range st.batch[o] {
			ss.batch[o][b].merge(st.batch[o][b])
			st.batch[o][b].reset()
		}
	}
}

// summariseStream returns option o's summary from the sketches.
func (s *Sim) summariseStream(o int) Summary {
	ss := s.stream
	var sum Summary
	sum.ALE, sum.ALESE = s.meanSE(o)
	st := ss.all[o].stats()
	sum.P50, sum.P90, sum.P95, sum.P99, sum.TVaR95 = st[0], st[1], st[2], st[3], st[4]
	sum.Max = st[nStats]
	n := float64(s.Draws) * float64(s.Years)
	for i, p := range lecLevels {
		if p*n < 10 {
			break
		}
		sum.LEC = append(sum.LEC, LECPoint{Exceedance: p, Loss: st[5+i]})
	}
	var acc, acc2 [nStats]float64
	B := 0
	var per float64
	for _, k := range ss.batch[o] {
		m := k.n()
		if m == 0 {
			continue
		}
		B++
		per += float64(m)
		bs := k.stats()
		for i, v := range bs[:nStats] {
			acc[i] += v
			acc2[i] += v * v
		}
	}
	se := func(i int) float64 {
		if B < 2 {
			return 0
		}
		m := acc[i] / float64(B)
		return math.Sqrt(max(acc2[i]/float64(B)-m*m, 0) * float64(B) / float64(B-1) / float64(B))
	}
	sum.P50SE, sum.P90SE, sum.P95SE, sum.P99SE, sum.TVaR95SE = se(0), se(1), se(2), se(3), se(4)
	batch := per / float64(max(B, 1))
	for i := range sum.LEC {
		sum.LEC[i].SE = math.NaN()
		if sum.LEC[i].Exceedance*batch >= 2 {
			sum.LEC[i].SE = se(5 + i)
		}
	}
	return sum
}

// meanSE returns option o's ALE and its standard error: batch means over
// draws, or with a single draw the years' own spread.
func (s *Sim) meanSE(o int) (mean, se float64) {
	if s.stream == nil || s.Draws > 1 {
		return meanSE(s.DrawMean[o], s.Loss[o])
	}
	return yearsMeanSE(s.DrawMean[o][0], s.stream.chunkSq[o], s.Years)
}

// HarmMeanSE returns option o's mean yearly harm and its standard error,
// in either mode (as meanSE(HarmDrawMean[o], Harm[o]) in exact mode).
func (s *Sim) HarmMeanSE(o int) (mean, se float64) {
	if s.HarmDrawMean == nil {
		return 0, 0
	}
	if s.stream == nil || s.Draws > 1 {
		return meanSE(s.HarmDrawMean[o], s.Harm[o])
	}
	return yearsMeanSE(s.HarmDrawMean[o][0], s.stream.harmSq[o], s.Years)
}

// DeltaSE returns the standard error of the baseline's ALE less option
// o's: batch means over draws, or with a single draw the paired years'
// spread, in either mode.
func (s *Sim) DeltaSE(o int) float64 {
	if s.Draws > 1 {
		d := make([]float64, s.Draws)
		for i := range d {
			d[i] = s.DrawMean[0][i] - s.DrawMean[o][i]
		}
		_, v := meanVar(d)
		return math.Sqrt(v / float64(len(d)))
	}
	if s.stream == nil {
		var sum, sum2 float64
		for i := range s.Loss[0] {
			d := s.Loss[0][i] - s.Loss[o][i]
			sum += d
			sum2 += d * d
		}
		n := float64(len(s.Loss[0]))
		m := sum / n
		return math.Sqrt(max(sum2/n-m*m, 0) * n / (n - 1) / n)
	}
	_, se := yearsMeanSE(s.DrawMean[0][0]-s.DrawMean[o][0], s.stream.diffSq[o], s.Years)
	return se
}

// yearsMeanSE returns mean and the standard error of the mean of n years
// whose squares sum, by chunk, to sq.
func yearsMeanSE(mean float64, sq []float64, n int) (float64, float64) {
	if n < 2 {
		return mean, 0
	}
	fn := float64(n)
	v := max(sumOf(sq)/fn-mean*mean, 0) * fn / (fn - 1)
	return mean, math.Sqrt(v / fn)
}
