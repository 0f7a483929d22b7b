package reports

import (
	"time"

	"github.com/cybercba/cybercba/model"
)

// Report is everything one run's outputs show: the model results and the
// provenance a reader needs to trust them. The command fills it; the
// functions of this package only read it.
type Report struct {
	Tool, Version string
	// Generated is when the run was made (shown in the workbook).
	Generated time.Time
	// Dataset names the input file (or the embedded default).
	Dataset string
	// ScopeID and ScopeName name what the analysis covers.
	ScopeID, ScopeName string
	// Currency and PriceYear state the money convention, e.g. GBP, 2024-25.
	Currency, PriceYear string
	// CurrencySymbol is written before every amount, in figures, captions
	// and number formats: "£", "€", "CHF ". Empty means "£".
	CurrencySymbol string
	Settings       Settings
	// Model is the model as simulated; Analysis its results.
	Model    *model.Model
	Analysis *model.Analysis
	// Calibration is the fit of the outage cost rates and its replay.
	Calibration Calibration
	// Inputs lists every input number as used; Sources every source.
	Inputs  []Input
	Sources []Source
	// Decision, if set, is the whole decision: the recommendation, its
	// build-up, what it leaves out and its weak point; Explain its
	// sentences as the terminal prints them.
	Decision *model.Decision
	Explain  Explanation
	// Plan, if set, is the phased plan within yearly budgets, and
	// PlanSentence its headline as the terminal prints it.
	Plan         *model.PlanAnalysis
	PlanSentence string
	// Portfolio, if set, is the recommended portfolio (under the budget,
	// when one is given) and the efficient frontier.
	Portfolio *model.PortfolioAnalysis
	// Reproduce, if set, is recorded on a Reproduce sheet, for `cybercba
	// reproduce`.
	Reproduce *Reproduction
	// Sensitivity, if set, is the tornado, switching values and value of
	// information of the run's decision.
	Sensitivity *model.Sensitivity
	// Health, if set, is the health-economic views of the social view
	// (healtheconomics.go).
	Health *model.HealthEconomics
	// RiskTolerance, if set, is drawn on the loss exceedance curve: the
	// largest exceedance probability the organisation accepts at each loss.
	RiskTolerance []model.LECPoint
}

// Settings are a run's settings, as the user gave them.
type Settings struct {
	Seed         uint64
	Draws, Years int
	Horizon      int
	// Discount describes the discounting in words, e.g. "Green Book
	// schedule (3.5% to year 30, then 3.0%)".
	Discount     string
	OptimismBias float64
	// Metric names the ranking metric, e.g. "NPV".
	Metric string
	// TargetSE is the relative standard error asked for (0: none); the
	// draws actually used are Analysis.Sim.Draws.
	TargetSE float64
	// InputsDigest is the SHA-256 (hex) of the inputs as used.
	InputsDigest string
	// Aggregation states how threats combine, e.g. "Threats summed,
	// independent of one another".
	Aggregation string
	// View is the appraisal's view, "financial" or "social".
	View string
}

// Calibration is the WannaCry fit, with the hold-out incidents replayed.
type Calibration struct {
	// Incident names the calibration incident; PriceYear its prices.
	Incident, PriceYear string
	// Target is the reported total cost (£92m), LostOutput and IT its split.
	Target, LostOutput, IT float64
	// Spread and Duration are the incident's inputs.
	Spread, Duration model.Estimate
	Fit              model.Calibration
	Holdouts         []Holdout
	// Checks are other figures shown beside the fit, not fitted.
	Checks []Check
}

// Holdout is a validation incident and the model's replay of it, both in
// the dataset's price year.
type Holdout struct {
	ID, Name string
	Observed float64
	Replay   model.Replay
}

// Check is a figure shown beside the calibration.
type Check struct {
	Name  string
	Value float64
}

// Input is one input number as used, with its provenance.
type Input struct {
	// Section is e.g. "Threat", "Control", "Effect", "Scope", "Calibration".
	Section string
	// Item is the threat or control ID (and name), Field the quantity.
	Item, Field string
	Lo, Hi      float64
	// Measure is what the bounds measure: money, a share (written as a
	// percentage) or a plain number; it sets their number format.
	Measure model.Unit
	// Unit is e.g. "£ per unit", "events per year", "days", "fraction".
	Unit string
	// Tag is F (fact), D (derived) or J (judgement); Sources the source
	// ids; Note the reasoning.
	Tag, Sources, Note string
}

// Source is a publication the inputs are drawn from.
type Source struct {
	ID, Publisher, Title string
	Year                 int
	URL                  string
}
