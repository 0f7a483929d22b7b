package reports

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

// discountLine describes the appraisal's discounting.
func discountLine(a model.Appraisal, flat string) string {
	if flat != "" {
		return "flat " + pctText(a.Discount[0].Rate)
	}
	return "Green Book schedule (3.5% to year 30, then 3.0%)"
}

// moneyConvention names the run's currency and its symbol, "GBP (£)", or
// the code alone when the symbol is the code ("CHF").
func moneyConvention(j *Run) string {
	sym := strings.TrimSpace(string(j.cur))
	if sym == "" || sym == j.Dataset.Currency {
		return j.Dataset.Currency
	}
	return j.Dataset.Currency + " (" + sym + ")"
}

// WriteTable writes the run's results for a terminal: the baseline, the
// recommendation and what it hangs on, then every control alone.
func WriteTable(w io.Writer, j *Run, d *model.Decision, elapsed time.Duration) {
	tw := Wrap(w, j.Width)
	defer tw.Flush()
	w = tw
	an := d.Analysis
	m, o := j.Model, j.Spec
	fmt.Fprintf(w, "cybercba %s · %s · %s · seed %d\n", j.Version, m.Scope, levelsShort(an, o.Years), o.Seed)
	fmt.Fprintf(w, "Money in %s, %s prices. Outage costs calibrated on %s: %s per organisation-day, %s recovery per organisation.\n",
		moneyConvention(j), j.Dataset.PriceYear, j.Dataset.Calibration.Incident, j.cur.text(j.Cal.DailyNow), j.cur.text(j.Cal.RecoveryNow))
	fmt.Fprintf(w, "%s; %d threats, %d controls. Appraised over %d years at %s; the %s view (%s) decides.\n\n",
		format.Aggregation(m), len(m.Threats), len(m.Controls), j.Appraisal.Horizon, discountLine(j.Appraisal, o.Discount), j.Appraisal.View, viewLabel(j.Appraisal))
	b := an.Baseline
	fmt.Fprintf(w, "Baseline (no new controls): expected annual loss %s ± %s (1 SE); P50 %s, P95 %s ± %s, P99 %s ± %s, TVaR95 %s ± %s\n\n",
		j.cur.text(b.ALE), j.cur.bare(b.ALESE), j.cur.text(b.P50), j.cur.text(b.P95), j.cur.bare(b.P95SE),
		j.cur.text(b.P99), j.cur.bare(b.P99SE), j.cur.text(b.TVaR95), j.cur.bare(b.TVaR95SE))
	writeRecommendation(w, j, d)
	fmt.Fprintln(w)
	social := j.Appraisal.View == model.Social && an.Sim.Harm != nil
	withHarm := ""
	if social {
		withHarm = " (NPV, BCR, ROSI, P(NPV>0) and payback count harm avoided)"
	}
	fmt.Fprintf(w, "Each control alone, ranked by %s in the %s view%s:\n\n", format.Metric(j.Metric), j.Appraisal.View, withHarm)
	right := map[int]bool{0: true, 3: true, 4: true, 5: true, 7: true, 8: true, 9: true, 10: true, 11: true, 12: true}
	t := &textTable{right: right}
	head := []string{"Rank", "ID", "Control", "Cost/yr", "ΔALE/yr", "NPV", "(90% interval)", "BCR", "ROSI", "P(NPV>0)", "P(rank 1)", "Payback"}
	if social {
		head[5] = "NPV with harm"
		head = append(head, "NPV money only")
	}
	t.add(head...)
	for k, i := range an.Ranking.Order {
		r := &an.Results[i]
		c := m.Controls[r.Portfolio[0]]
		f := r.InView(j.Appraisal.View)
		pb := fmt.Sprintf(">%d yr", j.Appraisal.Horizon)
		if f.Payback > 0 {
			pb = fmt.Sprintf("%d yr", f.Payback)
		}
		row := []string{fmt.Sprint(k + 1), c.ID, clip(c.Name, 44), j.cur.text(r.EAC.Mean),
			j.cur.text(r.DeltaALE.Mean),
			j.cur.text(r.DecisionNPV.Mean), "[" + j.cur.text(r.DecisionNPV.Lo) + ", " + j.cur.text(r.DecisionNPV.Hi) + "]",
			ratioText(f.BCR.Mean), pctText(f.ROSI.Mean),
			fmt.Sprintf("%.2f", f.PNPVPositive), fmt.Sprintf("%.2f", an.Ranking.Prob[i][0]), pb}
		if social {
			row = append(row, j.cur.text(r.MoneyNPV.Mean))
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
	fmt.Fprintln(w, levelsText(an, o.Years))
	if line := simulationCheckText(j, an); line != "" {
		fmt.Fprintln(w, line)
	}
	if social {
		fmt.Fprintln(w, "NPV, BCR, ROSI, P(NPV>0) and payback count patient harm avoided (health discount 1.5%); \"NPV money only\" leaves it out.")
	}
	ch := d.Portfolio.Choice
	fmt.Fprintf(w, "Gordon–Loeb check: the recommendation spends %s a year, %s of (1/e) × baseline ALE = %s",
		j.cur.text(ch.Annual), pctText(model.GordonLoebShare(ch.Annual, an.Baseline.ALE)), j.cur.text(an.GordonLoeb))
	if ch.Annual > an.GordonLoeb {
		fmt.Fprint(w, " (above the bound: look again)\n")
	} else {
		fmt.Fprint(w, " (within the bound)\n")
	}
	proof := "proven best"
	if !ch.Optimal {
		proof = "NOT proven best: the search stopped at its limit"
	}
	fmt.Fprintf(w, "Search: %s (%s); objective by %s.\n", ch.Method, proof, objectiveBasis(d.Portfolio))
	writeFrontier(w, j, d)
	writePlan(w, j)
	fmt.Fprintln(w, convergenceLine(j.cur, an))
	if an.Sim.Streaming() {
		fmt.Fprintf(w, "Memory: %s.\n", an.Sim.Method())
	}
	fmt.Fprintf(w, "Data: %s, %d sources (cybercba calibrate lists the calibration's). Run took %s.\n",
		j.Dataset.File, len(j.Dataset.Sources), elapsed.Round(10*time.Millisecond))
	fmt.Fprintln(w, provenanceLine(j, an))
}

// convergenceLine says whether the top two controls are told apart.
func convergenceLine(cur currency, an *model.Analysis) string {
	if len(an.Ranking.Order) < 2 {
		return ""
	}
	diff, se, need := an.Separation()
	if need <= an.DecisionDraws() {
		return fmt.Sprintf("Convergence: the top two differ in expected NPV by %s; over %s draws of the uncertain inputs that difference is estimated to ± %s (1 SE), more than 3 SE: the top two are told apart.", cur.text(diff), thousands(an.DecisionDraws()), cur.text(se))
	}
	return fmt.Sprintf("Convergence: the top two differ in expected NPV by %s ± %s (1 SE over %s draws of the uncertain inputs), within 3 SE; about %s draws of the uncertain inputs would separate them.", cur.text(diff), cur.text(se), thousands(an.DecisionDraws()), thousands(need))
}

// provenanceLine is the run's footer: tool, seed, size, target and the
// digest of the inputs as used.
func provenanceLine(j *Run, an *model.Analysis) string {
	target := ""
	if j.Config.TargetSE > 0 {
		target = fmt.Sprintf(" · target SE %s (reached %s)", pctText(j.Config.TargetSE), pctText(an.Baseline.ALESE/an.Baseline.ALE))
	}
	return fmt.Sprintf("Provenance: cybercba %s · seed %d · %s decision draws · %s draws × %s years simulated%s · inputs sha256:%s",
		j.Version, j.Spec.Seed, thousands(an.DecisionDraws()), thousands(an.Sim.Draws), thousands(j.Spec.Years), target, j.Digest[:16])
}

// writeSocial writes the social view beside the financial one: harm
// avoided and NPV with harm for each control, and a line for each control
// whose rank or NPV sign differs between the views.
func writeSocial(w io.Writer, j *Run, an *model.Analysis) {
	h := j.Model.Harm
	fmt.Fprintf(w, "\nSocial view: patient harm valued at %s per QALY, discounted at 1.5%% (Green Book health rate): baseline harm %s ± %s a year.\n\n",
		j.cur.text(h.ValuePerQALY), j.cur.text(an.BaselineHarm), j.cur.bare(an.BaselineHarmSE))
	fin := model.RankIn(an.Results, j.Metric, model.Financial)
	soc := model.RankIn(an.Results, j.Metric, model.Social)
	rankIn := func(rk model.Ranking, i int) int {
		for k, x := range rk.Order {
			if x == i {
				return k + 1
			}
		}
		return 0
	}
	t := &textTable{right: map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true}, key: 1}
	t.add("ID", "Harm avoided/yr", "PV harm avoided", "NPV (money)", "NPV with harm", "Rank (money)", "Rank (with harm)")
	var differs []string
	for _, i := range an.Ranking.Order {
		r := &an.Results[i]
		id := j.Model.Controls[r.Portfolio[0]].ID
		fr, sr := rankIn(fin, i), rankIn(soc, i)
		money := r.MoneyNPV.Mean
		t.add(id, j.cur.text(r.Social.DeltaHarm.Mean)+" ±"+j.cur.bare(r.Social.DeltaHarmSE), j.cur.text(r.Social.PVHarm.Mean),
			j.cur.text(money), j.cur.text(r.Social.NPV.Mean), fmt.Sprint(fr), fmt.Sprint(sr))
		if line := differsLine(j.cur, id, fr, sr, money, r.Social.NPV.Mean); line != "" {
			differs = append(differs, line)
		}
	}
	fmt.Fprint(w, t.fit(j.fitWidth()))
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
		parts = append(parts, fmt.Sprintf("NPV %s on money, %s with harm", cur.text(finNPV), cur.text(socNPV)))
	}
	if len(parts) == 0 {
		return ""
	}
	return id + ": " + strings.Join(parts, "; ")
}

// upliftText lists the optimism-bias uplift each control's costs carry,
// or "" when there is none.
func upliftText(j *Run, an *model.Analysis) string {
	var parts []string
	for _, r := range an.Results {
		for k, c := range r.Portfolio {
			if u := r.Uplift[k]; u != 0 && j.Model.Controls[c].UpliftBites() {
				ctl := j.Model.Controls[c]
				on := "capex and opex"
				switch ctl.BiasProject() {
				case model.ProjectEquipment:
					on = "capex"
				case model.ProjectOutsourcing:
					on = "opex"
				}
				parts = append(parts, fmt.Sprintf("%s %s on %s", ctl.ID, pctText(u), on))
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	src := "as set"
	if j.Appraisal.BiasByProject != nil {
		src = "drawn from the Green Book guidance's range for each project type, mean"
	}
	return "Optimism-bias uplift (" + src + "): " + strings.Join(parts, ", ") + "."
}

// writeRecommendation writes the recommendation, its build-up, the
// controls left out and why, the weak point, the hold-out line and, in the
// social view, the implied deaths.
func writeRecommendation(w io.Writer, j *Run, d *model.Decision) {
	fmt.Fprintln(w, recommendationSentence(j, d))
	if len(d.BuildUp) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "How it builds up (each control given those above it; expected values by the closed form, simulated beside with 1 SE; NPV in %s):\n\n", viewLabel(j.Appraisal))
		t := &textTable{right: map[int]bool{0: true, 3: true, 4: true, 5: true, 6: true},
			flex: 3, flexMin: 16, key: 2, labels: []string{6: "simulated"}}
		t.add("Step", "ID", "Control", "Cost/yr", "Adds ΔALE/yr", "Adds NPV", "(simulated)")
		var total float64
		for k, st := range d.BuildUp {
			total += st.MarginalNPV
			t.add(fmt.Sprint(k+1), st.ID, clip(j.Model.Controls[st.Control].Name, 44), j.cur.text(st.Annual),
				j.cur.text(st.MarginalDeltaALE), j.cur.text(st.MarginalNPV), j.cur.text(st.SimNPV)+" ±"+j.cur.bare(st.SimNPVSE))
		}
		t.add("", "", "Total", j.cur.text(d.Portfolio.Choice.Annual), "", j.cur.text(total), j.cur.text(d.Recommended.DecisionSimNPV))
		fmt.Fprint(w, t.fit(j.fitWidth()))
	}
	leftOut, weak, topWeak := decisionLines(j.cur, d, j.provenance)
	for _, l := range leftOut {
		fmt.Fprintln(w, "  Left out: "+l)
	}
	if weak != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, weak)
	}
	if topWeak != "" {
		fmt.Fprintln(w, topWeak)
	}
	if line := HoldoutLine(j.Holdouts()); line != "" {
		fmt.Fprintln(w, line)
	}
	if line := toleranceText(j, d); line != "" {
		fmt.Fprintln(w, line)
	}
	if d.Sim.Harm != nil {
		fmt.Fprintln(w, deathsLine(j, d))
	}
}

// topWeakPointShown reports whether the top-ranked control's weak point
// gets a line of its own beside the recommendation's: when there is no
// recommendation's, or the top-ranked control is not in the
// recommendation. When it is, the recommendation's weak point speaks for
// it (the two lines would name the same input or repeat each other).
func topWeakPointShown(d *model.Decision) bool {
	if d.TopWeakPoint == nil || len(d.Ranking.Order) == 0 {
		return false
	}
	if d.WeakPoint == nil || d.Portfolio == nil {
		return true
	}
	top := d.Results[d.Ranking.Order[0]].Portfolio
	return len(top) != 1 || !slices.Contains(d.Portfolio.Choice.Portfolio, top[0])
}

// writeFrontier writes the frontier's breakpoints: where the best
// portfolio changes, with the risk it buys per pound.
func writeFrontier(w io.Writer, j *Run, d *model.Decision) {
	pa := d.Portfolio
	if len(pa.Frontier) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Efficient frontier: the budgets at which the best portfolio changes (maximising %s), and the risk each buys:\n\n", format.ObjectiveLong(pa.Objective))
	t := &textTable{right: map[int]bool{0: true, 1: true, 3: true, 4: true, 5: true, 6: true, 7: true}, flex: 3, flexMin: 12}
	t.add("From budget/yr", "Spend/yr", "Adds", "ΔALE/yr", "ΔP95", "ΔTVaR95", "ΔALE per "+strings.TrimSpace(string(j.cur))+"1", "NPV")
	base := d.Baseline
	for _, p := range pa.Frontier {
		add := strings.Join(p.Added, "+")
		if len(p.Removed) > 0 {
			add += " (drops " + strings.Join(p.Removed, "+") + ")"
		}
		if add == "" {
			add = "(none)"
		}
		dale, dp95, dtv, per, npv := "", "", "", "", j.cur.text(0)
		if r := p.Result; r != nil {
			dale = j.cur.text(r.DeltaALE.Mean)
			dp95 = j.cur.text(base.P95 - r.Loss.P95)
			dtv = j.cur.text(base.TVaR95 - r.Loss.TVaR95)
			if p.Choice.Annual > 0 {
				per = ratioText(r.DeltaALE.Mean / p.Choice.Annual)
			}
			npv = j.cur.text(r.DecisionNPV.Mean)
		}
		t.add(j.cur.text(p.Budget), j.cur.text(p.Choice.Annual), clip(add, 40), dale, dp95, dtv, per, npv)
	}
	fmt.Fprint(w, t.fit(j.fitWidth()))
	fmt.Fprintln(w, "Each row holds from its budget up to the next row's; ΔP95 and ΔTVaR95 are reductions of the annual-loss percentiles on the simulated years.")
}

// tableWidth returns the width of the widest line of text.
func tableWidth(text string) int {
	w := 0
	for line := range strings.SplitSeq(text, "\n") {
		w = max(w, textWidth(line))
	}
	return w
}

// rankingText returns the ranking as t renders it, or, when the terminal
// is narrower than that and --wide is not given, in the compact layout of
// compactRanking.
func rankingText(j *Run, an *model.Analysis, t *textTable) string {
	full := t.String()
	if j.Wide || j.Width <= 0 || tableWidth(full) <= j.Width {
		return full
	}
	return compactRanking(j, an, j.Width)
}

// compactRanking writes every control alone in rank order, its name on one
// line and its figures on the next, for a terminal width columns wide:
//
//	1  R-C1  Every trust: MFA on remote, admin, cloud and supplier access
//	   NPV £199m ±12.1m [−£31.0m, £531m] · £15.3m/yr · BCR 2.56 · P(NPV>0) 0.94
//	   ΔALE £39.3m/yr
//
// Figures that do not fit a line go on the next.
func compactRanking(j *Run, an *model.Analysis, width int) string {
	var b strings.Builder
	indent := "    "
	for k, i := range an.Ranking.Order {
		r := &an.Results[i]
		c := j.Model.Controls[r.Portfolio[0]]
		head := fmt.Sprintf("%2d  %s  ", k+1, c.ID)
		fmt.Fprintf(&b, "%s%s\n", head, clipWidth(c.Name, max(width-textWidth(head), 12)))
		f := r.InView(j.Appraisal.View)
		parts := []string{
			"NPV " + j.cur.text(r.DecisionNPV.Mean) + " [" + j.cur.text(r.DecisionNPV.Lo) + ", " + j.cur.text(r.DecisionNPV.Hi) + "]",
			j.cur.text(r.EAC.Mean) + "/yr",
			"BCR " + ratioText(f.BCR.Mean),
			fmt.Sprintf("P(NPV>0) %.2f", f.PNPVPositive),
			"ΔALE " + j.cur.text(r.DeltaALE.Mean) + "/yr",
		}
		if j.Appraisal.View == model.Social && r.Social != nil {
			parts = append(parts, "money only "+j.cur.text(r.MoneyNPV.Mean))
		}
		b.WriteString(fillParts(parts, indent, width))
	}
	b.WriteString("(compact layout; --wide for the full table)\n")
	return b.String()
}

// textTable writes rows as aligned columns; right-aligns columns whose index is
// in right.
//
// On a terminal narrower than the table, fit shortens its flexible column
// (flex, counted from 1; 0 for none) to no fewer than flexMin columns,
// with short when set (row k's cell in n columns), else stacks its rows:
// the first key columns and the flexible one on a line, then the others
// after their labels (labels, else the header).
type textTable struct {
	rows    [][]string
	right   map[int]bool
	flex    int
	flexMin int
	short   func(k, n int) string
	key     int
	labels  []string
}

func (t *textTable) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *textTable) String() string {
	var w []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(w) {
				w = append(w, 0)
			}
			w[i] = max(w[i], textWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			pad := strings.Repeat(" ", w[i]-textWidth(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right[i] {
				b.WriteString(pad + c)
			} else if i < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// WriteHealth writes the health-economic views in brief: the ICER table,
// the EVPI at the value per QALY, and the inputs most worth researching.
func WriteHealth(w io.Writer, j *Run) {
	he := j.Health
	if he == nil {
		return
	}
	tw := Wrap(w, j.Width)
	defer tw.Flush()
	w = tw
	cur := j.cur
	fmt.Fprintf(w, "\nHealth economics (social view, %s prices): costs net of the money loss avoided, over %d years at the appraisal's rate (%.2f discounted years);\n",
		j.Dataset.PriceYear, he.Horizon, he.Annuity)
	fmt.Fprintf(w, "QALYs gained over the same years at the health rate (%.2f discounted years). ICERs in dampack's convention (D dominated, ED extendedly dominated):\n\n", he.HealthAnnuity)
	t := &textTable{right: map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true}, flex: 1, flexMin: 12}
	t.add("Option", "PV cost", "PV QALYs", "ΔCost", "ΔQALYs", "ICER", "Status")
	num := func(x model.Number, f func(float64) string) string {
		if v := float64(x); !math.IsNaN(v) && !math.IsInf(v, 0) {
			return f(v)
		}
		return "–"
	}
	qalys := func(x float64) string { return fmt.Sprintf("%.1f", x) }
	for _, r := range he.ICERs {
		t.add(clip(r.Name, 24), cur.text(r.Cost), qalys(r.Effect), num(r.IncCost, cur.text), num(r.IncEffect, qalys),
			num(r.ICER, func(x float64) string { return cur.text(x) + "/QALY" }), string(r.Status))
	}
	fmt.Fprint(w, t.fit(j.fitWidth()))
	fmt.Fprintf(w, "\nAt %s per QALY (Green Book, %s prices): EVPI %s over %d years (%s a year).",
		cur.text(he.ValuePerQALY), j.Dataset.PriceYear, cur.text(he.EVPI), he.Horizon, cur.text(he.EVPIPerYear))
	if len(he.Partial) > 0 {
		fmt.Fprint(w, " Most worth researching (EVPPI ± SE by regression):")
		for _, r := range he.Partial[:min(3, len(he.Partial))] {
			fmt.Fprintf(w, "\n  %s: %s ± %s", r.Name, cur.text(r.Value), cur.bare(r.SE))
		}
	}
	fmt.Fprintln(w)
}

// portfolioName lists a portfolio's control IDs, or "doing nothing".
func portfolioName(m *model.Model, p model.Portfolio) string {
	if len(p) == 0 {
		return "doing nothing"
	}
	var ids []string
	for _, c := range p {
		ids = append(ids, m.Controls[c].ID)
	}
	return strings.Join(ids, "+")
}

// inputValue formats an input's value in its unit.
func switchValue(cur currency, in model.Input, x float64) string {
	if math.IsNaN(x) {
		return "none"
	}
	switch in.Unit {
	case model.Share:
		return pctText(x)
	case model.Money:
		return cur.text(x)
	}
	return format.Number(x)
}

// WriteSensitivity writes the sensitivity analysis for a terminal: the
// tornado, the switching values and the value of information.
func WriteSensitivity(w io.Writer, j *Run, s *model.Sensitivity) {
	tw := Wrap(w, j.Width)
	defer tw.Flush()
	w = tw
	m, o := j.Model, j.Spec
	fmt.Fprintf(w, "cybercba %s · %s · sensitivity · decision on %s draws · losses on %s × %s simulated years · seed %d · money in %s, %s prices\n\n",
		j.Version, m.Scope, thousands(s.VOI.Draws), thousands(o.Draws), thousands(o.Years), o.Seed, moneyConvention(j), j.Dataset.PriceYear)
	tn := s.Tornado
	fmt.Fprintf(w, "Decision: %s, %s. Its expected NPV is %s (%s).\n\n",
		s.DecisionName, portfolioName(m, s.Decision), j.cur.text(tn.Central), viewLabel(j.Appraisal))
	fmt.Fprintf(w, "Tornado around the expected case: each input from its 5th to its 95th percentile, the others uncertain as they are (%d inputs; exact closed form, centred on the expected NPV):\n\n", len(tn.Bars))
	t := &textTable{right: map[int]bool{0: true, 2: true, 3: true, 4: true, 5: true, 6: true}, flex: 2, flexMin: 24, key: 1,
		short: func(k, n int) string { return inputName(tn.Bars[k-1].Input, n) }}
	t.add("#", "Input", "P5", "P95", "NPV at P5", "NPV at P95", "Swing")
	for i, b := range tn.Bars {
		if i == 20 {
			break
		}
		t.add(fmt.Sprint(i+1), inputName(b.Input, 64), switchValue(j.cur, b.Input, b.Lo), switchValue(j.cur, b.Input, b.Hi),
			j.cur.text(b.NPVLo), j.cur.text(b.NPVHi), j.cur.text(b.Swing()))
	}
	fmt.Fprint(w, t.fit(j.fitWidth()))
	if len(tn.Bars) > 20 {
		fmt.Fprintf(w, "(%d more inputs with smaller swings; --json or the workbook list them all)\n", len(tn.Bars)-20)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Switching values: where, with every other input uncertain as it is, the decision's expected NPV reaches zero, and where another decision becomes best:")
	fmt.Fprintln(w)
	t = &textTable{right: map[int]bool{1: true, 2: true, 3: true, 4: true}, flex: 1, flexMin: 24,
		short: func(k, n int) string { return inputName(s.Switches[k-1].Input, n) }}
	t.add("Input", "Central", "NPV = 0 at", "(percentile)", "Decision changes at", "to")
	for _, sw := range s.Switches {
		d := sw.Input.Estimate.Dist(sw.Input.Kind)
		pct := ""
		if !math.IsNaN(sw.NPVZero) {
			switch p := 100 * d.CDF(sw.NPVZero); {
			case p < 0.1:
				pct = "below P0.1"
			case p > 99.9:
				pct = "above P99.9"
			default:
				pct = fmt.Sprintf("P%.1f", p)
			}
		}
		to := ""
		if !math.IsNaN(sw.Change) {
			to = portfolioName(m, sw.NewDecision)
			if !slices.Equal(sw.OldDecision, s.Decision) {
				to = "from " + portfolioName(m, sw.OldDecision) + " to " + to
			}
		}
		t.add(inputName(sw.Input, 64), switchValue(j.cur, sw.Input, d.Mean()), switchValue(j.cur, sw.Input, sw.NPVZero), pct,
			switchValue(j.cur, sw.Input, sw.Change), to)
	}
	fmt.Fprint(w, t.fit(j.fitWidth()))
	fmt.Fprintln(w, "\"none\": no switch between the 5th percentile ÷ 1000 and the 95th × 1000 (fractions: 0 to 100%).")
	fmt.Fprintln(w)
	v := s.VOI
	fmt.Fprintf(w, "Value of information, choosing among doing nothing and %d alternatives by %s, across %s draws of the uncertain inputs (each draw's NPV its exact expectation given them):\n", len(v.Alternatives), voiView(v), thousands(v.Draws))
	fmt.Fprintf(w, "  EVPI %s: the most that perfect knowledge of every parameter could be worth to this decision.\n", j.cur.text(v.EVPI))
	fmt.Fprintf(w, "  Best on current knowledge: %s.\n\n", portfolioName(m, v.Best))
	t = &textTable{right: map[int]bool{0: true, 2: true, 3: true, 4: true}, flex: 2, flexMin: 24, key: 1,
		short: func(k, n int) string { return inputName(v.EVPPI[k-1].Input, n) }}
	t.add("#", "Parameter", "EVPPI", "± SE", "of EVPI")
	for i, e := range v.EVPPI {
		if i == 15 {
			break
		}
		share := "n/a"
		if v.EVPI > 0 {
			share = pctText(e.Value / v.EVPI)
		}
		t.add(fmt.Sprint(i+1), inputName(e.Input, 64), j.cur.text(e.Value), j.cur.bare(e.SE), share)
	}
	fmt.Fprint(w, t.fit(j.fitWidth()))
	fmt.Fprintf(w, "EVPPI by regression of net benefit on the parameter over the %s draws (Strong, Oakley and Brennan 2014; a penalised cubic spline chosen by generalised cross-validation), ± one standard error; compare, don't add.\n", thousands(v.Draws))
}

// inputName names an input in at most n characters for a table, in one
// style for every row: an input of a threat or control as its IDs and
// field, then its item's name in brackets as far as it fits ("T1: events
// a year (Targeted ransomware, trust-wide outage)", "R-C1 on S2: cut in
// frequency (Every trust: MFA on…)"), so that rows stay distinct; an input
// without IDs as its item and field, the item shortened if need be.
func inputName(in model.Input, n int) string {
	field := ": " + in.Field
	ids := in.Ref.ID
	if in.Ref.Threat != "" {
		ids += " on " + in.Ref.Threat
	}
	if ids != "" {
		head := ids + field
		// The item without its own "(ID)": the IDs lead the row.
		item, _, _ := strings.Cut(in.Item, " ("+in.Ref.ID+")")
		if len([]rune(head))+3+len([]rune(item)) <= n {
			return head + " (" + item + ")"
		}
		if room := n - len([]rune(head)) - 3; room >= 8 {
			return head + " (" + clip(item, room) + ")"
		}
		return clip(head, n)
	}
	if len([]rune(in.Name())) <= n {
		return in.Name()
	}
	room := n - len([]rune(field))
	if room < 12 {
		return clip(in.Name(), n)
	}
	return clip(in.Item, room) + field
}

// sourceText renders a number's provenance: its tag and sources.
func sourceText(ds *data.Dataset, n data.Number) string {
	tag := map[string]string{"F": "fact", "D": "derived", "J": "judgement"}[n.Tag]
	var src []string
	for _, id := range n.Src {
		if s := ds.SourceByID(id); s != nil {
			src = append(src, fmt.Sprintf("%s, %s (%d)", s.Publisher, s.Title, s.Year))
		}
	}
	if len(src) == 0 {
		return tag
	}
	return tag + ": " + strings.Join(src, "; ")
}

// WriteCalibration writes the calibration of ds for a terminal: its inputs
// with their sources, the fitted rates, the replay and the hold-outs,
// money written with symbol.
func WriteCalibration(w io.Writer, ds *data.Dataset, cal model.Calibration, seed uint64, version, symbol string, width int) {
	tw := Wrap(w, width)
	defer tw.Flush()
	w = tw
	cur := currency(symbol)
	c := ds.Calibration
	fmt.Fprintf(w, "cybercba %s · calibration on %s (%s prices) · %s\n\n", version, c.Incident, c.PriceYear, ds.File)
	fmt.Fprintln(w, "Inputs:")
	for _, in := range []struct {
		name  string
		n     data.Number
		money bool
	}{
		{"spread S, organisations disrupted (90% interval)", c.Spread, false},
		{"duration D, outage days (90% interval)", c.Duration, false},
		{"lost output", c.LostOutput, true},
		{"IT costs", c.ITCosts, true},
		{"total", c.Total, true},
		{"GDP deflator to " + ds.PriceYear, c.Deflator, false},
	} {
		v := in.n.String()
		if in.money {
			v = cur.text(in.n.Lo)
		}
		fmt.Fprintf(w, "  %-52s %-10s %s\n", in.name, v, sourceText(ds, in.n))
	}
	if c.Note != "" {
		fmt.Fprintf(w, "  Note: %s\n", c.Note)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Fitted rates (c_d = lost output / (E[S]·E[D]), c_r = IT costs / E[S]):")
	fmt.Fprintf(w, "  daily lost output per organisation-day, c_d    %10s (%s)   %10s (%s)\n", cur.text(cal.Daily), c.PriceYear, cur.text(cal.DailyNow), ds.PriceYear)
	fmt.Fprintf(w, "  IT recovery per disrupted organisation, c_r    %10s (%s)   %10s (%s)\n\n", cur.text(cal.Recovery), c.PriceYear, cur.text(cal.RecoveryNow), ds.PriceYear)
	rp := cal.Replay
	fmt.Fprintf(w, "Replay of %s with the fitted rates (%s prices):\n", c.Incident, c.PriceYear)
	fmt.Fprintf(w, "  expected cost %s = %s lost output + %s IT (closed form)\n", cur.text(rp.Mean), cur.text(rp.LostOutput), cur.text(rp.IT))
	fmt.Fprintf(w, "  simulated     %s ± %s (1 SE, %s replays, seed %d); 90%% interval %s\n",
		cur.text(rp.SimMean), cur.text(rp.SE), thousands(200000), seed, format.Currency(cur).Interval(rp.P5, rp.P95))
	fmt.Fprintf(w, "  target        %s: off by %+.3f%%\n\n", cur.text(c.Total.Lo), 100*(rp.SimMean-c.Total.Lo)/c.Total.Lo)
	if len(c.Checks) > 0 {
		fmt.Fprintln(w, "Other figures, for comparison (not fitted):")
		for _, ch := range c.Checks {
			fmt.Fprintf(w, "  %-60s %10s   %s\n", ch.Name, cur.text(ch.Value.Lo), sourceText(ds, ch.Value))
		}
		fmt.Fprintf(w, "  the fitted lost output for the same replay                   %10s\n\n", cur.text(rp.LostOutput))
	}
	if len(ds.Holdouts) == 0 {
		return
	}
	fmt.Fprintf(w, "Hold-out incidents (validation, not fitted), replayed at the fitted rates in %s prices:\n", ds.PriceYear)
	t := &textTable{right: map[int]bool{1: true, 2: true, 3: true, 4: true}, flex: 1, flexMin: 16}
	t.add("Incident", "Observed", "Model mean", "Model 90% interval", "Observed/model", "Verdict")
	for _, h := range ds.Holdouts {
		r := model.ReplayIncident(h.Incident(), cal.DailyNow, cal.RecoveryNow, seed)
		verdict := "inside the model's 90% interval"
		switch {
		case h.Observed.Lo < r.P5:
			verdict = "below the model's 90% interval"
		case h.Observed.Lo > r.P95:
			verdict = "above the model's 90% interval"
		}
		t.add(clip(h.Name, 60), cur.text(h.Observed.Lo), cur.text(r.Mean), cur.text(r.P5)+" to "+cur.text(r.P95),
			fmt.Sprintf("%.2f×", h.Observed.Lo/r.Mean), verdict)
	}
	fmt.Fprint(w, t.fit(width))
	fmt.Fprintln(w)
	for _, h := range ds.Holdouts {
		fmt.Fprintf(w, "  %s: observed %s (%s). %s\n", h.ID, cur.text(h.Observed.Lo), sourceText(ds, h.Observed), h.Observed.Note)
	}
}

// WriteBatchTable writes one line per scenario that ran: its baseline's
// expected annual loss and P95, and what it recommends (the best portfolio
// within its budget, else its best single control) with its NPV and 90%
// interval; then one line per scenario that could not run.
func WriteBatchTable(w io.Writer, b *Batch, width int) {
	if len(b.Rows) == 0 && len(b.Errors) == 0 {
		return
	}
	tw := Wrap(w, width)
	defer tw.Flush()
	w = tw
	cur := currency(b.CurrencySymbol)
	if cur == "" {
		cur = "£"
	}
	t := &textTable{right: map[int]bool{2: true, 3: true, 5: true, 6: true, 8: true}, flex: 1, flexMin: 12, labels: []string{7: "90% interval"}}
	t.add("Scenario", "Scope", "ALE", "P95", "Recommends", "Cost/yr", "NPV", "(90% interval)", "P(NPV>0)")
	for _, r := range b.Rows {
		o, what := r.Best, ""
		if r.Portfolio != nil {
			o, what = r.Portfolio, " (portfolio)"
		}
		if o == nil {
			t.add(clip(r.Name, 24), r.Scope, cur.text(r.ALE), cur.text(r.P95), "—", "", "", "", "")
			continue
		}
		ids := o.Controls
		if ids == "" {
			ids = "none"
		}
		t.add(clip(r.Name, 24), r.Scope, cur.text(r.ALE), cur.text(r.P95), clip(ids, 24)+what, cur.text(o.Cost),
			cur.text(o.DecisionNPV.Mean), "["+cur.text(o.DecisionNPV.Lo)+", "+cur.text(o.DecisionNPV.Hi)+"]", pctText(o.DecisionPNPVPositive))
	}
	fmt.Fprint(w, t.fit(width))
	writeBatchPlans(w, b, cur)
	for _, e := range b.Errors {
		where := fmt.Sprintf("row %d", e.Row)
		if e.Cell != "" {
			where = e.Cell
		}
		fmt.Fprintf(w, "%s: did not run: %s: %s\n", clip(e.Name, 24), where, e.Msg)
	}
	fmt.Fprintln(w)
}

func objectiveBasis(pa *model.PortfolioAnalysis) string {
	if pa.Objective == model.MaxDeltaTVaR {
		return fmt.Sprintf("simulation (%s years)", thousands(pa.SampleYears))
	}
	return "closed form (exact expectation)"
}

// WriteValidation writes what cybercba validate says of a dataset with no
// problem, read from path: the scopes, sources, hold-outs and scenarios it
// holds, the warnings, and the numbers edited without a source.
func WriteValidation(stdout io.Writer, path string, ds *data.Dataset, scns []data.Scenario, warnings []string, width int) {
	tw := Wrap(stdout, width)
	defer tw.Flush()
	stdout = tw
	var scopes []string
	for _, sc := range ds.Scopes {
		scopes = append(scopes, fmt.Sprintf("%s (%d threats, %d controls)", sc.ID, len(sc.Threats), len(sc.Controls)))
	}
	fmt.Fprintf(stdout, "%s: ok: %s; %d sources, %d hold-out incidents", path, strings.Join(scopes, ", "), len(ds.Sources), len(ds.Holdouts))
	if scns != nil {
		fmt.Fprintf(stdout, "; %d scenarios", len(scns))
	}
	fmt.Fprintln(stdout)
	if len(warnings) > 0 {
		fmt.Fprintf(stdout, "%d warnings (worth a look, not errors; --strict makes them errors):\n", len(warnings))
		for _, w := range warnings {
			fmt.Fprintf(stdout, "  warning: %s\n", w)
		}
	}
	if e := ds.Edited(); len(e) > 0 {
		what := fmt.Sprintf("%d numbers were", len(e))
		if len(e) == 1 {
			what = "1 number was"
		}
		fmt.Fprintf(stdout, "%s changed without a source, so read as judgements (tag J, \"edited in %s\"):\n", what, filepath.Base(path))
		for _, c := range e {
			fmt.Fprintf(stdout, "  %s\n", c)
		}
	}
}

// WrittenLine says where a run wrote its files: the workbook, the page and
// the count of plots (images; each figure's data beside them as CSV is
// not counted). It writes nothing when nothing was written.
func WrittenLine(w io.Writer, out string, written []string, width int) {
	if len(written) < 2 {
		return
	}
	tw := Wrap(w, width)
	defer tw.Flush()
	w = tw
	plots := 0
	for _, p := range written[2:] {
		if filepath.Ext(p) != ".csv" {
			plots++
		}
	}
	fmt.Fprintf(w, "\nWrote %s, %s and %d plots (each with its data as CSV) in %s\n", written[0], written[1], plots, filepath.Join(out, "plots"))
}

// levelsShort names the two levels of a run in a few words, for headers.
func levelsShort(an *model.Analysis, years int) string {
	return fmt.Sprintf("decision on %s draws · losses on %s × %s simulated years", thousands(an.DecisionDraws()), thousands(an.Sim.Draws), thousands(years))
}

// matchedClause says, once where the decision draws are described, that
// their mean is matched to the exact expectation (model.DrawTable: moment
// matching).
const matchedClause = "their mean matched to the exact expectation"

// levelsText says which figures come from which level of the run.
func levelsText(an *model.Analysis, years int) string {
	return fmt.Sprintf("Expected values are exact (closed form). Intervals and probabilities are across %s draws of the uncertain inputs (the spread of the expected value), with each draw's expectations exact, "+matchedClause+"; "+
		"percentiles, TVaR and ± on losses show year-to-year variation over %s × %s simulated years.", thousands(an.DecisionDraws()), thousands(an.Sim.Draws), thousands(years))
}

// minCheckDraws is the fewest simulated draws whose batch-means standard
// error the check trusts.
const minCheckDraws = 30

// simulationCheckText reports how far the simulated ΔALE of the controls
// lies from the exact expectation.
func simulationCheckText(j *Run, an *model.Analysis) string {
	z, i := an.SimulationCheck()
	if i < 0 {
		return ""
	}
	r := &an.Results[i]
	gap := fmt.Sprintf("largest gap %.1f SE: %s, simulated %s ± %s against %s", z, r.Controls[0], j.cur.text(r.SimDeltaALE), j.cur.bare(r.DeltaALESE), j.cur.text(r.DeltaALE.Mean))
	switch {
	case an.Sim.Draws < minCheckDraws:
		return fmt.Sprintf("Check: the simulation's ΔALE of each control against the exact value: %s; with %d simulated draws the standard error is itself rough.", gap, an.Sim.Draws)
	case z > 4:
		return fmt.Sprintf("Check: the simulation's ΔALE of a control lies further from the exact value than Monte Carlo error explains (%s): look again.", gap)
	}
	return fmt.Sprintf("Check: the simulation's ΔALE of each control agrees with the exact value within Monte Carlo error (%s).", gap)
}
