package model

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
)

// Config sets the size and seed of a simulation.
type Config struct {
	// Draws is the number of outer draws of the uncertain parameters; Years
	// the number of simulated years per draw.
	Draws, Years int
	// Seed is the master seed; every stream derives from it.
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS. The result
	// does not depend on it.
	Workers int
	// Progress, when set, is called after each outer draw with the number of
	// draws done. It may be called from several goroutines at once.
	Progress func(done, total int)
	// Stage, when set, is called by Decide as it starts each stage
	// (StageChoose, StageSimulate, StageTable, StageExplain,
	// StageSensitivity); Progress then counts that stage's work.
	Stage func(name string)
	// TargetSE, when positive, adds blocks of Draws outer draws until the
	// baseline ALE's relative standard error is at most TargetSE, or
	// MaxDraws (default 100 × Draws) is reached. The draws are the same as
	// a run of that many draws: the result depends on seed and target
	// only, never on workers or timing.
	TargetSE float64
	MaxDraws int
	// MemoryBudget is the most memory, in bytes, the simulation may use to
	// keep every simulated year's loss; 0 means DefaultMemoryBudget, and a
	// negative value no limit. A simulation that would need more streams:
	// it keeps no per-year losses (each Sim.Loss[o] and Sim.Harm[o] is nil;
	// Sim.Harm itself is still non-nil when the model has harm), and its
	// percentiles, LEC and TVaR95 come from mergeable quantile sketches,
	// each within SketchError of the exact value (Sim.Method says which).
	// The choice depends on the inputs only, never on the workers.
	MemoryBudget int64
}

// aggregateRate is the mean yearly event count from which a threat is
// simulated by Poisson splitting at the options' thinning levels rather than
// event by event (see Simulate).
const aggregateRate = 25

// chunkYears is the number of years in one chunk: a draw's years are cut
// into chunks of this size (the last may be shorter), each simulated from
// its own random streams, so that the chunks of one draw can run on
// different workers and the result does not depend on how many there are.
const chunkYears = 8192

// aggregateEvents is the count in one split segment above which the
// segment's summed event components are always drawn from their
// three-moment (shifted gamma) approximation instead of event by event.
// From minApproxEvents up to it, they are when the sum's skewness (one
// event's over √n) is at most maxApproxSkew, where the approximation's
// quantiles are within a few per cent of the exact sum's (about 1% at the
// median and the 99th percentile, 3% at the 99.9th, for a skewness near
// 1; TestApproxSumQuantiles).
const (
	aggregateEvents = 64
	minApproxEvents = 33
	maxApproxSkew   = 1.2
)

// approxFrom returns the smallest count of a split segment of the threat
// whose summed components are approximated (see aggregateEvents).
func (td *threatDists) approxFrom() int {
	var skew float64
	for i := range td.skew {
		if td.sd[i] > 0 {
			skew = max(skew, td.skew[i])
		}
	}
	r := skew / maxApproxSkew
	if r*r < minApproxEvents {
		return minApproxEvents
	}
	if r*r > aggregateEvents {
		return aggregateEvents + 1
	}
	return int(math.Ceil(r * r))
}

// Sim holds a simulation's raw results: one annual loss per simulated year
// per option, in year order, and the parameters drawn for each outer draw.
type Sim struct {
	Model *Model
	// Options are the portfolios simulated; Options[0] is the baseline
	// (no controls).
	Options      []Portfolio
	Draws, Years int
	Seed         uint64
	// Loss[o][d·Years+y] is option o's loss in year y of draw d.
	Loss [][]float64
	// DrawMean[o][d] is option o's mean annual loss in draw d; DrawP95 its
	// 95th percentile over the draw's years.
	DrawMean, DrawP95 [][]float64
	// Harm[o][d·Years+y] is option o's patient harm, valued in money, in
	// year y of draw d, and HarmDrawMean[o][d] its mean over the draw (both
	// nil unless the model has Harm).
	Harm, HarmDrawMean [][]float64
	// DeathsPerHarm[d] is 1/(q·v) in draw d: option o's extra deaths a
	// year in draw d are HarmDrawMean[o][d]·DeathsPerHarm[d] (nil unless
	// the model has Harm).
	DeathsPerHarm []float64
	// Capex[d][c], Opex[d][c] and Bias[d][c] are control c's costs and
	// optimism-bias uplift drawn in draw d (Bias is NaN where the control has
	// none, so the appraisal's own applies).
	Capex, Opex, Bias [][]float64

	workers int
	// chunks is the number of chunks per draw; chunkSum[o][d·chunks+c] the
	// sum of option o's losses over chunk c of draw d (harmSum the same for
	// harm), reduced in chunk order into DrawMean.
	chunks            int
	chunkSum, harmSum [][]float64
	// stream is the streaming mode's state, nil in exact mode; budget the
	// memory budget that chose the mode.
	stream *stream
	budget int64
	// memo holds the summaries, computed once and shared by the copies
	// WithCosts makes.
	memo *simMemo
	// time, when set, simulates one year of a phased plan (see
	// SimulatePlanYear).
	time *yearTime
}

// simMemo holds a simulation's summaries, each computed once.
type simMemo struct {
	all  sync.Once
	once []sync.Once
	sums []Summary
}

// threatDists are a threat's fitted distributions.
type threatDists struct {
	rate, spread, duration, fixed, kd, kr Dist
	dispersion                            float64
	// yearGamma samples the year's Gamma(1/φ) rate factor (φ the
	// dispersion, when positive).
	yearGamma gammaConst
	aggregate bool
	// approxAt is the count of a split segment from which its sums are
	// approximated (see approxFrom).
	approxAt int
	// freqControls lists the controls that reduce the threat's frequency.
	freqControls []int
	// Moments of one event's components (min(S,orgs)·D, min(S,orgs), F),
	// for the approximation of large segments: means, standard deviations,
	// skewness, and the correlation of the first two.
	mean, sd, skew [3]float64
	rho            float64
}

type effectDists struct {
	threat                   int
	freq, spread, dur, fixed Dist
}

type controlDists struct {
	capex, opex, bias Dist
	hasBias           bool
	effects           []effectDists
}

type harmDists struct {
	deaths, qalys, kfull Dist
	value                float64
}

type fitted struct {
	harm *harmDists
	// copula is the lower Cholesky factor correlating threats' rates, nil
	// when they are independent.
	copula   *mat.TriDense
	m        *Model
	daily    Dist
	recovery Dist
	threats  []threatDists
	controls []controlDists
}

func kOrOne(e Estimate) Estimate {
	if e == (Estimate{}) {
		return Fixed(1)
	}
	return e
}

func fit(m *Model) *fitted {
	f := &fitted{m: m, daily: m.Daily.Dist(Positive), recovery: m.Recovery.Dist(Positive)}
	f.copula, _ = copulaFactor(m) // Validate has checked it
	if h := m.Harm; h != nil {
		f.harm = &harmDists{deaths: h.DeathsPerDay.Dist(Positive), qalys: h.QALYsPerDeath.Dist(Positive), kfull: h.FullIntensity.Dist(Positive), value: h.ValuePerQALY}
	}
	for _, t := range m.Threats {
		td := threatDists{
			rate:       t.Rate.Dist(Positive),
			spread:     t.Spread.Dist(Positive),
			duration:   t.Duration.Dist(Positive),
			fixed:      t.Fixed.Dist(Positive),
			kd:         kOrOne(t.KDaily).Dist(Positive),
			kr:         kOrOne(t.KRecovery).Dist(Positive),
			dispersion: t.Dispersion,
		}
		if td.dispersion > 0 {
			td.yearGamma = newGammaConst(1 / td.dispersion)
		}
		td.aggregate = td.rate.Mean() >= aggregateRate
		es := [4]float64{1, td.spread.CappedMoment(1, m.Orgs), td.spread.CappedMoment(2, m.Orgs), td.spread.CappedMoment(3, m.Orgs)}
		ed := [4]float64{1, td.duration.Moment(1), td.duration.Moment(2), td.duration.Moment(3)}
		ef := [4]float64{1, td.fixed.Moment(1), td.fixed.Moment(2), td.fixed.Moment(3)}
		for i, raw := range [3][4]float64{
			{1, es[1] * ed[1], es[2] * ed[2], es[3] * ed[3]},
			es,
			ef,
		} {
			td.mean[i], td.sd[i], td.skew[i] = momentsFromRaw(raw[1], raw[2], raw[3])
		}
		if td.sd[0] > 0 && td.sd[1] > 0 {
			td.rho = (es[2]*ed[1] - es[1]*es[1]*ed[1]) / (td.sd[0] * td.sd[1])
		}
		td.approxAt = td.approxFrom()
		f.threats = append(f.threats, td)
	}
	for _, c := range m.Controls {
		cd := controlDists{
			capex:   c.Capex.Dist(Positive),
			opex:    c.Opex.Dist(Positive),
			hasBias: c.OptimismBias != (Estimate{}),
		}
		if cd.hasBias {
			cd.bias = c.OptimismBias.Dist(Positive)
		}
		for _, e := range c.Effects {
			cd.effects = append(cd.effects, effectDists{
				threat: m.ThreatIndex(e.Threat),
				freq:   e.Frequency.Dist(Fraction),
				spread: e.Spread.Dist(Fraction),
				dur:    e.Duration.Dist(Fraction),
				fixed:  e.Fixed.Dist(Fraction),
			})
		}
		f.controls = append(f.controls, cd)
	}
	for c, cd := range f.controls {
		for _, e := range cd.effects {
			if !(e.freq.IsFixed() && e.freq.Mean() == 0) {
				f.threats[e.threat].freqControls = append(f.threats[e.threat].freqControls, c)
			}
		}
	}
	return f
}

// Simulate runs the two-level Monte Carlo simulation of the baseline and
// each portfolio on common random numbers.
//
// Each outer draw d draws every uncertain parameter (threat rates and
// intensities, cost rates, control effects and costs) from the stream named
// by (seed, parameter, input id, d). Then the draw's years are cut into
// chunks of 8,192 (the last may be shorter) and, for each threat, chunk c's
// years are simulated from the stream (seed, events, threat id, d, c): each
// year's event count, and for each event its thinning uniform u, spread,
// duration and fixed cost. Chunks run on any worker, and per-draw
// statistics are reduced in chunk order, so the result is bit-identical
// for any number of workers and one long draw uses every core. The baseline keeps every event; a portfolio P keeps an
// event of threat t iff u < m_f(P,t) = Π(1 − r_f) and scales its spread,
// duration and fixed cost by m_s, m_d, m_F. A portfolio therefore never
// loses more than any of its subsets in any simulated year, and adding an
// option to a run leaves the others' results unchanged.
//
// Threats with a mean rate of 25 or more events a year (many small
// breaches) are simulated by Poisson splitting instead (see
// threatAggregate): events are split into independent Poisson classes by
// which controls' frequency filters they pass, and a class of more than 64
// events (or of 33 to 64 when their sum's skewness is at most 1.2) has its
// summed components drawn from a three-moment (shifted gamma)
// approximation, so the mean is exact and the tails close. This is
// the same thinning in law, keeps the subset property, and its random
// numbers do not depend on the options simulated unless more than six
// controls cut the threat's frequency.
func Simulate(ctx context.Context, m *Model, portfolios []Portfolio, cfg Config) (*Sim, error) {
	return simulate(ctx, m, portfolios, cfg, -1)
}

// simulate is Simulate, of threat only alone when only ≥ 0 (its events and
// parameters are those of the full simulation).
func simulate(ctx context.Context, m *Model, portfolios []Portfolio, cfg Config, only int) (*Sim, error) {
	return simulateWith(ctx, m, portfolios, cfg, only, nil)
}

// simulateTimed is Simulate of one year of phased plans (see
// SimulatePlanYear).
func simulateTimed(ctx context.Context, m *Model, portfolios []Portfolio, cfg Config, tm *yearTime) (*Sim, error) {
	return simulateWith(ctx, m, portfolios, cfg, -1, tm)
}

// simulateWith is simulate, with the time effects of tm when not nil.
func simulateWith(ctx context.Context, m *Model, portfolios []Portfolio, cfg Config, only int, tm *yearTime) (*Sim, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if cfg.Draws < 1 || cfg.Years < 1 {
		return nil, fmt.Errorf("draws and years must be at least 1, got %d × %d", cfg.Draws, cfg.Years)
	}
	if cfg.Draws*cfg.Years > math.MaxInt32 {
		return nil, fmt.Errorf("draws × years = %d is too many", cfg.Draws*cfg.Years)
	}
	options := append([]Portfolio{{}}, portfolios...)
	for i, p := range options {
		for _, c := range p {
			if c < 0 || c >= len(m.Controls) {
				return nil, fmt.Errorf("portfolio %d: control index %d out of range", i, c)
			}
		}
	}
	f := fit(m)
	s := newSim(m, options, cfg)
	s.time = tm
	if err := s.run(ctx, f, cfg, only, 0); err != nil {
		return nil, err
	}
	if cfg.TargetSE > 0 {
		maxDraws := cfg.MaxDraws
		if maxDraws <= 0 {
			maxDraws = 100 * cfg.Draws
		}
		for s.relativeSE() > cfg.TargetSE && s.Draws < maxDraws {
			from := s.Draws
			s.grow(min(cfg.Draws, maxDraws-from))
			if err := s.run(ctx, f, cfg, only, from); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// run simulates draws from..s.Draws−1 over the workers. The work is cut
// into units, one chunk of one draw each, which workers pull in order; each
// unit writes only its own years, and per-draw statistics are reduced in
// chunk order afterwards, so the result does not depend on the workers. The
// context is checked between units.
func (s *Sim) run(ctx context.Context, f *fitted, cfg Config, only, from int) error {
	nc := s.chunks
	units := (s.Draws - from) * nc
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(min(workers, units), 1)
	s.workers = workers
	var done atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(f, s.Options, cfg)
			w.only = only
			w.time = s.time
			if s.stream != nil {
				w.stream = newStreamState(len(s.Options))
				defer s.stream.merge(w.stream)
			}
			for {
				i := int(next.Add(1) - 1)
				if i >= units || ctx.Err() != nil {
					return
				}
				w.unit(s, from+i/nc, i%nc)
				k := int(done.Add(1))
				if cfg.Progress != nil {
					cfg.Progress(from+k*(s.Draws-from)/units, s.Draws)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if nc == 1 {
		return nil // each unit finished its draw
	}
	// Per-draw statistics of draws cut into several chunks, draws shared
	// among the workers. A whole run of one draw (not to be grown, of
	// every threat) reads its P95 from the summaries the caller will ask
	// for anyway, computed here once in parallel over the options.
	oneDraw := s.Draws == 1 && s.stream == nil && cfg.TargetSE <= 0 && only < 0
	next.Store(int64(from))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc orderScratch
			for {
				d := int(next.Add(1) - 1)
				if d >= s.Draws {
					return
				}
				s.finishDraw(d, &sc, !oneDraw)
			}
		}()
	}
	wg.Wait()
	if oneDraw {
		for o, sum := range s.Summaries() {
			s.DrawP95[o][0] = sum.P95 // the same rank of the same years
		}
	}
	return nil
}

// finishDraw sets draw d's mean for each option from its chunks, and with
// p95 its 95th percentile.
func (s *Sim) finishDraw(d int, sc *orderScratch, p95 bool) {
	nc := s.chunks
	for o := range s.Options {
		s.DrawMean[o][d] = sumOf(s.chunkSum[o][d*nc:(d+1)*nc]) / float64(s.Years)
		if s.HarmDrawMean != nil {
			s.HarmDrawMean[o][d] = sumOf(s.harmSum[o][d*nc:(d+1)*nc]) / float64(s.Years)
		}
		if p95 && s.stream == nil { // streaming set it when the draw's last chunk was added
			rank := [1]int{quantileIndex(0.95, s.Years)}
			sc.rankStats(s.Loss[o][d*s.Years:(d+1)*s.Years], rank[:], s.DrawP95[o][d:d+1], 1)
		}
	}
}

// sumOf returns the sum of x, in order.
func sumOf(x []float64) float64 {
	var sum float64
	for _, v := range x {
		sum += v
	}
	return sum
}

// relativeSE returns the baseline ALE's standard error over its mean.
func (s *Sim) relativeSE() float64 {
	m, se := s.meanSE(0)
	if m == 0 {
		return 0
	}
	return se / m
}

// grow adds k draws to the simulation's storage.
func (s *Sim) grow(k int) {
	budget := int64(-1) // the new draws keep their years as s does, or not
	if s.stream != nil {
		budget = 1
	}
	more := newSim(s.Model, s.Options, Config{Draws: k, Years: s.Years, Seed: s.Seed, MemoryBudget: budget})
	if ss := s.stream; ss != nil {
		n := k * s.chunks
		for o := range s.Options {
			ss.chunkSq[o] = append(ss.chunkSq[o], make([]float64, n)...)
			ss.diffSq[o] = append(ss.diffSq[o], make([]float64, n)...)
			if ss.harmSq != nil {
				ss.harmSq[o] = append(ss.harmSq[o], make([]float64, n)...)
			}
		}
	}
	for o := range s.DrawMean {
		if s.stream == nil {
			s.Loss[o] = append(s.Loss[o], more.Loss[o]...)
		}
		s.DrawMean[o] = append(s.DrawMean[o], more.DrawMean[o]...)
		s.DrawP95[o] = append(s.DrawP95[o], more.DrawP95[o]...)
		s.chunkSum[o] = append(s.chunkSum[o], more.chunkSum[o]...)
		if s.HarmDrawMean != nil {
			if s.stream == nil {
				s.Harm[o] = append(s.Harm[o], more.Harm[o]...)
			}
			s.HarmDrawMean[o] = append(s.HarmDrawMean[o], more.HarmDrawMean[o]...)
			s.harmSum[o] = append(s.harmSum[o], more.harmSum[o]...)
		}
	}
	s.Capex = append(s.Capex, more.Capex...)
	if s.DeathsPerHarm != nil {
		s.DeathsPerHarm = append(s.DeathsPerHarm, more.DeathsPerHarm...)
	}
	s.Opex = append(s.Opex, more.Opex...)
	s.Bias = append(s.Bias, more.Bias...)
	s.Draws += k
}

// newSim allocates a simulation's results: one float64 per simulated year
// per option, and the per-draw values.
func newSim(m *Model, options []Portfolio, cfg Config) *Sim {
	n := cfg.Draws * cfg.Years
	O := len(options)
	s := &Sim{
		Model: m, Options: options, Draws: cfg.Draws, Years: cfg.Years, Seed: cfg.Seed, workers: 1,
		memo:   &simMemo{once: make([]sync.Once, len(options)), sums: make([]Summary, len(options))},
		chunks: (cfg.Years + chunkYears - 1) / chunkYears, chunkSum: make([][]float64, O),
		Loss: make([][]float64, O), DrawMean: make([][]float64, O), DrawP95: make([][]float64, O),
		Capex: make([][]float64, cfg.Draws), Opex: make([][]float64, cfg.Draws), Bias: make([][]float64, cfg.Draws),
	}
	C := len(m.Controls)
	costs := make([]float64, 3*cfg.Draws*C)
	for d := range cfg.Draws {
		k := 3 * d * C
		s.Capex[d], s.Opex[d], s.Bias[d] = costs[k:k+C:k+C], costs[k+C:k+2*C:k+2*C], costs[k+2*C:k+3*C:k+3*C]
	}
	s.budget = cfg.MemoryBudget
	if s.budget == 0 {
		s.budget = DefaultMemoryBudget
	}
	streaming := chooseStreaming(m, O, cfg)
	for o := range O {
		if !streaming {
			s.Loss[o] = make([]float64, n)
		}
		s.DrawMean[o] = make([]float64, cfg.Draws)
		s.DrawP95[o] = make([]float64, cfg.Draws)
		s.chunkSum[o] = make([]float64, cfg.Draws*s.chunks)
	}
	if m.Harm != nil {
		s.DeathsPerHarm = make([]float64, cfg.Draws)
		s.Harm, s.HarmDrawMean, s.harmSum = make([][]float64, O), make([][]float64, O), make([][]float64, O)
		for o := range O {
			if !streaming {
				s.Harm[o] = make([]float64, n)
			}
			s.HarmDrawMean[o] = make([]float64, cfg.Draws)
			s.harmSum[o] = make([]float64, cfg.Draws*s.chunks)
		}
	}
	if streaming {
		ss := &stream{
			all: make([]*sketch, O), batch: make([][]*sketch, O), byYear: cfg.Draws == 1 && cfg.TargetSE <= 0,
			chunkSq: make([][]float64, O), diffSq: make([][]float64, O), open: map[int]*drawSketch{},
		}
		if m.Harm != nil {
			ss.harmSq = make([][]float64, O)
		}
		for o := range O {
			ss.all[o] = newSketch()
			ss.batch[o] = make([]*sketch, streamBatches)
			for b := range ss.batch[o] {
				ss.batch[o][b] = newSketch()
			}
			ss.chunkSq[o] = make([]float64, cfg.Draws*s.chunks)
			ss.diffSq[o] = make([]float64, cfg.Draws*s.chunks)
			if ss.harmSq != nil {
				ss.harmSq[o] = make([]float64, cfg.Draws*s.chunks)
			}
		}
		s.stream = ss
	}
	return s
}

// drawCosts draws the control's capex, opex and optimism-bias uplift (NaN
// when it has none of its own), the first numbers of its parameter stream;
// its effects follow. How many numbers they take depends on which of them
// are fixed, not on their values.
func (cd *controlDists) drawCosts(r *rand.Rand) (capex, opex, bias float64) {
	capex, opex, bias = cd.capex.Rand(r), cd.opex.Rand(r), math.NaN()
	if cd.hasBias {
		bias = cd.bias.Rand(r)
	}
	return capex, opex, bias
}

// worker holds one goroutine's generators and scratch space.
type worker struct {
	f       *fitted
	options []Portfolio
	seed    uint64
	years   int
	pcg     rand.PCG
	r       *rand.Rand
	// Parameters of the current draw: cost rates, and per threat its rate,
	// intensities (raw, and times the cost rates).
	daily, recovery     float64
	lam, expNeg, kd, kr []float64
	kdRaw, krRaw        []float64
	z                   []float64 // rates' standard normals, for the copula
	// Per control and threat reductions of the current draw: red[c][t] =
	// {1−r_f, 1−r_s, 1−r_d, 1−r_F}.
	red [][][4]float64
	// Per threat and option: thinning level and loss coefficients; ch is the
	// harm coefficient on min(S,orgs)·D and cs the multiplier m_s·m_d on
	// it (both nil without harm).
	mf, ca, cb, cc, ch, cs [][]float64
	// same[t] lists the options (the baseline first) whose coefficients on
	// threat t are the baseline's, so that an event adds the baseline's
	// amount to each; other[t] the rest.
	same, other [][]int
	// harmValue is h·q·v of the current draw, deaths and qalys its h and
	// q; share[t] is min(k_d/k_full, 1) of threat t (nil without harm).
	harmValue, deaths, qalys float64
	share                    []float64
	// kfull is k_full of the current draw, deathsPerHarm its 1/(q·v).
	kfull, deathsPerHarm float64
	// Aggregate mode scratch: levels, each option's level index, sums.
	levels []float64
	level  []int
	seg    []poissonDist            // each split piece's count
	inv    poissonInv               // a threat's yearly count, event by event
	z64    [aggregateEvents]float64 // scratch of sumLognormal
	// approxCache[t] holds aggregate threat t's approxSum constants by
	// count (nil for other threats); approxTmp those of a count not cached.
	approxCache [][]approxConst
	approxTmp   approxConst
	sums        [][3]float64
	// acc[y·O+o] accumulates option o's loss in year y of the current
	// chunk (O options), hacc its harm: year-major, so that an event's
	// additions to every option fall in one or two cache lines. When the
	// chunk is done they are transposed into the simulation's per-option
	// rows (or, streaming, read from here); row is one option's years, as
	// scratch.
	acc, hacc, row []float64
	// paramDraw is the draw whose parameters are loaded (−1: none); capex,
	// opex and bias its controls' costs.
	paramDraw         int
	capex, opex, bias []float64
	order             orderScratch // scratch of draw
	stream            *streamState // streaming mode's sketches
	streams           []uint64     // idHash per threat
	only              int          // simulate this threat alone, or all when < 0
	params            []uint64     // idHash per control
	time              *yearTime    // one year of a phased plan, or nil
}

func newWorker(f *fitted, options []Portfolio, cfg Config) *worker {
	T, C, O := len(f.threats), len(f.controls), len(options)
	w := &worker{f: f, options: options, seed: cfg.Seed, years: cfg.Years, only: -1}
	w.r = rand.New(&w.pcg)
	w.lam = make([]float64, T)
	w.expNeg = make([]float64, T)
	w.kd = make([]float64, T)
	w.kr = make([]float64, T)
	w.z = make([]float64, T)
	w.kdRaw = make([]float64, T)
	w.krRaw = make([]float64, T)
	w.red = make([][][4]float64, C)
	for c := range w.red {
		w.red[c] = make([][4]float64, T)
	}
	w.mf, w.ca, w.cb, w.cc = make([][]float64, T), make([][]float64, T), make([][]float64, T), make([][]float64, T)
	w.same, w.other = make([][]int, T), make([][]int, T)
	for t := range T {
		w.mf[t], w.ca[t], w.cb[t], w.cc[t] = make([]float64, O), make([]float64, O), make([]float64, O), make([]float64, O)
		w.same[t], w.other[t] = make([]int, 0, O), make([]int, 0, O)
	}
	if f.harm != nil {
		w.ch, w.cs = make([][]float64, T), make([][]float64, T)
		for t := range T {
			w.ch[t], w.cs[t] = make([]float64, O), make([]float64, O)
		}
		w.share = make([]float64, T)
	}
	w.levels = make([]float64, 0, O)
	w.level = make([]int, O)
	scratch := max(O, 1<<maxClassControls)
	w.seg = make([]poissonDist, scratch)
	w.approxCache = make([][]approxConst, T)
	for t := range f.threats {
		if f.threats[t].aggregate {
			w.approxCache[t] = make([]approxConst, approxCacheSize)
		}
	}
	w.sums = make([][3]float64, scratch)
	w.acc, w.row = make([]float64, O*chunkYears), make([]float64, chunkYears)
	if f.harm != nil {
		w.hacc = make([]float64, O*chunkYears)
	}
	w.paramDraw = -1
	w.capex, w.opex, w.bias = make([]float64, C), make([]float64, C), make([]float64, C)
	for _, t := range f.m.Threats {
		w.streams = append(w.streams, idHash("threat", t.ID))
	}
	for _, c := range f.m.Controls {
		w.params = append(w.params, idHash("control", c.ID))
	}
	return w
}

// drawParams draws draw d's parameters and sets the loss coefficients; with
// s not nil it also stores the draw's control costs in s.
func (w *worker) drawParams(s *Sim, d int) {
	f := w.f
	reseed(&w.pcg, w.seed, streamParam, idHash("rates", ""), uint64(d))
	cd := f.daily.Rand(w.r)
	cr := f.recovery.Rand(w.r)
	w.daily, w.recovery = cd, cr
	for t := range f.threats {
		td := &f.threats[t]
		reseed(&w.pcg, w.seed, streamParam, w.streams[t], uint64(d))
		if f.copula != nil {
			// Keep the rate's standard normal; correlate it below.
			w.z[t] = normal(&w.pcg)
			w.lam[t] = td.rate.value // for a fixed rate
		} else {
			w.lam[t] = td.rate.Rand(w.r)
		}
		w.kdRaw[t] = td.kd.Rand(w.r)
		w.krRaw[t] = td.kr.Rand(w.r)
		w.kd[t] = w.kdRaw[t] * cd
		w.kr[t] = w.krRaw[t] * cr
	}
	if f.copula != nil {
		// Gaussian copula: z' = L·z, then each rate its lognormal at z'.
		for t := range f.threats {
			td := &f.threats[t]
			if td.rate.IsFixed() {
				continue
			}
			var zc float64
			for j := 0; j <= t; j++ {
				zc += f.copula.At(t, j) * w.z[j]
			}
			w.lam[t] = math.Exp(td.rate.mu + td.rate.sigma*zc)
		}
	}
	if w.time != nil {
		w.time.scaleRates(w, d)
	}
	for t := range f.threats {
		w.expNeg[t] = math.Exp(-w.lam[t])
	}
	if h := f.harm; h != nil {
		reseed(&w.pcg, w.seed, streamParam, idHash("harm", ""), uint64(d))
		w.deaths = h.deaths.Rand(w.r)
		w.qalys = h.qalys.Rand(w.r)
		qv := w.qalys * h.value
		w.harmValue = w.deaths * qv
		w.kfull = h.kfull.Rand(w.r)
		w.deathsPerHarm = 1 / qv
		for t := range f.threats {
			w.share[t] = min(w.kdRaw[t]/w.kfull, 1)
		}
	}
	capex, opex, bias := w.capex, w.opex, w.bias
	for c := range f.controls {
		cd := &f.controls[c]
		reseed(&w.pcg, w.seed, streamParam, w.params[c], uint64(d))
		capex[c], opex[c], bias[c] = cd.drawCosts(w.r)
		for t := range w.red[c] {
			w.red[c][t] = [4]float64{1, 1, 1, 1}
		}
		for _, e := range cd.effects {
			w.red[c][e.threat] = [4]float64{
				1 - e.freq.Rand(w.r), 1 - e.spread.Rand(w.r), 1 - e.dur.Rand(w.r), 1 - e.fixed.Rand(w.r),
			}
		}
	}
	if s != nil {
		copy(s.Capex[d], capex)
		copy(s.Opex[d], opex)
		copy(s.Bias[d], bias)
	}
	for t := range f.threats {
		for o, p := range w.options {
			m := [4]float64{1, 1, 1, 1}
			if w.time != nil {
				m = w.time.multipliers(w, o, t)
			} else {
				for _, c := range p {
					for k := range m {
						m[k] *= w.red[c][t][k]
					}
				}
			}
			w.mf[t][o] = m[0]
			if w.ch != nil {
				w.cs[t][o] = m[1] * m[2]
				w.ch[t][o] = m[1] * m[2] * w.share[t] * w.harmValue
			}
			w.ca[t][o] = m[1] * m[2] * w.kd[t]
			w.cb[t][o] = m[1] * w.kr[t]
			w.cc[t][o] = m[3]
		}
		w.same[t], w.other[t] = w.same[t][:0], w.other[t][:0]
		for o := range w.options {
			if w.mf[t][o] == 1 && w.ca[t][o] == w.ca[t][0] && w.cb[t][o] == w.cb[t][0] && w.cc[t][o] == w.cc[t][0] &&
				(w.ch == nil || w.ch[t][o] == w.ch[t][0]) {
				w.same[t] = append(w.same[t], o)
			} else {
				w.other[t] = append(w.other[t], o)
			}
		}
	}
}

// draw simulates outer draw d into s, chunk by chunk.
func (w *worker) draw(s *Sim, d int) {
	for c := range s.chunks {
		w.unit(s, d, c)
	}
	if s.chunks > 1 {
		s.finishDraw(d, &w.order, true)
	}
}

// unit simulates chunk c of draw d into s: every threat's events of the
// chunk's years from the streams (seed, events, threat, d, c), summed per
// option in the worker's buffer, then copied out. When the draw is a single
// chunk it also sets the draw's mean and 95th percentile.
func (w *worker) unit(s *Sim, d, c int) {
	if w.paramDraw != d {
		w.drawParams(nil, d)
		w.paramDraw = d
	}
	if c == 0 {
		if s.DeathsPerHarm != nil {
			s.DeathsPerHarm[d] = w.deathsPerHarm
		}
		copy(s.Capex[d], w.capex)
		copy(s.Opex[d], w.opex)
		copy(s.Bias[d], w.bias)
	}
	y0 := c * chunkYears
	ny := min(chunkYears, s.Years-y0)
	O := len(w.options)
	clear(w.acc[:ny*O]) // only the years of this chunk
	if w.hacc != nil {
		clear(w.hacc[:ny*O])
	}
	for t := range w.f.threats {
		if w.only >= 0 && t != w.only {
			continue
		}
		reseed(&w.pcg, w.seed, streamEvents, w.streams[t], uint64(d), uint64(c))
		if w.f.threats[t].aggregate {
			w.threatAggregate(t, ny)
		} else {
			w.threatEvents(t, ny)
		}
	}
	base := d*s.Years + y0
	k := d*s.chunks + c
	if s.stream != nil {
		w.addChunk(s, d, c, y0, ny)
	} else {
		transpose(s.Loss, base, w.acc, O, ny)
		if w.hacc != nil {
			transpose(s.Harm, base, w.hacc, O, ny)
		}
	}
	// Option o's years of the chunk: in place, or gathered into w.row.
	rowOf := func(all [][]float64, acc []float64, o int) []float64 {
		if s.stream == nil {
			return all[o][base : base+ny]
		}
		row := w.row[:ny]
		for y := range row {
			row[y] = acc[y*O+o]
		}
		return row
	}
	for o := range O {
		if w.hacc != nil {
			s.harmSum[o][k] = sumOf(rowOf(s.Harm, w.hacc, o))
		}
		row := rowOf(s.Loss, w.acc, o)
		s.chunkSum[o][k] = sumOf(row)
		if s.chunks == 1 {
			s.DrawMean[o][d] = s.chunkSum[o][k] / float64(s.Years)
			if s.HarmDrawMean != nil {
				s.HarmDrawMean[o][d] = s.harmSum[o][k] / float64(s.Years)
			}
			if s.stream == nil {
				row = w.row[:copy(w.row, row)] // select in scratch, not in place
			}
			s.DrawP95[o][d] = selectK(row, quantileIndex(0.95, s.Years))
		}
	}
}

// transpose sets all[o][base+y] = acc[y·O+o] for the first ny years, eight
// years (a cache line of each option's row) at a time.
func transpose(all [][]float64, base int, acc []float64, O, ny int) {
	for y0 := 0; y0 < ny; y0 += 8 {
		y1 := min(y0+8, ny)
		for o := range O {
			row := all[o][base+y0 : base+y1]
			for i := range row {
				row[i] = acc[(y0+i)*O+o]
			}
		}
	}
}

// harmCoef returns threat t's harm coefficients, or nil without harm.
func (w *worker) harmCoef(t int) []float64 {
	if w.ch == nil {
		return nil
	}
	return w.ch[t]
}

// yearRate returns the year's event rate: lam, times a Gamma(1/φ, φ) draw
// when the threat is overdispersed.
func (w *worker) yearRate(td *threatDists, lam float64) float64 {
	if td.dispersion == 0 {
		return lam
	}
	return lam * td.yearGamma.rand(&w.pcg) * td.dispersion
}

// threatEvents simulates threat t event by event, thinning each event by its
// own uniform.
func (w *worker) threatEvents(t, years int) {
	td := &w.f.threats[t]
	orgs := w.f.m.Orgs
	lam := w.lam[t]
	pd := newPoisson(lam)
	small := td.dispersion == 0 && lam > 0 && lam < 10
	if small {
		w.inv = newPoissonInv(lam)
	}
	mf, ca, cb, cc := w.mf[t], w.ca[t], w.cb[t], w.cc[t]
	same, other := w.same[t], w.other[t]
	ch := w.harmCoef(t)
	O := len(w.options)
	for y := range years {
		loss := w.acc[y*O : y*O+O]
		var harm []float64
		if ch != nil {
			harm = w.hacc[y*O : y*O+O]
		}
		var n int
		switch {
		case small:
			n = w.inv.rand(&w.pcg)
		case td.dispersion == 0:
			n = pd.rand(&w.pcg)
		default:
			n = poisson(&w.pcg, w.yearRate(td, lam), -1)
		}
		for range n {
			u := uniform(&w.pcg)
			sp := min(posRand(&td.spread, &w.pcg), orgs)
			sd := sp * posRand(&td.duration, &w.pcg)
			fx := posRand(&td.fixed, &w.pcg)
			// The options the threat's controls leave alone add the
			// baseline's amount, computed once: the same bits.
			v := ca[0]*sd + cb[0]*sp + cc[0]*fx
			for _, o := range same {
				loss[o] += v
			}
			for _, o := range other {
				if u < mf[o] {
					loss[o] += ca[o]*sd + cb[o]*sp + cc[o]*fx
				}
			}
			if ch != nil && sd != 0 { // no outage, no harm: adding +0 changes nothing
				h := ch[0] * sd
				for _, o := range same {
					harm[o] += h
				}
				for _, o := range other {
					if u < mf[o] {
						harm[o] += ch[o] * sd
					}
				}
			}
		}
	}
}

// maxClassControls is the most frequency-reducing controls on one threat
// for which aggregate mode splits events by control (2^k classes); beyond
// it, events are split at the simulated options' thinning levels.
const maxClassControls = 6

// threatAggregate simulates high-frequency threat t by Poisson splitting.
//
// Each event passes control c's frequency filter with probability
// q_c = 1 − r_f,c, independently, and portfolio P keeps an event iff it
// passes the filters of all P's controls: so P keeps a fraction Π q_c, as
// thinning requires, and a portfolio never keeps more than its subsets.
// With k controls acting on the threat's frequency, events fall into 2^k
// classes by the filters they pass, each class a Poisson count of mean
// λ·Π_{c∈M} q_c·Π_{c∉M} (1 − q_c), independent of the others and of which
// options are simulated. Each class's summed event components are drawn
// (event by event up to 32 events, by approxSum beyond 64, and between as
// the sum's skewness allows: see aggregateEvents), and portfolio P takes
// the classes that pass all its filters.
func (w *worker) threatAggregate(t, years int) {
	td := &w.f.threats[t]
	if len(td.freqControls) > maxClassControls {
		w.threatAggregateLevels(t, years)
		return
	}
	ca, cb, cc := w.ca[t], w.cb[t], w.cc[t]
	same, other := w.same[t], w.other[t]
	ch := w.harmCoef(t)
	k := len(td.freqControls)
	nc := 1 << k
	for m := range nc {
		mu := w.lam[t]
		for j, c := range td.freqControls {
			q := w.red[c][t][0]
			if m&(1<<j) != 0 {
				mu *= q
			} else {
				mu *= 1 - q
			}
		}
		w.seg[m] = newPoisson(mu)
	}
	for o, p := range w.options {
		mask := 0
		for j, c := range td.freqControls {
			if slices.Contains(p, c) {
				mask |= 1 << j
			}
		}
		w.level[o] = mask
	}
	O := len(w.options)
	for y := range years {
		loss := w.acc[y*O : y*O+O]
		var harm []float64
		if ch != nil {
			harm = w.hacc[y*O : y*O+O]
		}
		g := 1.0
		if td.dispersion > 0 {
			g = w.yearRate(td, 1)
		}
		for m := range nc {
			w.segment(t, td, &w.seg[m], g, &w.sums[m])
		}
		// Sum over supersets: sums[M] becomes the total of every class
		// passing at least the filters in M.
		for j := range k {
			for m := range nc {
				if m&(1<<j) == 0 {
					for i := range 3 {
						w.sums[m][i] += w.sums[m|1<<j][i]
					}
				}
			}
		}
		// The options the threat's controls leave alone take every class,
		// at the baseline's coefficients: the baseline's amount, once.
		a := &w.sums[0]
		v := ca[0]*a[0] + cb[0]*a[1] + cc[0]*a[2]
		for _, o := range same {
			loss[o] += v
		}
		// Without outage days in the year (none in any class) there is no
		// harm to add: adding +0 would change nothing.
		hurt := ch != nil && a[0] != 0
		if hurt {
			h := ch[0] * a[0]
			for _, o := range same {
				harm[o] += h
			}
		}
		for _, o := range other {
			a := &w.sums[w.level[o]]
			loss[o] += ca[o]*a[0] + cb[o]*a[1] + cc[o]*a[2]
			if hurt {
				harm[o] += ch[o] * a[0]
			}
		}
	}
}

// segment draws one split piece's event count, Poisson with mean pd's
// times g, and sets sum to its summed components (written in place: an
// array result would travel through memory).
func (w *worker) segment(t int, td *threatDists, pd *poissonDist, g float64, sum *[3]float64) {
	var n int
	if g != 1 {
		n = poisson(&w.pcg, pd.lam*g, -1)
	} else {
		n = pd.rand(&w.pcg)
	}
	if n >= td.approxAt {
		w.approxSumWith(td, n, w.approxConstOf(t, td, n), sum)
		return
	}
	*sum = [3]float64{}
	orgs := w.f.m.Orgs
	if td.spread.fixed && td.duration.fixed {
		// Common for many small breaches (no outage): only the fixed cost
		// varies from event to event.
		sp := min(td.spread.value, orgs)
		sum[0], sum[1] = float64(n)*sp*td.duration.value, float64(n)*sp
		if td.fixed.fixed {
			sum[2] = float64(n) * td.fixed.value
		} else {
			sum[2] = sumLognormal(&w.pcg, n, td.fixed.mu, td.fixed.sigma, w.z64[:])
		}
		return
	}
	var s0, s1, s2 float64
	for range n {
		sp := min(posRand(&td.spread, &w.pcg), orgs)
		s0 += sp * posRand(&td.duration, &w.pcg)
		s1 += sp
		s2 += posRand(&td.fixed, &w.pcg)
	}
	*sum = [3]float64{s0, s1, s2}
}

// threatAggregateLevels simulates high-frequency threat t by Poisson
// splitting at the options' distinct thinning levels: the unit interval of
// an event's uniform is cut at the levels, and option o keeps the pieces
// below its own. It serves threats with more than maxClassControls
// frequency-reducing controls; its random numbers depend on the set of
// options simulated.
func (w *worker) threatAggregateLevels(t, years int) {
	td := &w.f.threats[t]
	mf, ca, cb, cc := w.mf[t], w.ca[t], w.cb[t], w.cc[t]
	ch := w.harmCoef(t)
	w.levels = append(w.levels[:0], mf...)
	slices.Sort(w.levels)
	w.levels = slices.Compact(w.levels)
	for o := range mf {
		w.level[o], _ = slices.BinarySearch(w.levels, mf[o])
	}
	prev := 0.0
	for k, l := range w.levels {
		w.seg[k] = newPoisson(w.lam[t] * (l - prev))
		prev = l
	}
	O := len(w.options)
	for y := range years {
		loss := w.acc[y*O : y*O+O]
		var harm []float64
		if ch != nil {
			harm = w.hacc[y*O : y*O+O]
		}
		g := 1.0
		if td.dispersion > 0 {
			g = w.yearRate(td, 1)
		}
		var acc [3]float64
		for k := range w.levels {
			var sum [3]float64
			w.segment(t, td, &w.seg[k], g, &sum)
			for i := range acc {
				acc[i] += sum[i]
			}
			w.sums[k] = acc
		}
		for o := range mf {
			a := &w.sums[w.level[o]]
			loss[o] += ca[o]*a[0] + cb[o]*a[1] + cc[o]*a[2]
			if ch != nil {
				harm[o] += ch[o] * a[0]
			}
		}
	}
}

// quantileIndex returns the index in a sorted sample of n of its
// p-quantile, the smallest x with empirical CDF ≥ p (gonum's
// stat.Empirical).
func quantileIndex(p float64, n int) int {
	i := int(math.Ceil(p*float64(n))) - 1
	return min(max(i, 0), n-1)
}

// approxSum draws the summed components of n events of threat td from a
// three-moment approximation. Each sum has mean n·μ, standard deviation
// √n·σ and skewness γ/√n, matched by a shifted gamma: X = μ_n + σ_n·(G −
// k)/√k with G ~ Gamma(k), k = 4/γ_n². The fixed-cost sum is independent and
// drawn by exact gamma sampling; the two outage sums are correlated, so they
// are drawn from correlated normals carried to gamma by the Wilson–Hilferty
// transformation, G ≈ k·(1 − 1/(9k) + z/√(9k))³. Sums are kept ≥ 0.
func (w *worker) approxSum(td *threatDists, n float64) [3]float64 {
	ac := newApproxConst(td, int(n))
	var out [3]float64
	w.approxSumWith(td, int(n), &ac, &out)
	return out
}

// approxConst holds approxSum's constants for one count n of one threat:
// the same values approxSum computes, kept so that the worker does not
// compute them again for every year's split segment of that count.
type approxConst struct {
	n    int32 // the count they are for (a tag in the cache); 0 when not set
	kind uint8 // which law approxSum draws the fixed-cost sum from
	// rn is √n; mean and sd those of the fixed-cost sum.
	rn, mean, sd float64
	// k is the shifted gamma's shape, sk its square root, gamma its
	// sampler's constants.
	k, sk float64
	gamma gammaConst
}

// The laws of an approximated fixed-cost sum.
const (
	approxFixed  = iota // no spread: the mean
	approxNormal        // (next to) no skewness: normal, kept ≥ 0
	approxGamma         // shifted gamma
)

// approxCacheSize is the number of counts each aggregate threat's constants
// are kept for (by count modulo the size).
const approxCacheSize = 512

// newApproxConst returns approxSum's constants for n events of td.
func newApproxConst(td *threatDists, n int) approxConst {
	ac := approxConst{n: int32(n), rn: math.Sqrt(float64(n))}
	var g float64
	ac.mean, ac.sd, g = float64(n)*td.mean[2], ac.rn*td.sd[2], td.skew[2]/ac.rn
	switch {
	case ac.sd == 0:
		ac.kind = approxFixed
	case g < 1e-6:
		ac.kind = approxNormal
	default:
		ac.kind = approxGamma
		ac.k = 4 / (g * g)
		ac.sk = math.Sqrt(ac.k)
		ac.gamma = newGammaConst(ac.k)
	}
	return ac
}

// approxConstOf returns approxSum's constants for n events of threat t
// (td), from the worker's cache when it holds them.
func (w *worker) approxConstOf(t int, td *threatDists, n int) *approxConst {
	cache := w.approxCache[t]
	if cache == nil || n > math.MaxInt32 {
		w.approxTmp = newApproxConst(td, n)
		return &w.approxTmp
	}
	ac := &cache[n&(approxCacheSize-1)]
	if int(ac.n) != n {
		*ac = newApproxConst(td, n)
	}
	return ac
}

// approxSumWith sets out to approxSum of count, with its constants ac.
func (w *worker) approxSumWith(td *threatDists, count int, ac *approxConst, out *[3]float64) {
	n, rn := float64(count), ac.rn
	if td.sd[0] == 0 && td.sd[1] == 0 {
		// Fixed outage components (none, for many small breaches): the
		// sums are exact, and no normal is drawn for them.
		out[0], out[1] = n*td.mean[0], n*td.mean[1]
	} else {
		z1 := normal(&w.pcg)
		z2 := td.rho*z1 + math.Sqrt(max(1-td.rho*td.rho, 0))*normal(&w.pcg)
		for i, z := range [2]float64{z1, z2} {
			out[i] = shiftedGammaWH(n*td.mean[i], rn*td.sd[i], td.skew[i]/rn, z)
		}
	}
	switch ac.kind {
	case approxFixed:
		out[2] = ac.mean
	case approxNormal:
		out[2] = max(ac.mean+ac.sd*normal(&w.pcg), 0)
	default:
		out[2] = max(ac.mean+ac.sd*(ac.gamma.rand(&w.pcg)-ac.k)/ac.sk, 0)
	}
}

// shiftedGammaWH maps a standard normal z to a shifted gamma with the given
// mean, standard deviation and skewness g, by Wilson–Hilferty.
func shiftedGammaWH(mean, sd, g, z float64) float64 {
	if sd == 0 {
		return mean
	}
	if g < 1e-6 {
		return max(mean+sd*z, 0)
	}
	k := 4 / (g * g)
	c := 1 / (9 * k)
	v := 1 - c + z*math.Sqrt(c)
	gk := k * max(v, 0) * max(v, 0) * max(v, 0)
	return max(mean+sd*(gk-k)/math.Sqrt(k), 0)
}

// momentsFromRaw returns the mean, standard deviation and skewness of a
// distribution with raw moments m1, m2, m3.
func momentsFromRaw(m1, m2, m3 float64) (mean, sd, skew float64) {
	v := m2 - m1*m1
	if v <= m2*1e-14 {
		return m1, 0, 0
	}
	sd = math.Sqrt(v)
	return m1, sd, (m3 - 3*m1*m2 + 2*m1*m1*m1) / (v * sd)
}

// Deaths returns option o's extra deaths a year across the outer draws:
// the mean, and the 5th and 95th percentiles of the draws' means over their
// years (zero without harm). They are statistical excess deaths, what the
// harm inputs (deaths per organisation-day of full outage) imply.
func (s *Sim) Deaths(o int) Interval {
	if s.HarmDrawMean == nil || s.DeathsPerHarm == nil {
		return Interval{}
	}
	x := make([]float64, len(s.HarmDrawMean[o]))
	for d, h := range s.HarmDrawMean[o] {
		x[d] = h * s.DeathsPerHarm[d]
	}
	return interval(x)
}
