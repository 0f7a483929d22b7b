package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
	"github.com/cybercba/cybercba/reports/format"
)

// discountText describes the appraisal's discounting.
func discountText(a model.Appraisal, flat string) string {
	if flat != "" {
		return "flat " + percent(a.Discount[0].Rate)
	}
	return "Green Book schedule (3.5% to year 30, then 3.0%)"
}

// moneyConvention names the run's currency and its symbol, "GBP (£)", or
// the code alone when the symbol is the code ("CHF").
func moneyConvention(j *job) string {
	sym := strings.TrimSpace(string(j.cur))
	if sym == "" || sym == j.ds.Currency {
		return j.ds.Currency
	}
	return j.ds.Currency + " (" + sym + ")"
}

// writeTable writes the run's results for a terminal: the baseline, the
// recommendation and what it hangs on, then every control alone.
func writeTable(w io.Writer, j *job, d *model.Decision, elapsed time.Duration) {
	an := d.Analysis
	m, o := j.model, j.opts
	fmt.Fprintf(w, "cybercba %s · %s · %s draws × %s years · seed %d\n",
		version(), m.Scope, thousands(an.Sim.Draws), thousands(o.Years), o.Seed)
	fmt.Fprintf(w, "Money in %s, %s prices. Outage costs calibrated on %s: %s per organisation-day, %s recovery per organisation.\n",
		moneyConvention(j), j.ds.PriceYear, j.ds.Calibration.Incident, j.cur.money(j.cal.DailyNow), j.cur.money(j.cal.RecoveryNow))
	fmt.Fprintf(w, "%s; %d threats, %d controls. Appraised over %d years at %s; the %s view (%s) decides.\n\n",
		aggregationText(m), len(m.Threats), len(m.Controls), j.appraisal.Horizon, discountText(j.appraisal, o.Discount), j.appraisal.View, viewLabel(j.appraisal))
	b := an.Baseline
	fmt.Fprintf(w, "Baseline (no new controls): expected annual loss %s ± %s (1 SE); P50 %s, P95 %s ± %s, P99 %s ± %s, TVaR95 %s ± %s\n\n",
		j.cur.money(b.ALE), j.cur.bare(b.ALESE), j.cur.money(b.P50), j.cur.money(b.P95), j.cur.bare(b.P95SE),
		j.cur.money(b.P99), j.cur.bare(b.P99SE), j.cur.money(b.TVaR95), j.cur.bare(b.TVaR95SE))
	writeRecommendation(w, j, d)
	fmt.Fprintln(w)
	social := j.appraisal.View == model.Social && an.Sim.Harm != nil
	fmt.Fprintf(w, "Each control alone, ranked by %s in the %s view:\n\n", metricText(j.metric), j.appraisal.View)
	right := map[int]bool{0: true, 3: true, 4: true, 5: true, 7: true, 8: true, 9: true, 10: true, 11: true, 12: true}
	t := &table{right: right}
	head := []string{"Rank", "ID", "Control", "Cost/yr", "ΔALE/yr", "NPV", "(90% interval)", "BCR", "ROSI", "P(NPV>0)", "P(rank 1)", "Payback"}
	if social {
		head[5] = "NPV with harm"
		head = append(head, "NPV money only")
	}
	t.add(head...)
	for k, i := range an.Ranking.Order {
		r := &an.Results[i]
		c := m.Controls[r.Portfolio[0]]
		pb := fmt.Sprintf(">%d yr", j.appraisal.Horizon)
		if r.Payback > 0 {
			pb = fmt.Sprintf("%d yr", r.Payback)
		}
		row := []string{fmt.Sprint(k + 1), c.ID, clip(c.Name, 44), j.cur.money(r.EAC.Mean),
			j.cur.money(r.DeltaALE.Mean) + " ±" + j.cur.bare(r.DeltaALESE),
			j.cur.money(r.NPV.Mean) + " ±" + j.cur.bare(r.NPVSE), "[" + j.cur.money(r.NPV.Lo) + ", " + j.cur.money(r.NPV.Hi) + "]",
			ratioText(r.BCR.Mean), percent(r.ROSI.Mean),
			fmt.Sprintf("%.2f", r.PNPVPositive), fmt.Sprintf("%.2f", an.Ranking.Prob[i][0]), pb}
		if social {
			row = append(row, j.cur.money(r.Money.NPV.Mean))
		}
		t.add(row...)
	}
	fmt.Fprint(w, rankingText(j, an, t))
	if an.Sim.Harm != nil {
		writeSocial(w, j, an)
	}
	if uplifts := upliftText(j, an); uplifts != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, uplifts)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Cost/yr is the expected equivalent annual cost (capex and renewals annuitised, plus opex), the same in every table; payback is discounted.")
	fmt.Fprintln(w, "± is one Monte Carlo standard error; intervals and probabilities are across outer draws of the uncertain inputs.")
	if social {
		fmt.Fprintln(w, "NPV, BCR, ROSI, P(NPV>0) and payback count patient harm avoided (health discount 1.5%); \"NPV money only\" leaves it out.")
	}
	ch := d.Portfolio.Choice
	fmt.Fprintf(w, "Gordon–Loeb check: the recommendation spends %s a year, %s of (1/e) × baseline ALE = %s",
		j.cur.money(ch.Annual), percent(model.GordonLoebShare(ch.Annual, an.Baseline.ALE)), j.cur.money(an.GordonLoeb))
	if ch.Annual > an.GordonLoeb {
		fmt.Fprint(w, " (above the bound: look again)\n")
	} else {
		fmt.Fprint(w, " (within the bound)\n")
	}
	proof := "proven best"
	if !ch.Optimal {
		proof = "NOT proven best: the search stopped at its limit"
	}
	fmt.Fprintf(w, "Search: %s (%s); objective by %s.\n", ch.Method, proof, objectiveSource(d.Portfolio))
	writeFrontier(w, j, d)
	fmt.Fprintln(w, convergenceLine(j.cur, an))
	if an.Sim.Streaming() {
		fmt.Fprintf(w, "Memory: %s.\n", an.Sim.Method())
	}
	fmt.Fprintf(w, "Data: %s, %d sources (cybercba calibrate lists the calibration's). Run took %s.\n",
		j.ds.File, len(j.ds.Sources), elapsed.Round(10*time.Millisecond))
	fmt.Fprintln(w, provenanceLine(j, an))
}

// convergenceLine says whether the top two controls are told apart.
func convergenceLine(cur currency, an *model.Analysis) string {
	if len(an.Ranking.Order) < 2 {
		return ""
	}
	diff, se, need := an.Separation()
	if need <= an.Sim.Draws {
		return fmt.Sprintf("Convergence: the top two differ in NPV by %s ± %s (more than 3 SE): the leader is clear.", cur.money(diff), cur.money(se))
	}
	return fmt.Sprintf("Convergence: the top two differ in NPV by %s ± %s, within 3 SE; about %s draws would separate them.", cur.money(diff), cur.money(se), thousands(need))
}

// metricText names the ranking metric.
func metricText(m model.Metric) string { return format.Metric(m) }

// clip shortens s to n characters, ending it with an ellipsis.
func clip(s string, n int) string { return format.Clip(s, n) }

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
	Tolerance   []toleranceCheck  `json:"risk_tolerance,omitempty"`
	DeathsNow   *float64          `json:"extra_deaths_a_year,omitempty"`
	DeathsAfter *float64          `json:"extra_deaths_a_year_recommended,omitempty"`
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

func weakPointJSON(j *job, wp *model.WeakPoint, what string) *jsonWeakPoint {
	if wp == nil {
		return nil
	}
	r := wp.Input.Ref
	out := &jsonWeakPoint{
		Input: wp.Name, Ref: strings.Trim(r.Kind+":"+r.ID+":"+r.Threat+":"+r.Key, ":"), ExpectedNPV: wp.ExpectedNPV,
		P5: wp.P5, P95: wp.P95, NPVAtP5: wp.NPVAtP5, NPVAtP95: wp.NPVAtP95, Central: wp.Central, Switch: orNull(wp.Switch),
		Text: weakPointText(j, wp, what),
	}
	if n := j.scope.NumberFor(r); n != nil {
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
	Seed         uint64         `json:"seed"`
	Draws        int            `json:"draws"`
	Years        int            `json:"years"`
	Horizon      int            `json:"horizon"`
	Discount     model.Discount `json:"discount"`
	OptimismBias float64        `json:"optimism_bias"`
	Metric       string         `json:"metric"`
	TargetSE     float64        `json:"target_se"`
}

type jsonControl struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Rank     int       `json:"rank"`
	RankProb []float64 `json:"rank_prob"`
	model.Result
}

// writeJSON writes the run's results as JSON.
func writeJSON(w io.Writer, j *job, d *model.Decision) error {
	an, pa, sens := d.Analysis, d.Portfolio, d.Sensitivity
	out := jsonResults{
		Tool: "cybercba", Version: version(), Dataset: j.ds.File,
		Scope: j.scope.ID, ScopeName: j.model.Scope, Currency: j.ds.Currency, Symbol: string(j.cur), PriceYear: j.ds.PriceYear,
		Settings: jsonSettings{
			Seed: j.opts.Seed, Draws: j.opts.Draws, Years: j.opts.Years, Horizon: j.appraisal.Horizon,
			Discount: j.appraisal.Discount, OptimismBias: j.appraisal.OptimismBias, Metric: j.metric.String(),
		},
		Calibration: j.cal, Baseline: an.Baseline, GordonLoeb: an.GordonLoeb, Sources: j.ds.Sources,
		View: j.appraisal.View.String(), Aggregation: aggregationText(j.model), Digest: j.digest,
		Warnings: []string{},
	}
	rec := jsonRecommended{
		Controls: pa.Choice.Controls, Sentence: recommendationSentence(j, d), Objective: pa.Objective.String(), Budgeted: d.Budgeted,
		Choice: pa.Choice, Result: pa.Result, BuildUp: d.BuildUp, LeftOut: []jsonLeftOut{},
		WeakPoint: weakPointJSON(j, d.WeakPoint, "the recommendation"),
		Holdouts:  reports.HoldoutLine(holdouts(j)),
	}
	if rec.Controls == nil {
		rec.Controls = []string{}
	}
	if rec.BuildUp == nil {
		rec.BuildUp = []model.BuildStep{}
	}
	if len(an.Ranking.Order) > 0 {
		rec.TopWeak = weakPointJSON(j, d.TopWeakPoint, "the top-ranked control ("+an.Results[an.Ranking.Order[0]].Controls[0]+")")
	}
	for _, lo := range d.LeftOut {
		rec.LeftOut = append(rec.LeftOut, jsonLeftOut{LeftOut: lo, Text: leftOutText(j, lo)})
	}
	if an.Sim.Harm != nil {
		rec.DeathsNow, rec.DeathsAfter = orNull(d.Deaths), orNull(d.DeathsRecommended)
	}
	rec.Tolerance = toleranceChecks(j, d)
	out.Recommended = rec
	for _, w := range j.warnings {
		out.Warnings = append(out.Warnings, w.String())
	}
	out.Settings.Draws = an.Sim.Draws
	out.Settings.TargetSE = j.cfg.TargetSE
	out.Health = j.health
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
		c := j.model.Controls[r.Portfolio[0]]
		out.Controls = append(out.Controls, jsonControl{ID: c.ID, Name: c.Name, Rank: an.RankOf(i), RankProb: an.Ranking.Prob[i], Result: r})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// objectiveText names what the portfolio choice maximises, in full.
func objectiveText(o model.Objective) string { return format.ObjectiveLong(o) }

func objectiveSource(pa *model.PortfolioAnalysis) string {
	if pa.Objective == model.MaxDeltaTVaR {
		return fmt.Sprintf("simulation (%s years)", thousands(pa.SampleYears))
	}
	return "closed form (exact expectation)"
}

// aggregationText states how threats combine.
func aggregationText(m *model.Model) string { return format.Aggregation(m) }

// provenanceLine is the run's footer: tool, seed, size, target and the
// digest of the inputs as used.
func provenanceLine(j *job, an *model.Analysis) string {
	target := ""
	if j.cfg.TargetSE > 0 {
		target = fmt.Sprintf(" · target SE %s (reached %s)", percent(j.cfg.TargetSE), percent(an.Baseline.ALESE/an.Baseline.ALE))
	}
	return fmt.Sprintf("Provenance: cybercba %s · seed %d · %s draws × %s years%s · inputs sha256:%s",
		version(), j.opts.Seed, thousands(an.Sim.Draws), thousands(j.opts.Years), target, j.digest[:16])
}

// writeSocial writes the social view beside the financial one: harm
// avoided and NPV with harm for each control, and a line for each control
// whose rank or NPV sign differs between the views.
func writeSocial(w io.Writer, j *job, an *model.Analysis) {
	h := j.model.Harm
	fmt.Fprintf(w, "\nSocial view: patient harm valued at %s per QALY, discounted at 1.5%% (Green Book health rate): baseline harm %s ± %s a year.\n\n",
		j.cur.money(h.ValuePerQALY), j.cur.money(an.BaselineHarm), j.cur.bare(an.BaselineHarmSE))
	fin := model.RankIn(an.Results, j.metric, model.Financial)
	soc := model.RankIn(an.Results, j.metric, model.Social)
	rankIn := func(rk model.Ranking, i int) int {
		for k, x := range rk.Order {
			if x == i {
				return k + 1
			}
		}
		return 0
	}
	t := &table{right: map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true}}
	t.add("ID", "Harm avoided/yr", "PV harm avoided", "NPV (money)", "NPV with harm", "Rank (money)", "Rank (with harm)")
	var differs []string
	for _, i := range an.Ranking.Order {
		r := &an.Results[i]
		id := j.model.Controls[r.Portfolio[0]].ID
		fr, sr := rankIn(fin, i), rankIn(soc, i)
		money := r.NPV.Mean
		if r.Money != nil {
			money = r.Money.NPV.Mean
		}
		t.add(id, j.cur.money(r.Social.DeltaHarm.Mean)+" ±"+j.cur.bare(r.Social.DeltaHarmSE), j.cur.money(r.Social.PVHarm.Mean),
			j.cur.money(money), j.cur.money(r.Social.NPV.Mean), fmt.Sprint(fr), fmt.Sprint(sr))
		if line := differsLine(j.cur, id, fr, sr, money, r.Social.NPV.Mean); line != "" {
			differs = append(differs, line)
		}
	}
	fmt.Fprint(w, t.String())
	fmt.Fprintln(w)
	if len(differs) == 0 {
		fmt.Fprintln(w, "Both views rank every control alike, with the same sign of NPV.")
		return
	}
	fmt.Fprintln(w, "Where the views differ:")
	for _, l := range differs {
		fmt.Fprintln(w, "  "+l)
	}
}

// differsLine describes how a control's rank or NPV sign differs between
// the financial and social views, or returns "".
func differsLine(cur currency, id string, finRank, socRank int, finNPV, socNPV float64) string {
	var parts []string
	if finRank != socRank {
		parts = append(parts, fmt.Sprintf("rank %d on money, %d with harm", finRank, socRank))
	}
	if (finNPV > 0) != (socNPV > 0) {
		parts = append(parts, fmt.Sprintf("NPV %s on money, %s with harm", cur.money(finNPV), cur.money(socNPV)))
	}
	if len(parts) == 0 {
		return ""
	}
	return id + ": " + strings.Join(parts, "; ")
}

// upliftText lists the optimism-bias uplift each control's costs carry,
// or "" when there is none.
func upliftText(j *job, an *model.Analysis) string {
	var parts []string
	for _, r := range an.Results {
		for k, c := range r.Portfolio {
			if u := r.Uplift[k]; u != 0 && j.model.Controls[c].UpliftBites() {
				ctl := j.model.Controls[c]
				on := "capex and opex"
				switch ctl.BiasProject() {
				case model.ProjectEquipment:
					on = "capex"
				case model.ProjectOutsourcing:
					on = "opex"
				}
				parts = append(parts, fmt.Sprintf("%s %s on %s", ctl.ID, percent(u), on))
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	src := "as set"
	if j.appraisal.BiasByProject != nil {
		src = "drawn from the Green Book guidance's range for each project type, mean"
	}
	return "Optimism-bias uplift (" + src + "): " + strings.Join(parts, ", ") + "."
}
