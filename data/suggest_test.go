package data

import (
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDidYouMeanEverywhere checks issue 26's "did-you-mean for every
// enumerated value": a slip in a flag's value, a Settings or Scenarios
// cell, or a dataset's enumerated field gets the nearest accepted name.
func TestDidYouMeanEverywhere(t *testing.T) {
	t.Parallel()
	spec := func(edit func(*RunSpec)) error {
		s := DefaultRunSpec()
		edit(&s)
		return s.Validate()
	}
	yamlWith := func(old, new string) error {
		doc := string(DefaultBytes())
		if !strings.Contains(doc, old) {
			t.Fatalf("test bug: %q not in the dataset", old)
		}
		_, err := LoadBytes([]byte(strings.Replace(doc, old, new, 1)), "nhs.yaml")
		return err
	}
	// setting returns the load error of the template with the Settings
	// row key set to v.
	setting := func(key, v string) error {
		b := editBook(t, templateBytes(t), func(f *excelize.File) {
			set(t, f, sheetSettings, fmt.Sprintf("B%d", rowOf(t, f, sheetSettings, "A", key)), v)
		})
		_, _, _, err := loadBytes(b)
		return err
	}
	// scenario returns the first Scenarios row's problem with the cell of
	// column head set to v.
	scenario := func(head, v string) error {
		b := editBook(t, templateBytes(t), func(f *excelize.File) {
			rows, err := f.GetRows(sheetScenarios)
			if err != nil {
				t.Fatal(err)
			}
			for i, h := range rows[0] {
				if strings.EqualFold(h, head) {
					name, _ := excelize.CoordinatesToCellName(i+1, 2)
					set(t, f, sheetScenarios, name, v)
					return
				}
			}
			t.Fatalf("test bug: no Scenarios column %q in %q", head, rows[0])
		})
		_, _, scns, err := loadBytes(b)
		if err != nil {
			return err
		}
		return scns[0].Err
	}
	_, scopeErr := mustDefault(t).Scope("nhs-englnd")
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"--format", spec(func(s *RunSpec) { s.Formats = "png,sgv" }), `did you mean "svg"?`},
		{"--budget-plan-kind", spec(func(s *RunSpec) { s.BudgetPlan, s.BudgetPlanKind = "2026-27:5m", "captial" }), `did you mean "capital"?`},
		{"--view", spec(func(s *RunSpec) { s.View = "socail" }), `did you mean "social"?`},
		{"--scope", scopeErr, `did you mean "nhs-england"?`},
		{"Settings view", setting("view", "socail"), `Settings!B`},
		{"Settings view suggests", setting("view", "socail"), `did you mean "social"?`},
		{"Settings budget plan kind", setting("budget plan kind", "captial"), `did you mean "capital"?`},
		{"Settings objective", setting("objective", "dtvr"), `did you mean "dtvar"?`},
		{"Settings metric", setting("metric", "nvp"), `did you mean "npv"?`},
		{"Settings scope", setting("scope", "nhs-englnd"), `did you mean "nhs-england"?`},
		{"Scenarios view", scenario("view", "socail"), `did you mean "social"?`},
		{"Settings baseline scenario", setting("baseline scenario", "tight budgte"), `baseline scenario: no Scenarios row is named "tight budgte": did you mean "tight budget"?`},
		{"Scenarios budget plan kind", scenario("budget plan kind", "runing"), `did you mean "running"?`},
		{"Scenarios scope", scenario("scope", "acute-trst"), `did you mean "acute-trust"?`},
		{"dataset project", yamlWith("project: outsourcing", "project: outsorcing"), `did you mean "outsourcing"?`},
		{"dataset effect's threat", yamlWith("- threat: S3", "- threat: s3x"), `did you mean "S3"?`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
				t.Errorf("error %v; want one saying %s", tt.err, tt.want)
			}
		})
	}
}

// TestBaselineScenarioSetting checks that the Settings' baseline scenario
// is read when it names a Scenarios row.
func TestBaselineScenarioSetting(t *testing.T) {
	t.Parallel()
	b := editBook(t, templateBytes(t), func(f *excelize.File) {
		set(t, f, sheetSettings, fmt.Sprintf("B%d", rowOf(t, f, sheetSettings, "A", "baseline scenario")), "tight budget")
	})
	_, st, _, err := loadBytes(b)
	if err != nil || st.Baseline != "tight budget" {
		t.Errorf("baseline scenario = %q, error %v; want \"tight budget\"", st.Baseline, err)
	}
}
