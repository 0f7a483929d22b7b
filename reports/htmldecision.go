package reports

import (
	"fmt"
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
