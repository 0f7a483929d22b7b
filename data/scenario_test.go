package data

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
)

func TestScenarioSeed(t *testing.T) {
	t.Parallel()
	// Golden values from Python:
	// int.from_bytes(hashlib.sha256(master.to_bytes(8, "big") + name.encode()).digest()[:8], "big")
	tests := []struct {
		master uint64
		name   string
		want   uint64
	}{
		{2017, "baseline", 4332586597285750241},
		{0, "", 12634128529936681850},
		{math.MaxUint64, "threats x1.5", 9482246237804420528},
	}
	for _, tt := range tests {
		if got := ScenarioSeed(tt.master, tt.name); got != tt.want {
			t.Errorf("ScenarioSeed(%d, %q) = %d; want %d", tt.master, tt.name, got, tt.want)
		}
	}
}

// scenarioRows returns the template with its Scenarios rows replaced by
// rows (from column A: name, scope, budget, capex budget, horizon,
// discount rate, optimism bias, seed, rate, loss and cost multipliers,
// controls allowed, budget plan, view, correlations, risk tolerance, budget
// plan kind; R is the note).
func scenarioRows(t testing.TB, rows ...[]any) []byte {
	return editBook(t, templateBytes(t), func(f *excelize.File) {
		if err := ClearScenarios(f); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, i+2)
				set(t, f, sheetScenarios, cell, v)
			}
		}
	})
}

func TestLoadWorkbookScenarios(t *testing.T) {
	t.Parallel()
	b := scenarioRows(t,
		[]any{"plain"},
		[]any{"all set", "acute-trust", "£2m", "none", 5, "3%", "20%", "12345", 1.5, "0.8", "1.3", "C1, C2; C5", "2026-27:1m, 2027-28:2m", nil, nil, nil, "Capital"},
		[]any{},
		[]any{"green book", "", "", "", "", "Green Book", nil, nil, nil, nil, nil, "all"},
	)
	ds, st, scns, err := loadBytes(b)
	if err != nil {
		t.Fatalf("LoadWorkbook() error: %v", err)
	}
	if len(scns) != 3 {
		t.Fatalf("got %d scenarios; want 3 (blank rows skipped)", len(scns))
	}
	want := []Scenario{
		{Index: 1, Row: 2, Name: "plain", RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
		{Index: 2, Row: 3, Name: "all set", Scope: "acute-trust", Budget: new(2e6), CapexBudget: new(math.Inf(1)), Horizon: 5,
			Discount: new(0.03), OptimismBias: new(0.2), Seed: new(uint64(12345)),
			RateMultiplier: 1.5, LossMultiplier: 0.8, CostMultiplier: 1.3, Controls: []string{"C1", "C2", "C5"}, BudgetPlan: "2026-27:1m, 2027-28:2m", BudgetPlanKind: "capital"},
		{Index: 3, Row: 5, Name: "green book", Discount: new(math.NaN()), RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
	}
	for i := range want {
		got := scns[i]
		if got.Err != nil {
			t.Errorf("scenario %q: Err = %v", got.Name, got.Err)
		}
		gd, wd := got.Discount, want[i].Discount
		got.Discount, want[i].Discount = nil, nil
		if !reflect.DeepEqual(got, want[i]) || (gd == nil) != (wd == nil) || (gd != nil && !(*gd == *wd || math.IsNaN(*gd) && math.IsNaN(*wd))) {
			t.Errorf("scenario %d = %+v (discount %v)\nwant %+v (discount %v)", i+1, got, gd, want[i], wd)
		}
	}
	// The settings each row runs with.
	rs := scns[1].Settings(st)
	if rs.Scope != "acute-trust" || rs.BudgetPlan != "2026-27:1m, 2027-28:2m" || rs.BudgetPlanKind != "capital" || *rs.Budget != 2e6 || rs.CapexBudget != nil || rs.Horizon != 5 || *rs.Discount != 0.03 || rs.OptimismBias != 0.2 || rs.Seed != 12345 {
		t.Errorf("Settings() of %q = %+v", scns[1].Name, rs)
	}
	if rs := scns[0].Settings(st); rs.Seed != st.Seed || !reflect.DeepEqual(rs.Appraisal(), st.Appraisal()) {
		t.Errorf("Settings() of %q = %+v; want the Settings with the master seed (common random numbers)", scns[0].Name, rs)
	}
	flat := st
	flat.Discount = new(0.05)
	if rs := scns[2].Settings(flat); rs.Discount != nil {
		t.Errorf("green book row: Settings().Discount = %v; want nil (the Green Book schedule)", *rs.Discount)
	}
	if ds.Scopes[1].ID != "acute-trust" {
		t.Errorf("dataset not read")
	}
}

// TestLoadWorkbookBadScenarios checks that a bad row carries its problems,
// naming the cell, while the dataset and the other rows load.
func TestLoadWorkbookBadScenarios(t *testing.T) {
	t.Parallel()
	b := scenarioRows(t,
		[]any{"good"},
		[]any{"bad budget", "", "tbc"},
		[]any{"good"},
		[]any{"", "", "", "", 200},
		[]any{"bad controls", "acute-trust", "", "", "", "", "", "", "", "", "", "C1, C99"},
		[]any{"bad multiplier", "", "", "", "", "", "", "", "-1"},
		[]any{"bad scope", "wales"},
		[]any{"bad plan kind", "", "", "", "", "", "", "", "", "", "", "", "2026-27:1m", nil, nil, nil, "weekly"},
		[]any{"good 2", "", "", "", "", "", "", "", "", "", "", "N1, R-C1"},
	)
	ds, _, scns, err := loadBytes(b)
	if err != nil || ds == nil {
		t.Fatalf("LoadWorkbook() error: %v; want the dataset, the bad rows in their Err", err)
	}
	want := map[string][]string{
		"good":       nil,
		"bad budget": {`inputs.xlsx: Scenarios!C3: budget: must be a non-negative amount, got "tbc" (or none)`},
		"good#2":     {`inputs.xlsx: Scenarios!A4: name: "good" is also the name of row 2: names must be unique`},
		"": {`inputs.xlsx: Scenarios!A5: name: must not be empty: the name identifies the row and sets its seed`,
			`inputs.xlsx: Scenarios!E5: horizon: must be a whole number from 1 to 125, got "200"`},
		"bad controls":   {`inputs.xlsx: Scenarios!L6: controls allowed: unknown control "C99" in scope acute-trust (it has C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12): did you mean "C9"?`},
		"bad multiplier": {`inputs.xlsx: Scenarios!I7: rate multiplier: must be a non-negative number, got "-1"`},
		"bad scope":      {`inputs.xlsx: Scenarios!B8: scope: unknown scope "wales" (the Scopes sheet has nhs-england, acute-trust)`},
		"bad plan kind":  {`inputs.xlsx: Scenarios!Q9: budget plan kind: unknown yearly budget kind "weekly" (want both, capital, running or annual)`},
		"good 2":         nil,
	}
	seen := map[string]int{}
	for _, sc := range scns {
		key := sc.Name
		if seen[key]++; seen[key] > 1 {
			key = fmt.Sprintf("%s#%d", key, seen[key])
		}
		var got []string
		for _, ce := range cellErrors(sc.Err) {
			got = append(got, ce.Error())
		}
		if !slices.Equal(got, want[key]) {
			t.Errorf("scenario %q (row %d) problems:\n%s\nwant\n%s", sc.Name, sc.Row, strings.Join(got, "\n"), strings.Join(want[key], "\n"))
		}
	}
	if len(scns) != len(want) {
		t.Errorf("got %d scenarios; want %d", len(scns), len(want))
	}
}

// TestLoadWorkbookScenariosRequires checks that a row allowing a control
// must allow the controls it requires.
func TestLoadWorkbookScenariosRequires(t *testing.T) {
	t.Parallel()
	ds := richer(t) // C4 requires C1 and C2
	b := editBook(t, templateOf(t, ds), func(f *excelize.File) {
		set(t, f, sheetScenarios, "B2", "acute-trust")
		set(t, f, sheetScenarios, "L2", "C4, C1")
	})
	_, _, scns, err := loadBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	want := `inputs.xlsx: Scenarios!L2: controls allowed: control C4 requires C2: allow both, or neither`
	if scns[0].Err == nil || scns[0].Err.Error() != want {
		t.Errorf("Err = %v; want %s", scns[0].Err, want)
	}
}

func templateOf(t testing.TB, ds *Dataset) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTemplate(&b, ds, "", DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestScenarioApply(t *testing.T) {
	t.Parallel()
	m := &model.Model{
		Scope: "s", Orgs: 1, Daily: model.Fixed(10), Recovery: model.Estimate{Lo: 100, Hi: 200},
		Threats: []model.Threat{{ID: "T", Rate: model.Estimate{Lo: 1, Hi: 2}, Fixed: model.Estimate{Lo: 5, Hi: 6}}},
		Controls: []model.Control{
			{ID: "A", Capex: model.Fixed(1000), Opex: model.Estimate{Lo: 10, Hi: 20}},
			{ID: "B", Capex: model.Fixed(3000), Requires: []string{"A"}},
			{ID: "C", Opex: model.Fixed(7)},
		},
	}
	orig := *m
	sc := Scenario{RateMultiplier: 2, LossMultiplier: 0.5, CostMultiplier: 3, Controls: []string{"A", "C"}}
	got, err := sc.Apply(m)
	if err != nil {
		t.Fatal(err)
	}
	want := &model.Model{
		Scope: "s", Orgs: 1, Daily: model.Fixed(5), Recovery: model.Estimate{Lo: 50, Hi: 100},
		Threats: []model.Threat{{ID: "T", Rate: model.Estimate{Lo: 2, Hi: 4}, Fixed: model.Estimate{Lo: 2.5, Hi: 3}}},
		Controls: []model.Control{
			{ID: "A", Capex: model.Fixed(3000), Opex: model.Estimate{Lo: 30, Hi: 60}},
			{ID: "C", Opex: model.Fixed(21)},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply() = %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(*m, orig) || m.Threats[0].Rate.Lo != 1 || m.Controls[0].Capex.Lo != 1000 {
		t.Errorf("Apply() changed its model: %+v", m)
	}
	sc.Controls = []string{"B"}
	if _, err := sc.Apply(m); err == nil || err.Error() != "control B requires A, which the scenario does not allow" {
		t.Errorf("Apply() with B but not A: error %v", err)
	}
	one := Scenario{RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1}
	if got, err := one.Apply(m); err != nil || !reflect.DeepEqual(got, m) {
		t.Errorf("Apply() with no change = %+v, %v; want the model", got, err)
	}
}

// TestLoadWorkbookScenarioView checks the Scenarios columns a run's
// options need beyond the original ones (issue 22, item 8): view,
// correlations and risk tolerance are read, carried to the row's settings
// and its run specification, and a bad value names its cell.
func TestLoadWorkbookScenarioView(t *testing.T) {
	t.Parallel()
	b := scenarioRows(t,
		[]any{"social", "", "", "", nil, "", nil, nil, nil, nil, nil, "all", nil, "Social", "S1:S3=0.5", "500m:1/50"},
		[]any{"bad", "", "", "", nil, "", nil, nil, nil, nil, nil, "all", nil, "moral", "S1-S3", "lots"},
	)
	_, st, scns, err := loadBytes(b)
	if err != nil {
		t.Fatalf("LoadWorkbook() error: %v", err)
	}
	sc := scns[0]
	if sc.Err != nil || sc.View != "social" || sc.Correlations != "S1:S3=0.5" || sc.RiskTolerance != "500m:1/50" {
		t.Fatalf("row social = %+v; want view social, its correlations and risk tolerance", sc)
	}
	spec := sc.Settings(st).Spec()
	if spec.View != "social" || spec.Correlations != "S1:S3=0.5" || spec.RiskTolerance != "500m:1/50" {
		t.Errorf("the row's run specification = %+v; want its view, correlations and risk tolerance", spec)
	}
	if err := spec.Validate(); err != nil {
		t.Errorf("the row's run specification: %v", err)
	}
	for _, cell := range []string{"Scenarios!N3", "Scenarios!O3", "Scenarios!P3"} {
		if scns[1].Err == nil || !strings.Contains(scns[1].Err.Error(), cell) {
			t.Errorf("row bad: Err = %v; want a problem at %s", scns[1].Err, cell)
		}
	}
}

// TestClearScenarios checks that ClearScenarios empties every Scenarios row
// under the header, in the template's columns and in one added after them
// (a new column must not leave the template's examples half there).
func TestClearScenarios(t *testing.T) {
	t.Parallel()
	b := editBook(t, templateBytes(t), func(f *excelize.File) {
		head, err := f.GetRows(sheetScenarios)
		if err != nil || len(head) < 3 {
			t.Fatalf("the template's Scenarios: %d rows, %v; want a header and examples", len(head), err)
		}
		extra := len(head[0]) + 1
		set(t, f, sheetScenarios, cellName(extra, 1), "#mine")
		set(t, f, sheetScenarios, cellName(extra, 3), "kept?")
		set(t, f, sheetScenarios, cellName(extra+2, 4), "beyond")
		if err := ClearScenarios(f); err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(sheetScenarios)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || rows[0][len(rows[0])-1] != "#mine" {
			t.Errorf("the header changed: %q", rows)
		}
		for r, row := range rows[min(1, len(rows)):] {
			for c, v := range row {
				if v != "" {
					t.Errorf("Scenarios!%s = %q after ClearScenarios; want empty", cellName(c+1, r+2), v)
				}
			}
		}
	})
	_, _, scns, err := LoadWorkbook(bytes.NewReader(b), "inputs.xlsx")
	if err != nil || len(scns) != 0 {
		t.Errorf("LoadWorkbook after ClearScenarios: %d scenarios, %v; want none and no error", len(scns), err)
	}
}

// TestScenarioErrorsNameTheCell checks that a Scenarios row's or a Settings
// cell's bad option is reported at its cell, with did-you-mean where a
// word is mistyped, whether the loader finds it alone or only against the
// row's scope (issue 22: rows' problems were reported against the flag
// the cell stands for, "--view", or the scope's model, "correlations[0]").
func TestScenarioErrorsNameTheCell(t *testing.T) {
	t.Parallel()
	type put struct{ head, value string }
	rows := []struct {
		name  string
		cells []put
		field string // the column blamed
		want  string
	}{
		{"typo view", []put{{"view", "socail"}}, "view", `did you mean "social"?`},
		{"unknown threat", []put{{"correlations", "S1:S9=0.5"}}, "correlations", `unknown threat "S9" in scope nhs-england`},
		{"rank", []put{{"correlations", "S1:S3=2"}}, "correlations", "want a rank correlation in (−1, 1), got 2"},
		{"tolerance currency", []put{{"risk tolerance", "$500m:1/50"}}, "risk tolerance", "is in $, but the dataset's amounts are in GBP"},
		{"budget currency", []put{{"budget", "$5m"}}, "budget", "is in $, but the dataset's amounts are in GBP"},
		{"good", []put{{"view", "social"}, {"correlations", "S1:S3=0.5"}, {"risk tolerance", "£500m:1/50"}}, "", ""},
	}
	b := editBook(t, templateBytes(t), func(f *excelize.File) {
		if err := ClearScenarios(f); err != nil {
			t.Fatal(err)
		}
		head, err := f.GetRows(sheetScenarios)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			set(t, f, sheetScenarios, cellName(1, i+2), r.name)
			for _, p := range r.cells {
				set(t, f, sheetScenarios, cellName(slices.Index(head[0], p.head)+1, i+2), p.value)
			}
		}
		// The Settings: a mistyped metric and a risk tolerance in dollars.
		setSetting(t, f, "metric", "npvv")
		setSetting(t, f, "risk tolerance", "$1bn:1/100")
	})
	_, _, _, err := LoadWorkbook(bytes.NewReader(b), "inputs.xlsx")
	for _, want := range []string{`Settings!`, `metric: unknown metric "npvv"`, `did you mean "npv"?`, `risk tolerance: "$1bn" is in $`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadWorkbook: %v; want it to say %q", err, want)
		}
	}
	var ce *CellError
	if !errors.As(err, &ce) || ce.Sheet != sheetSettings {
		t.Errorf("LoadWorkbook: %v; want a *CellError on the Settings sheet", err)
	}
	// The rows, loaded without the Settings' problems.
	b = editBook(t, b, func(f *excelize.File) {
		setSetting(t, f, "metric", "npv")
		setSetting(t, f, "risk tolerance", "")
	})
	ds, st, scns, err := LoadWorkbook(bytes.NewReader(b), "inputs.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head, _ := f.GetRows(sheetScenarios)
	cal, err := model.Calibrate(ds.Target(), st.Seed)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		sc := &scns[i]
		_, err := NewScenarioJob(st, ds, cal, sc, false)
		if r.field == "" {
			if err != nil {
				t.Errorf("row %q: %v; want it to run", r.name, err)
			}
			continue
		}
		cell := cellName(slices.Index(head[0], r.field)+1, i+2)
		var ce *CellError
		if err == nil || !errors.As(err, &ce) || ce.Sheet != sheetScenarios || ce.Cell != cell || !strings.Contains(err.Error(), r.want) {
			t.Errorf("row %q: %v; want a *CellError at Scenarios!%s saying %q", r.name, err, cell, r.want)
		}
		if err != nil && strings.Contains(err.Error(), "--") {
			t.Errorf("row %q: %v names a flag", r.name, err)
		}
	}
}

// setSetting sets the value of the Settings row whose key is key.
func setSetting(t *testing.T, f *excelize.File, key, v string) {
	t.Helper()
	rows, err := f.GetRows(sheetSettings)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && strings.EqualFold(strings.TrimSpace(r[0]), key) {
			set(t, f, sheetSettings, cellName(2, i+1), v)
			return
		}
	}
	t.Fatalf("the Settings sheet has no %q row", key)
}
