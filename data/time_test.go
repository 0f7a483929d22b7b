package data_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// TestLoadTimeFields: a threat's trend and a control's rollout and decay
// are read into the model.
func TestLoadTimeFields(t *testing.T) {
	t.Parallel()
	doc := apply(t, minimalDoc,
		edit{"        duration: {lo: 2, hi: 10, tag: J, note: guess}\n", "        duration: {lo: 2, hi: 10, tag: J, note: guess}\n        trend: {lo: -0.05, hi: 0.2, tag: J, note: guess}\n"},
		edit{"        lifetime: {value: 5, tag: J, note: guess}\n", "        lifetime: {value: 5, tag: J, note: guess}\n        rollout_years: {value: 3, tag: J, note: guess}\n        rollout_shape: step\n        decay: weibull\n        decay_life: {value: 2.5, tag: J, note: guess}\n        decay_shape: {value: 1.5, tag: J, note: guess}\n"},
	)
	ds, err := data.Load(strings.NewReader(doc), "time.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := ds.Scopes[0].Model(model.Calibration{DailyNow: 1, RecoveryNow: 1})
	if got, want := m.Threats[0].Trend, (model.Estimate{Lo: -0.05, Hi: 0.2}); got != want {
		t.Errorf("trend = %v; want %v", got, want)
	}
	c := m.Controls[0]
	if want := (model.Rollout{Years: 3, Shape: model.RolloutStep}); c.Rollout != want {
		t.Errorf("rollout = %+v; want %+v", c.Rollout, want)
	}
	if want := (model.Decay{Kind: model.DecayWeibull, L: 2.5, K: 1.5}); c.Decay != want {
		t.Errorf("decay = %+v; want %+v", c.Decay, want)
	}
}

// TestLoadTimeErrors: each bad time field is reported with its field and
// line.
func TestLoadTimeErrors(t *testing.T) {
	t.Parallel()
	const (
		th = "        duration: {lo: 2, hi: 10, tag: J, note: guess}\n"
		ct = "        lifetime: {value: 5, tag: J, note: guess}\n"
	)
	for _, tc := range []struct {
		name string
		add  edit
		want []problem
	}{
		{"trend below −100%", edit{th, th + "        trend: {lo: -1.5, hi: 0.1, tag: J, note: guess}\n"},
			[]problem{{"scopes[s].threats[t].trend", "trend:"}}},
		{"trend lo above hi", edit{th, th + "        trend: {lo: 0.2, hi: 0.1, tag: J, note: guess}\n"},
			[]problem{{"scopes[s].threats[t].trend", "trend:"}}},
		{"trend without tag", edit{th, th + "        trend: {lo: 0, hi: 0.1}\n"},
			[]problem{{"scopes[s].threats[t].trend", "trend:"}}},
		{"rollout not whole", edit{ct, ct + "        rollout_years: {value: 1.5, tag: J, note: guess}\n"},
			[]problem{{"scopes[s].controls[c].rollout_years", "rollout_years:"}}},
		{"rollout shape", edit{ct, ct + "        rollout_shape: curved\n"},
			[]problem{{"scopes[s].controls[c].rollout_shape", "rollout_shape:"}}},
		{"decay kind", edit{ct, ct + "        decay: linear\n"},
			[]problem{{"scopes[s].controls[c].decay", "decay:"}}},
		{"decay without life", edit{ct, ct + "        decay: exponential\n"},
			[]problem{{"scopes[s].controls[c].decay_life", "decay:"}}},
		{"weibull without shape", edit{ct, ct + "        decay: weibull\n        decay_life: {value: 2, tag: J, note: guess}\n"},
			[]problem{{"scopes[s].controls[c].decay_shape", "decay:"}}},
		{"negative half-life", edit{ct, ct + "        decay: exponential\n        decay_life: {value: -1, tag: J, note: guess}\n"},
			[]problem{{"scopes[s].controls[c].decay_life", "decay_life:"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := apply(t, minimalDoc, tc.add)
			_, err := data.Load(strings.NewReader(doc), "time.yaml")
			for _, m := range mismatches(err, "time.yaml", doc, tc.want) {
				t.Error(m)
			}
		})
	}
}

// TestDefaultTimeValues: the embedded dataset's trends, rollouts and
// decays are those data/README.md explains.
func TestDefaultTimeValues(t *testing.T) {
	t.Parallel()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ds.Scope("nhs-england")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model(model.Calibration{DailyNow: 1, RecoveryNow: 1})
	for _, th := range m.Threats {
		want := model.Estimate{Lo: 0, Hi: 0.05}
		if th.ID == "S2" || th.ID == "S3" {
			want.Hi = 0.2
		}
		if th.Trend != want {
			t.Errorf("%s trend = %v; want %v", th.ID, th.Trend, want)
		}
	}
	for _, c := range m.Controls {
		if c.Rollout.Years < 1 || c.Rollout.Years > 3 {
			t.Errorf("%s rollout %d years; want 1 to 3", c.ID, c.Rollout.Years)
		}
	}
	train := m.Controls[m.ControlIndex("R-C7")]
	if train.Lifetime != 1 || train.Decay != (model.Decay{Kind: model.DecayExponential, L: 0.5}) {
		t.Errorf("R-C7: lifetime %d, decay %+v; want renewed yearly, half-life 6 months", train.Lifetime, train.Decay)
	}
	// Year 1 of a control rolled out over 2 years at once after a yearly
	// renewal: half in place, times the half-life's year mean (1−¼)/(2 ln 2).
	if got, want := train.Weight(1, 1), 0.5*0.75/(2*math.Ln2); math.Abs(got-want) > 1e-15 {
		t.Errorf("R-C7 weight in year 1 = %g; want %g", got, want)
	}
}

// defaultPlanner returns the NHS England scope's planner under the
// default settings with three yearly budgets of £20m (capital and running
// together), keeping only the controls keep (all when nil).
func defaultPlanner(t testing.TB, keep []string) *model.Planner {
	t.Helper()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := model.Calibrate(ds.Target(), 1)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ds.Scope("nhs-england")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model(cal)
	if keep != nil {
		m.Controls = slices.DeleteFunc(m.Controls, func(c model.Control) bool { return !slices.Contains(keep, c.ID) })
	}
	b := model.YearBudgets{Labels: []string{"2026-27", "2027-28", "2028-29"}, Amounts: []float64{20e6, 20e6, 20e6}, Kind: model.PlanBoth}
	p, err := model.NewPlanner(m, data.DefaultSettings().Appraisal(), b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// bestByBruteForce returns the greatest NPV over every feasible
// assignment of start years 0..3 to n controls.
func bestByBruteForce(p *model.Planner, n int) (model.Plan, float64) {
	start := make([]int, n)
	var best model.Plan
	bestV := math.Inf(-1)
	for {
		pl := model.Plan{Start: slices.Clone(start)}
		if p.Feasible(pl) {
			if v := p.NPV(pl); v > bestV {
				best, bestV = pl, v
			}
		}
		i := 0
		for ; i < n; i++ {
			if start[i]++; start[i] <= p.Years() {
				break
			}
			start[i] = 0
		}
		if i == n {
			return best, bestV
		}
	}
}

// TestDefaultPlanBruteForce is the acceptance check of phased plans: with
// £20m a year for three years, the best plan of the NHS England scope is
// the brute-force best over all start-year assignments and within every
// year's budget; on 8 of its 12 controls in the quick tier (65,536 plans),
// all 12 in the long tier (16.8 million).
func TestDefaultPlanBruteForce(t *testing.T) {
	t.Parallel()
	keep := []string{"N1", "N2", "N3", "N4", "R-C1", "R-C2", "R-C7", "R-C10"}
	if longTier() {
		keep = nil
	}
	p := defaultPlanner(t, keep)
	got, err := p.Best(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, wantV := bestByBruteForce(p, len(got.Plan.Start))
	if !got.Optimal || math.Abs(got.NPV-wantV) > 1e-9*math.Abs(wantV) {
		t.Errorf("Best = %v NPV %.10g (%s); brute force %v NPV %.10g", got.Plan.Start, got.NPV, got.Method, want.Start, wantV)
	}
	for y, v := range p.Spend(got.Plan) {
		if v > 20e6 {
			t.Errorf("year %d: spend %g over the £20m budget", y+1, v)
		}
	}
}

// TestDefaultPlanStatic: on the NHS England scope with its trends,
// roll-outs and decays taken away and the same equivalent-annual-cost
// budget each year, the best plan is today's best portfolio under that
// budget, started in year 1, with its NPV bit for bit.
func TestDefaultPlanStatic(t *testing.T) {
	t.Parallel()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := model.Calibrate(ds.Target(), 1)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ds.Scope("nhs-england")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model(cal)
	for i := range m.Threats {
		m.Threats[i].Trend = model.Estimate{}
	}
	for i := range m.Controls {
		m.Controls[i].Rollout, m.Controls[i].Decay = model.Rollout{}, model.Decay{}
	}
	a := data.DefaultSettings().Appraisal()
	op, err := model.NewOptimiser(m, a, model.MaxNPV, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, budget := range []float64{5e6, 20e6, 60e6} {
		want := op.Best(model.Constraints{Annual: budget, Capex: math.Inf(1)})
		if len(want.Portfolio) == 0 {
			t.Fatalf("budget %g: today's portfolio is empty; the check needs one", budget)
		}
		p, err := model.NewPlanner(m, a, model.YearBudgets{Labels: []string{"2026-27", "2027-28", "2028-29"}, Amounts: []float64{budget, budget, budget}, Kind: model.PlanAnnual})
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Best(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got.NPV != want.Objective || !slices.Equal(got.Plan.Portfolio(), want.Portfolio) || slices.Max(got.Plan.Start) > 1 {
			t.Errorf("budget %g: plan %v NPV %v; today's portfolio %v NPV %v", budget, got.Plan.Start, got.NPV, want.Portfolio, want.Objective)
		}
	}
}

// FuzzParseBudgetPlan: any text either parses to yearly budgets that
// validate over a long enough horizon, or is an error; never a panic.
func FuzzParseBudgetPlan(f *testing.F) {
	for _, s := range []string{"2026-27:50m,2027-28:50m,2028-29:50m", "50m,50m", "a:1m,a:2m", ":1m", "x:£1.2m, y:250k", "2026-27:-5m", "", ",,", "a:1e400"} {
		f.Add(s, "")
		f.Add(s, "capital")
	}
	f.Fuzz(func(t *testing.T, s, kind string) {
		b, err := data.ParseBudgetPlan(s, kind)
		if err != nil {
			return
		}
		if len(b.Labels) != len(b.Amounts) || len(b.Amounts) == 0 {
			t.Fatalf("ParseBudgetPlan(%q) = %d labels, %d amounts", s, len(b.Labels), len(b.Amounts))
		}
		for _, a := range b.Amounts {
			if math.IsNaN(a) || math.IsInf(a, 0) || a < 0 {
				t.Fatalf("ParseBudgetPlan(%q): amount %g", s, a)
			}
		}
	})
}
