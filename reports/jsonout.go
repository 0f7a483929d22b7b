package reports

import (
	"encoding/json"
	"io"
	"math"
	"strings"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

// jsonResults is the JSON form of a run.
type jsonResults struct {
	Tool        string            `json:"tool"`
	Version     string            `json:"version"`
	Dataset     string            `json:"dataset"`
	Scope       string            `json:"scope"`
	ScopeName   string            `json:"scope_name"`
	Currency    string            `json:"currency"`
	Symbol      string            `json:"currency_symbol"`
	PriceYear   string            `json:"price_year"`
	Settings    jsonSettings      `json:"settings"`
	Calibration model.Calibration `json:"calibration"`
	Baseline    model.Summary     `json:"baseline"`
	GordonLoeb  float64           `json:"gordon_loeb_bound"`
	Aggregation string            `json:"aggregation"`
	Digest      string            `json:"inputs_sha256"`
	Warnings    []string          `json:"warnings"`
	View        string            `json:"view"`
	Controls    []jsonControl     `json:"controls"`
	Recommended jsonRecommended   `json:"recommended"`
	Portfolio   *jsonPortfolio    `json:"portfolio,omitempty"`
	Sensitivity *jsonSensitivity  `json:"sensitivity,omitempty"`
	Plan        *jsonPlan         `json:"plan,omitempty"`
	Sources     []data.Source     `json:"sources"`

	// Health is the health-economic views of a social-view run.
	Health *model.HealthEconomics `json:"health_economics,omitempty"`
}

// jsonRecommended is the one recommendation: the optimiser's best set for
// the view in force, under the budget when one is given.
type jsonRecommended struct {
	Controls    []string          `json:"controls"`
	Sentence    string            `json:"sentence"`
	Objective   string            `json:"objective"`
	Budgeted    bool              `json:"budgeted"`
	Choice      model.Choice      `json:"choice"`
	Result      *model.Result     `json:"result"`
	BuildUp     []model.BuildStep `json:"build_up"`
	LeftOut     []jsonLeftOut     `json:"left_out"`
	WeakPoint   *jsonWeakPoint    `json:"weak_point,omitempty"`
	TopWeak     *jsonWeakPoint    `json:"top_control_weak_point,omitempty"`
	Holdouts    string            `json:"holdouts,omitempty"`
	Tolerance   []ToleranceCheck  `json:"risk_tolerance,omitempty"`
	DeathsNow   *float64          `json:"extra_deaths_a_year,omitempty"`
	DeathsAfter *float64          `json:"extra_deaths_a_year_recommended,omitempty"`
	// The same on the simulated years: mean and 90% interval across draws.
	DeathsNowDrawn   *model.Interval `json:"extra_deaths_a_year_simulated,omitempty"`
	DeathsAfterDrawn *model.Interval `json:"extra_deaths_a_year_recommended_simulated,omitempty"`
}

type jsonLeftOut struct {
	model.LeftOut
	Text string `json:"text"`
}

type jsonWeakPoint struct {
	Input       string   `json:"input"`
	Ref         string   `json:"ref"`
	ExpectedNPV float64  `json:"expected_npv"`
	P5          float64  `json:"p5"`
	P95         float64  `json:"p95"`
	NPVAtP5     float64  `json:"npv_at_p5"`
	NPVAtP95    float64  `json:"npv_at_p95"`
	Central     float64  `json:"central"`
	Switch      *float64 `json:"npv_zero_at"`
	Tag         string   `json:"tag,omitempty"`
	Sources     []string `json:"sources,omitempty"`
	Text        string   `json:"text"`
}

func weakPointJSON(j *Run, wp *model.WeakPoint, what string) *jsonWeakPoint {
	if wp == nil {
		return nil
	}
	r := wp.Input.Ref
	out := &jsonWeakPoint{
		Input: wp.Name, Ref: strings.Trim(r.Kind+":"+r.ID+":"+r.Threat+":"+r.Key, ":"), ExpectedNPV: wp.ExpectedNPV,
		P5: wp.P5, P95: wp.P95, NPVAtP5: wp.NPVAtP5, NPVAtP95: wp.NPVAtP95, Central: wp.Central, Switch: orNull(wp.Switch),
		Text: weakPointText(j.cur, wp, what, j.provenance(wp.Input.Ref)),
	}
	if n := j.Scope.NumberFor(r); n != nil {
		out.Tag, out.Sources = n.Tag, n.Src
	}
	return out
}

type jsonPortfolio struct {
	Objective   string                `json:"objective"`
	AnnualLimit *float64              `json:"annual_budget"`
	CapexLimit  *float64              `json:"capex_budget"`
	Choice      model.Choice          `json:"choice"`
	Result      *model.Result         `json:"result"`
	Frontier    []model.FrontierPoint `json:"frontier,omitempty"`
}

// orNull returns a pointer to x, or nil (JSON null) when x is ±Inf or NaN.
func orNull(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	return &x
}

type jsonSettings struct {
	Seed  uint64 `json:"seed"`
	Draws int    `json:"draws"`
	// DecisionDraws is the number of outer draws behind the decision's
	// intervals and probabilities (Draws × Years simulate the losses).
	DecisionDraws int `json:"decision_draws"`
	// DecisionMethod says how the decision's draws are made.
	DecisionMethod string         `json:"decision_method"`
	Years          int            `json:"years"`
	Horizon        int            `json:"horizon"`
	Discount       model.Discount `json:"discount"`
	OptimismBias   float64        `json:"optimism_bias"`
	Metric         string         `json:"metric"`
	TargetSE       float64        `json:"target_se"`
}

type jsonControl struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Rank     int       `json:"rank"`
	RankProb []float64 `json:"rank_prob"`
	model.Result
}

// WriteJSON writes the run's results as JSON.
func WriteJSON(w io.Writer, j *Run, d *model.Decision) error {
	an, pa, sens := d.Analysis, d.Portfolio, d.Sensitivity
	out := jsonResults{
		Tool: "cybercba", Version: j.Version, Dataset: j.Dataset.File,
		Scope: j.Scope.ID, ScopeName: j.Model.Scope, Currency: j.Dataset.Currency, Symbol: string(j.cur), PriceYear: j.Dataset.PriceYear,
		Settings: jsonSettings{
			Seed: j.Spec.Seed, Draws: j.Spec.Draws, Years: j.Spec.Years, Horizon: j.Appraisal.Horizon,
			Discount: j.Appraisal.Discount, OptimismBias: j.Appraisal.OptimismBias, Metric: j.Metric.String(),
		},
		Calibration: j.Cal, Baseline: an.Baseline, GordonLoeb: an.GordonLoeb, Sources: j.Dataset.Sources,
		View: j.Appraisal.View.String(), Aggregation: format.Aggregation(j.Model), Digest: j.Digest,
		Warnings: []string{},
	}
	rec := jsonRecommended{
		Controls: pa.Choice.Controls, Sentence: recommendationSentence(j, d), Objective: pa.Objective.String(), Budgeted: d.Budgeted,
		Choice: pa.Choice, Result: pa.Result, BuildUp: d.BuildUp, LeftOut: []jsonLeftOut{},
		WeakPoint: weakPointJSON(j, d.WeakPoint, "the recommendation"),
		Holdouts:  HoldoutLine(j.Holdouts()),
	}
	if rec.Controls == nil {
		rec.Controls = []string{}
	}
	if rec.BuildUp == nil {
		rec.BuildUp = []model.BuildStep{}
	}
	if len(an.Ranking.Order) > 0 {
		rec.TopWeak = weakPointJSON(j, d.TopWeakPoint, topWeakWhat(d))
	}
	for _, lo := range d.LeftOut {
		rec.LeftOut = append(rec.LeftOut, jsonLeftOut{LeftOut: lo, Text: leftOutText(j.cur, lo)})
	}
	if an.Sim.Harm != nil {
		rec.DeathsNow, rec.DeathsAfter = orNull(d.Deaths), orNull(d.DeathsRecommended)
		rec.DeathsNowDrawn, rec.DeathsAfterDrawn = &d.DeathsDrawn, &d.DeathsRecommendedDrawn
	}
	rec.Tolerance = toleranceChecks(j, d)
	out.Recommended = rec
	for _, w := range j.Warnings {
		out.Warnings = append(out.Warnings, j.WarningText(w))
	}
	out.Settings.Draws = an.Sim.Draws
	out.Settings.DecisionDraws = an.DecisionDraws()
	out.Settings.DecisionMethod = "draws of the uncertain inputs, exact expectations given each, " + matchedClause
	out.Settings.TargetSE = j.Config.TargetSE
	out.Health = j.Health
	out.Plan = planJSON(j)
	if sens != nil {
		js := sensitivityJSON(j, sens)
		out.Sensitivity = &js
	}
	if d.Budgeted || len(pa.Frontier) > 0 || pa.Objective != model.MaxNPV {
		out.Portfolio = &jsonPortfolio{
			Objective: pa.Objective.String(), AnnualLimit: orNull(pa.Constraints.Annual), CapexLimit: orNull(pa.Constraints.Capex),
			Choice: pa.Choice, Result: pa.Result, Frontier: pa.Frontier,
		}
	}
	for i, r := range an.Results {
		c := j.Model.Controls[r.Portfolio[0]]
		out.Controls = append(out.Controls, jsonControl{ID: c.ID, Name: c.Name, Rank: an.RankOf(i), RankProb: an.Ranking.Prob[i], Result: r})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

type jsonTornadoBar struct {
	Input  string  `json:"input"`
	Field  string  `json:"field"`
	P5     float64 `json:"p5"`
	P95    float64 `json:"p95"`
	NPVP5  float64 `json:"npv_at_p5"`
	NPVP95 float64 `json:"npv_at_p95"`
	Swing  float64 `json:"swing"`
}

type jsonSwitch struct {
	Input       string   `json:"input"`
	Central     float64  `json:"central"`
	NPVZero     *float64 `json:"npv_zero_at"`
	Change      *float64 `json:"decision_changes_at"`
	NewDecision []string `json:"new_decision,omitempty"`
	OldDecision []string `json:"old_decision,omitempty"`
}

type jsonValue struct {
	Input string  `json:"input"`
	EVPPI float64 `json:"evppi"`
	SE    float64 `json:"evppi_se"`
}

type jsonSensitivity struct {
	Tool      string `json:"tool"`
	Version   string `json:"version"`
	Scope     string `json:"scope"`
	Currency  string `json:"currency"`
	Symbol    string `json:"currency_symbol"`
	PriceYear string `json:"price_year"`
	Seed      uint64 `json:"seed"`
	Draws     int    `json:"draws"`
	Years     int    `json:"years"`
	// DecisionDraws is the number of outer draws behind EVPI and EVPPI,
	// and View the view whose NPV they value (social: with harm).
	DecisionDraws int              `json:"decision_draws"`
	View          string           `json:"view"`
	Decision      []string         `json:"decision"`
	Central       float64          `json:"central_npv"`
	Tornado       []jsonTornadoBar `json:"tornado"`
	Switching     []jsonSwitch     `json:"switching_values"`
	EVPI          float64          `json:"evpi"`
	EVPPI         []jsonValue      `json:"evppi"`
}

func ids(m *model.Model, p model.Portfolio) []string {
	var out []string
	for _, c := range p {
		out = append(out, m.Controls[c].ID)
	}
	return out
}

// WriteSensitivityJSON writes the sensitivity analysis alone as JSON.
func WriteSensitivityJSON(w io.Writer, j *Run, s *model.Sensitivity) error {
	b, err := json.MarshalIndent(sensitivityJSON(j, s), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func sensitivityJSON(j *Run, s *model.Sensitivity) jsonSensitivity {
	out := jsonSensitivity{
		Tool: "cybercba", Version: j.Version, Scope: j.Scope.ID,
		Currency: j.Dataset.Currency, Symbol: string(j.cur), PriceYear: j.Dataset.PriceYear, Seed: j.Spec.Seed, Draws: j.Spec.Draws, Years: j.Spec.Years,
		Decision: ids(j.Model, s.Decision), Central: s.Tornado.Central, EVPI: s.VOI.EVPI,
		DecisionDraws: s.VOI.Draws, View: s.VOI.View.String(),
	}
	for _, b := range s.Tornado.Bars {
		out.Tornado = append(out.Tornado, jsonTornadoBar{Input: b.Input.Item, Field: b.Input.Field, P5: b.Lo, P95: b.Hi, NPVP5: b.NPVLo, NPVP95: b.NPVHi, Swing: b.Swing()})
	}
	for _, sw := range s.Switches {
		js := jsonSwitch{Input: sw.Input.Name(), Central: sw.Central, NPVZero: orNull(sw.NPVZero), Change: orNull(sw.Change)}
		if js.Change != nil {
			js.NewDecision = ids(j.Model, sw.NewDecision)
			js.OldDecision = ids(j.Model, sw.OldDecision)
		}
		out.Switching = append(out.Switching, js)
	}
	for _, e := range s.VOI.EVPPI {
		out.EVPPI = append(out.EVPPI, jsonValue{Input: e.Input.Name(), EVPPI: e.Value, SE: e.SE})
	}
	return out
}
