package data

import (
	"strings"
	"testing"
)

// TestCheckRun checks that CheckRun passes the embedded dataset, and names
// the Scenarios row of each scenario that cannot run: an unknown scope, a
// discount rate beyond the limits, and a row that had a problem on the
// sheet.
func TestCheckRun(t *testing.T) {
	ds, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, problems := CheckRun(ds, DefaultSettings(), nil); problems != nil {
		t.Fatalf("the embedded dataset: %v", problems)
	}
	steep := 0.6
	scns := []Scenario{
		{Name: "fine", Row: 2, RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
		{Name: "nowhere", Row: 3, Scope: "atlantis", RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
		{Name: "steep", Row: 4, Discount: &steep, RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
		{Name: "broken", Row: 5, Err: &CellError{Sheet: "Scenarios", Cell: "B5", Msg: "bad"}},
	}
	_, problems := CheckRun(ds, DefaultSettings(), scns)
	got := Leaves(problems)
	if len(got) != 3 {
		t.Fatalf("%d problems; want 3: %v", len(got), problems)
	}
	for i, want := range []string{`Scenarios row 3 (nowhere): scope "atlantis"`, "Scenarios row 4 (steep): ", "Scenarios!B5"} {
		if !strings.Contains(got[i].Error(), want) {
			t.Errorf("problem %d %q; want it to contain %q", i, got[i], want)
		}
	}
}

// TestCheckRunWarnsInMoney checks that validate's warnings write amounts
// as the outputs do (issue 26: "above the Gordon–Loeb bound … 3.585e+05").
func TestCheckRunWarnsInMoney(t *testing.T) {
	t.Parallel()
	ds, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	st := DefaultSettings()
	budget := 1e9
	st.Budget = &budget
	warnings, _ := CheckRun(ds, st, nil)
	n := 0
	for _, w := range warnings {
		if !strings.Contains(w, "Gordon–Loeb") {
			continue
		}
		n++
		if !strings.Contains(w, "budget: £1.00bn a year is above the Gordon–Loeb bound, (1/e) × baseline ALE = £") || strings.Contains(w, "e+") {
			t.Errorf("warning %q; want the amounts in £ as the outputs write them", w)
		}
	}
	if n == 0 {
		t.Errorf("CheckRun with a £1bn budget: no Gordon–Loeb warning in %q", warnings)
	}
}
