// Package bulk runs the scenarios of a bulk run (the rows of an inputs
// workbook's Scenarios sheet) and returns their results, as the results
// workbook shows them. It is cybercba batch without the command line:
// no files, flags or terminal.
package bulk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

// Input is what a bulk run reads: a dataset, the Settings every row starts
// from and the rows.
type Input struct {
	Dataset   *data.Dataset
	Settings  data.Settings
	Scenarios []data.Scenario
}

// Options set a bulk run.
type Options struct {
	// Shard (from 1) of Shards runs the rows whose number − 1 is Shard − 1
	// modulo Shards; 0 and 0 run every row.
	Shard, Shards int
	// Workers is the number of goroutines (0: one per CPU); the results do
	// not depend on it.
	Workers int
	// RowSeeds gives each row its own seed, derived from the master seed and
	// the row's name (data.ScenarioSeed), instead of the master seed's
	// common random numbers.
	RowSeeds bool
	// Progress, when set, is called after each row with the number done and
	// the number to run.
	Progress func(done, total int)
	// Done holds rows an earlier run of the same inputs and settings
	// finished (from its Checkpoint): they are taken as they are, not run
	// again.
	Done map[int]Finished
	// Finished, when set, is called with each row as it finishes (run, or
	// stopped by a problem), one at a time: to record it in a Checkpoint.
	Finished func(Finished)
}

// Run runs the rows of in that o selects and returns, in row order, the
// summary of each that ran and the problems of each that could not (the
// other rows still run). Rows whose loss model is the same share one
// simulation (see model.DecideAll), so a row's results are those it would
// have alone, whatever the workers, the shard or the other rows. Run
// fills the returned Batch's Rows, Errors, Total, Shard, Shards and
// RowSeeds; the caller sets what describes the run (tool, input, seed,
// currency).
func Run(ctx context.Context, in Input, o Options) (*reports.Batch, error) {
	if len(in.Dataset.Scopes) == 0 {
		return nil, errors.New("the dataset has no scope")
	}
	// The cost rates do not depend on the seed (only the replay does).
	cal, err := model.Calibrate(in.Dataset.Target(), in.Settings.Seed)
	if err != nil {
		return nil, fmt.Errorf("calibration: %w", err)
	}
	n := len(in.Scenarios)
	rows := make([]*reports.BatchRow, n)
	errs := make([][]reports.BatchError, n)
	picked := func(i int) bool { return o.Shards == 0 || i%o.Shards == o.Shard-1 }
	// Every row is prepared and planned, run or not, so that a simulation
	// shared with rows of other shards is the same on every machine.
	var live []int
	var jobs []model.Job
	for i := range in.Scenarios {
		sc := &in.Scenarios[i]
		job, row, err := prepare(in, cal, sc, o.RowSeeds)
		if err != nil {
			if picked(i) {
				errs[i] = rowErrors(sc, err)
			}
			continue
		}
		rows[i] = row
		live = append(live, i)
		jobs = append(jobs, job)
	}
	// Rows finished earlier are taken as they are (still planned above,
	// so that the simulations shared with the others are the same).
	done := func(i int) bool { _, ok := o.Done[i]; return ok && picked(i) }
	for i := range in.Scenarios {
		if done(i) {
			rows[i], errs[i] = o.Done[i].Row, o.Done[i].Errs
		}
	}
	// Progress counts every row of the shard: those that could not be
	// prepared or finished earlier first.
	var progress func(done, total int)
	if o.Progress != nil {
		total, before := 0, 0
		for i := range in.Scenarios {
			if picked(i) {
				total++
				if errs[i] != nil || done(i) {
					before++
				}
			}
		}
		if before > 0 {
			o.Progress(before, total)
		}
		progress = func(done, _ int) { o.Progress(before+done, total) }
	}
	var mu sync.Mutex
	err = model.DecideAll(ctx, jobs, model.BulkOptions{
		Workers:  o.Workers,
		Run:      func(k int) bool { return picked(live[k]) && !done(live[k]) },
		Progress: progress,
	}, func(k int, d *model.Decision, err error) {
		i := live[k]
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs[i], rows[i] = rowErrors(&in.Scenarios[i], err), nil
		} else {
			summarise(rows[i], jobs[k], d)
		}
		if o.Finished != nil && ctx.Err() == nil {
			o.Finished(Finished{I: i, Row: rows[i], Errs: errs[i]})
		}
	})
	if err != nil {
		return nil, err
	}
	b := &reports.Batch{Total: n, Shard: o.Shard, Shards: o.Shards, RowSeeds: o.RowSeeds}
	for i := range n {
		if !picked(i) {
			continue
		}
		if rows[i] != nil && errs[i] == nil {
			b.Rows = append(b.Rows, *rows[i])
		}
		b.Errors = append(b.Errors, errs[i]...)
	}
	return b, nil
}

// prepare returns scenario sc's job, built as a run's is
// (data.NewScenarioJob), and its row with the settings it runs with filled
// in.
func prepare(in Input, cal model.Calibration, sc *data.Scenario, rowSeeds bool) (model.Job, *reports.BatchRow, error) {
	j, err := data.NewScenarioJob(in.Settings, in.Dataset, cal, sc, rowSeeds)
	if err != nil {
		return model.Job{}, nil, err
	}
	j.ShownOnly = true // a row shows its baseline's and its recommendation's
	opts := j.DecideOptions(false, 0)
	opts.Explain = false // a row has no build-up, left-out lines or weak point
	job := model.Job{Model: j.Model, Options: opts}
	a, cons := j.Appraisal, j.Constraints
	row := &reports.BatchRow{
		Index: sc.Index, Row: sc.Row, Name: sc.Name, Scope: j.Scope.ID, Seed: j.Config.Seed, View: a.View.String(),
		Horizon: a.Horizon, Discount: "Green Book schedule", OptimismBias: a.OptimismBias,
		RateMultiplier: sc.RateMultiplier, LossMultiplier: sc.LossMultiplier, CostMultiplier: sc.CostMultiplier,
		Controls: "all", Budget: cons.Annual, CapexBudget: cons.Capex,
	}
	if j.Spec.Discount != "" {
		row.Discount = strconv.FormatFloat(100*a.Discount[0].Rate, 'g', 10, 64) + "%"
	}
	if sc.Controls != nil {
		row.Controls = strings.Join(sc.Controls, ", ")
	}
	if j.Spec.BudgetPlan != "" {
		if row.Plan, err = planRow(j.Model, a, sc.Settings(in.Settings)); err != nil {
			return model.Job{}, nil, err
		}
	}
	return job, row, nil
}

// summarise fills row with the results of job's decision d: the baseline's
// losses, the top control by the row's metric and the recommendation (the
// best set for its view, within its budget if any).
func summarise(row *reports.BatchRow, job model.Job, d *model.Decision) {
	an, m := d.Analysis, job.Model
	row.ALE, row.ALESE, row.P95, row.TVaR95 = an.Baseline.ALE, an.Baseline.ALESE, an.Baseline.P95, an.Baseline.TVaR95
	if an.Sim != nil && len(an.Sim.DrawMean) > 0 {
		row.ALEBatches = reports.BatchMeans(an.Sim.DrawMean[0])
	}
	if len(an.Ranking.Order) > 0 {
		r := &an.Results[an.Ranking.Order[0]]
		c := m.Controls[r.Portfolio[0]]
		row.Best = &reports.BatchOption{
			Controls: c.ID, Name: c.Name, Cost: r.EAC.Mean, DeltaALE: r.DeltaALE.Mean,
			DecisionNPV: r.DecisionNPV, DecisionBCR: r.InView(an.Appraisal.View).BCR, DecisionPNPVPositive: r.InView(an.Appraisal.View).PNPVPositive,
		}
	}
	if an.Sim != nil && an.Sim.Harm != nil {
		b, r := d.DeathsDrawn, d.DeathsRecommendedDrawn
		b.Mean, r.Mean = d.Deaths, d.DeathsRecommended
		row.Deaths = &reports.BatchDeaths{Baseline: b, Recommended: r}
	}
	ch := d.Portfolio.Choice
	p := &reports.BatchOption{Controls: strings.Join(ch.Controls, "+"), Cost: ch.Annual, Capex: ch.Capex, DecisionBCR: model.Interval{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}}
	if res := d.Portfolio.Result; res != nil {
		f := res.InView(an.Appraisal.View)
		p.DeltaALE, p.DecisionNPV, p.DecisionBCR, p.DecisionPNPVPositive = res.DeltaALE.Mean, res.DecisionNPV, f.BCR, f.PNPVPositive
	}
	cons := job.Options.Constraints
	switch {
	case !math.IsInf(cons.Annual, 1) && cons.Annual > 0:
		p.BudgetUsed = ch.Annual / cons.Annual
	case !math.IsInf(cons.Capex, 1) && cons.Capex > 0:
		p.BudgetUsed = ch.Capex / cons.Capex
	default:
		p.BudgetUsed = math.NaN()
	}
	row.Portfolio = p
}

// rowErrors returns the problems err holds, one per error it joins, each
// naming the scenario and, for a *data.CellError, its cell.
func rowErrors(sc *data.Scenario, err error) []reports.BatchError {
	var out []reports.BatchError
	for _, e := range data.Leaves(err) {
		be := reports.BatchError{Index: sc.Index, Row: sc.Row, Name: sc.Name, Msg: e.Error()}
		var ce *data.CellError
		if errors.As(e, &ce) {
			be.Msg = ce.Msg
			if ce.Field != "" {
				be.Msg = ce.Field + ": " + ce.Msg
			}
			if ce.Cell != "" {
				be.Cell = ce.Sheet + "!" + ce.Cell
			}
		}
		out = append(out, be)
	}
	return out
}

// planRow finds the row's phased plan within its yearly budgets, by the
// closed form (the plan's P95 by year is left to a single run).
func planRow(m *model.Model, a model.Appraisal, rs data.Settings) (*reports.BatchPlan, error) {
	b, err := data.ParseBudgetPlan(rs.BudgetPlan, rs.BudgetPlanKind)
	if err != nil {
		return nil, fmt.Errorf("budget plan: %w", err)
	}
	p, err := model.NewPlanner(m, a, b)
	if err != nil {
		return nil, err
	}
	best, err := p.Best(context.Background())
	if err != nil {
		return nil, err
	}
	one, err := p.BestYearOne(context.Background())
	if err != nil {
		return nil, err
	}
	var starts []string
	for c, s := range best.Plan.Start {
		if s > 0 {
			starts = append(starts, m.Controls[c].ID+"@"+b.Labels[s-1])
		}
	}
	return &reports.BatchPlan{Budgets: rs.BudgetPlan, Starts: strings.Join(starts, " "), NPV: best.NPV, YearOneNPV: one.NPV, Phasing: best.NPV - one.NPV}, nil
}

// Describe fills what describes a bulk run in b: the tool and its version,
// when it ran (Generated: SOURCE_DATE_EPOCH, when set, so that the same
// shard writes the same bytes), the input's name and digest, the dataset's currency (money
// written with symbol) and the settings every row started from.
func Describe(b *reports.Batch, in Input, input, digest, version, symbol string) {
	st := in.Settings
	scope := st.Scope
	if scope == "" {
		scope = in.Dataset.Scopes[0].ID
	}
	b.Tool, b.Version, b.Generated = "cybercba", version, Generated(os.Getenv)
	b.Input, b.Digest = input, digest
	b.Currency, b.CurrencySymbol, b.PriceYear = in.Dataset.Currency, symbol, in.Dataset.PriceYear
	b.Seed, b.Draws, b.Years, b.Scope, b.Objective, b.Metric = st.Seed, st.Draws, st.Years, scope, st.Objective, st.Metric
	b.Baseline = st.Baseline
}
