package model

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestWarnings(t *testing.T) {
	t.Parallel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	tests := []struct {
		name   string
		edit   func(m *Model)
		cons   Constraints
		want   string // a field that must warn; "" for none
		reason string
	}{
		{"plain model", func(*Model) {}, NoBudget(), "", ""},
		{"interval ×999 does not warn", func(m *Model) { m.Threats[2].Fixed = Estimate{1e4, 9.99e6} }, NoBudget(), "", ""},
		{"interval ×1001 warns", func(m *Model) { m.Threats[2].Fixed = Estimate{1e4, 1.001e7} }, NoBudget(), "threats[breach].fixed", "three orders"},
		{"mean above hi", func(m *Model) { m.Threats[0].Rate = Estimate{1e-4, 1e1} }, NoBudget(), "threats[worm].rate", "outside its own"},
		{"control dearer than the ALE", func(m *Model) { m.Controls[2].Opex = Estimate{1e9, 2e9} }, NoBudget(), "controls[backup]", "more than the whole baseline"},
		{"budget above Gordon–Loeb", func(*Model) {}, Constraints{Annual: 1e12, Capex: math.Inf(1)}, "budget", "Gordon–Loeb"},
		{"budget within Gordon–Loeb", func(*Model) {}, Constraints{Annual: 1, Capex: math.Inf(1)}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := testModel()
			tt.edit(m)
			ws := Warnings(m, a, tt.cons)
			if tt.want == "" {
				if len(ws) > 0 {
					t.Errorf("Warnings = %v; want none", ws)
				}
				return
			}
			found := false
			for _, w := range ws {
				found = found || (w.Field == tt.want && strings.Contains(w.Msg, tt.reason))
			}
			if !found {
				t.Errorf("Warnings = %v; want one on %s saying %q", ws, tt.want, tt.reason)
			}
		})
	}
}

// TestWarningMoney checks that a warning writes its amounts of money with
// the function Text is given (issue 26: validate wrote "above the
// Gordon–Loeb bound … 3.585e+05"), and its other numbers as numbers.
func TestWarningMoney(t *testing.T) {
	t.Parallel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	m := testModel()
	m.Threats[2].Fixed = Estimate{1e4, 1.001e7}
	m.Threats[0].Rate = Estimate{1e-4, 1e1}
	ws := Warnings(m, a, Constraints{Annual: 1e12, Capex: math.Inf(1)})
	money := func(x float64) string { return "£" + strconv.FormatFloat(x, 'f', 0, 64) }
	got := map[string]string{}
	for _, w := range ws {
		got[w.Field] += w.Text(money)
		if strings.Contains(w.String(), "£") {
			t.Errorf("String() = %q; want amounts without a currency", w.String())
		}
	}
	for field, want := range map[string][]string{
		"budget":                {"£1000000000000 a year is above the Gordon–Loeb bound, (1/e) × baseline ALE = £"},
		"threats[breach].fixed": {"[£10000, £10010000]", "(×1001)", "implied mean £"},
		"threats[worm].rate":    {"[0.0001, 10]", "implied mean "},
	} {
		for _, w := range want {
			if !strings.Contains(got[field], w) {
				t.Errorf("%s: %q lacks %q", field, got[field], w)
			}
		}
	}
	if strings.Contains(got["threats[worm].rate"], "£") || strings.Contains(got["budget"], "e+") {
		t.Errorf("a rate written as money, or money in e-notation: %q", got)
	}
}

// TestImplausibleALEWarned is issue 27's case 11: inputs each within
// their limits that combine to an expected annual loss beyond belief (at
// the caps a 10-organisation scope reached 1.89e15 a year with no word)
// draw a warning saying the bound and why; beyond 1e18, that the figure
// is out of range. The test model's own loss draws none.
func TestImplausibleALEWarned(t *testing.T) {
	t.Parallel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	scope := func(ws []Warning) string {
		for _, w := range ws {
			if w.Field == "scope" {
				return w.String()
			}
		}
		return ""
	}
	if got := scope(Warnings(testModel(), a, NoBudget())); got != "" {
		t.Errorf("the test model: %q; want no warning on the scope", got)
	}
	m := testModel()
	m.Orgs = 10
	for i := range m.Threats {
		m.Threats[i].Rate = Fixed(1e4)
		m.Threats[i].Fixed = Fixed(1e12)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	ale := ClosedFormALE(m, nil)
	got := scope(Warnings(m, a, NoBudget()))
	if ale < 1e13 || !strings.Contains(got, "implausible: above 1e+12 a year per organisation, more than the yearly revenue of the world's largest company") {
		t.Errorf("ALE %.3g: warning %q; want the implausible bound", ale, got)
	}
	if w, ok := implausibleALE(2e19, 1e7); !ok || !strings.Contains(w.Msg, "out of range (above 1e+18)") {
		t.Errorf("implausibleALE(2e19) = %q, %v; want out of range", w.Msg, ok)
	}
	if _, ok := implausibleALE(0.9e12*50, 50); ok {
		t.Error("implausibleALE(0.9e12 an organisation) warned; want no warning")
	}
}
