package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

// runOptions are the settings of `cybercba run`: the run's
// specification and what only the command knows.
type runOptions struct {
	data.RunSpec
	Dataset string // path, or "" for the embedded default
	JSON    bool
	Quiet   bool
	// Wide asks for the full tables on a narrow terminal.
	Wide bool
	// Out is the output folder.
	Out string
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

func runFlags(o *runOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&o.Scope, "scope", "", "scope `id` to analyse (default: the dataset's first; the NHS default has nhs-england and acute-trust)")
	fs.Uint64Var(&o.Seed, "seed", 2017, "master random `seed`")
	fs.IntVar(&o.Draws, "draws", 200, "outer draws of the uncertain parameters")
	fs.IntVar(&o.Years, "years", 5000, "simulated years per draw")
	fs.IntVar(&o.DecisionDraws, "decision-draws", 0, "outer draws behind the decision's intervals, probabilities and value of information, each draw's expectations exact (0: 10,000; never fewer than --draws)")
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
	fs.StringVar(&o.BudgetPlan, "budget-plan", "", "also find the best phased plan within these yearly `budgets`, e.g. 2026-27:50m,2027-28:50m,2028-29:50m: which controls start in which year (threat trends, roll-outs and decay as the dataset gives)")
	fs.StringVar(&o.BudgetPlanKind, "budget-plan-kind", "", "what --budget-plan's budgets cap: both (capital and running, the default), capital, running or annual (equivalent annual cost, as --budget)")
	fs.StringVar(&o.Out, "o", "cybercba-out", "output `folder` for report.xlsx and plots/ (created if needed)")
	fs.StringVar(&o.Formats, "format", "png", "plot `formats`: any of png, svg, pdf, comma-separated")
	fs.BoolVar(&o.NoFiles, "no-files", false, "write no workbook or plots, only the terminal (or JSON) output")
	fs.BoolVar(&o.Sensitivity, "sensitivity", false, "add the sensitivity analysis: tornado, switching values and value of information (see cybercba sensitivity)")
	fs.StringVar(&o.TargetSE, "target-se", "", "add blocks of --draws outer draws until the baseline ALE's relative standard error is below this `fraction` (e.g. 1%), up to 100 blocks")
	fs.BoolVar(&o.Strict, "strict", false, "treat input warnings (implausibly wide intervals, controls dearer than the whole loss, budgets above Gordon–Loeb) as errors")
	fs.StringVar(&o.Correlations, "correlation", "", "rank correlations between threats' rates, e.g. S1:S3=0.5,S2:S3=0.3 (Gaussian copula; default independent)")
	fs.Float64Var(&o.Climate, "threat-climate", 0, "one rank `correlation` between every pair of threats' rates (a common \"threat climate\"); --correlation pairs override it")
	fs.StringVar(&o.CurrencySymbol, "currency-symbol", "", currencyUsage)
	fs.BoolVar(&o.Force, "force", false, "replace -o's report.xlsx and report.html even when cybercba did not write them, and keep files in its plots/ that it did not write (a run's own last files are always replaced)")
	fs.StringVar(&o.MaxMemory, "max-memory", "", "refuse a run estimated to need more than this `size` of memory (e.g. 8G; default the machine's or container's memory)")
	fs.BoolVar(&o.JSON, "json", false, "write the results as JSON to stdout")
	fs.StringVar(&o.SIP, "sip", "", "also write the outer draws of each option's NPV and of the key inputs to this `file` as a SIPmath 3.0 library (JSON; ProbabilityManagement.org's standard)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&o.Wide, "wide", false, "the full tables on a terminal narrower than them (by default a compact layout there)")
	return fs
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	start := time.Now()
	var o runOptions
	fs := runFlags(&o)
	pos, err := parseArgs(fs, args, stdout, usage("run"))
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
	for _, w := range job.Warnings { // before the progress bar's first line
		fmt.Fprintf(reports.Wrap(stderr, termWidth(stderr)), "cybercba: warning: %s: %s\n", job.Dataset.File, job.WarningText(w))
	}
	bar := reports.NewProgress(stderr, o.Quiet, model.StageSimulate, o.Draws)
	job.Config.Progress, job.Config.Stage = bar.Funcs()
	job.Announce = bar.Wrap(job.Announce)
	job.Width = termWidth(stdout)
	job.ShownOnly = o.NoFiles && !o.JSON
	go job.Holdouts() // replayed beside the analysis, for the output
	d, err := analyse(ctx, job, o.Sensitivity, 15)
	bar.Done()
	if err != nil {
		return err
	}
	if err := job.AddHealth(d.Analysis, d.Portfolio); err != nil {
		return err
	}
	if err := job.AddPlan(ctx); err != nil {
		return err
	}
	var written []string
	if !o.NoFiles {
		if written, err = writeRunFiles(job, o, recordedArgs(fs), d, stderr); err != nil {
			return err
		}
	}
	if o.SIP != "" {
		if err := writeAtomic(o.SIP, func(w io.Writer) error { return reports.WriteSIP(w, job.Report(d)) }); err != nil {
			return fmt.Errorf("--sip: %w", err)
		}
	}
	elapsed := time.Since(start) // the whole run, files included
	if o.JSON {
		if err := reports.WriteJSON(stdout, job, d); err != nil {
			return err
		}
	} else {
		reports.WriteTable(stdout, job, d, elapsed)
		if d.Sensitivity != nil {
			fmt.Fprintln(stdout)
			reports.WriteSensitivity(stdout, job, d.Sensitivity)
		}
		reports.WriteHealth(stdout, job)
	}
	msg := stdout
	if o.JSON {
		msg = stderr // keep stdout pure JSON
	}
	reports.WrittenLine(msg, o.Out, written, termWidth(msg))
	return nil
}

// writeRunFiles writes a run's workbook, report.html and plots into the
// output folder, with a progress bar on a terminal, and returns the paths
// written.
func writeRunFiles(job *job, o runOptions, args []string, d *model.Decision, stderr io.Writer) ([]string, error) {
	rep := job.Report(d)
	rep.Reproduce = &reports.Reproduction{
		Digest: job.Digest, Args: args, Figures: reports.Headline(d.Analysis, d.Portfolio), Dataset: job.Dataset.Canonical(),
	}
	written, err := writeOutputs(o.Out, job.Formats, rep, o.Force, progress(stderr, o.Quiet, "writing files", 2))
	if err != nil {
		return nil, fmt.Errorf("writing outputs: %w", err)
	}
	return written, nil
}

// job is a run's resolved inputs, as its outputs show them.
type job = reports.Run

// prepare checks the flags, loads the dataset, builds the scope's model
// and checks that the run fits in memory.
func prepare(o runOptions) (*job, error) {
	if err := o.Validate(); err != nil {
		return nil, badOption(err)
	}
	if err := checkSymbol(o.CurrencySymbol); err != nil {
		return nil, err
	}
	ds := o.dataset
	if ds == nil {
		var err error
		if ds, err = loadDataset(o.Dataset); err != nil {
			return nil, &inputError{err}
		}
	}
	dj, err := data.NewJob(o.RunSpec, ds)
	if err != nil {
		return nil, badOption(err)
	}
	j := reports.NewRun(dj, version(), o.CurrencySymbol)
	j.Wide = o.Wide
	if err := checkMemory(j, o.MaxMemory); err != nil {
		return nil, err
	}
	return j, nil
}

// badOption is a run's options refused: names not among their flags'
// choices (a view, a format, a scope), and nothing else wrong, are bad
// usage; anything else invalid input (the Settings sheet's names are
// checked, naming the cell, as the workbook loads).
func badOption(err error) error {
	if !slices.ContainsFunc(data.Leaves(err), func(e error) bool {
		var ue *model.UnknownError
		return !errors.As(e, &ue)
	}) {
		return &usageError{err.Error()}
	}
	return &inputError{err}
}

// analyse is the one analysis pipeline run, sensitivity and reproduce
// share: model.Decide on the job's settings.
func analyse(ctx context.Context, j *job, sensitivity bool, top int) (*model.Decision, error) {
	return model.Decide(ctx, j.Model, j.DecideOptions(sensitivity, top))
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
	return data.LoadBytes(b, name)
}

// progress returns a progress callback drawing a bar of total steps on
// stderr when it is a terminal, or nil.
func progress(stderr io.Writer, quiet bool, what string, total int) func(done, total int) {
	step, _ := reports.NewProgress(stderr, quiet, what, total).Funcs()
	return step
}
