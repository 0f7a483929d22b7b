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
