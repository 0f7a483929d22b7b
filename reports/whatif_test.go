package reports

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
)

// whatIfLabels maps the What-if sheet's result labels to the closed-form
// figure each must equal.
var whatIfLabels = []struct {
	label string
	get   func(e model.Expected) float64
	harm  bool
}{
	{"Expected annual loss avoided (ΔALE), a year", func(e model.Expected) float64 { return e.DeltaALE }, false},
	{"Capital cost in year 0 (with optimism bias)", func(e model.Expected) float64 { return e.Capex }, false},
	{"Cost a year (equivalent annual cost)", func(e model.Expected) float64 { return e.Annual }, false},
	{"Present value of costs", func(e model.Expected) float64 { return e.PVCost }, false},
	{"Present value of benefits, money only", func(e model.Expected) float64 { return e.PVBenefit }, false},
	{"NPV, money only", func(e model.Expected) float64 { return e.MoneyNPV }, false},
	{"BCR, money only", func(e model.Expected) float64 { return e.MoneyBCR }, false},
	{"ROSI, money only", func(e model.Expected) float64 { return e.MoneyROSI }, false},
	{"NPV in the view in force", func(e model.Expected) float64 { return e.DecisionNPV }, false},
	{"Patient harm avoided a year, valued in money", func(e model.Expected) float64 { return e.DeltaHarm }, true},
	{"Expected extra deaths a year, with the set", func(e model.Expected) float64 { return e.Deaths }, true},
	{"Expected extra deaths a year, without new controls", func(e model.Expected) float64 { return e.BaselineDeaths }, true},
	{"Present value of harm avoided", func(e model.Expected) float64 { return e.PVHarm }, true},
	{"NPV with patient harm", func(e model.Expected) float64 { return e.SocialNPV }, true},
	{"BCR with patient harm", func(e model.Expected) float64 { return e.SocialBCR }, true},
	{"ROSI with patient harm", func(e model.Expected) float64 { return e.SocialROSI }, true},
}

// whatIfRows returns the What-if sheet's rows by their label in column A.
func whatIfRows(t *testing.T, f *excelize.File) map[string][]string {
	t.Helper()
	m := map[string][]string{}
	for _, row := range rows(t, f, SheetWhatIf) {
		if len(row) > 0 && row[0] != "" {
			if _, dup := m[row[0]]; !dup {
				m[row[0]] = row
			}
		}
	}
	return m
}

// relClose reports whether got is want to a relative 1e-9 (or both are
// within 1e-9 of 0 in absolute terms, for figures that are exactly 0).
func relClose(got, want float64) bool {
	return got == want || math.Abs(got-want) <= 1e-9*math.Max(math.Abs(want), 1e-6)
}

// checkWhatIf checks the result cells of the What-if sheet of f, columns B
// and C (the toggled set and the recommendation, under the sheet's
// inputs) and D (the tool's figure), against want and wantRec.
func checkWhatIf(t *testing.T, f *excelize.File, harm bool, want, wantRec model.Expected) {
	t.Helper()
	rowsBy := whatIfRows(t, f)
	for _, w := range whatIfLabels {
		row, ok := rowsBy[w.label]
		if ok != (!w.harm || harm) {
			t.Errorf("What-if row %q present = %v; want %v", w.label, ok, !ok)
			continue
		}
		if !ok {
			continue
		}
		for col, e := range map[int]model.Expected{1: want, 2: wantRec, 3: wantRec} {
			x := w.get(e)
			var s string
			if col < len(row) {
				s = row[col]
			}
			if !finite(x) {
				if s != "" && s != "n/a" && !strings.HasPrefix(s, "#") {
					t.Errorf("What-if %q col %d = %q; want no number (the tool's is %g)", w.label, col+1, s, x)
				}
				continue
			}
			got, err := strconv.ParseFloat(s, 64)
			if err != nil || !relClose(got, x) {
				t.Errorf("What-if %q col %d = %q; want %.15g", w.label, col+1, s, x)
			}
		}
	}
}

// TestWhatIfClosedForm checks that the What-if sheet, as written, holds
// the tool's exact figures for the recommendation (the closed form), with
// and without harm and when nothing is recommended.
func TestWhatIfClosedForm(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		get  func() (*Report, error)
	}{
		{"typical", typical},
		{"social", social},
		{"none recommended", noneRecommended},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := report(t, tt.get)
			f, _ := openBook(t, r)
			rec := recommended(r)
			e := model.ClosedFormAppraisal(r.Model, r.Analysis.Appraisal, rec)
			checkWhatIf(t, f, r.Model.Harm != nil, e, e)
			rowsBy := whatIfRows(t, f)
			if got := rowsBy["Does the toggled set beat the recommendation?"]; len(got) < 2 || !strings.HasPrefix(got[1], "no: the same") {
				t.Errorf("beats = %q; want the same expected NPV", got)
			}
			if rec != nil && !relClose(e.DecisionNPV, r.Analysis.Recommended.DecisionNPV.Mean) && math.Abs(e.DecisionNPV-r.Analysis.Recommended.DecisionNPV.Mean) > 4*r.Analysis.Recommended.DecisionNPVSE {
				t.Errorf("closed-form NPV %g is more than 4 SE from the simulated %g ± %g", e.DecisionNPV, r.Analysis.Recommended.DecisionNPV.Mean, r.Analysis.Recommended.DecisionNPVSE)
			}
		})
	}
}

// TestDrawsSheet checks the Draws sheet as written: each draw's NPV in
// the view in force equals the model's expected NPV given the draw
// (model.Tabulate, computed from the simulation's own coefficients), and
// the What-if sheet's summary is theirs.
func TestDrawsSheet(t *testing.T) {
	t.Parallel()
	eachView(t, func(t *testing.T, r *Report) {
		f, _ := openBook(t, r)
		tb, err := sheetDraws(r)
		if err != nil {
			t.Fatal(err)
		}
		rs := rows(t, f, SheetDraws)
		head := rs[drHead-1]
		col := slices.Index(head, "NPV in the view in force")
		if col < 0 || len(rs) != drHead+tb.Draws || tb.Draws < sheetDrawsMin {
			t.Fatalf("Draws sheet: NPV column %d, %d rows; want the column and %d draws (at least %d)", col, len(rs)-drHead, tb.Draws, sheetDrawsMin)
		}
		var pos float64
		for d := range tb.Draws {
			got := number(t, "Draws NPV", rs[drHead+d][col])
			if !relClose(got, tb.DecisionNPV[0][d]) {
				t.Errorf("draw %d: NPV %.15g; model %.15g", d+1, got, tb.DecisionNPV[0][d])
			}
			if tb.DecisionNPV[0][d] > 0 {
				pos++
			}
		}
		p := whatIfRows(t, f)["P(NPV > 0)"]
		if got := number(t, "P(NPV > 0)", p[1]); got != pos/float64(tb.Draws) {
			t.Errorf("What-if P(NPV > 0) = %g; want %g", got, pos/float64(tb.Draws))
		}
	})
}
