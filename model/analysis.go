package model

import (
	"context"
	"math"
)

// Analysis is the appraisal of every control of a model, each alone against
// the baseline, on common random numbers.
type Analysis struct {
	Config    Config
	Appraisal Appraisal
	Sim       *Sim
	// Table holds the decision's draws: each option's exact expectations
	// given each outer draw of the uncertain inputs, from which every
	// decision figure's interval and probability comes (Sim's draws give
	// the loss distribution).
	Table *DrawTable
	// Baseline describes the annual loss with no new controls.
	Baseline Summary
	// BaselineHarm is the expected yearly patient harm, valued in money,
	// with no new controls (0 without harm), and BaselineHarmSE its
	// standard error.
	BaselineHarm, BaselineHarmSE float64
	// Results holds one result per control, in Model.Controls order.
	Results []Result
	// Ranking orders Results by the chosen metric.
	Ranking Ranking
	// Recommended is the recommended portfolio, the optimiser's best set
	// for the view in force, appraised on the same simulated events (nil
	// when it is empty); RecommendedSim its simulation (Sim itself: every
	// option is simulated in one pass).
	Recommended    *Result
	RecommendedSim *Sim
	// GordonLoeb is (1/e)·baseline ALE: Gordon and Loeb's (2002) bound on
	// the yearly security spend worth making against the loss at stake.
	GordonLoeb float64
}

// Analyse simulates the baseline and each control alone, appraises them
// and ranks them by metric, with the recommended portfolio (the best set
// for the appraisal's view, unconstrained) simulated in the same pass: a
// Decide with no budget.
func Analyse(ctx context.Context, m *Model, cfg Config, a Appraisal, metric Metric) (*Analysis, error) {
	d, err := Decide(ctx, m, DecideOptions{Config: cfg, Appraisal: a, Metric: metric, Constraints: NoBudget()})
	if err != nil {
		return nil, err
	}
	return d.Analysis, nil
}

// RankOf returns the 1-based rank of result i.
func (an *Analysis) RankOf(i int) int {
	for k, j := range an.Ranking.Order {
		if j == i {
			return k + 1
		}
	}
	return 0
}

// Separation compares the NPVs of the top two ranked results in the view
// ranked by: the difference of their expected NPVs (exact), the standard
// error of that difference as the mean over the decision's draws (paired
// draw by draw), and the number of decision draws at which the difference
// would reach 3 SE, draws·(3·SE/|diff|)² (the current count when it
// already does, 0 when there are fewer than two results).
func (an *Analysis) Separation() (diff, se float64, drawsNeeded int) {
	if len(an.Ranking.Order) < 2 {
		return 0, 0, 0
	}
	a, b := &an.Results[an.Ranking.Order[0]], &an.Results[an.Ranking.Order[1]]
	v := an.Ranking.View
	pa, da := ByNPV.value(a, v)
	pb, db := ByNPV.value(b, v)
	d := make([]float64, len(da))
	for i := range d {
		d[i] = da[i] - db[i]
	}
	_, vr := meanVar(d)
	// The headline NPVs are exact: their difference is the figure to
	// separate; the spread of the paired draws gives its error.
	diff = pa - pb
	se = math.Sqrt(vr / float64(len(d)))
	drawsNeeded = len(d)
	if se > 0 && math.Abs(diff) <= 3*se {
		drawsNeeded = int(math.Min(math.Ceil(float64(len(d))*math.Pow(3*se/math.Abs(diff), 2)), math.MaxInt32))
	}
	return diff, se, drawsNeeded
}

// DecisionDraws returns the number of outer draws behind the decision's
// intervals and probabilities (the simulation's when there is no table).
func (an *Analysis) DecisionDraws() int {
	if an.Table != nil {
		return an.Table.Draws
	}
	return an.Sim.Draws
}

// SimulationCheck compares each control's simulated ΔALE with its exact
// expectation: it returns the largest |z| = |simulated − exact|/SE over
// the controls alone and the index of that control (−1 when none has a
// standard error). Simulated and exact should agree within Monte Carlo
// error: a |z| above 4 among a dozen controls would point to a fault.
func (an *Analysis) SimulationCheck() (z float64, worst int) {
	worst = -1
	for i := range an.Results {
		r := &an.Results[i]
		if r.DeltaALESE > 0 {
			if zz := math.Abs(r.SimDeltaALE-r.DeltaALE.Mean) / r.DeltaALESE; worst < 0 || zz > z {
				z, worst = zz, i
			}
		}
	}
	return z, worst
}
