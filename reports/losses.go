package reports

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

// option is one column of the outputs: the baseline, one control alone, or
// the recommended portfolio.
type option struct {
	// label names the option for a reader, e.g. "C3 Immutable backups";
	// short is its ID, "Baseline" or "Recommended".
	label, short string
	// name is label unclipped: "R-C1 Every trust: MFA on remote, admin,
	// cloud and supplier access".
	name string
	// loss holds the simulated annual losses, in year order: draws outer
	// draws of years years each.
	loss         []float64
	draws, years int
	sum          model.Summary
	// result is the option's appraisal; nil for the baseline.
	result *model.Result
}

// maxLabel is the longest control label shown on a plot axis or a chart.
const maxLabel = 36

// options returns the baseline, each control alone in rank order, and the
// recommended portfolio when there is one. It checks that the report holds
// what the outputs read.
func options(r *Report) ([]option, error) {
	if err := check(r); err != nil {
		return nil, err
	}
	an := r.Analysis
	sim := an.Sim
	opts := []option{{label: "Baseline (no new controls)", name: "Baseline (no new controls)", short: "Baseline", loss: sim.Loss[0], draws: sim.Draws, years: sim.Years, sum: an.Baseline}}
	for _, i := range an.Ranking.Order {
		res := &an.Results[i]
		opts = append(opts, option{
			label:  controlLabel(r.Model, res),
			name:   controlName(r.Model, res),
			short:  strings.Join(res.Controls, "+"),
			loss:   sim.Loss[res.Option],
			draws:  sim.Draws,
			years:  sim.Years,
			sum:    res.Loss,
			result: res,
		})
	}
	if rec := an.Recommended; rec != nil {
		opts = append(opts, option{
			label:  recommendedLabel(rec),
			name:   recommendedLabel(rec),
			short:  "Recommended",
			loss:   an.RecommendedSim.Loss[rec.Option],
			draws:  an.RecommendedSim.Draws,
			years:  an.RecommendedSim.Years,
			sum:    rec.Loss,
			result: rec,
		})
	}
	return opts, nil
}

// check returns every way in which r lacks what the outputs need.
func check(r *Report) error {
	if r == nil {
		return errors.New("reports: no report")
	}
	an := r.Analysis
	var errs []error
	if r.Model == nil {
		errs = append(errs, errors.New("reports: the report has no model"))
	}
	if an == nil {
		return errors.Join(append(errs, errors.New("reports: the report has no analysis"))...)
	}
	if an.Sim == nil {
		return errors.Join(append(errs, errors.New("reports: the analysis has no simulated losses"))...)
	}
	if len(an.Sim.Loss) == 0 || len(an.Sim.Loss[0]) == 0 {
		errs = append(errs, errors.New("reports: the analysis simulated no years"))
	}
	if len(an.Ranking.Order) != len(an.Results) {
		errs = append(errs, fmt.Errorf("reports: the ranking orders %d results, the analysis has %d", len(an.Ranking.Order), len(an.Results)))
	}
	for i, res := range an.Results {
		if res.Option < 1 || res.Option >= len(an.Sim.Loss) {
			errs = append(errs, fmt.Errorf("reports: result %d: option %d is not simulated", i, res.Option))
		}
		if r.Model != nil && (len(res.Portfolio) != 1 || res.Portfolio[0] < 0 || res.Portfolio[0] >= len(r.Model.Controls)) {
			errs = append(errs, fmt.Errorf("reports: result %d: portfolio %v is not one control of the model", i, res.Portfolio))
		}
	}
	if rec := an.Recommended; rec != nil && (an.RecommendedSim == nil || rec.Option < 1 || rec.Option >= len(an.RecommendedSim.Loss)) {
		errs = append(errs, errors.New("reports: the recommended portfolio has no simulated losses"))
	}
	if pa := r.Portfolio; pa != nil && r.Model != nil {
		errs = append(errs, checkChoice(r.Model, "the chosen portfolio", pa.Choice, pa.Result))
		for i, p := range pa.Frontier {
			errs = append(errs, checkChoice(r.Model, fmt.Sprintf("frontier point %d", i+1), p.Choice, p.Result))
		}
	}
	if sa := r.Sensitivity; sa != nil && r.Model != nil {
		ps := []model.Portfolio{sa.Decision}
		for _, sw := range sa.Switches {
			ps = append(ps, sw.NewDecision)
		}
		if sa.VOI != nil {
			ps = append(ps, sa.VOI.Best)
		}
	outer:
		for _, p := range ps {
			for _, c := range p {
				if c < 0 || c >= len(r.Model.Controls) {
					errs = append(errs, fmt.Errorf("reports: the sensitivity analysis: control %d is not one of the model's", c))
					break outer
				}
			}
		}
	}
	return errors.Join(errs...)
}

// checkChoice returns what is wrong with a chosen portfolio: a control
// that is not the model's, or no appraisal for a portfolio that is not
// empty.
func checkChoice(m *model.Model, what string, ch model.Choice, res *model.Result) error {
	for _, c := range ch.Portfolio {
		if c < 0 || c >= len(m.Controls) {
			return fmt.Errorf("reports: %s: control %d is not one of the model's", what, c)
		}
	}
	if len(ch.Portfolio) > 0 && res == nil {
		return fmt.Errorf("reports: %s has no appraisal", what)
	}
	return nil
}

// controlLabel returns "ID Name" for a single control's result, clipped to
// maxLabel characters.
func controlLabel(m *model.Model, res *model.Result) string {
	return clip(controlName(m, res), maxLabel)
}

// controlName returns "ID Name" for a single control's result.
func controlName(m *model.Model, res *model.Result) string {
	c := m.Controls[res.Portfolio[0]]
	return strings.TrimSpace(c.ID + " " + c.Name)
}

// recommendedLabel names the recommended portfolio by its controls' IDs.
func recommendedLabel(rec *model.Result) string {
	ids := strings.Join(rec.Controls, "+")
	s := fmt.Sprintf("Recommended portfolio (%d controls: %s)", len(rec.Controls), ids)
	if len(rec.Controls) == 1 {
		s = "Recommended portfolio (1 control: " + ids + ")"
	}
	return clip(s, 2*maxLabel)
}

// clip shortens s to at most n characters, ending it with an ellipsis.
func clip(s string, n int) string { return format.Clip(s, n) }

// quantileIndex returns the index in a sorted sample of n of its
// p-quantile, the smallest x whose empirical CDF reaches p (gonum's
// stat.Empirical, as the model reads its percentiles).
func quantileIndex(p float64, n int) int {
	i := int(math.Ceil(p*float64(n))) - 1
	return min(max(i, 0), n-1)
}

// lossAt returns the loss exceeded with probability p in a sorted sample:
// its (1 − p)-quantile.
func lossAt(sorted []float64, p float64) float64 {
	return sorted[quantileIndex(1-p, len(sorted))]
}

// lecRows is the number of exceedance probabilities in the workbook's LEC
// table.
const lecRows = 1000

// exceedanceGrid returns k exceedance probabilities log-spaced from hi
// down to lo, both included:
//
//	p_j = hi·(lo/hi)^(j/(k−1)),  j = 0, …, k−1
//
// With lo ≥ hi or k < 2 it returns hi alone.
func exceedanceGrid(hi, lo float64, k int) []float64 {
	if !(lo < hi) || k < 2 {
		return []float64{hi}
	}
	g := make([]float64, k)
	step := math.Log(lo/hi) / float64(k-1)
	for j := range g {
		g[j] = hi * math.Exp(step*float64(j))
	}
	g[k-1] = lo
	return g
}

// lecGrid returns the exceedance probabilities of the LEC table for a sample
// of n years: lecRows of them from 0.5 down to 1/n.
func lecGrid(n int) []float64 {
	return exceedanceGrid(0.5, 1/float64(n), lecRows)
}

// maxBatches is the most batches a standard error by batch means is
// computed on, as the model computes its own.
const maxBatches = 20

// batchBounds returns the boundaries of the batches of a sample of draws
// outer draws of years years each, as the model forms them for its standard
// errors: B = min(20, draws) batches of consecutive draws, batch b holding
// draws [b·draws/B, (b+1)·draws/B), so that years sharing a draw's
// parameters stay together; with a single draw, whose years are
// independent, up to 20 batches of consecutive years. Batch b is
// loss[bounds[b]:bounds[b+1]].
func batchBounds(draws, years int) []int {
	n := draws * years
	B, per := maxBatches, years
	if draws > 1 {
		B = min(B, draws)
	} else {
		B, per = min(B, n), 1
	}
	units := n / per
	bounds := make([]int, B+1)
	for b := range bounds {
		bounds[b] = b * units / B * per
	}
	return bounds
}

// nanSE returns k unknown standard errors.
func nanSE(k int) []float64 {
	se := make([]float64, k)
	for i := range se {
		se[i] = math.NaN()
	}
	return se
}

// runsSE returns, for each exceedance probability p of grid, the Monte
// Carlo standard error of the loss exceeded with probability p, by batch
// means, from the batches, each with the order statistics the grid reads in
// place (see exceedance): the loss read as lossAt reads
// it from each batch, and then
//
//	SE = sd(batch values)/√B
//
// with the sample (B − 1) standard deviation over the B batches. It is NaN
// where an average batch holds fewer than two years beyond p (p·n/B < 2),
// where a batch's quantile says little, and everywhere with fewer than two
// batches.
func runsSE(runs []float64, bounds []int, grid []float64) []float64 {
	B := len(bounds) - 1
	if B < 2 {
		return nanSE(len(grid))
	}
	// Welford's running mean and sum of squared deviations over batches.
	se := make([]float64, len(grid))
	mean := make([]float64, len(grid))
	for b := range B {
		run := runs[bounds[b]:bounds[b+1]]
		for i, p := range grid {
			v := lossAt(run, p)
			d := v - mean[i]
			mean[i] += d / float64(b+1)
			se[i] += d * (v - mean[i])
		}
	}
	batch := float64(len(runs)) / float64(B)
	for i, p := range grid {
		if p*batch < 2 {
			se[i] = math.NaN()
			continue
		}
		se[i] = math.Sqrt(se[i] / float64(B-1) / float64(B))
	}
	return se
}

// exceedanceScratch is the memory exceedance reuses: a copy of the
// losses.
type exceedanceScratch struct{ runs []float64 }

// selectRanks rearranges x so that x[r] holds what sorting x would put
// there for every r in ranks (ascending, each in [0, len(x))): a
// quickselect at the middle rank splits x, and each side is done alike for
// its ranks, so that m ranks cost about log₂ m passes rather than a sort.
func selectRanks(x []float64, ranks []int) {
	if len(ranks) == 0 || len(x) < 2 {
		return
	}
	if len(ranks) > len(x)/8 { // dense: a sort is as quick
		slices.Sort(x)
		return
	}
	mid := len(ranks) / 2
	r := ranks[mid]
	model.Select(x, r)
	selectRanks(x[:r], ranks[:mid])
	rest := ranks[mid+1:]
	shifted := make([]int, 0, len(rest))
	for _, q := range rest {
		if q > r {
			shifted = append(shifted, q-r-1)
		}
	}
	selectRanks(x[r+1:], shifted)
}

// gridRanks returns the distinct ranks in a sample of n that lossAt reads
// for the probabilities of grid, ascending.
func gridRanks(grid []float64, n int) []int {
	ranks := make([]int, 0, len(grid))
	for _, p := range grid {
		ranks = append(ranks, quantileIndex(1-p, n))
	}
	slices.Sort(ranks)
	return slices.Compact(ranks)
}

// exceedance returns, for each exceedance probability p of grid, the loss
// of a sample of draws × years losses exceeded with probability p (lossAt
// on the whole sample) and its standard error by batch means over the
// batches of batchBounds (see runsSE). It puts in place only the order
// statistics the grid reads (see selectRanks): in each batch, for the
// standard errors, then in the whole sample, for the losses. Losses not
// laid out as draws × years get their quantiles and no standard errors.
func exceedance(loss []float64, draws, years int, grid []float64, sc *exceedanceScratch) (q, se []float64) {
	n := len(loss)
	q = make([]float64, len(grid))
	sc.runs = append(sc.runs[:0], loss...)
	bounds := batchBounds(draws, years)
	se = nanSE(len(grid))
	if n > 0 && bounds[len(bounds)-1] == n {
		for b := range len(bounds) - 1 {
			run := sc.runs[bounds[b]:bounds[b+1]]
			selectRanks(run, gridRanks(grid, len(run)))
		}
		se = runsSE(sc.runs, bounds, grid)
	}
	if n == 0 {
		return q, se
	}
	selectRanks(sc.runs, gridRanks(grid, n))
	for i, p := range grid {
		q[i] = lossAt(sc.runs, p)
	}
	return q, se
}

// finite reports whether x is a number other than ±Inf.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
