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

// writeTable writes the run's results as a terminal table.
func writeTable(w io.Writer, j *job, an *model.Analysis, elapsed time.Duration) {
	m, o := j.model, j.opts
	fmt.Fprintf(w, "cybercba %s · %s · %s draws × %s years · seed %d\n",
		version(), m.Scope, thousands(an.Sim.Draws), thousands(o.Years), o.Seed)
	fmt.Fprintf(w, "Money in %s, %s prices. Outage costs calibrated on %s: %s per organisation-day, %s recovery per organisation.\n",
		moneyConvention(j), j.ds.PriceYear, j.ds.Calibration.Incident, j.cur.money(j.cal.DailyNow), j.cur.money(j.cal.RecoveryNow))
	fmt.Fprintf(w, "%s; %d threats, %d controls.\n\n", aggregationText(m), len(m.Threats), len(m.Controls))
	b := an.Baseline
	fmt.Fprintf(w, "Baseline (no new controls): expected annual loss %s ± %s (1 SE); P50 %s, P95 %s ± %s, P99 %s ± %s, TVaR95 %s ± %s\n\n",
		j.cur.money(b.ALE), j.cur.bare(b.ALESE), j.cur.money(b.P50), j.cur.money(b.P95), j.cur.bare(b.P95SE),
		j.cur.money(b.P99), j.cur.bare(b.P99SE), j.cur.money(b.TVaR95), j.cur.bare(b.TVaR95SE))
	fmt.Fprintf(w, "Each control alone, appraised over %d years at %s, ranked by %s in the %s view:\n\n",
		j.appraisal.Horizon, discountText(j.appraisal, o.Discount), metricText(j.metric), j.appraisal.View)
	t := &table{right: map[int]bool{0: true, 3: true, 4: true, 5: true, 7: true, 8: true, 9: true, 10: true, 11: true}}
	t.add("Rank", "ID", "Control", "Cost/yr", "ΔALE/yr", "NPV", "(90% interval)", "BCR", "ROSI", "P(NPV>0)", "P(rank 1)", "Payback")
	for k, i := range an.Ranking.Order {
		r := &an.Results[i]
		c := m.Controls[r.Portfolio[0]]
		pb := fmt.Sprintf(">%d yr", j.appraisal.Horizon)
		if r.Payback > 0 {
			pb = fmt.Sprintf("%d yr", r.Payback)
		}
		t.add(fmt.Sprint(k+1), c.ID, clip(c.Name, 44), j.cur.money(r.EAC.Mean),
			j.cur.money(r.DeltaALE.Mean)+" ±"+j.cur.bare(r.DeltaALESE),
			j.cur.money(r.NPV.Mean)+" ±"+j.cur.bare(r.NPVSE), "["+j.cur.money(r.NPV.Lo)+", "+j.cur.money(r.NPV.Hi)+"]",
			ratioText(r.BCR.Mean), percent(r.ROSI.Mean),
			fmt.Sprintf("%.2f", r.PNPVPositive), fmt.Sprintf("%.2f", an.Ranking.Prob[i][0]), pb)
	}
	fmt.Fprint(w, t.String())
	if an.Sim.Harm != nil {
		writeSocial(w, j, an)
	}
	if uplifts := upliftText(j, an); uplifts != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, uplifts)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Cost/yr is the equivalent annual cost (capex and renewals annuitised, plus opex); payback is discounted. ± is one Monte Carlo standard error;")
	fmt.Fprintln(w, "intervals and probabilities are across outer draws of the uncertain inputs.")
	var spend float64
	n := 0
	for _, r := range an.Results {
		if r.NPV.Mean > 0 {
			spend += r.EAC.Mean
			n++
		}
	}
	fmt.Fprintf(w, "Gordon–Loeb check: the %d controls with positive NPV cost %s a year together; (1/e) × baseline ALE = %s",
		n, j.cur.money(spend), j.cur.money(an.GordonLoeb))
	if spend > an.GordonLoeb {
		fmt.Fprint(w, " (above the bound: look again)\n")
	} else {
		fmt.Fprint(w, " (within the bound)\n")
	}
	fmt.Fprintln(w, convergenceLine(j.cur, an))
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
	Controls    []jsonControl     `json:"controls"`
	Recommended *model.Result     `json:"recommended,omitempty"`
	Portfolio   *jsonPortfolio    `json:"portfolio,omitempty"`
	Sensitivity *jsonSensitivity  `json:"sensitivity,omitempty"`
	Sources     []data.Source     `json:"sources"`
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
func writeJSON(w io.Writer, j *job, an *model.Analysis, pa *model.PortfolioAnalysis, sens *model.Sensitivity) error {
	out := jsonResults{
		Tool: "cybercba", Version: version(), Dataset: j.ds.File,
		Scope: j.scope.ID, ScopeName: j.model.Scope, Currency: j.ds.Currency, Symbol: string(j.cur), PriceYear: j.ds.PriceYear,
		Settings: jsonSettings{
			Seed: j.opts.Seed, Draws: j.opts.Draws, Years: j.opts.Years, Horizon: j.appraisal.Horizon,
			Discount: j.appraisal.Discount, OptimismBias: j.appraisal.OptimismBias, Metric: j.metric.String(),
		},
		Calibration: j.cal, Baseline: an.Baseline, GordonLoeb: an.GordonLoeb, Sources: j.ds.Sources,
		Recommended: an.Recommended, Aggregation: aggregationText(j.model), Digest: j.digest,
		Warnings: []string{},
	}
	for _, w := range j.warnings {
		out.Warnings = append(out.Warnings, w.String())
	}
	out.Settings.Draws = an.Sim.Draws
	out.Settings.TargetSE = j.cfg.TargetSE
	if sens != nil {
		js := sensitivityJSON(j, sens)
		out.Sensitivity = &js
	}
	if pa != nil {
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

// writePortfolio writes the chosen portfolio and the frontier.
func writePortfolio(w io.Writer, j *job, an *model.Analysis, pa *model.PortfolioAnalysis) {
	fmt.Fprintln(w)
	var limits []string
	if c := pa.Constraints.Annual; !math.IsInf(c, 1) {
		limits = append(limits, j.cur.money(c)+" a year (equivalent annual cost)")
	}
	if c := pa.Constraints.Capex; !math.IsInf(c, 1) {
		limits = append(limits, j.cur.money(c)+" of capital")
	}
	within := "with no budget limit"
	if len(limits) > 0 {
		within = "within " + strings.Join(limits, " and ")
	}
	fmt.Fprintf(w, "Best portfolio %s, maximising %s:\n", within, objectiveText(pa.Objective))
	ch := pa.Choice
	if len(ch.Portfolio) == 0 {
		fmt.Fprintln(w, "  none: no set of controls that fits improves on doing nothing.")
	} else {
		for _, c := range ch.Portfolio {
			ctl := j.model.Controls[c]
			fmt.Fprintf(w, "  %-6s %s\n", ctl.ID, ctl.Name)
		}
		r := pa.Result
		fmt.Fprintf(w, "  cost %s a year (capex %s); ΔALE %s ± %s; NPV %s [%s, %s]; BCR %s [%s, %s]; P(NPV>0) %.2f\n",
			j.cur.money(ch.Annual), j.cur.money(ch.Capex), j.cur.money(r.DeltaALE.Mean), j.cur.bare(r.DeltaALESE),
			j.cur.money(r.NPV.Mean), j.cur.money(r.NPV.Lo), j.cur.money(r.NPV.Hi),
			ratioText(r.BCR.Mean), ratioText(r.BCR.Lo), ratioText(r.BCR.Hi), r.PNPVPositive)
		fmt.Fprintf(w, "  annual loss P95: baseline %s, with the portfolio %s; TVaR95 %s → %s\n",
			j.cur.money(an.Baseline.P95), j.cur.money(r.Loss.P95), j.cur.money(an.Baseline.TVaR95), j.cur.money(r.Loss.TVaR95))
		fmt.Fprintf(w, "  Gordon–Loeb: the portfolio spends %s a year, %s of the bound (1/e) × baseline ALE = %s\n",
			j.cur.money(ch.Annual), percent(model.GordonLoebShare(ch.Annual, an.Baseline.ALE)), j.cur.money(an.GordonLoeb))
	}
	proof := "proven best"
	if !ch.Optimal {
		proof = "NOT proven best"
	}
	fmt.Fprintf(w, "  search: %s (%s); objective by %s %s\n", ch.Method, proof, objectiveSource(pa), objectiveValue(j.cur, pa.Objective, ch.Objective))
	if len(pa.Frontier) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Efficient frontier: the best portfolio at each yearly budget, maximising %s:\n\n", objectiveText(pa.Objective))
	t := &table{right: map[int]bool{0: true, 1: true, 3: true, 4: true, 6: true}}
	t.add("Budget/yr", "Spend/yr", "Controls", "Objective", "NPV", "(90% interval)", "P(NPV>0)")
	for _, p := range pa.Frontier {
		ids := strings.Join(p.Choice.Controls, "+")
		if ids == "" {
			ids = "(none)"
		}
		npv, iv, pp := j.cur.money(0), "", "n/a"
		if p.Result != nil {
			npv = j.cur.money(p.Result.NPV.Mean)
			iv = "[" + j.cur.money(p.Result.NPV.Lo) + ", " + j.cur.money(p.Result.NPV.Hi) + "]"
			pp = fmt.Sprintf("%.2f", p.Result.PNPVPositive)
		}
		t.add(j.cur.money(p.Budget), j.cur.money(p.Choice.Annual), clip(ids, 48), objectiveValue(j.cur, pa.Objective, p.Choice.Objective), npv, iv, pp)
	}
	fmt.Fprint(w, t.String())
	fmt.Fprintln(w, "Objective by "+objectiveSource(pa)+"; NPV, intervals and P(NPV>0) from the simulation, across outer draws.")
}

func objectiveSource(pa *model.PortfolioAnalysis) string {
	if pa.Objective == model.MaxDeltaTVaR {
		return fmt.Sprintf("simulation (%s years)", thousands(pa.SampleYears))
	}
	return "closed form (exact expectation)"
}

func objectiveValue(cur currency, o model.Objective, v float64) string {
	return cur.money(v)
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
		t.add(id, j.cur.money(r.Social.DeltaHarm.Mean)+" ±"+j.cur.bare(r.Social.DeltaHarmSE), j.cur.money(r.Social.PVHarm.Mean),
			j.cur.money(r.NPV.Mean), j.cur.money(r.Social.NPV.Mean), fmt.Sprint(fr), fmt.Sprint(sr))
		if line := differsLine(j.cur, id, fr, sr, r.NPV.Mean, r.Social.NPV.Mean); line != "" {
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
