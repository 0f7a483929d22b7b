package reports

import (
	"context"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/model"
)

// decided runs the model's whole decision on the typical report's model.
func decided(t *testing.T, r *Report, cons model.Constraints) *model.Decision {
	t.Helper()
	d, err := model.Decide(context.Background(), r.Model, model.DecideOptions{
		Config: smallRun, Appraisal: r.Analysis.Appraisal, Metric: model.ByNPV, Objective: model.MaxNPV, Constraints: cons,
	})
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	return d
}

// TestBuildUpTable checks the build-up: one row a control of the
// recommendation, and the running NPV ending at the portfolio's expected
// NPV as the optimiser valued it.
func TestBuildUpTable(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	d := decided(t, r, model.NoBudget())
	if len(d.BuildUp) == 0 {
		t.Fatal("the typical model recommends nothing")
	}
	tb := buildUpTable(r, d.BuildUp)
	if len(tb.Rows) != len(d.Portfolio.Choice.Portfolio) {
		t.Fatalf("build-up has %d rows; want %d, one a recommended control", len(tb.Rows), len(d.Portfolio.Choice.Portfolio))
	}
	cur := currencyOf(r)
	last := tb.Rows[len(tb.Rows)-1]
	if got, want := last[5], cur.text(d.Portfolio.Choice.Objective); got != want {
		t.Errorf("NPV so far after the last step = %s; want the portfolio's expected NPV %s", got, want)
	}
	for i, row := range tb.Rows {
		if id := d.BuildUp[i].ID; !strings.HasPrefix(row[1], id+" ") {
			t.Errorf("step %d names %q; want control %s", i+1, row[1], id)
		}
	}
}

// TestWeakPointLine checks the weak point's sentence: the input, its NPVs
// at either end, and where its switching value lies.
func TestWeakPointLine(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	d := decided(t, r, model.NoBudget())
	wp := d.WeakPoint
	if wp == nil {
		t.Fatal("no weak point")
	}
	cur := currencyOf(r)
	s := weakPointLine(r, wp, "the recommendation")
	for _, want := range []string{wp.Name, cur.text(wp.NPVAtP5), cur.text(wp.NPVAtP95), cur.text(wp.ExpectedNPV)} {
		if !strings.Contains(s, want) {
			t.Errorf("weak point %q lacks %q", s, want)
		}
	}
	if want := "switching value is " + inputValue(cur, wp.Input, wp.Switch); wp.Switch == wp.Switch && !strings.Contains(s, want) {
		t.Errorf("weak point %q lacks %q", s, want)
	}
	if weakPointLine(r, nil, "x") != "" {
		t.Error("a missing weak point gives a sentence")
	}
}

// TestLeftOutLines checks that a control left out of a budgeted
// recommendation is named with its reason.
func TestLeftOutLines(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	d := decided(t, r, model.Constraints{Annual: portfolioBudget, Capex: 1e300})
	lines := leftOutLines(r, d.LeftOut)
	if len(d.LeftOut) == 0 {
		t.Fatal("nothing left out under the test budget, which fits C1 and C3, not C2")
	}
	if len(lines) != len(d.LeftOut) {
		t.Fatalf("%d lines for %d controls left out", len(lines), len(d.LeftOut))
	}
	for i, l := range d.LeftOut {
		if !strings.HasPrefix(lines[i], l.ID+" ") || !strings.Contains(lines[i], "left out") {
			t.Errorf("line %q does not name %s as left out", lines[i], l.ID)
		}
	}
}
