package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestHealthView checks that run --view social adds the health-economic
// views to the terminal, the JSON, the plots and the workbook, and that a
// financial run has none of them.
func TestHealthView(t *testing.T) {
	skipUnlessLong(t, "writes a whole default run's files; CI runs it")
	t.Parallel()
	var out struct {
		Health *struct {
			ValuePerQALY float64 `json:"value_per_qaly"`
			Options      []struct {
				Name         string    `json:"name"`
				CostPerYear  []float64 `json:"cost_per_year"`
				QALYsPerYear []float64 `json:"qalys_per_year"`
			} `json:"options"`
			ICERs []struct {
				Status string `json:"status"`
			} `json:"icers"`
			Acceptability struct {
				Prob [][]float64 `json:"probability_best"`
			} `json:"acceptability"`
			EVPPI []struct {
				Name string  `json:"name"`
				SE   float64 `json:"se"`
			} `json:"evppi"`
		} `json:"health_economics"`
	}
	args := runArgs("--scope", "acute-trust", "--view", "social", "--json")
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	he := out.Health
	if he == nil {
		t.Fatal("--view social --json has no health_economics")
	}
	if he.ValuePerQALY <= 0 || len(he.Options) < 2 || he.Options[0].Name != "Do nothing" || len(he.ICERs) != len(he.Options) {
		t.Errorf("health_economics: value %g, %d options (first %q), %d ICER rows", he.ValuePerQALY, len(he.Options), he.Options[0].Name, len(he.ICERs))
	}
	for _, o := range he.Options {
		if n := 100; len(o.CostPerYear) != n || len(o.QALYsPerYear) != n { // small's --decision-draws
			t.Errorf("%s: %d costs and %d QALYs; want one per decision draw (%d)", o.Name, len(o.CostPerYear), len(o.QALYsPerYear), n)
		}
	}
	if len(he.Acceptability.Prob) != len(he.Options) || len(he.EVPPI) == 0 {
		t.Errorf("acceptability for %d options, %d EVPPI rows", len(he.Acceptability.Prob), len(he.EVPPI))
	}

	args = runArgs("--scope", "acute-trust", "--json")
	r = cybercba(t, args...)
	mustSucceed(t, r, args)
	if strings.Contains(r.stdout, "health_economics") {
		t.Error("a financial run has health_economics")
	}

	dir := t.TempDir()
	args = []string{"run", "--draws", "8", "--years", "200", "--decision-draws", "100", "--scope", "acute-trust", "--view", "social", "-o", dir}
	r = cybercba(t, args...)
	mustSucceed(t, r, args)
	if !strings.Contains(r.stdout, "ICERs in dampack's convention") {
		t.Errorf("terminal output lacks the ICER table:\n%s", r.stdout)
	}
	for _, name := range []string{"ce-plane", "ceac", "evpi", "evppi"} {
		if _, err := os.Stat(filepath.Join(dir, "plots", name+".png")); err != nil {
			t.Errorf("plot %s: %v", name, err)
		}
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, s := range []string{"Health economics", "Acceptability", "CE plane draws"} {
		if idx, _ := f.GetSheetIndex(s); idx < 0 {
			t.Errorf("report.xlsx has no sheet %q", s)
		}
	}
}
