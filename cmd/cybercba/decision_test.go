package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// decisionJSON is the part of run --json the decision tests read.
type decisionJSON struct {
	Controls []struct {
		ID  string
		EAC struct{ Mean float64 } `json:"eac"`
	}
	Recommended struct {
		Controls []string
		Choice   struct {
			Objective float64
			Annual    float64 `json:"annual_cost"`
		}
		Result *struct {
			NPV struct{ Mean float64 } `json:"npv_decision"`
			EAC struct{ Mean float64 } `json:"eac"`
		}
		BuildUp []struct {
			ID          string
			MarginalNPV float64 `json:"marginal_npv"`
		} `json:"build_up"`
		DeathsNow *float64 `json:"extra_deaths_a_year"`
		WeakPoint *struct {
			Input string
			Text  string
		} `json:"weak_point"`
		Holdouts string
	}
	Portfolio *struct {
		Choice struct {
			Controls []string
		}
		Frontier []struct {
			Choice struct {
				Controls []string
				Annual   float64 `json:"annual_cost"`
			}
		}
	}
	Sensitivity *struct {
		Central float64 `json:"central_npv"`
	}
}

func runJSON(t *testing.T, extra ...string) decisionJSON {
	t.Helper()
	return decisionOf(t, append(runArgs(extra...), "--json"))
}

// decisionOf is the decision in the JSON of the run of args (a --json
// --no-files command line), through cachedRun.
func decisionOf(t *testing.T, args []string) decisionJSON {
	t.Helper()
	r := cachedRun(t, args...)
	mustSucceed(t, r, args)
	var d decisionJSON
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	return d
}

// defaultModel returns the default dataset's NHS England model as run
// builds it, with harm in the social view.
func defaultModel(t *testing.T, social bool) (*data.Dataset, *model.Model) {
	t.Helper()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := model.Calibrate(ds.Target(), 2017)
	if err != nil {
		t.Fatal(err)
	}
	sc := &ds.Scopes[0]
	m := sc.Model(cal)
	if social {
		m.Harm = sc.HarmModel()
	}
	return ds, m
}

// TestOneRecommendation checks, on the default dataset, that run --json's
// recommendation is the choice under a budget above the cost of every
// control together, that its build-up's marginal NPVs sum to its expected
// NPV, that the tornado is centred on that expected NPV, that a control's
// expected cost is the same to the penny in the ranking, the frontier and
// the budgeted portfolio and equals the closed form, and that no output
// calls another set recommended.
func TestOneRecommendation(t *testing.T) {
	t.Parallel()
	// At the agreement tests' size: the run with sensitivity and frontier
	// is TestSensitivityEVPIAgreement's, shared through cachedRun.
	free := decisionOf(t, sensitivityJSONArgs("financial"))
	_, m := defaultModel(t, false)
	a := model.Appraisal{Horizon: 10, Discount: model.GreenBook()}
	costs := model.ExpectedCosts(m, a)
	var all float64
	for _, c := range costs {
		all += c.Annual
	}
	budgeted := decisionOf(t, slices.Concat([]string{"run"}, agreeArgs(), []string{"--budget", fmt.Sprintf("%.0f", 2*all), "--json", "--no-files"}))
	if !slices.Equal(free.Recommended.Controls, budgeted.Recommended.Controls) || len(free.Recommended.Controls) == 0 {
		t.Errorf("recommended %v; under a budget above everything %v", free.Recommended.Controls, budgeted.Recommended.Controls)
	}
	if budgeted.Portfolio == nil || !slices.Equal(budgeted.Portfolio.Choice.Controls, budgeted.Recommended.Controls) {
		t.Errorf("the budgeted portfolio %v is not the recommendation %v", budgeted.Portfolio, budgeted.Recommended.Controls)
	}
	var sum float64
	for _, st := range free.Recommended.BuildUp {
		sum += st.MarginalNPV
	}
	if obj := free.Recommended.Choice.Objective; math.Abs(sum-obj) > 1e-9*math.Abs(obj) {
		t.Errorf("build-up marginals sum to %.10g; the recommendation's expected NPV is %.10g", sum, obj)
	}
	if s := free.Sensitivity; s == nil || math.Abs(s.Central-free.Recommended.Choice.Objective) > 1e-9*math.Abs(s.Central) {
		t.Errorf("tornado centre %v; want the expected NPV %.10g", s, free.Recommended.Choice.Objective)
	}
	// One cost per control, equal to the closed form.
	for i, c := range free.Controls {
		if c.EAC.Mean != costs[i].Annual {
			t.Errorf("%s: ranking's cost %.2f; closed form %.2f", c.ID, c.EAC.Mean, costs[i].Annual)
		}
	}
	var recCost float64
	for _, id := range free.Recommended.Controls {
		recCost += costs[m.ControlIndex(id)].Annual
	}
	if r := free.Recommended.Result; r == nil || math.Abs(r.EAC.Mean-recCost) > 0.005 || math.Abs(free.Recommended.Choice.Annual-recCost) > 0.005 {
		t.Errorf("recommended cost %v / %v; its controls' closed-form costs add to %.2f", r, free.Recommended.Choice.Annual, recCost)
	}
	for _, fp := range free.Portfolio.Frontier {
		var want float64
		for _, id := range fp.Choice.Controls {
			want += costs[m.ControlIndex(id)].Annual
		}
		if math.Abs(fp.Choice.Annual-want) > 0.005 {
			t.Errorf("frontier %v costs %.2f; its controls' closed-form costs add to %.2f", fp.Choice.Controls, fp.Choice.Annual, want)
		}
	}
	if free.Recommended.WeakPoint == nil || free.Recommended.Holdouts == "" {
		t.Errorf("no weak point or hold-out line: %+v", free.Recommended)
	}
	r := cybercba(t, runArgs()...)
	if strings.Contains(r.stdout, "All recommended") || strings.Contains(r.stdout, "controls with positive NPV cost") {
		t.Errorf("the terminal calls another set recommended:\n%s", r.stdout)
	}
}

// TestSocialRecommendation checks, on the default dataset in the social
// view, that the recommendation maximises the expected NPV with harm over
// all 4,096 subsets (computed here from the closed-form loss and harm and
// the Green Book's annuities summed by hand), and that the implied extra
// deaths a year are printed and far below several hundred.
func TestSocialRecommendation(t *testing.T) {
	t.Parallel()
	d := runJSON(t, "--view", "social")
	_, m := defaultModel(t, true)
	a := model.Appraisal{Horizon: 10, Discount: model.GreenBook(), View: model.Social}
	var A, HA float64
	for y := 1; y <= 10; y++ {
		A += math.Pow(1.035, -float64(y))
		HA += math.Pow(1.015, -float64(y))
	}
	costs := model.ExpectedCosts(m, a)
	base, baseHarm := model.ClosedFormALE(m, nil), model.ClosedFormHarm(m, nil)
	n := len(m.Controls)
	best, bestV := []string{}, 0.0
	for mask := 1; mask < 1<<n; mask++ {
		var p model.Portfolio
		var pv float64
		for c := range n {
			if mask&(1<<c) != 0 {
				p = append(p, c)
				pv += costs[c].PV
			}
		}
		v := (base-model.ClosedFormALE(m, p))*A + (baseHarm-model.ClosedFormHarm(m, p))*HA - pv
		if v > bestV {
			best, bestV = nil, v
			for _, c := range p {
				best = append(best, m.Controls[c].ID)
			}
		}
	}
	got := slices.Clone(d.Recommended.Controls)
	slices.Sort(got)
	slices.Sort(best)
	if !slices.Equal(got, best) {
		t.Errorf("social recommendation %v; brute force over %d subsets %v (NPV %.4g)", got, 1<<n, best, bestV)
	}
	if math.Abs(d.Recommended.Choice.Objective-bestV) > 1e-9*math.Abs(bestV) {
		t.Errorf("recommended NPV with harm %.10g; brute force %.10g", d.Recommended.Choice.Objective, bestV)
	}
	if d.Recommended.DeathsNow == nil || !(*d.Recommended.DeathsNow > 0 && *d.Recommended.DeathsNow < 100) {
		t.Errorf("implied extra deaths a year %v; want a positive number well below several hundred", d.Recommended.DeathsNow)
	}
}

// TestBatchCommonRandomNumbers checks that two Scenarios rows with the same
// inputs and no seed of their own give identical results, and that
// --row-seeds gives them different draws.
func TestBatchCommonRandomNumbers(t *testing.T) {
	t.Parallel()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := data.WriteTemplate(&buf, ds, "", data.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := data.ClearScenarios(f); err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("Scenarios", "A2", "first")
	f.SetCellValue("Scenarios", "A3", "second")
	path := filepath.Join(t.TempDir(), "inputs.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, rowSeeds := range []bool{false, true} {
		o := batchOptions{Input: path, Workers: 2, Quiet: true, Draws: 8, Years: 200, RowSeeds: rowSeeds, set: map[string]bool{"draws": true, "years": true}}
		b, _, err := runBatch(t.Context(), o, 0, 0, "", os.Stderr)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Rows) != 2 {
			t.Fatalf("%d rows; want 2 (errors %v)", len(b.Rows), b.Errors)
		}
		x, y := b.Rows[0], b.Rows[1]
		same := x.ALE == y.ALE && x.Best.DecisionNPV == y.Best.DecisionNPV && x.Portfolio.Controls == y.Portfolio.Controls
		if same == rowSeeds {
			t.Errorf("row seeds %v: rows give ALE %v and %v, best NPV %v and %v; want them %s", rowSeeds, x.ALE, y.ALE, x.Best.DecisionNPV, y.Best.DecisionNPV,
				map[bool]string{false: "identical", true: "different"}[rowSeeds])
		}
	}
}
