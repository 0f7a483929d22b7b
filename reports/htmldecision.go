package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// This file writes the parts of the decision summary that read a
// model.Decision: the recommended portfolio's build-up, the controls it
// leaves out and why, and its weak point.

// buildUpTable is the recommended portfolio control by control: each step
// adds the control with the greatest marginal expected NPV, and the
// marginals add up to the portfolio's NPV, shown on a last row beside its
// simulated NPV.
func buildUpTable(r *Report, d *model.Decision) htmlTable {
	cur := currencyOf(r)
	h := r.Analysis.Appraisal.Horizon
	t := htmlTable{
		Caption: "How the recommendation builds up: each control added to those above it",
		Head:    []string{"Step", "Control added", "Cost a year", "ΔALE it adds a year", fmt.Sprintf("NPV it adds (%d years)", h), "NPV so far", "On the simulated events"},
		Right:   map[int]bool{0: true, 2: true, 3: true, 4: true, 5: true, 6: true},
		Class:   "named",
		Note: "Closed form (exact expectations); the last column is the same on the simulated events, ± one standard error. " +
			"Controls on the same threat overlap: one added later adds less than it is worth alone.",
	}
	total := 0.0
	for i, st := range d.BuildUp {
		total += st.MarginalNPV
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), controlIDName(r.Model, st.Control), cur.text(st.Annual),
			cur.text(st.MarginalDeltaALE), cur.text(st.MarginalNPV), cur.text(total), withSE(cur, st.SimNPV, st.SimNPVSE)})
	}
	if len(d.BuildUp) > 0 && d.Portfolio != nil {
		sim := ""
		if d.Recommended != nil {
			sim = cur.text(d.Recommended.DecisionNPV.Mean)
		}
		t.Rows = append(t.Rows, []string{"", "Total", cur.text(d.Portfolio.Choice.Annual), "", "", cur.text(total), sim})
	}
	return t
}

// controlIDName is a control's "ID Name".
func controlIDName(m *model.Model, c int) string {
	if c < 0 || c >= len(m.Controls) {
		return "?"
	}
	return strings.TrimSpace(m.Controls[c].ID + " " + m.Controls[c].Name)
}

// leftOutLines says, for each control with a positive NPV alone that the
// recommendation leaves out, why.
func leftOutLines(r *Report, lo []model.LeftOut) []string {
	cur := currencyOf(r)
	var out []string
	for _, l := range lo {
		s := fmt.Sprintf("%s (NPV alone %s) is left out: ", controlIDName(r.Model, l.Control), cur.text(l.NPVAlone))
		switch l.Why {
		case model.Overlap:
			s += "it cuts the same threats"
			if len(l.Threats) > 0 {
				s += " (" + strings.Join(l.Threats, ", ") + ")"
			}
			if len(l.With) > 0 {
				s += " as " + strings.Join(l.With, ", ")
			}
			s += fmt.Sprintf(", so adding it would change the NPV by %s.", cur.text(l.Marginal))
		case model.OverBudget:
			s += "it does not fit the budget beside the recommended controls."
		case model.Excluded:
			s += "it shares an exclusive group with a recommended control, or needs a control that is not recommended."
		default:
			s += l.Reason + "."
		}
		out = append(out, s)
	}
	return out
}

// weakPointLine says what a decision's expected NPV hangs on most: the
// input with the largest swing, the NPV at either end of its 90% range,
// and its switching value with how far into the range it lies.
func weakPointLine(r *Report, wp *model.WeakPoint, what string) string {
	if wp == nil {
		return ""
	}
	cur := currencyOf(r)
	in := wp.Input
	s := fmt.Sprintf("The answer leans most on %s: between its 5th and 95th percentiles (%s to %s) the expected NPV of %s moves from %s to %s; its expected NPV is %s.",
		orDefault(wp.Name, in.Name()), inputValue(cur, in, wp.P5), inputValue(cur, in, wp.P95), what,
		cur.text(wp.NPVAtP5), cur.text(wp.NPVAtP95), cur.text(wp.ExpectedNPV))
	if math.IsNaN(wp.Switch) {
		return s + " Its switching value lies outside a wide range around its interval: no plausible value of it turns the NPV negative."
	}
	side := "above"
	if wp.Below {
		side = "below"
	}
	p := in.Estimate.Dist(in.Kind).CDF(wp.Switch)
	chance := p
	if !wp.Below {
		chance = 1 - p
	}
	return s + fmt.Sprintf(" Its switching value is %s, the %s percentile of its range: %s it the NPV is negative, a %s chance on these inputs.",
		inputValue(cur, in, wp.Switch), ordinalPct(p), side, pctText(chance))
}
