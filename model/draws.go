package model

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// DefaultDecisionDraws is the number of outer draws of the uncertain
// inputs on which a decision's figures (intervals, P(NPV > 0), rank
// probabilities, acceptability curves, EVPI and EVPPI) are computed by
// default: at 10,000 draws a probability's binomial standard error is at
// most 0.005.
const DefaultDecisionDraws = 10_000

// DrawTable holds, for each outer draw θ_d of the uncertain inputs, each
// option's exact expectations given the draw: the two levels of
// uncertainty kept apart. Given θ_d (every threat's rate and intensities,
// the cost rates, each control's effects, costs and optimism-bias uplift,
// the harm parameters), the expected annual loss is the closed form
//
//	E[ALE_a | θ_d] = Σ_t λ_t·m_f(a,t)·(m_s·m_d·k_d·c_d·E[min(S,orgs)·D] + m_s·k_r·c_r·E[min(S,orgs)] + m_F·E[F])
//
// with every multiplier and rate at its value in θ_d, and the expected
// yearly harm likewise, Σ_t λ_t·m_f·m_s·m_d·min(k_d/k_full, 1)·h·q·v·E[min(S,orgs)·D].
// Negative binomial counts, correlated rates (the copula acts on θ_d's
// rates) and the approximated event classes (their sums have the exact
// mean) all keep these expectations. The draws are those of the
// simulation with the same seed: draw d's parameters come from the same
// streams, so the first Sim.Draws rows are the simulated draws' own.
//
// The decision's figures are computed from these columns on many draws
// (DefaultDecisionDraws), at the cost of a few multiplications each, with
// no year-to-year simulation noise; simulated years are kept for the
// annual-loss distribution.
//
// The raw columns (ALE, QALYs, Harm, Capex, Opex, PVCost) are the
// conditional expectations as computed, each row a function of that
// draw's inputs alone: their mean over the draws estimates the closed-form
// expectation (ClosedFormALE, ExpectedCosts) within the Monte Carlo error
// of the outer draws. The decision columns (DeltaALE, DeltaQALYs,
// DeltaHarm, DecisionCapex, DecisionOpex, DecisionPVCost, NPV, SocialNPV)
// are the same values moment matched (Glasserman, Monte Carlo Methods in
// Financial Engineering, Springer 2004, §4.5): each column adjusted so
// that its mean over the draws is the exact closed-form expectation, so
// that the mean of E[NPV | θ] over the draws is each option's expected
// NPV, and EVPI ≥ 0 holds on the sample by Jensen's inequality. A
// difference of expectations (ΔALE, ΔQALYs) is shifted,
// y_d = x_d − mean(x) + μ; a cost, being positive, is scaled,
// y_d = x_d·μ/mean(x), which keeps it positive (§4.5's two forms). The
// NPVs, linear in these, follow with exact means.
type DrawTable struct {
	Seed  uint64
	Draws int
	// Options are the portfolios tabulated; Options[0] is the baseline (no
	// controls).
	Options []Portfolio
	// Inputs are the uncertain inputs drawn once per outer draw (not
	// those drawn afresh for each event), and Values[i][d] input i's value
	// in draw d (a reduction as a share cut; a cost before optimism bias).
	Inputs []Input
	Values [][]float64
	// fixed holds the value of each input that is not drawn (lo = hi),
	// the same in every draw.
	fixed map[InputRef]float64
	// model is the model tabulated.
	model *Model
	// ALE[o][d] is option o's expected annual loss given draw d, in money.
	ALE [][]float64
	// QALYs[o][d] is option o's expected QALYs lost a year given draw d,
	// and Harm[o][d] = QALYs[o][d]·v, valued in money (both nil without
	// harm).
	QALYs, Harm [][]float64
	// Capex[c][d], Opex[c][d] are control c's costs in draw d with its
	// optimism-bias uplift Uplift[c][d] applied.
	Capex, Opex, Uplift [][]float64
	// PVCost[o][d] is option o's present value of costs over the horizon
	// in draw d (capex with renewals, and opex).
	PVCost [][]float64
	// Annuity is Σ_{y=1..H} DF(y), HealthAnnuity the same at the health
	// discount schedule; ValuePerQALY is v (0 without harm).
	Annuity, HealthAnnuity, ValuePerQALY float64
	// Exact expectations by the closed form, per option: ExpectedALE,
	// ExpectedQALYs (a year), ExpectedPVCost; per control, ExpectedCapex
	// and ExpectedOpex (with optimism bias), and CapexPV, the present
	// value factor of its capex with renewals.
	ExpectedALE, ExpectedQALYs, ExpectedPVCost []float64
	ExpectedCapex, ExpectedOpex, CapexPV       []float64
	// Decision columns, moment matched (see above): DeltaALE[o][d], the
	// loss a year option o avoids in draw d (ALE[0][d] − ALE[o][d] shifted
	// to the exact mean), DeltaQALYs[o][d] the QALYs a year it saves
	// (likewise) and DeltaHarm[o][d] their value; DecisionCapex[c][d] and
	// DecisionOpex[c][d], control c's costs scaled to their exact means,
	// and DecisionPVCost[o][d] option o's present value of them; NPV[o][d]
	// = DeltaALE·Annuity − DecisionPVCost its NPV in money only, and
	// SocialNPV[o][d] = NPV + DeltaHarm·HealthAnnuity its NPV with harm
	// avoided (nil without harm): E[NPV | θ_d], money only and with harm,
	// their means over the draws the exact expected NPVs.
	DeltaALE, DeltaQALYs, DeltaHarm, NPV, SocialNPV [][]float64
	DecisionCapex, DecisionOpex, DecisionPVCost     [][]float64
}

// decisionDraws returns the number of decision draws for a request of n
// (0 for DefaultDecisionDraws) beside a simulation of simDraws: never
// fewer than the simulation's.
func decisionDraws(n, simDraws int) int {
	if n <= 0 {
		n = DefaultDecisionDraws
	}
	return max(n, simDraws)
}

// NewDrawTable tabulates the baseline and each portfolio's exact
// conditional expectations on cfg.Draws outer draws from cfg.Seed, on
// cfg.Workers goroutines (the result does not depend on them).
func NewDrawTable(ctx context.Context, m *Model, a Appraisal, portfolios []Portfolio, cfg Config) (*DrawTable, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if cfg.Draws < 1 {
		return nil, fmt.Errorf("draws must be at least 1, got %d", cfg.Draws)
	}
	options := append([]Portfolio{{}}, portfolios...)
	for i, p := range options {
		for _, c := range p {
			if c < 0 || c >= len(m.Controls) {
				return nil, fmt.Errorf("portfolio %d: control index %d out of range", i, c)
			}
		}
	}
	return newDrawTable(ctx, m, a, options, cfg.Draws, cfg.Seed, cfg.Workers)
}

// drawBlock is the number of draws a worker takes at a time.
const drawBlock = 256

// newDrawTable tabulates options (options[0] the baseline) on draws outer
// draws.
func newDrawTable(ctx context.Context, m *Model, a Appraisal, options []Portfolio, draws int, seed uint64, workers int) (*DrawTable, error) {
	f := fit(m)
	O, C, D := len(options), len(m.Controls), draws
	_, annuity, capexPV := a.presentValues(m)
	t := &DrawTable{
		Seed: seed, Draws: D, Options: options, Annuity: annuity, HealthAnnuity: a.healthAnnuity(), model: m,
		ALE: matrix(O, D), PVCost: matrix(O, D),
		Capex: matrix(C, D), Opex: matrix(C, D), Uplift: matrix(C, D),
	}
	if f.harm != nil {
		t.QALYs, t.Harm = matrix(O, D), matrix(O, D)
		t.ValuePerQALY = f.harm.value
	}
	var constant []Input
	for _, in := range inputs(m, true) {
		switch {
		case in.PerEvent || in.draw == nil:
		case in.Estimate.IsFixed():
			constant = append(constant, in)
		default:
			t.Inputs = append(t.Inputs, in)
		}
	}
	t.fixed = make(map[InputRef]float64, len(constant))
	t.Values = matrix(len(t.Inputs), D)
	// Each control's optimism bias: its own draw, the guidance's range
	// for its project type, or the flat uplift.
	type biasRule struct {
		own     bool
		project string
		rng     *BiasRange
		stream  uint64
	}
	rules := make([]biasRule, C)
	for c, ctl := range m.Controls {
		rules[c] = biasRule{own: f.controls[c].hasBias, project: ctl.BiasProject(), stream: idHash("bias", ctl.ID)}
		if r, ok := a.BiasByProject[ctl.BiasProject()]; ok {
			rules[c].rng = &r
		}
	}
	if workers <= 0 {
		workers = defaultWorkers()
	}
	blocks := (D + drawBlock - 1) / drawBlock
	cfg := Config{Draws: D, Years: 1, Seed: seed}
	ws := make([]*worker, max(1, min(workers, blocks)))
	progress := newCounter(ctx, blocks)
	parallelWorkers(ctx, len(ws), blocks, func(k, wi int) {
		defer progress.add()
		w := ws[wi]
		if w == nil {
			w = newWorker(f, options, cfg)
			ws[wi] = w
		}
		for d := k * drawBlock; d < min((k+1)*drawBlock, D); d++ {
			w.drawParams(nil, d)
			for i, in := range t.Inputs {
				t.Values[i][d] = in.draw(w)
			}
			if d == 0 { // one worker has draw 0
				for _, in := range constant {
					t.fixed[in.Ref] = in.draw(w)
				}
			}
			for c := range C {
				rl := &rules[c]
				u := w.bias[c]
				switch {
				case rl.own:
				case rl.rng != nil:
					reseed(&w.pcg, seed, streamParam, rl.stream, uint64(d))
					u = rl.rng.Lo + uniform(&w.pcg)*(rl.rng.Hi-rl.rng.Lo)
				default:
					u = a.OptimismBias
				}
				cx, ox := factors(rl.project, u)
				t.Uplift[c][d], t.Capex[c][d], t.Opex[c][d] = u, w.capex[c]*cx, w.opex[c]*ox
			}
			for o, p := range options {
				var l, q float64
				for th := range f.threats {
					td := &f.threats[th]
					n := w.lam[th] * w.mf[th][o]
					l += n * (w.ca[th][o]*td.mean[0] + w.cb[th][o]*td.mean[1] + w.cc[th][o]*td.mean[2])
					if w.cs != nil {
						q += n * w.cs[th][o] * w.share[th] * td.mean[0]
					}
				}
				t.ALE[o][d] = l
				if t.QALYs != nil {
					q *= w.deaths * w.qalys
					t.QALYs[o][d], t.Harm[o][d] = q, q*f.harm.value
				}
				var pv float64
				for _, c := range p {
					pv += t.Capex[c][d]*capexPV[c] + t.Opex[c][d]*annuity
				}
				t.PVCost[o][d] = pv
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.centre(f, a)
	return t, nil
}

// centre sets the exact expectations and the decision columns.
func (t *DrawTable) centre(f *fitted, a Appraisal) {
	O := len(t.Options)
	exact := expectedCosts(f, a)
	_, _, t.CapexPV = a.presentValues(f.m)
	t.ExpectedCapex, t.ExpectedOpex = make([]float64, len(exact)), make([]float64, len(exact))
	for c, e := range exact {
		t.ExpectedCapex[c], t.ExpectedOpex[c] = e.Capex, e.Opex
	}
	t.ExpectedALE, t.ExpectedPVCost = make([]float64, O), make([]float64, O)
	for o, p := range t.Options {
		t.ExpectedALE[o] = f.closedForm(p)
		for _, c := range p {
			t.ExpectedPVCost[o] += exact[c].PV
		}
	}
	if t.QALYs != nil {
		t.ExpectedQALYs = make([]float64, O)
		for o, p := range t.Options {
			t.ExpectedQALYs[o] = f.fullDays(p) * f.harm.deaths.Mean() * f.harm.qalys.Mean()
		}
	}
	t.derive()
}

// derive sets the decision columns from the raw ones and the exact
// expectations, moment matched.
func (t *DrawTable) derive() {
	O, C, D := len(t.Options), len(t.Capex), t.Draws
	t.DeltaALE, t.NPV, t.DecisionPVCost = matrix(O, D), matrix(O, D), matrix(O, D)
	t.DecisionCapex, t.DecisionOpex = matrix(C, D), matrix(C, D)
	for c := range C {
		scaleTo(t.DecisionCapex[c], t.Capex[c], t.ExpectedCapex[c])
		scaleTo(t.DecisionOpex[c], t.Opex[c], t.ExpectedOpex[c])
	}
	if t.QALYs != nil {
		t.DeltaQALYs, t.DeltaHarm, t.SocialNPV = matrix(O, D), matrix(O, D), matrix(O, D)
	}
	for o, p := range t.Options {
		for d := range D {
			t.DeltaALE[o][d] = t.ALE[0][d] - t.ALE[o][d]
			var pv float64
			for _, c := range p {
				pv += t.DecisionCapex[c][d]*t.CapexPV[c] + t.DecisionOpex[c][d]*t.Annuity
			}
			t.DecisionPVCost[o][d] = pv
		}
		shiftTo(t.DeltaALE[o], t.ExpectedALE[0]-t.ExpectedALE[o])
		if t.QALYs != nil {
			for d := range D {
				t.DeltaQALYs[o][d] = t.QALYs[0][d] - t.QALYs[o][d]
			}
			shiftTo(t.DeltaQALYs[o], t.ExpectedQALYs[0]-t.ExpectedQALYs[o])
		}
		for d := range D {
			t.NPV[o][d] = t.DeltaALE[o][d]*t.Annuity - t.DecisionPVCost[o][d]
			if t.QALYs != nil {
				t.DeltaHarm[o][d] = t.DeltaQALYs[o][d] * t.ValuePerQALY
				t.SocialNPV[o][d] = t.NPV[o][d] + t.DeltaHarm[o][d]*t.HealthAnnuity
			}
		}
	}
}

// shiftTo moment-matches x in place: x_d − mean(x) + mu, so that its mean
// is mu.
func shiftTo(x []float64, mu float64) {
	shift := mu - exactMean(x)
	for d := range x {
		x[d] += shift
	}
}

// scaleTo sets dst to x moment matched by scaling, x_d·mu/mean(x), so that
// its mean is mu and its signs are x's; a column of mean 0 (a cost that is
// always 0) is shifted instead.
func scaleTo(dst, x []float64, mu float64) {
	m := exactMean(x)
	if m == 0 {
		for d := range x {
			dst[d] = x[d] + mu
		}
		return
	}
	k := mu / m
	for d := range x {
		dst[d] = x[d] * k
	}
}

// exactMean returns the mean of x, summed with Neumaier's compensation so
// that matching leaves a mean within rounding of its target.
func exactMean(x []float64) float64 {
	var sum, comp float64
	for _, v := range x {
		t := sum + v
		if math.Abs(sum) >= math.Abs(v) {
			comp += (sum - t) + v
		} else {
			comp += (v - t) + sum
		}
		sum = t
	}
	return (sum + comp) / float64(len(x))
}

// Option returns the index of portfolio p among the table's options, or
// −1.
func (t *DrawTable) Option(p Portfolio) int {
	for o, q := range t.Options {
		if portfolioKey(q) == portfolioKey(p) {
			return o
		}
	}
	return -1
}

// NPVIn returns option o's NPV column in view v: with harm in the
// social view when the table has harm, else money only.
func (t *DrawTable) NPVIn(o int, v View) []float64 {
	if v == Social && t.SocialNPV != nil {
		return t.SocialNPV[o]
	}
	return t.NPV[o]
}

// Input returns the index of the input with the given reference among the
// table's inputs, or −1.
func (t *DrawTable) Input(ref InputRef) int {
	for i, in := range t.Inputs {
		if in.Ref == ref {
			return i
		}
	}
	return -1
}

// matrix returns n rows of length m on one backing array.
func matrix(n, m int) [][]float64 {
	back := make([]float64, n*m)
	out := make([][]float64, n)
	for i := range out {
		out[i] = back[i*m : (i+1)*m : (i+1)*m]
	}
	return out
}

// defaultWorkers is GOMAXPROCS.
func defaultWorkers() int { return runtime.GOMAXPROCS(0) }

// parallelWorkers runs f(k, w) for k in 0..n−1 on the given number of
// goroutines, w the goroutine's index (so that f can keep per-goroutine
// scratch in a slice), pulling k in order; it stops early when ctx is done.
func parallelWorkers(ctx context.Context, workers, n int, f func(k, w int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range max(1, min(workers, n)) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= n || ctx.Err() != nil {
					return
				}
				f(k, w)
			}
		})
	}
	wg.Wait()
}
