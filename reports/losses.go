package reports

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"cybercba/model"
)

// option is one column of the outputs: the baseline, one control alone, or
// the recommended portfolio.
type option struct {
	// label names the option for a reader, e.g. "C3 Immutable backups";
	// short is its ID, "Baseline" or "Recommended".
	label, short string
	// loss holds the simulated annual losses, in year order.
	loss []float64
	sum  model.Summary
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
	opts := []option{{label: "Baseline (no new controls)", short: "Baseline", loss: an.Sim.Loss[0], sum: an.Baseline}}
	for _, i := range an.Ranking.Order {
		res := &an.Results[i]
		opts = append(opts, option{
			label:  controlLabel(r.Model, res),
			short:  strings.Join(res.Controls, "+"),
			loss:   an.Sim.Loss[res.Option],
			sum:    res.Loss,
			result: res,
		})
	}
	if rec := an.Recommended; rec != nil {
		opts = append(opts, option{
			label:  recommendedLabel(rec),
			short:  "Recommended",
			loss:   an.RecommendedSim.Loss[rec.Option],
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
	c := m.Controls[res.Portfolio[0]]
	return clip(strings.TrimSpace(c.ID+" "+c.Name), maxLabel)
}

// recommendedLabel names the recommended portfolio by its controls' IDs.
func recommendedLabel(rec *model.Result) string {
	ids := strings.Join(rec.Controls, "+")
	s := fmt.Sprintf("All recommended (%d controls: %s)", len(rec.Controls), ids)
	if len(rec.Controls) == 1 {
		s = "All recommended (1 control: " + ids + ")"
	}
	return clip(s, 2*maxLabel)
}

// clip shortens s to at most n characters, ending it with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// sorted returns a sorted copy of x, in dst when it has room.
func sorted(dst, x []float64) []float64 {
	dst = append(dst[:0], x...)
	slices.Sort(dst)
	return dst
}

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

// finite reports whether x is a number other than ±Inf.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
