package reports

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cybercba/cybercba/model"
)

// decided runs the model's whole decision on the typical report's model.
func decided(t *testing.T, r *Report, cons model.Constraints) *model.Decision {
	t.Helper()
	d, err := model.Decide(context.Background(), r.Model, model.DecideOptions{
		Config: smallRun, Appraisal: r.Analysis.Appraisal, Metric: model.ByNPV, Objective: model.MaxNPV, Constraints: cons, Explain: true,
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
	tb := buildUpTable(r, d)
	if len(tb.Rows) != len(d.Portfolio.Choice.Portfolio)+1 {
		t.Fatalf("build-up has %d rows; want %d, one a recommended control and the total", len(tb.Rows), len(d.Portfolio.Choice.Portfolio)+1)
	}
	cur := currencyOf(r)
	if got, want := tb.Rows[len(tb.Rows)-1][6], cur.text(d.Recommended.DecisionNPV.Mean); got != want {
		t.Errorf("total row's simulated NPV = %s; want the recommendation's %s", got, want)
	}
	tb.Rows = tb.Rows[:len(tb.Rows)-1]
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

// TestWeakPointText checks the weak point's sentence: the input, its NPVs
// at either end, where its expected NPV turns, and its provenance.
func TestWeakPointText(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	d := decided(t, r, model.NoBudget())
	wp := d.WeakPoint
	if wp == nil {
		t.Fatal("no weak point")
	}
	cur := currencyOf(r)
	s := weakPointText(cur, wp, "the recommendation", "judgement; Example source")
	for _, want := range []string{"Weak point of the recommendation: " + wp.Input.Name(), cur.text(wp.NPVAtP5), cur.text(wp.NPVAtP95), "; judgement; Example source)."} {
		if !strings.Contains(s, want) {
			t.Errorf("weak point %q lacks %q", s, want)
		}
	}
	if want := switchValue(cur, wp.Input, wp.Switch); wp.Switch == wp.Switch && !strings.Contains(s, want) {
		t.Errorf("weak point %q lacks its switching value %q", s, want)
	}
	if s := weakPointText(cur, wp, "x", ""); strings.Contains(s, ";)") || !strings.HasSuffix(s, ").") {
		t.Errorf("weak point without provenance %q: want it to end at its central value", s)
	}
}

// TestLeftOutText checks that a control left out of a budgeted
// recommendation is named with its NPV alone and its reason.
func TestLeftOutText(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	d := decided(t, r, model.Constraints{Annual: portfolioBudget, Capex: 1e300})
	if len(d.LeftOut) == 0 {
		t.Fatal("nothing left out under the test budget, which fits C1 and C3, not C2")
	}
	cur := currencyOf(r)
	lines, _, _ := decisionLines(cur, d, noProvenance)
	if len(lines) != len(d.LeftOut) {
		t.Fatalf("%d lines for %d controls left out", len(lines), len(d.LeftOut))
	}
	for i, l := range d.LeftOut {
		if want := l.ID + " (NPV " + cur.text(l.NPVAlone) + " alone)"; !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %q does not start %q", lines[i], want)
		}
	}
}

// noProvenance gives no input a provenance: the test models have no
// dataset.
func noProvenance(model.InputRef) string { return "" }

// withDecision returns a getter of the report of get with the model's whole
// decision under cons, as the command fills it: the decision, its analysis
// and its portfolio.
func withDecision(get func() (*Report, error), cons model.Constraints) func() (*Report, error) {
	return sync.OnceValues(func() (*Report, error) {
		base, err := get()
		if err != nil {
			return nil, err
		}
		r := *base
		d, err := model.Decide(context.Background(), r.Model, model.DecideOptions{
			Config: smallRun, Appraisal: r.Analysis.Appraisal, Metric: model.ByNPV, Objective: model.MaxNPV, Constraints: cons, Explain: true,
		})
		if err != nil {
			return nil, err
		}
		r.Decision, r.Analysis, r.Portfolio = d, d.Analysis, d.Portfolio
		// The decision's sentences as a run gives them (sentences.go).
		r.Explain.LeftOut, r.Explain.WeakPoint, r.Explain.TopWeakPoint = decisionLines(currencyOf(&r), d, noProvenance)
		return &r, nil
	})
}

var (
	decidedAll    = withDecision(typical, model.NoBudget())
	decidedBudget = withDecision(typical, model.Constraints{Annual: portfolioBudget, Capex: math.Inf(1)})
)

// TestHTMLDecision checks the decision summary of a report with the
// model's decision: the recommendation is the optimiser's set with its
// simulated NPV, it builds up control by control, what is left out is
// said, and the weak point is named.
func TestHTMLDecision(t *testing.T) {
	t.Parallel()
	for _, get := range []func() (*Report, error){decidedAll, decidedBudget} {
		r := report(t, get)
		d := r.Decision
		doc, _ := writePage(t, r)
		cur := currencyOf(r)
		rec := textOf(byID(doc, "recommendation"))
		for _, id := range d.Portfolio.Choice.Controls {
			if !strings.Contains(rec, id+" ") {
				t.Errorf("recommendation %q lacks %s", rec, id)
			}
		}
		if want := cur.text(d.Portfolio.Result.DecisionNPV.Mean); !strings.Contains(rec, want) {
			t.Errorf("recommendation %q lacks the NPV %s", rec, want)
		}
		summary := strings.ReplaceAll(textOf(byID(doc, "decision")), wordJoiner, "")
		for _, want := range slices.Concat([]string{"How the recommendation builds up", d.WeakPoint.Name, r.Explain.WeakPoint}, r.Explain.LeftOut) {
			if !strings.Contains(summary, want) {
				t.Errorf("decision summary lacks %q", want)
			}
		}
		for _, l := range d.LeftOut {
			if !strings.Contains(summary, l.ID+" ") || !strings.Contains(summary, "Left out") {
				t.Errorf("decision summary does not say %s is left out", l.ID)
			}
		}
	}
}
