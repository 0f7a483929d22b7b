package data

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// RunSpec is every option of a run, as given: on the command line, in an
// inputs workbook's Settings sheet, or in a report's record of its run.
// Amounts, rates and lists are kept as written, so that an error can quote
// them; Validate checks them and NewJob turns them into the model's job.
type RunSpec struct {
	// Scope is the scope's id; empty means the dataset's first.
	Scope string
	Seed  uint64
	// Draws outer draws of Years simulated years each.
	Draws, Years int
	// DecisionDraws is the number of outer draws behind the decision's
	// intervals and probabilities, each draw's expectations exact: 0 for
	// model.DefaultDecisionDraws, and never fewer than Draws.
	DecisionDraws int
	// Horizon is the appraisal horizon in years; Discount a flat rate as
	// written ("3.5%"), or "" for the Green Book schedule; Bias the
	// optimism-bias uplift for controls without their own.
	Horizon  int
	Discount string
	Bias     float64
	// BiasGuidance draws uplifts from the guidance; View is financial or
	// social.
	BiasGuidance bool
	View         string
	Workers      int
	Metric       string
	// Portfolio choice: budgets as written ("2m"), the objective, and the
	// frontier (Frontier for the default grid, FrontierBudgets a list).
	Budget, CapexBudget string
	// RiskTolerance is the losses and the annual exceedance probabilities
	// the organisation accepts, as written ("500m:1/50,1bn:1/100").
	RiskTolerance   string
	Objective       string
	Frontier        bool
	FrontierBudgets string
	// Formats are the plot formats; NoFiles asks for no files at all.
	Formats string
	NoFiles bool
	// SIP, if set, is the path of a SIPmath 3.0 library of the outer draws
	// to write (with or without the other files).
	SIP string
	// Sensitivity adds the sensitivity analysis of the decision.
	Sensitivity bool
	// TargetSE is a target relative SE as written, Strict makes input
	// warnings errors, Correlations are rank correlations between threats'
	// rates ("S1:S3=0.5") and Climate one between every pair.
	TargetSE     string
	Strict       bool
	Correlations string
	Climate      float64
	// BudgetPlan asks for a phased plan within yearly budgets, as written
	// ("2026-27:50m,2027-28:50m"), of the kind BudgetPlanKind (both,
	// capital, running or annual; "" is both).
	BudgetPlan, BudgetPlanKind string
}

// DefaultRunSpec returns the options of a run given none (the defaults of
// cybercba run's flags).
func DefaultRunSpec() RunSpec {
	return RunSpec{Seed: 2017, Draws: 200, Years: 5000, Horizon: 10, View: "financial", Metric: "npv", Objective: "npv", Formats: "png"}
}

// checkedSpec is a RunSpec parsed and checked: everything a run is set by
// that does not need its dataset.
type checkedSpec struct {
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
	// plan is the yearly budgets of a phased plan, nil for none.
	plan *model.YearBudgets
}

// Validate checks every option that does not need the dataset and
// returns every problem at once, each naming its flag.
func (s RunSpec) Validate() error {
	_, err := s.check()
	return err
}

func (s RunSpec) check() (*checkedSpec, error) {
	var errs []error
	add := func(flag string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", flag, Suggest(err)))
		}
	}
	c := &checkedSpec{constraints: model.NoBudget()}
	var err error
	c.metric, err = model.ParseMetric(s.Metric)
	add("--metric", err)
	c.objective, err = model.ParseObjective(s.Objective)
	add("--objective", err)
	amount := func(flag, v string) float64 {
		x, err := ParseAmount(v)
		add(flag, err)
		c.amounts = append(c.amounts, [2]string{flag, v})
		return x
	}
	if s.Budget != "" {
		c.constraints.Annual = amount("--budget", s.Budget)
	}
	if s.CapexBudget != "" {
		c.constraints.Capex = amount("--capex-budget", s.CapexBudget)
	}
	if s.TargetSE != "" {
		v, err := ParseRate(s.TargetSE)
		if err != nil || !(v > 0 && v < 1) {
			errs = append(errs, fmt.Errorf("--target-se: want a fraction such as 1%% or 0.01, got %q", s.TargetSE))
		}
		c.targetSE = v
	}
	c.tolerance, err = ParseTolerance(s.RiskTolerance)
	add("--risk-tolerance", err)
	c.corr, err = ParseCorrelations(s.Correlations)
	add("--correlation", err)
	if c.formats, err = ParseFormats(s.Formats); !s.NoFiles {
		add("--format", err)
	}
	if s.Frontier {
		c.frontier = []float64{}
	}
	if s.FrontierBudgets != "" {
		c.frontier = []float64{}
		for _, f := range strings.Split(s.FrontierBudgets, ",") {
			c.frontier = append(c.frontier, amount("--frontier-budgets", f))
		}
	}
	if s.BudgetPlan != "" || s.BudgetPlanKind != "" {
		b, err := ParseBudgetPlan(s.BudgetPlan, s.BudgetPlanKind)
		add("--budget-plan", err)
		for _, part := range strings.Split(s.BudgetPlan, ",") {
			_, a, ok := strings.Cut(part, ":")
			if !ok {
				a = part
			}
			c.amounts = append(c.amounts, [2]string{"--budget-plan", a})
		}
		if err == nil {
			if err := b.Validate(s.Horizon); err != nil && s.Horizon >= 1 {
				add("--budget-plan", err)
			}
			c.plan = &b
		}
	}
	disc := model.GreenBook()
	if s.Discount != "" {
		r, err := parseDiscount(s.Discount)
		add("--discount", err)
		disc = model.FlatDiscount(r)
	}
	if err := model.CheckSize(s.Draws, s.Years, "--draws", "--years"); err != nil {
		errs = append(errs, err)
	}
	if s.Workers < 0 {
		errs = append(errs, fmt.Errorf("--workers: must not be negative, got %d", s.Workers))
	}
	if err := checkDecisionDraws(s.DecisionDraws, "--decision-draws"); err != nil {
		errs = append(errs, err)
	}
	view, err := model.ParseView(s.View)
	add("--view", err)
	c.appraisal = model.Appraisal{Horizon: s.Horizon, Discount: disc, OptimismBias: s.Bias, View: view}
	add("--horizon, --discount or --optimism-bias", c.appraisal.Validate())
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// checkDecisionDraws checks a number of decision draws, named name.
func checkDecisionDraws(n int, name string) error {
	if n < 0 || n > model.MaxDraws {
		return fmt.Errorf("%s: must be 0 (the default, %s) to 1,000,000, got %d", name, count(model.DefaultDecisionDraws), n)
	}
	return nil
}

// CheckSize checks the settings' draws, years and decision draws, each
// problem naming its flag.
func (s Settings) CheckSize() error {
	return errors.Join(model.CheckSize(s.Draws, s.Years, "draws", "years"), checkDecisionDraws(s.DecisionDraws, "decision-draws"))
}

// Job is a run's resolved inputs: the dataset, the scope's model and
// every setting parsed, ready for model.Decide.
type Job struct {
	Spec      RunSpec
	Dataset   *Dataset
	Scope     *Scope
	Cal       model.Calibration
	Model     *model.Model
	Config    model.Config
	Appraisal model.Appraisal
	Metric    model.Metric
	// Portfolio choice, when a budget or frontier is asked for.
	Choose      bool
	Objective   model.Objective
	Constraints model.Constraints
	Frontier    []float64 // nil: none; empty: the default grid
	Formats     []string
	// Warnings are doubtful inputs; Digest the SHA-256 of the inputs.
	Warnings []model.Warning
	Digest   string
	// Tolerance is the risk tolerance: losses and accepted exceedance
	// probabilities (the run's, else the scope's).
	Tolerance []model.LECPoint
	// ShownOnly asks for the loss summaries the terminal shows only (a
	// run writing no files and no JSON).
	ShownOnly bool
	// BudgetPlan is the yearly budgets of a phased plan, nil for none.
	BudgetPlan *model.YearBudgets
	// Announce, when set, is given the run's time estimate for its later
	// stages, when long (see TableAnnouncement), to show the user.
	Announce func(msg string)
}

// NewJob checks s and builds its job on the dataset ds: the scope's model
// with the run's correlations, harm for the social view and the guidance's
// uplifts, checked. Every error is the user's input's.
func NewJob(s RunSpec, ds *Dataset) (*Job, error) { return newJob(s, ds, nil, nil) }

// NewScenarioJob builds the job of a Scenarios row sc, starting from the
// Settings st, as NewJob builds a run's: the row's options (Scenario.Settings
// then Settings.Spec), its seed (with rowSeeds, derived from the master seed
// and the row's name unless the row gives one) and its changes to the
// scope's model (Scenario.Apply). cal is the calibration, the same for every
// row; the job writes no files and runs on one worker.
func NewScenarioJob(st Settings, ds *Dataset, cal model.Calibration, sc *Scenario, rowSeeds bool) (*Job, error) {
	if sc.Err != nil {
		return nil, sc.Err
	}
	rs := sc.Settings(st)
	if rowSeeds && sc.Seed == nil {
		rs.Seed = ScenarioSeed(st.Seed, sc.Name)
	}
	s := rs.Spec()
	s.NoFiles, s.Workers = true, 1
	return newJob(s, ds, &cal, sc.Apply)
}

// newJob is NewJob with, when not nil, the calibration cal and a change
// to the scope's model.
func newJob(s RunSpec, ds *Dataset, cal *model.Calibration, change func(*model.Model) (*model.Model, error)) (*Job, error) {
	c, err := s.check()
	if err != nil {
		return nil, err
	}
	// An amount in another currency than the dataset's is refused.
	var errs []error
	for _, a := range c.amounts {
		if err := CheckCurrency(a[1], ds.Currency); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", a[0], err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if s.Scope == "" {
		s.Scope = ds.Scopes[0].ID
	}
	sc, err := ds.Scope(s.Scope)
	if err != nil {
		return nil, fmt.Errorf("--scope: %w", err)
	}
	if cal == nil {
		fit, err := model.Calibrate(ds.Target(), s.Seed)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ds.File, err)
		}
		cal = &fit
	}
	m, err := s.scopeModel(ds, sc, *cal, c, change)
	if err != nil {
		return nil, err
	}
	// The scope's own risk tolerance, unless the run gives one.
	if c.tolerance == nil {
		if c.tolerance, err = ParseTolerance(sc.RiskTolerance); err != nil {
			return nil, fmt.Errorf("%s: scope %s: risk_tolerance: %w", ds.File, sc.ID, err)
		}
	}
	warnings := model.Warnings(m, c.appraisal, c.constraints)
	if s.Strict && len(warnings) > 0 {
		var ws []error
		for _, w := range warnings {
			ws = append(ws, fmt.Errorf("%s: scope %s: %s (--strict)", ds.File, sc.ID, w.Text(ds.Money)))
		}
		return nil, errors.Join(ws...)
	}
	j := &Job{
		Spec: s, Dataset: ds, Scope: sc, Cal: *cal, Model: m,
		Config:   model.Config{Draws: s.Draws, Years: s.Years, Seed: s.Seed, Workers: s.Workers, TargetSE: c.targetSE, MaxDraws: maxDraws(s)},
		Warnings: warnings, Digest: ds.Digest(sc.ID),
		Appraisal: c.appraisal, Metric: c.metric,
		Choose:    s.Budget != "" || s.CapexBudget != "" || c.frontier != nil || s.Objective != "npv",
		Objective: c.objective, Constraints: c.constraints, Frontier: c.frontier, Formats: c.formats,
		Tolerance: c.tolerance, BudgetPlan: c.plan,
	}
	if !s.NoFiles {
		// The workbook and plots draw every simulated year (the LEC,
		// histogram and percentile tables): keep them all.
		j.Config.MemoryBudget = -1
	}
	return j, nil
}

// DecideOptions returns the options of model.Decide for the job: with the
// sensitivity analysis when sensitivity is set, switching values for its
// top inputs.
func (j *Job) DecideOptions(sensitivity bool, top int) model.DecideOptions {
	return model.DecideOptions{
		Config: j.Config, Appraisal: j.Appraisal, Metric: j.Metric,
		Objective: j.Objective, Constraints: j.Constraints,
		Frontier: j.Frontier, FrontierKind: model.AnnualBudget,
		Explain: true, Sensitivity: sensitivity, Top: top,
		ShownSummaries: j.ShownOnly, DecisionDraws: j.Spec.DecisionDraws,
		Announce: j.announceTable(),
	}
}

// maxDraws caps --target-se: 100 blocks, and no more than the cap on
// simulated years.
func maxDraws(s RunSpec) int {
	if s.Years < 1 {
		return s.Draws
	}
	return max(min(100*s.Draws, model.MaxSimYears/s.Years), s.Draws)
}

// scopeModel returns the model of scope sc with the run's correlations,
// harm for the social view and, with BiasGuidance, the guidance's uplifts
// (set in c.appraisal), checked.
func (s RunSpec) scopeModel(ds *Dataset, sc *Scope, cal model.Calibration, c *checkedSpec, change func(*model.Model) (*model.Model, error)) (*model.Model, error) {
	m := sc.Model(cal)
	if change != nil {
		var err error
		if m, err = change(m); err != nil {
			return nil, err
		}
	}
	m.Correlations, m.CommonCorrelation = c.corr, s.Climate
	if c.appraisal.View == model.Social {
		if m.Harm = sc.HarmModel(); m.Harm == nil {
			return nil, fmt.Errorf("--view social: %s: scope %s has no harm inputs (harm: deaths_per_day, qalys_per_death, value_per_qaly)", ds.File, sc.ID)
		}
	}
	if s.BiasGuidance {
		if c.appraisal.BiasByProject = ds.BiasRanges(); c.appraisal.BiasByProject == nil {
			return nil, fmt.Errorf("--bias-guidance: %s has no optimism_bias ranges", ds.File)
		}
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("%s: scope %s: %w", ds.File, sc.ID, err)
	}
	return m, nil
}

// ParseCorrelations reads rank correlations between threats' rates,
// "A:B=0.5,C:D=-0.2".
func ParseCorrelations(s string) ([]model.Correlation, error) {
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

// parseDiscount reads a discount rate given as a fraction (0.035) or a
// percentage (3.5%).
func parseDiscount(s string) (float64, error) {
	r, err := ParseRate(s)
	if err != nil {
		return 0, err
	}
	if r <= -1 || r >= 1 {
		return 0, fmt.Errorf("want a rate between −100%% and 100%%, got %q", s)
	}
	return r, nil
}

// PlotFormats are the image formats plots are written in.
var PlotFormats = []string{"png", "svg", "pdf"}

// ParseFormats returns the image formats named in s, a comma-separated
// list of PlotFormats, in the order given, without repeats.
func ParseFormats(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("no format given (want one or more of %s)", strings.Join(PlotFormats, ", "))
	}
	var out []string
	for name := range strings.SplitSeq(s, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case name == "":
			return nil, fmt.Errorf("empty format in %q (want a comma-separated list of %s)", s, strings.Join(PlotFormats, ", "))
		case !slices.Contains(PlotFormats, name):
			return nil, &model.UnknownError{What: "format", Got: name, Want: PlotFormats, Hint: "one or more of " + strings.Join(PlotFormats, ", ")}
		case !slices.Contains(out, name):
			out = append(out, name)
		}
	}
	return out, nil
}
