package model

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Job is one analysis of a bulk run: a model and how to decide on it.
type Job struct {
	Model   *Model
	Options DecideOptions
}

// BulkOptions set a bulk run.
type BulkOptions struct {
	// Workers is the number of goroutines (0: GOMAXPROCS); results do not
	// depend on it.
	Workers int
	// Run, when not nil, says which jobs to run; the others are planned
	// only, so that a simulation shared with them (see DecideAll) is the
	// same whichever jobs a machine runs.
	Run func(i int) bool
	// Progress, when set, is called after each job run with the number
	// done and the number to run.
	Progress func(done, total int)
}

// DecideAll runs Decide on every job (or those o.Run selects) and calls
// emit once for each, from any goroutine, with its index and its decision
// or error; emit should keep what it needs and drop the decision, so that
// memory does not grow with the jobs.
//
// Jobs whose loss model is the same (the same threats, losses and control
// effects, the same draws, years and seed: they differ only in control
// costs, budgets, horizon, discounting, optimism bias or objectives) share
// one simulation, of every portfolio any of them shows, and differ only in
// their appraisals: each job's control costs are drawn from the same random
// streams as in a simulation of its own, so its results are those Decide
// gives it alone, bit for bit (unless a high-frequency threat has more
// than six controls cutting its frequency, whose random numbers depend on
// the portfolios simulated: then its results depend on the portfolios of
// the jobs it shares with, among all the jobs, run or not, so they are the
// same whichever machine runs it). A shared simulation keeps every
// simulated year when each of its jobs alone would (see
// Config.MemoryBudget), so its memory grows with the distinct portfolios
// its jobs show (a few each; nested recommendations share most).
// Simulations run one after another, each on every worker; the appraisals
// of the jobs sharing one run in parallel.
// The error returned is the context's when it is cancelled.
func DecideAll(ctx context.Context, jobs []Job, o BulkOptions, emit func(i int, d *Decision, err error)) error {
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	run := func(i int) bool { return o.Run == nil || o.Run(i) }
	total := 0
	for i := range jobs {
		if run(i) {
			total++
		}
	}
	var done atomic.Int64
	report := func(i int, d *Decision, err error) {
		emit(i, d, err)
		if o.Progress != nil {
			o.Progress(int(done.Add(1)), total)
		}
	}
	// Plan every job (the closed form: cheap) for its portfolios and its
	// loss model; the plans are made again when the jobs are finished, so
	// that memory holds only the jobs sharing one simulation at a time.
	type planned struct {
		key     string
		keyed   bool
		options []Portfolio
		// exact is whether a simulation of the job alone keeps every
		// year (see Config.MemoryBudget).
		exact bool
		// tkey keys the job's decision table (see tableKey).
		tkey string
		err  error
	}
	pl := make([]planned, len(jobs))
	parallel(ctx, workers, len(jobs), func(i int) {
		j := &jobs[i]
		p, err := planDecision(ctx, j.Model, j.Options)
		if err != nil {
			pl[i].err = err
			return
		}
		pl[i].options = p.options()
		pl[i].exact = !chooseStreaming(j.Model, len(pl[i].options)+1, j.Options.Config)
		pl[i].key, pl[i].keyed = lossKey(j.Model, j.Options.Config)
		if pl[i].keyed {
			pl[i].tkey, pl[i].keyed = tableKey(j.Model, j.Options)
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	type group struct {
		jobs    []int // every job of the group, run or not
		options []Portfolio
		seen    map[string]bool
		run     bool
		exact   bool // every job alone keeps every year
		// tables are the group's decision tables, one for each distinct
		// table key among its jobs, each of every portfolio its jobs show.
		tables map[string]*sharedTable
	}
	var groups []*group
	byKey := map[string]*group{}
	for i := range jobs {
		if pl[i].err != nil {
			if run(i) {
				report(i, nil, pl[i].err)
			}
			continue
		}
		g := byKey[pl[i].key]
		if g == nil || !pl[i].keyed {
			g = &group{seen: map[string]bool{}, exact: true, tables: map[string]*sharedTable{}}
			groups = append(groups, g)
			if pl[i].keyed {
				byKey[pl[i].key] = g
			}
		}
		g.jobs = append(g.jobs, i)
		g.run = g.run || run(i)
		g.exact = g.exact && pl[i].exact
		for _, q := range pl[i].options {
			if k := portfolioKey(q); !g.seen[k] {
				g.seen[k] = true
				g.options = append(g.options, q)
			}
		}
		if pl[i].keyed {
			st := g.tables[pl[i].tkey]
			if st == nil {
				st = &sharedTable{options: []Portfolio{{}}, seen: map[string]bool{portfolioKey(nil): true}}
				g.tables[pl[i].tkey] = st
			}
			for _, q := range pl[i].options {
				if k := portfolioKey(q); !st.seen[k] {
					st.seen[k] = true
					st.options = append(st.options, q)
				}
			}
		}
		pl[i].options = nil
	}
	for _, g := range groups {
		if !g.run {
			continue
		}
		first := g.jobs[0]
		cfg := jobs[first].Options.Config
		cfg.Workers, cfg.Progress = workers, nil
		if g.exact {
			// Each job alone would keep every year: so does the shared
			// simulation, whatever its portfolios add, so that each job's
			// percentiles are its own run's.
			cfg.MemoryBudget = -1
		}
		s, simErr := Simulate(ctx, jobs[first].Model, g.options, cfg)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var torun []int
		for _, i := range g.jobs {
			if run(i) {
				torun = append(torun, i)
				if st := g.tables[pl[i].tkey]; pl[i].keyed && st != nil {
					st.users.Add(1)
				}
			}
		}
		parallel(ctx, workers, len(torun), func(k int) {
			i := torun[k]
			if simErr != nil {
				report(i, nil, simErr)
				return
			}
			p, err := planDecision(ctx, jobs[i].Model, jobs[i].Options)
			if err != nil {
				report(i, nil, err)
				return
			}
			js := s.WithCosts(jobs[i].Model)
			var table *DrawTable
			if st := g.tables[pl[i].tkey]; pl[i].keyed && st != nil {
				defer func() {
					if st.users.Add(-1) == 0 {
						st.t = nil // the last job has read it
					}
				}()
				st.once.Do(func() {
					st.t, st.err = newDrawTable(ctx, js.Model, jobs[i].Options.Appraisal, st.options, decisionDraws(jobs[i].Options.DecisionDraws, js.Draws), js.Seed, js.workers)
				})
				if st.err != nil {
					report(i, nil, st.err)
					return
				}
				table = st.t
			}
			d, err := p.finishWith(js, table)
			report(i, d, err)
		})
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// sharedTable is a decision table shared by the jobs of a bulk run whose
// per-draw values are the same (see tableKey): built once, by the first
// job to need it, of every portfolio they show. Each option's columns
// depend on its own portfolio and the draws alone (moment matching
// included), so a job reads from it the figures a table of its own gives,
// bit for bit.
type sharedTable struct {
	options []Portfolio
	seen    map[string]bool
	once    sync.Once
	t       *DrawTable
	err     error
	// users counts the jobs still to read the table: the last lets it go,
	// so that a batch of many distinct tables holds only those in use
	// (memory would otherwise grow with the rows).
	users atomic.Int64
}

// tableKey returns a key equal for two jobs whose decision tables hold the
// same per-draw values: the same model (costs included), appraisal (but
// its view: the table holds both) and decision draws; the simulation's
// draws and seed are the loss key's. Budgets, objectives, metrics,
// frontiers and the rest of a job's options do not change them.
func tableKey(m *Model, o DecideOptions) (string, bool) {
	a := o.Appraisal
	a.View = Financial
	b, err := json.Marshal(struct {
		M             *Model
		A             Appraisal
		DecisionDraws int
	}{m, a, o.DecisionDraws})
	if err != nil {
		return "", false
	}
	h := sha256.Sum256(b)
	return string(h[:]), true
}

// parallel calls f(0) to f(n−1) on up to workers goroutines, stopping
// early when ctx is cancelled.
func parallel(ctx context.Context, workers, n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, n)) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= n || ctx.Err() != nil {
					return
				}
				f(k)
			}
		})
	}
	wg.Wait()
}

// lossKey returns a key equal for two models and configurations whose
// simulated losses are the same: everything but the controls' costs, of
// which only whether each is fixed counts (a fixed cost takes no random
// number from the control's stream, so it moves the effects' draws). It
// returns false when the model cannot be keyed.
func lossKey(m *Model, cfg Config) (string, bool) {
	mark := func(e Estimate) Estimate {
		switch {
		case e == Estimate{}:
			return e
		case e.IsFixed():
			return Estimate{Lo: 1, Hi: 1}
		default:
			return Estimate{Lo: 1, Hi: 2}
		}
	}
	k := *m
	k.Controls = slices.Clone(m.Controls)
	for i := range k.Controls {
		c := &k.Controls[i]
		c.Capex, c.Opex, c.OptimismBias = mark(c.Capex), mark(c.Opex), mark(c.OptimismBias)
		c.Name, c.Lifetime, c.Project, c.Group, c.Requires = "", 0, "", "", nil
	}
	b, err := json.Marshal(struct {
		M                      *Model
		Draws, Years, MaxDraws int
		Seed                   uint64
		TargetSE               float64
		MemoryBudget           int64
	}{&k, cfg.Draws, cfg.Years, cfg.MaxDraws, cfg.Seed, cfg.TargetSE, cfg.MemoryBudget})
	if err != nil {
		return "", false
	}
	h := sha256.Sum256(b) // a key per job, not a copy of its model
	return string(h[:]), true
}

// WithCosts returns s with the control costs of m, a model whose simulated
// losses are those of s.Model (see lossKey): the same years and draws, and
// each draw's control costs drawn from the streams a simulation of m
// draws them from, so that it appraises as a simulation of m would. The
// simulated losses and summaries are shared, not copied.
func (s *Sim) WithCosts(m *Model) *Sim {
	if m == s.Model {
		return s
	}
	f := fit(m)
	c := *s
	c.Model = m
	C := len(m.Controls)
	c.Capex, c.Opex, c.Bias = make([][]float64, s.Draws), make([][]float64, s.Draws), make([][]float64, s.Draws)
	costs := make([]float64, 3*s.Draws*C)
	ids := make([]uint64, C)
	for i, ctl := range m.Controls {
		ids[i] = idHash("control", ctl.ID)
	}
	var pcg rand.PCG
	r := rand.New(&pcg)
	for d := range s.Draws {
		k := 3 * d * C
		c.Capex[d], c.Opex[d], c.Bias[d] = costs[k:k+C:k+C], costs[k+C:k+2*C:k+2*C], costs[k+2*C:k+3*C:k+3*C]
		for i := range C {
			reseed(&pcg, s.Seed, streamParam, ids[i], uint64(d))
			c.Capex[d][i], c.Opex[d][i], c.Bias[d][i] = f.controls[i].drawCosts(r)
		}
	}
	return &c
}
