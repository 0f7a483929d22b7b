package model

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The stages of Decide, in order, as Config.Stage names them. Progress
// then counts the stage's own work: the optimiser's search nodes, the
// simulation's outer draws, the decision table's blocks of draws, the
// explanation's and sensitivity analysis' steps.
const (
	StageChoose      = "choosing the portfolio"
	StageSimulate    = "simulating"
	StageTable       = "tabulating the decision draws"
	StageExplain     = "explaining the decision"
	StageSensitivity = "analysing sensitivity"
)

// stage reports the start of a stage to c.Stage, if set.
func (c Config) stage(name string) {
	if c.Stage != nil {
		c.Stage(name)
	}
}

// progressKey carries a progress callback in a context, to the stages
// whose signatures take no Config (the decision table).
type progressKey struct{}

// withProgress returns ctx carrying fn (nil for none).
func withProgress(ctx context.Context, fn func(done, total int)) context.Context {
	if fn == nil {
		return ctx
	}
	return context.WithValue(ctx, progressKey{}, fn)
}

// progressOf returns the progress callback ctx carries, or nil.
func progressOf(ctx context.Context) func(done, total int) {
	fn, _ := ctx.Value(progressKey{}).(func(done, total int))
	return fn
}

// counter counts units of work done by several goroutines and reports
// each to a progress callback.
type counter struct {
	fn    func(done, total int)
	total int
	done  atomic.Int64
}

// add counts one unit done.
func (c *counter) add() {
	if c != nil && c.fn != nil {
		c.fn(int(c.done.Add(1)), c.total)
	}
}

// newCounter returns a counter of total units reporting to ctx's progress
// callback, or nil when it carries none.
func newCounter(ctx context.Context, total int) *counter {
	fn := progressOf(ctx)
	if fn == nil {
		return nil
	}
	fn(0, total)
	return &counter{fn: fn, total: total}
}

// tablePilotDraws is the number of outer draws EstimateTable tabulates
// in all, split among its workers.
const tablePilotDraws = 128

// EstimateTable estimates how long tabulating the baseline and portfolios
// on draws outer draws (the decision table, see NewDrawTable) takes on
// this machine with workers goroutines (0 for GOMAXPROCS), from a pilot:
// as many workers as the table would keep busy each tabulate the same
// portfolios on their share of tablePilotDraws draws at once, so that the
// pilot meets the machine as the table will (its cores, and whatever else
// is running), and the time scales by the draws. Its cost grows with the
// portfolios and their sizes: with thousands of controls, and a
// recommendation's build-up of hundreds of prefixes, the table outlasts
// the simulation.
func EstimateTable(ctx context.Context, m *Model, a Appraisal, portfolios []Portfolio, draws, workers int) (time.Duration, error) {
	if workers <= 0 {
		workers = defaultWorkers()
	}
	blocks := (draws + drawBlock - 1) / drawBlock
	w := max(1, min(workers, runtime.NumCPU(), blocks))
	per := max(1, min(draws, tablePilotDraws)/w)
	options := append([]Portfolio{{}}, portfolios...)
	errs := make([]error, w)
	var wg sync.WaitGroup
	start := time.Now()
	for k := range w {
		wg.Go(func() { _, errs[k] = newDrawTable(ctx, m, a, options, per, 1, 1) })
	}
	wg.Wait()
	took := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return scaleTable(took, per*w, draws), nil
}

// scaleTable scales a pilot's time, tabulating pilot draws (on as many
// workers as the table keeps busy), to draws draws.
func scaleTable(took time.Duration, pilot, draws int) time.Duration {
	return time.Duration(float64(took) * float64(draws) / float64(max(pilot, 1)))
}

// StageEstimate is Decide's estimate, made once the portfolio is chosen
// and before simulating, of how long the decision table will take (see
// DecideOptions.Announce); the simulation's own is EstimateDuration.
type StageEstimate struct {
	// Table is the estimated time of the decision table.
	Table time.Duration
	// Portfolios is the number of portfolios tabulated beside the
	// baseline (every control alone, the recommendation, its build-up's
	// prefixes and the frontier's), Members the controls they hold in
	// all, and TableDraws the table's outer draws.
	Portfolios, Members, TableDraws int
}

// estimate estimates the decision table of the plan.
func (p *decisionPlan) estimate(ctx context.Context) (StageEstimate, error) {
	opts := p.options()
	o := p.o
	e := StageEstimate{Portfolios: len(opts), TableDraws: decisionDraws(o.DecisionDraws, o.Config.Draws)}
	for _, q := range opts {
		e.Members += len(q)
	}
	var err error
	e.Table, err = EstimateTable(ctx, p.m, o.Appraisal, opts, e.TableDraws, o.Config.Workers)
	return e, err
}
