package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

// analyse is the one analysis pipeline run, sensitivity and reproduce
// share: model.Decide on the job's settings.
func analyse(ctx context.Context, j *job, sensitivity bool, top int) (*model.Decision, error) {
	return model.Decide(ctx, j.model, model.DecideOptions{
		Config: j.cfg, Appraisal: j.appraisal, Metric: j.metric,
		Objective: j.objective, Constraints: j.constraints,
		Frontier: j.frontier, FrontierKind: model.AnnualBudget,
		Explain: true, Sensitivity: sensitivity, Top: top,
		ShownSummaries: j.shownOnly,
	})
}

// holdouts replays the dataset's hold-out incidents at the calibrated
// rates, once per job.
func holdouts(j *job) []reports.Holdout {
	j.holdoutsOnce.Do(func() {
		// Each replay is independent: they run side by side.
		j.holdouts = make([]reports.Holdout, len(j.ds.Holdouts))
		var wg sync.WaitGroup
		for i, h := range j.ds.Holdouts {
			wg.Go(func() {
				j.holdouts[i] = reports.Holdout{
					ID: h.ID, Name: h.Name, Observed: h.Observed.Lo,
					Replay: model.ReplayIncident(h.Incident(), j.cal.DailyNow, j.cal.RecoveryNow, j.opts.Seed),
				}
			})
		}
		wg.Wait()
	})
	return j.holdouts
}

// viewLabel names the view a figure is in.
func viewLabel(a model.Appraisal) string {
	if a.View == model.Social {
		return "money plus patient harm"
	}
	return "money only"
}

// recommendationSentence says what the run recommends, in one sentence.
func recommendationSentence(j *job, d *model.Decision) string {
	ch := d.Portfolio.Choice
	within := "with no budget limit"
	if d.Budgeted {
		var limits []string
		if c := d.Portfolio.Constraints.Annual; !math.IsInf(c, 1) {
			limits = append(limits, j.cur.money(c)+" a year")
		}
		if c := d.Portfolio.Constraints.Capex; !math.IsInf(c, 1) {
			limits = append(limits, j.cur.money(c)+" of capital")
		}
		within = "within " + strings.Join(limits, " and ")
	}
	if len(ch.Portfolio) == 0 {
		return fmt.Sprintf("Recommendation (%s, %s view): buy nothing: no set of controls improves on doing nothing %s.", objectiveShort(d.Portfolio.Objective), j.appraisal.View, within)
	}
	r := d.Recommended
	return fmt.Sprintf("Recommendation (%s, %s view, %s): buy %s. Expected NPV %s over %d years (90%% interval %s to %s; P(NPV>0) %.2f), for %s a year; it cuts the expected annual loss by %s.",
		objectiveShort(d.Portfolio.Objective), j.appraisal.View, within, strings.Join(ch.Controls, " + "),
		j.cur.money(r.NPV.Mean), j.appraisal.Horizon, j.cur.money(r.NPV.Lo), j.cur.money(r.NPV.Hi), r.PNPVPositive,
		j.cur.money(ch.Annual), j.cur.money(r.DeltaALE.Mean))
}

func objectiveShort(o model.Objective) string {
	switch o {
	case model.MaxDeltaALE:
		return "the greatest cut in expected annual loss"
	case model.MaxDeltaTVaR:
		return "the greatest cut in TVaR95"
	}
	return "the greatest expected NPV"
}

// writeRecommendation writes the recommendation, its build-up, the
// controls left out and why, the weak point, the hold-out line and, in the
// social view, the implied deaths.
func writeRecommendation(w io.Writer, j *job, d *model.Decision) {
	fmt.Fprintln(w, recommendationSentence(j, d))
	if len(d.BuildUp) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "How it builds up (each control given those above it; expected values by the closed form, simulated beside with 1 SE; NPV in %s):\n\n", viewLabel(j.appraisal))
		t := &table{right: map[int]bool{0: true, 3: true, 4: true, 5: true, 6: true}}
		t.add("Step", "ID", "Control", "Cost/yr", "Adds ΔALE/yr", "Adds NPV", "(simulated)")
		var total float64
		for k, st := range d.BuildUp {
			total += st.MarginalNPV
			t.add(fmt.Sprint(k+1), st.ID, clip(j.model.Controls[st.Control].Name, 44), j.cur.money(st.Annual),
				j.cur.money(st.MarginalDeltaALE), j.cur.money(st.MarginalNPV), j.cur.money(st.SimNPV)+" ±"+j.cur.bare(st.SimNPVSE))
		}
		t.add("", "", "Total", j.cur.money(d.Portfolio.Choice.Annual), "", j.cur.money(total), j.cur.money(d.Recommended.NPV.Mean))
		fmt.Fprint(w, t.String())
	}
	for _, lo := range d.LeftOut {
		fmt.Fprintln(w, "  Left out: "+leftOutText(j, lo))
	}
	if wp := d.WeakPoint; wp != nil {
		fmt.Fprintln(w)
		fmt.Fprintln(w, weakPointText(j, wp, "the recommendation"))
	}
	if d.TopWeakPoint != nil && (d.WeakPoint == nil || len(d.Portfolio.Choice.Portfolio) > 1) {
		top := d.Results[d.Ranking.Order[0]].Controls[0]
		fmt.Fprintln(w, weakPointText(j, d.TopWeakPoint, "the top-ranked control ("+top+")"))
	}
	if line := reports.HoldoutLine(holdouts(j)); line != "" {
		fmt.Fprintln(w, line)
	}
	if line := toleranceText(j, d); line != "" {
		fmt.Fprintln(w, line)
	}
	if d.Sim.Harm != nil {
		fmt.Fprintln(w, deathsLine(d))
	}
}

// deathsLine is the social view's sanity line.
func deathsLine(d *model.Decision) string {
	return fmt.Sprintf("Implied extra deaths: %.1f a year with no new controls, %.1f with the recommendation (expected values). Set this against the evidence: WannaCry showed no detectable change in mortality; one death was linked in part to the Synnovis attack.",
		d.Deaths, d.DeathsRecommended)
}

// leftOutText explains in one line why a control with a positive NPV alone
// is not recommended.
func leftOutText(j *job, lo model.LeftOut) string {
	alone := fmt.Sprintf("%s (NPV %s alone)", lo.ID, j.cur.money(lo.NPVAlone))
	switch lo.Why {
	case model.OverBudget:
		return alone + ": does not fit the budget beside the recommended controls."
	case model.Excluded:
		return alone + ": excluded by a recommended control (same exclusive group) or needs a control not recommended."
	}
	verb := "is"
	if len(lo.With) > 1 {
		verb = "are"
	}
	s := fmt.Sprintf("%s: %s once %s %s bought", alone, j.cur.money(lo.Marginal), strings.Join(lo.With, " and "), verb)
	if len(lo.Threats) > 0 {
		s += "; both cut " + strings.Join(lo.Threats, ", ")
	}
	return s + "."
}

// weakPointText says what a decision's expected NPV hangs on most.
func weakPointText(j *job, wp *model.WeakPoint, what string) string {
	in := wp.Input
	n := j.scope.NumberFor(in.Ref)
	prov := "calibrated on " + j.ds.Calibration.Incident
	if n != nil {
		prov = sourceText(j.ds, *n)
	}
	v := func(x float64) string { return inputValue(j.cur, in, x) }
	s := fmt.Sprintf("Weak point of %s: %s. Its expected NPV runs from %s (input at its 5th percentile, %s) to %s (95th, %s)",
		what, in.Name(), j.cur.money(wp.NPVAtP5), v(wp.P5), j.cur.money(wp.NPVAtP95), v(wp.P95))
	switch {
	case math.IsNaN(wp.Switch) && in.Kind == model.Fraction:
		s += "; it does not turn negative for any value from 0 to 100%"
	case math.IsNaN(wp.Switch):
		s += fmt.Sprintf("; it does not turn negative anywhere from %s to %s", v(wp.P5/1000), v(wp.P95*1000))
	default:
		dir := "below"
		if !wp.Below {
			dir = "above"
		}
		sign := "negative"
		if wp.ExpectedNPV < 0 {
			sign = "positive"
			if dir == "below" {
				dir = "above"
			} else {
				dir = "below"
			}
		}
		s += fmt.Sprintf("; it turns %s %s %s", sign, dir, v(wp.Switch))
	}
	s += fmt.Sprintf(" (central %s; %s).", v(wp.Central), prov)
	return s
}

// writeFrontier writes the frontier's breakpoints: where the best
// portfolio changes, with the risk it buys per pound.
func writeFrontier(w io.Writer, j *job, d *model.Decision) {
	pa := d.Portfolio
	if len(pa.Frontier) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Efficient frontier: the budgets at which the best portfolio changes (maximising %s), and the risk each buys:\n\n", objectiveText(pa.Objective))
	t := &table{right: map[int]bool{0: true, 1: true, 3: true, 4: true, 5: true, 6: true, 7: true}}
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
		dale, dp95, dtv, per, npv := "", "", "", "", j.cur.money(0)
		if r := p.Result; r != nil {
			dale = j.cur.money(r.DeltaALE.Mean)
			dp95 = j.cur.money(base.P95 - r.Loss.P95)
			dtv = j.cur.money(base.TVaR95 - r.Loss.TVaR95)
			if p.Choice.Annual > 0 {
				per = ratioText(r.DeltaALE.Mean / p.Choice.Annual)
			}
			npv = j.cur.money(r.NPV.Mean)
		}
		t.add(j.cur.money(p.Budget), j.cur.money(p.Choice.Annual), clip(add, 40), dale, dp95, dtv, per, npv)
	}
	fmt.Fprint(w, t.String())
	fmt.Fprintln(w, "Each row holds from its budget up to the next row's; ΔP95 and ΔTVaR95 are reductions of the annual-loss percentiles on the simulated years.")
}

// explanation is the decision's sentences as the terminal prints them, for
// the workbook and the other outputs.
func explanation(j *job, d *model.Decision) reports.Explanation {
	e := reports.Explanation{
		Recommendation: recommendationSentence(j, d),
		Holdouts:       reports.HoldoutLine(holdouts(j)),
	}
	if d.WeakPoint != nil {
		e.WeakPoint = weakPointText(j, d.WeakPoint, "the recommendation")
	}
	if d.TopWeakPoint != nil && len(d.Ranking.Order) > 0 {
		e.TopWeakPoint = weakPointText(j, d.TopWeakPoint, "the top-ranked control ("+d.Results[d.Ranking.Order[0]].Controls[0]+")")
	}
	for _, lo := range d.LeftOut {
		e.LeftOut = append(e.LeftOut, leftOutText(j, lo))
	}
	if d.Sim.Harm != nil {
		e.Deaths = deathsLine(d)
	}
	e.Tolerance = toleranceText(j, d)
	return e
}

// returnPeriodText writes a yearly chance as "1 in N years".
func returnPeriodText(p float64) string {
	if !(p > 0) {
		return "never in the simulated years"
	}
	n := 1 / p
	if n >= 10 {
		return fmt.Sprintf("1 in %s years", thousands(int(math.Round(n))))
	}
	return fmt.Sprintf("1 in %.1f years", n)
}

// toleranceCheck is one point of the risk tolerance against the simulated
// years: how often the baseline and the recommendation exceed the loss.
type toleranceCheck struct {
	Loss        float64  `json:"loss"`
	Accepted    float64  `json:"accepted_exceedance"`
	Baseline    float64  `json:"baseline_exceedance"`
	Recommended *float64 `json:"recommended_exceedance,omitempty"`
	Met         bool     `json:"recommended_meets_it"`
}

func toleranceChecks(j *job, d *model.Decision) []toleranceCheck {
	var out []toleranceCheck
	for _, t := range j.tolerance {
		c := toleranceCheck{Loss: t.Loss, Accepted: t.Exceedance, Baseline: d.Sim.Exceedance(0, t.Loss)}
		c.Met = c.Baseline <= t.Exceedance
		if r := d.Recommended; r != nil {
			p := d.Sim.Exceedance(r.Option, t.Loss)
			c.Recommended, c.Met = &p, p <= t.Exceedance
		}
		out = append(out, c)
	}
	return out
}

// toleranceText says whether the baseline and the recommendation stay
// within the risk tolerance, or "" without one.
func toleranceText(j *job, d *model.Decision) string {
	cs := toleranceChecks(j, d)
	if len(cs) == 0 {
		return ""
	}
	var parts []string
	for _, c := range cs {
		s := fmt.Sprintf("at %s a year the baseline is exceeded %s against %s accepted", j.cur.money(c.Loss), returnPeriodText(c.Baseline), returnPeriodText(c.Accepted))
		if c.Baseline <= c.Accepted {
			s = fmt.Sprintf("at %s a year the baseline already meets it (%s against %s accepted)", j.cur.money(c.Loss), returnPeriodText(c.Baseline), returnPeriodText(c.Accepted))
		}
		if c.Recommended != nil {
			verdict := "meets it"
			if !c.Met {
				verdict = "does not meet it"
			}
			s += fmt.Sprintf("; the recommendation %s (%s)", verdict, returnPeriodText(*c.Recommended))
		}
		parts = append(parts, s)
	}
	return "Risk tolerance: " + strings.Join(parts, "; ") + " (on the simulated years)."
}
