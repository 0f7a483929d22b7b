package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

// runOptions are the settings of `cybercba run`.
type runOptions struct {
	Dataset  string // path, or "" for the embedded default
	Scope    string
	Seed     uint64
	Draws    int
	Years    int
	Horizon  int
	Discount string // "" for the Green Book schedule, else a rate
	Bias     float64
	// BiasGuidance draws uplifts from the guidance; View is financial or
	// social.
	BiasGuidance bool
	View         string
	Workers      int
	Metric       string
	JSON         bool
	Quiet        bool
	// Wide asks for the full ranking table on a narrow terminal.
	Wide bool
	// Portfolio choice: budgets as written ("2m"), the objective, and the
	// frontier ("" none, "default" the default grid, else a list).
	Budget, CapexBudget string
	// RiskTolerance is the losses and the annual exceedance probabilities
	// the organisation accepts, as written ("500m:1/50,1bn:1/100").
	RiskTolerance   string
	Objective       string
	Frontier        bool
	FrontierBudgets string
	// Files: the output folder, the plot formats, or none at all.
	Out     string
	Formats string
	NoFiles bool
	// Sensitivity adds the sensitivity analysis of the decision.
	Sensitivity bool
	// Honest figures: a target relative SE, warnings as errors, and
	// correlations between threats' rates.
	TargetSE     string
	Strict       bool
	Correlations string
	Climate      float64
	// CurrencySymbol, if set, overrides the dataset's currency's symbol.
	CurrencySymbol string
	// MaxMemory, if set, is the most memory the run may need ("8G").
	MaxMemory string
	// Force lets a run replace a report.xlsx that is not a run's report.
	Force bool
	// dataset is the dataset when run has read it already (a workbook,
	// for its Settings), else nil.
	dataset *data.Dataset
}

const runUsage = `Usage: cybercba run [flags] [dataset.yaml]

Simulates the scope's threats over draws × years with common random numbers,
then appraises each control alone against the baseline: its cost, the
expected annual loss it avoids (ΔALE), NPV and BCR over the horizon, ROSI,
the chance its NPV is positive, and its rank.

With no dataset, the embedded NHS default is used. The dataset may be YAML
or JSON, or an inputs workbook (cybercba template writes one): then its
Settings sheet sets the run's settings, and flags given on the command line
override them. Flags may come before or after the dataset.

With --budget (or --capex-budget), it also chooses the best set of controls
that fits: controls on the same threat overlap, so the best set is not the
top of the ranking. Up to 24 controls the search tries every set, so its
answer is exact; beyond, branch and bound proves its answer best unless it
spends its budget of 5,000,000 nodes (shared by --frontier's budgets), and
then says "NOT proven best". --frontier shows the best set at every budget
from nothing to everything.

Examples:
  cybercba run
  cybercba run --scope acute-trust --horizon 5 --discount 3.5%
  cybercba run --budget 60m --frontier
  cybercba run --scope acute-trust --budget £400k --objective dtvar
  cybercba run --draws 400 --years 10000 --seed 7 --json > results.json

Flags:
`

func runFlags(o *runOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&o.Scope, "scope", "", "scope `id` to analyse (default: the dataset's first; the NHS default has nhs-england and acute-trust)")
	fs.Uint64Var(&o.Seed, "seed", 2017, "master random `seed`")
	fs.IntVar(&o.Draws, "draws", 200, "outer draws of the uncertain parameters")
	fs.IntVar(&o.Years, "years", 5000, "simulated years per draw")
	fs.IntVar(&o.Horizon, "horizon", 10, "appraisal horizon in `years`")
	fs.StringVar(&o.Discount, "discount", "", "flat discount `rate` (e.g. 3.5% or 0.035); default the Green Book schedule, 3.5% to year 30 then 3.0%")
	fs.Float64Var(&o.Bias, "optimism-bias", 0, "uplift on costs for controls without their own (e.g. 0.2 for +20%): on capex for equipment projects, opex for outsourcing, both otherwise")
	fs.BoolVar(&o.BiasGuidance, "bias-guidance", false, "draw each control's optimism-bias uplift from the Green Book guidance's range for its project type (equipment 10–200% on capex, outsourcing 0–41% on opex)")
	fs.StringVar(&o.View, "view", "financial", "rank by the `view`: financial (money, calibrated on WannaCry's £92m) or social (money plus patient harm valued at the Green Book's value of a QALY, restated in the dataset's prices)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (0: one per CPU); results do not depend on it")
	fs.StringVar(&o.Metric, "metric", "npv", "rank by `metric`: npv, bcr, rosi, dale (ΔALE) or dp95 (ΔP95)")
	fs.StringVar(&o.Budget, "budget", "", "choose the best portfolio within this yearly `amount` (equivalent annual cost: capex annuitised plus opex), e.g. 2m or £750k")
	fs.StringVar(&o.CapexBudget, "capex-budget", "", "choose the best portfolio within this up-front capital `amount`")
	fs.StringVar(&o.RiskTolerance, "risk-tolerance", "", "the annual losses and the chances of exceeding them the organisation accepts, e.g. 500m:1/50,1bn:1/100 (or 2%); drawn on the loss exceedance curve and checked for the baseline and the recommendation")
	fs.StringVar(&o.Objective, "objective", "npv", "what the portfolio maximises: npv, dale (ΔALE) or dtvar (ΔTVaR95)")
	fs.BoolVar(&o.Frontier, "frontier", false, "also show the efficient frontier: the best portfolio at 21 budgets from 0 to the cost of everything")
	fs.StringVar(&o.FrontierBudgets, "frontier-budgets", "", "the frontier at these yearly `amounts` instead, e.g. 1m,2m,5m")
	fs.StringVar(&o.Out, "o", "cybercba-out", "output `folder` for report.xlsx and plots/ (created if needed)")
	fs.StringVar(&o.Formats, "format", "png", "plot `formats`: any of png, svg, pdf, comma-separated")
	fs.BoolVar(&o.NoFiles, "no-files", false, "write no workbook or plots, only the terminal (or JSON) output")
	fs.BoolVar(&o.Sensitivity, "sensitivity", false, "add the sensitivity analysis: tornado, switching values and value of information (see cybercba sensitivity)")
	fs.StringVar(&o.TargetSE, "target-se", "", "add blocks of --draws outer draws until the baseline ALE's relative standard error is below this `fraction` (e.g. 1%), up to 100 blocks")
	fs.BoolVar(&o.Strict, "strict", false, "treat input warnings (implausibly wide intervals, controls dearer than the whole loss, budgets above Gordon–Loeb) as errors")
	fs.StringVar(&o.Correlations, "correlation", "", "rank correlations between threats' rates, e.g. S1:S3=0.5,S2:S3=0.3 (Gaussian copula; default independent)")
	fs.Float64Var(&o.Climate, "threat-climate", 0, "one rank `correlation` between every pair of threats' rates (a common \"threat climate\"); --correlation pairs override it")
	fs.StringVar(&o.CurrencySymbol, "currency-symbol", "", currencyUsage)
	fs.BoolVar(&o.Force, "force", false, "replace -o's report.xlsx even when it is not a cybercba report (a run's own last report is always replaced)")
	fs.StringVar(&o.MaxMemory, "max-memory", "", "refuse a run estimated to need more than this `size` of memory (e.g. 8G; default the machine's or container's memory)")
	fs.BoolVar(&o.JSON, "json", false, "write the results as JSON to stdout")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&o.Wide, "wide", false, "the full ranking table on a terminal narrower than it (by default two lines a control there)")
	return fs
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	start := time.Now()
	var o runOptions
	fs := runFlags(&o)
	pos, err := parseArgs(fs, args, stdout, runUsage)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
	case 1:
		o.Dataset = pos[0]
	default:
		return &usageError{fmt.Sprintf("run: want at most one dataset, got %q", pos)}
	}
	if err := useWorkbook(fs, &o); err != nil {
		return err
	}
	job, err := prepare(o)
	if err != nil {
		return err
	}
	// The output folder is checked (and made) only once the flags and
	// inputs are known to be good: a refused run creates nothing.
	if err := checkRunOutput(o); err != nil {
		return err
	}
	if err := announce(ctx, job, stderr, o.Quiet); err != nil {
		return err
	}
	job.cfg.Progress = progress(stderr, o.Quiet, "simulating", o.Draws)
	job.width = termWidth(stdout)
	job.shownOnly = o.NoFiles && !o.JSON
	go holdouts(job) // replayed beside the analysis, for the output
	for _, w := range job.warnings {
		fmt.Fprintf(stderr, "cybercba: warning: %s: %s\n", job.ds.File, w)
	}
	d, err := analyse(ctx, job, o.Sensitivity, 15)
	if err != nil {
		return err
	}
	an, pa, sens := d.Analysis, d.Portfolio, d.Sensitivity
	if err := addHealth(job, an, pa); err != nil {
		return err
	}
	var written []string
	if !o.NoFiles {
		if written, err = writeRunFiles(job, recordedArgs(fs), d, stderr); err != nil {
			return err
		}
	}
	elapsed := time.Since(start) // the whole run, files included
	if o.JSON {
		if err := writeJSON(stdout, job, d); err != nil {
			return err
		}
	} else {
		writeTable(stdout, job, d, elapsed)
		if sens != nil {
			fmt.Fprintln(stdout)
			writeSensitivity(stdout, job, sens)
		}
		writeHealth(stdout, job)
	}
	msg := stdout
	if o.JSON {
		msg = stderr // keep stdout pure JSON
	}
	writtenLine(msg, o.Out, written)
	return nil
}

// writeRunFiles writes a run's workbook, report.html and plots into the
// output folder, with a progress bar on a terminal, and returns the paths
// written.
func writeRunFiles(job *job, args []string, d *model.Decision, stderr io.Writer) ([]string, error) {
	rep := buildReport(job, d)
	rep.Reproduce = &reports.Reproduction{
		Digest: job.digest, Args: args, Figures: headline(job, d.Analysis, d.Portfolio), Dataset: job.ds.Canonical(),
	}
	written, err := writeOutputs(job.opts.Out, job.formats, rep, progress(stderr, job.opts.Quiet, "writing files", 2))
	if err != nil {
		return nil, fmt.Errorf("writing outputs: %w", err)
	}
	return written, nil
}

// writtenLine says where writeOutputs wrote: the workbook, the page and
// the count of plots (images; each figure's data beside them as CSV is
// not counted). It writes nothing when nothing was written.
func writtenLine(w io.Writer, out string, written []string) {
	if len(written) < 2 {
		return
	}
	plots := 0
	for _, p := range written[2:] {
		if filepath.Ext(p) != ".csv" {
			plots++
		}
	}
	fmt.Fprintf(w, "\nWrote %s, %s and %d plots (each with its data as CSV) in %s\n", written[0], written[1], plots, filepath.Join(out, "plots"))
}

// job is a run's resolved inputs.
type job struct {
	opts      runOptions
	ds        *data.Dataset
	scope     *data.Scope
	cal       model.Calibration
	model     *model.Model
	cfg       model.Config
	appraisal model.Appraisal
	metric    model.Metric
	// Portfolio choice, when a budget or frontier is asked for.
	choose      bool
	objective   model.Objective
	constraints model.Constraints
	frontier    []float64 // nil: none; empty: the default grid
	formats     []string
	// cur is the symbol money is written with.
	cur currency
	// width is the terminal's width in columns, 0 when not a terminal.
	width int
	// warnings are doubtful inputs; digest the SHA-256 of the inputs.
	warnings []model.Warning
	digest   string
	// holdouts are the hold-out incidents replayed, once (see holdouts).
	holdouts     []reports.Holdout
	holdoutsOnce sync.Once
	// tolerance is the risk tolerance: losses and accepted exceedance
	// probabilities.
	tolerance []model.LECPoint
	// health is the health-economic views of a social-view run (health.go).
	health *model.HealthEconomics
	// shownOnly asks for the loss summaries the terminal shows only (a
	// run writing no files and no JSON).
	shownOnly bool
}

// maxDraws caps --target-se: 100 blocks, and no more than the cap on
// simulated years.
func maxDraws(o runOptions) int {
	if o.Years < 1 {
		return o.Draws
	}
	return max(min(100*o.Draws, model.MaxSimYears/o.Years), o.Draws)
}

// parseCorrelations reads "A:B=0.5,C:D=-0.2".
func parseCorrelations(s string) ([]model.Correlation, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []model.Correlation
	for _, part := range strings.Split(s, ",") {
		pair, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		a, b, ok2 := strings.Cut(pair, ":")
		if !ok || !ok2 {
			return nil, fmt.Errorf("want THREAT:THREAT=rank, got %q", part)
		}
		r, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return nil, fmt.Errorf("want a rank correlation in (−1, 1) after =, got %q", val)
		}
		out = append(out, model.Correlation{A: strings.TrimSpace(a), B: strings.TrimSpace(b), Rank: r})
	}
	return out, nil
}

// checkedFlags are a run's flags parsed and checked: everything a run is
// set by that does not need its dataset.
type checkedFlags struct {
	metric      model.Metric
	objective   model.Objective
	constraints model.Constraints
	targetSE    float64
	tolerance   []model.LECPoint
	corr        []model.Correlation
	formats     []string
	frontier    []float64 // nil: none; empty: the default grid
	appraisal   model.Appraisal
	// amounts are the amounts given (budgets, frontier budgets), as
	// written, by flag, to check against the dataset's currency.
	amounts [][2]string
}

// validate parses and checks every flag of a run that does not need its
// dataset, and returns every problem at once.
func (o runOptions) validate() (*checkedFlags, error) {
	var errs []error
	add := func(flag string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", flag, err))
		}
	}
	c := &checkedFlags{constraints: model.NoBudget()}
	var err error
	c.metric, err = model.ParseMetric(o.Metric)
	add("--metric", err)
	c.objective, err = model.ParseObjective(o.Objective)
	add("--objective", err)
	amount := func(flag, v string) float64 {
		x, err := data.ParseAmount(v)
		add(flag, err)
		c.amounts = append(c.amounts, [2]string{flag, v})
		return x
	}
	if o.Budget != "" {
		c.constraints.Annual = amount("--budget", o.Budget)
	}
	if o.CapexBudget != "" {
		c.constraints.Capex = amount("--capex-budget", o.CapexBudget)
	}
	if o.TargetSE != "" {
		v, err := data.ParseRate(o.TargetSE)
		if err != nil || !(v > 0 && v < 1) {
			errs = append(errs, fmt.Errorf("--target-se: want a fraction such as 1%% or 0.01, got %q", o.TargetSE))
		}
		c.targetSE = v
	}
	c.tolerance, err = data.ParseTolerance(o.RiskTolerance)
	add("--risk-tolerance", err)
	c.corr, err = parseCorrelations(o.Correlations)
	add("--correlation", err)
	if c.formats, err = reports.ParseFormats(o.Formats); !o.NoFiles {
		add("--format", err)
	}
	if o.Frontier {
		c.frontier = []float64{}
	}
	if o.FrontierBudgets != "" {
		c.frontier = []float64{}
		for _, f := range strings.Split(o.FrontierBudgets, ",") {
			c.frontier = append(c.frontier, amount("--frontier-budgets", f))
		}
	}
	disc := model.GreenBook()
	if o.Discount != "" {
		r, err := parseRate(o.Discount)
		add("--discount", err)
		disc = model.FlatDiscount(r)
	}
	if err := model.CheckSize(o.Draws, o.Years, "--draws", "--years"); err != nil {
		errs = append(errs, err)
	}
	if o.Workers < 0 {
		errs = append(errs, fmt.Errorf("--workers: must not be negative, got %d", o.Workers))
	}
	view, err := model.ParseView(o.View)
	add("--view", err)
	c.appraisal = model.Appraisal{Horizon: o.Horizon, Discount: disc, OptimismBias: o.Bias, View: view}
	add("--horizon, --discount or --optimism-bias", c.appraisal.Validate())
	if len(errs) > 0 {
		return nil, &inputError{errors.Join(errs...)}
	}
	return c, nil
}

// prepare checks the flags, loads the dataset, builds the scope's model
// and checks that the run fits in memory.
func prepare(o runOptions) (*job, error) {
	c, err := o.validate()
	if err != nil {
		return nil, err
	}
	ds := o.dataset
	if ds == nil {
		if ds, err = loadDataset(o.Dataset); err != nil {
			return nil, &inputError{err}
		}
	}
	// An amount in another currency than the dataset's is refused.
	var errs []error
	for _, a := range c.amounts {
		if err := data.CheckCurrency(a[1], ds.Currency); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", a[0], err))
		}
	}
	if len(errs) > 0 {
		return nil, &inputError{errors.Join(errs...)}
	}
	if o.Scope == "" {
		o.Scope = ds.Scopes[0].ID
	}
	sc, err := ds.Scope(o.Scope)
	if err != nil {
		return nil, &inputError{fmt.Errorf("--scope: %w", err)}
	}
	cal, err := model.Calibrate(ds.Target(), o.Seed)
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: %w", ds.File, err)}
	}
	m, err := o.scopeModel(ds, sc, cal, c)
	if err != nil {
		return nil, &inputError{err}
	}
	// The scope's own risk tolerance, unless the run gives one.
	if c.tolerance == nil {
		if c.tolerance, err = data.ParseTolerance(sc.RiskTolerance); err != nil {
			return nil, &inputError{fmt.Errorf("%s: scope %s: risk_tolerance: %w", ds.File, sc.ID, err)}
		}
	}
	warnings := model.Warnings(m, c.appraisal, c.constraints)
	if o.Strict && len(warnings) > 0 {
		var ws []error
		for _, w := range warnings {
			ws = append(ws, fmt.Errorf("%s: scope %s: %s (--strict)", ds.File, sc.ID, w))
		}
		return nil, &inputError{errors.Join(ws...)}
	}
	j := &job{
		opts: o, ds: ds, scope: sc, cal: cal, model: m,
		cfg:      model.Config{Draws: o.Draws, Years: o.Years, Seed: o.Seed, Workers: o.Workers, TargetSE: c.targetSE, MaxDraws: maxDraws(o)},
		warnings: warnings, digest: ds.Digest(sc.ID),
		appraisal: c.appraisal, metric: c.metric,
		choose:    o.Budget != "" || o.CapexBudget != "" || c.frontier != nil || o.Objective != "npv",
		objective: c.objective, constraints: c.constraints, frontier: c.frontier, formats: c.formats,
		cur: currencyOf(ds, o.CurrencySymbol), tolerance: c.tolerance,
	}
	if !o.NoFiles {
		// The workbook and plots draw every simulated year (the LEC,
		// histogram and percentile tables): keep them all. The memory check
		// below still refuses a run that would not fit.
		j.cfg.MemoryBudget = -1
	}
	if err := checkMemory(j, o.MaxMemory); err != nil {
		return nil, err
	}
	return j, nil
}

// scopeModel returns the model of scope sc with the run's correlations,
// harm for the social view and, with --bias-guidance, the guidance's
// uplifts (set in c.appraisal), checked.
func (o runOptions) scopeModel(ds *data.Dataset, sc *data.Scope, cal model.Calibration, c *checkedFlags) (*model.Model, error) {
	m := sc.Model(cal)
	m.Correlations, m.CommonCorrelation = c.corr, o.Climate
	if c.appraisal.View == model.Social {
		if m.Harm = sc.HarmModel(); m.Harm == nil {
			return nil, fmt.Errorf("--view social: %s: scope %s has no harm inputs (harm: deaths_per_day, qalys_per_death, value_per_qaly)", ds.File, sc.ID)
		}
	}
	if o.BiasGuidance {
		if c.appraisal.BiasByProject = ds.BiasRanges(); c.appraisal.BiasByProject == nil {
			return nil, fmt.Errorf("--bias-guidance: %s has no optimism_bias ranges", ds.File)
		}
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("%s: scope %s: %w", ds.File, sc.ID, err)
	}
	return m, nil
}

// loadDataset reads the dataset at path ("-" for standard input), once, or
// the embedded default.
func loadDataset(path string) (*data.Dataset, error) {
	if path == "" {
		return data.Default()
	}
	name, b, err := readInput(path)
	if err != nil {
		return nil, err
	}
	return loadDatasetBytes(b, name)
}

// parseRate reads a discount rate given as a fraction (0.035) or a
// percentage (3.5%).
func parseRate(s string) (float64, error) {
	r, err := data.ParseRate(s)
	if err != nil {
		return 0, err
	}
	if r <= -1 || r >= 1 {
		return 0, fmt.Errorf("want a rate between −100%% and 100%%, got %q", s)
	}
	return r, nil
}

// progress returns a progress callback drawing a bar of total steps on
// stderr when it is a terminal, or nil. The callback is safe for concurrent
// use.
func progress(stderr io.Writer, quiet bool, what string, total int) func(done, total int) {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetRenderBlankState(true), // shown from the start, not from the first step
	)
	var mu sync.Mutex
	high := 0
	max := total
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total > max { // --target-se added draws
			max = total
			bar.ChangeMax(total)
		}
		if done > high {
			high = done
			bar.Set(done)
		}
	}
}
