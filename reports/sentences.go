package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// viewLabel names the view a figure is in.
func viewLabel(a model.Appraisal) string {
	if a.View == model.Social {
		return "money plus patient harm"
	}
	return "money only"
}

// recommendationSentence says what the run recommends, in one sentence.
func recommendationSentence(j *Run, d *model.Decision) string {
	ch := d.Portfolio.Choice
	within := "with no budget limit"
	if d.Budgeted {
		var limits []string
		if c := d.Portfolio.Constraints.Annual; !math.IsInf(c, 1) {
			limits = append(limits, j.cur.text(c)+" a year")
		}
		if c := d.Portfolio.Constraints.Capex; !math.IsInf(c, 1) {
			limits = append(limits, j.cur.text(c)+" of capital")
		}
		within = "within " + strings.Join(limits, " and ")
	}
	if len(ch.Portfolio) == 0 {
		return fmt.Sprintf("Recommendation (%s, %s view): buy nothing: no set of controls improves on doing nothing %s.", goalText(d.Portfolio.Objective), j.Appraisal.View, within)
	}
	r := d.Recommended
	return fmt.Sprintf("Recommendation (%s, %s view, %s): buy %s. Expected NPV %s over %d years (90%% interval %s to %s; P(NPV>0) %.2f), for %s a year; it cuts the expected annual loss by %s.",
		goalText(d.Portfolio.Objective), j.Appraisal.View, within, strings.Join(ch.Controls, " + "),
		j.cur.text(r.DecisionNPV.Mean), j.Appraisal.Horizon, j.cur.text(r.DecisionNPV.Lo), j.cur.text(r.DecisionNPV.Hi), r.InView(j.Appraisal.View).PNPVPositive,
		j.cur.text(ch.Annual), j.cur.text(r.DeltaALE.Mean))
}

func goalText(o model.Objective) string {
	switch o {
	case model.MaxDeltaALE:
		return "the greatest cut in expected annual loss"
	case model.MaxDeltaTVaR:
		return "the greatest cut in TVaR95"
	}
	return "the greatest expected NPV"
}

// deathsLine is the social view's sanity line: the implied extra deaths
// a year without new controls and with the recommendation, each with its
// 90% interval across the outer draws, said to be statistical excess deaths
// (from the sources of the scope's deaths per organisation-day, when it
// names them), which no incident report counts case by case.
func deathsLine(j *Run, d *model.Decision) string {
	from := "mortality studies"
	if h := j.Scope.Harm; h != nil && len(h.DeathsPerDay.Src) > 0 {
		var src []string
		for _, id := range h.DeathsPerDay.Src {
			if s := j.Dataset.SourceByID(id); s != nil {
				src = append(src, fmt.Sprintf("%s, %s (%d)", s.Publisher, s.Title, s.Year))
			}
		}
		if len(src) > 0 {
			from += " (" + strings.Join(src, "; ") + ")"
		}
	}
	b, r := d.DeathsDrawn, d.DeathsRecommendedDrawn
	return fmt.Sprintf("Implied extra deaths: %.1f a year with no new controls (90%% interval %.1f to %.1f), %.1f with the recommendation (%.1f to %.1f); "+
		"expected values, intervals across the outer draws of the inputs. These are statistical excess deaths, estimated from %s that compare "+
		"mortality in hospitals under attack with others; incident reports never attribute deaths case by case. Set them against the evidence: "+
		"WannaCry showed no detectable change in mortality; one death was linked in part to the Synnovis attack.",
		d.Deaths, b.Lo, b.Hi, d.DeathsRecommended, r.Lo, r.Hi, from)
}

// leftOutText explains in one line why a control with a positive NPV alone
// is not recommended: the one sentence every output gives.
func leftOutText(cur currency, lo model.LeftOut) string {
	alone := fmt.Sprintf("%s (NPV %s alone)", lo.ID, cur.text(lo.NPVAlone))
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
	s := fmt.Sprintf("%s: %s once %s %s bought", alone, cur.text(lo.Marginal), strings.Join(lo.With, " and "), verb)
	if len(lo.Threats) > 0 {
		s += "; both cut " + strings.Join(lo.Threats, ", ")
	}
	return s + "."
}

// provenance is an input's tag and sources as the dataset gives them, or
// the calibration incident for the calibrated rates.
func (j *Run) provenance(ref model.InputRef) string {
	if n := j.Scope.NumberFor(ref); n != nil {
		return sourceText(j.Dataset, *n)
	}
	return "calibrated on " + j.Dataset.Calibration.Incident
}

// weakPointText says what a decision's expected NPV hangs on most, with
// the input's provenance prov (none when ""): the one sentence every
// output gives.
func weakPointText(cur currency, wp *model.WeakPoint, what, prov string) string {
	in := wp.Input
	v := func(x float64) string { return switchValue(cur, in, x) }
	s := fmt.Sprintf("Weak point of %s: %s. Its expected NPV runs from %s (input at its 5th percentile, %s) to %s (95th, %s)",
		what, in.Name(), cur.text(wp.NPVAtP5), v(wp.P5), cur.text(wp.NPVAtP95), v(wp.P95))
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
	if prov != "" {
		prov = "; " + prov
	}
	return s + fmt.Sprintf(" (central %s%s).", v(wp.Central), prov)
}

// topWeakWhat names the top-ranked control for its weak point's sentence.
func topWeakWhat(d *model.Decision) string {
	what := "the top-ranked control"
	if len(d.Ranking.Order) > 0 {
		what += " (" + d.Results[d.Ranking.Order[0]].Controls[0] + ")"
	}
	return what
}

// decisionLines are the decision's left-out lines and weak points, the
// sentences every output gives of them, with each input's provenance from
// prov: the top-ranked control's weak point only when topWeakPointShown.
func decisionLines(cur currency, d *model.Decision, prov func(model.InputRef) string) (leftOut []string, weak, topWeak string) {
	for _, lo := range d.LeftOut {
		leftOut = append(leftOut, leftOutText(cur, lo))
	}
	if wp := d.WeakPoint; wp != nil {
		weak = weakPointText(cur, wp, "the recommendation", prov(wp.Input.Ref))
	}
	if wp := d.TopWeakPoint; topWeakPointShown(d) {
		topWeak = weakPointText(cur, wp, topWeakWhat(d), prov(wp.Input.Ref))
	}
	return leftOut, weak, topWeak
}

// explanation is the decision's sentences as the terminal prints them, for
// the workbook and the other outputs.
func explanation(j *Run, d *model.Decision) Explanation {
	e := Explanation{
		Recommendation: recommendationSentence(j, d),
		Holdouts:       HoldoutLine(j.Holdouts()),
	}
	e.LeftOut, e.WeakPoint, e.TopWeakPoint = decisionLines(j.cur, d, j.provenance)
	if d.Sim.Harm != nil {
		e.Deaths = deathsLine(j, d)
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

// ToleranceCheck is one point of the risk tolerance against the simulated
// years: how often the baseline and the recommendation exceed the loss.
type ToleranceCheck struct {
	Loss        float64  `json:"loss"`
	Accepted    float64  `json:"accepted_exceedance"`
	Baseline    float64  `json:"baseline_exceedance"`
	Recommended *float64 `json:"recommended_exceedance,omitempty"`
	Met         bool     `json:"recommended_meets_it"`
}

func toleranceChecks(j *Run, d *model.Decision) []ToleranceCheck {
	var out []ToleranceCheck
	for _, t := range j.Tolerance {
		c := ToleranceCheck{Loss: t.Loss, Accepted: t.Exceedance, Baseline: d.Sim.Exceedance(0, t.Loss)}
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
func toleranceText(j *Run, d *model.Decision) string {
	cs := toleranceChecks(j, d)
	if len(cs) == 0 {
		return ""
	}
	var parts []string
	for _, c := range cs {
		s := fmt.Sprintf("at %s a year the baseline is exceeded %s against %s accepted", j.cur.text(c.Loss), returnPeriodText(c.Baseline), returnPeriodText(c.Accepted))
		if c.Baseline <= c.Accepted {
			s = fmt.Sprintf("at %s a year the baseline already meets it (%s against %s accepted)", j.cur.text(c.Loss), returnPeriodText(c.Baseline), returnPeriodText(c.Accepted))
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
