package bulk

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

// testInput returns the embedded dataset at 12 draws × 400 years (the
// decisions on 100 draws) with
// rows that change budgets, costs, rates, horizon and discount, one that
// names an unknown scope and one whose sheet had a problem.
func testInput(t *testing.T) Input {
	t.Helper()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	st := data.DefaultSettings()
	st.Draws, st.Years, st.DecisionDraws = 12, 400, 100
	f := func(v float64) *float64 { return &v }
	sc := []data.Scenario{
		{Name: "base"},
		{Name: "budget", Budget: f(8e6)},
		{Name: "dearer", CostMultiplier: 1.7},
		{Name: "riskier", RateMultiplier: 1.8},
		{Name: "short", Horizon: 4, Discount: f(0.06), OptimismBias: f(0.3)},
		{Name: "nowhere", Scope: "atlantis"},
		{Name: "broken", Err: &data.CellError{Sheet: "Scenarios", Cell: "J8", Field: "rate multiplier", Msg: "must be positive"}},
		{Name: "trust", Scope: "acute-trust", Budget: f(400e3)},
		{Name: "base again"},
	}
	for i := range sc {
		sc[i].Index, sc[i].Row = i+1, i+2
		for _, k := range []*float64{&sc[i].RateMultiplier, &sc[i].LossMultiplier, &sc[i].CostMultiplier} {
			if *k == 0 {
				*k = 1
			}
		}
	}
	return Input{Dataset: ds, Settings: st, Scenarios: sc}
}

// TestRunShardsAndWorkers checks that a bulk run's rows are the same bit
// for bit whatever the workers and however the rows are sharded, that two
// rows with the same inputs agree, that each failed row names itself (and
// its cell), and that a row equals the decision of its own job alone.
func TestRunShardsAndWorkers(t *testing.T) {
	t.Parallel()
	in := testInput(t)
	ctx := context.Background()
	all, err := Run(ctx, in, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Rows) != 7 || len(all.Errors) != 2 {
		t.Fatalf("%d rows and %d errors; want 7 and 2: %+v", len(all.Rows), len(all.Errors), all.Errors)
	}
	if e := all.Errors[0]; e.Name != "nowhere" || !strings.Contains(e.Msg, "atlantis") {
		t.Errorf("first error %+v; want the unknown scope named", e)
	}
	if e := all.Errors[1]; e.Name != "broken" || e.Cell != "Scenarios!J8" {
		t.Errorf("second error %+v; want the row's cell", e)
	}
	if a, b := all.Rows[0], all.Rows[6]; a.Name != "base" || b.Name != "base again" || fmt.Sprint(rowFigures(a)[1:]) != fmt.Sprint(rowFigures(b)[1:]) {
		t.Errorf("two rows with the same inputs differ:\n%v\n%v", rowFigures(a), rowFigures(b))
	}
	one, err := Run(ctx, in, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rowsFigures(one), rowsFigures(all)) {
		t.Error("1 worker and 2 give different rows")
	}
	var merged []reports.BatchRow
	for s := 1; s <= 3; s++ {
		part, err := Run(ctx, in, Options{Shard: s, Shards: 3, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		merged = append(merged, part.Rows...)
	}
	if got, want := rowsFigures(sortRows(merged)), rowsFigures(all); !reflect.DeepEqual(got, want) {
		t.Errorf("three shards give other rows than one run:\n%v\n%v", got, want)
	}
	// The "dearer" row alone, by model.Decide.
	cal, err := model.Calibrate(in.Dataset.Target(), in.Settings.Seed)
	if err != nil {
		t.Fatal(err)
	}
	job, row, err := prepare(in, cal, &in.Scenarios[2], false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := model.Decide(ctx, job.Model, job.Options)
	if err != nil {
		t.Fatal(err)
	}
	summarise(row, job, d)
	if got, want := rowFigures(all.Rows[2]), rowFigures(*row); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the dearer row in bulk %v; alone %v", got, want)
	}
}

// rowFigures returns a row's figures, floats as their bits.
func rowFigures(r reports.BatchRow) []any {
	bits := func(xs ...float64) []uint64 {
		var out []uint64
		for _, x := range xs {
			out = append(out, math.Float64bits(x))
		}
		return out
	}
	opt := func(o *reports.BatchOption) any {
		if o == nil {
			return nil
		}
		return []any{o.Controls, bits(o.Cost, o.Capex, o.DeltaALE, o.DecisionNPV.Mean, o.DecisionNPV.Lo, o.DecisionNPV.Hi, o.DecisionBCR.Mean, o.DecisionPNPVPositive, o.BudgetUsed)}
	}
	return []any{r.Name, r.Scope, r.Seed, bits(r.ALE, r.ALESE, r.P95, r.TVaR95), opt(r.Best), opt(r.Portfolio)}
}

func rowsFigures(b *reports.Batch) [][]any {
	var out [][]any
	for _, r := range b.Rows {
		out = append(out, rowFigures(r))
	}
	return out
}

func sortRows(rows []reports.BatchRow) *reports.Batch {
	b := &reports.Batch{}
	for i := 1; i <= 20; i++ {
		for _, r := range rows {
			if r.Index == i {
				b.Rows = append(b.Rows, r)
			}
		}
	}
	return b
}

// TestRunProgress checks that progress counts every row a shard runs, the
// rows that could not be prepared included, up to all of them.
func TestRunProgress(t *testing.T) {
	t.Parallel()
	in := testInput(t)
	var mu sync.Mutex
	var last [2]int
	_, err := Run(context.Background(), in, Options{Workers: 2, Progress: func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if done > last[0] {
			last = [2]int{done, total}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if last != [2]int{9, 9} {
		t.Errorf("progress ended at %d of %d; want 9 of 9", last[0], last[1])
	}
}

// TestSocialRow checks that a Scenarios row can set what a run can (issue
// 22, item 8): a row in the social view, with correlations and a risk
// tolerance, runs and gives the figures of run --view social with the same
// options, built by data.NewJob and decided alone; the row says its view.
func TestSocialRow(t *testing.T) {
	t.Parallel()
	in := testInput(t)
	f := func(v float64) *float64 { return &v }
	in.Scenarios = []data.Scenario{
		{Index: 1, Row: 2, Name: "social", View: "social", Correlations: "S1:S3=0.5", RiskTolerance: "500m:1/50",
			Budget: f(20e6), RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
		{Index: 2, Row: 3, Name: "financial", RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
	}
	b, err := Run(context.Background(), in, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Errors) > 0 || len(b.Rows) != 2 {
		t.Fatalf("rows %d, errors %v; want 2 rows, no error", len(b.Rows), b.Errors)
	}
	row := b.Rows[0]
	if row.View != "social" || b.Rows[1].View != "financial" {
		t.Errorf("views %q, %q; want social, financial", row.View, b.Rows[1].View)
	}
	spec := data.DefaultRunSpec()
	spec.Draws, spec.Years, spec.Seed, spec.DecisionDraws = in.Settings.Draws, in.Settings.Years, in.Settings.Seed, in.Settings.DecisionDraws
	spec.View, spec.Correlations, spec.RiskTolerance, spec.Budget, spec.NoFiles = "social", "S1:S3=0.5", "500m:1/50", "20000000", true
	j, err := data.NewJob(spec, in.Dataset)
	if err != nil {
		t.Fatal(err)
	}
	d, err := model.Decide(context.Background(), j.Model, j.DecideOptions(false, 0))
	if err != nil {
		t.Fatal(err)
	}
	top := &d.Results[d.Ranking.Order[0]]
	if row.Best == nil || row.Best.Controls != top.Controls[0] || row.Best.DecisionNPV != top.DecisionNPV {
		t.Errorf("row's best control %+v; want run --view social's %s, NPV %+v", row.Best, top.Controls[0], top.DecisionNPV)
	}
	if top.Social == nil || top.DecisionNPV != top.Social.NPV {
		t.Errorf("the run's top NPV %+v is not its NPV with harm", top.DecisionNPV)
	}
	p := row.Portfolio
	if want := strings.Join(d.Portfolio.Choice.Controls, "+"); p == nil || p.Controls != want || p.DecisionNPV != d.Portfolio.Result.DecisionNPV {
		t.Errorf("row's portfolio %+v; want run --view social's %s, NPV %+v", p, want, d.Portfolio.Result.DecisionNPV)
	}
	if row.ALE != d.Baseline.ALE || row.P95 != d.Baseline.P95 {
		t.Errorf("row's baseline ALE %v, P95 %v; want the run's %v, %v", row.ALE, row.P95, d.Baseline.ALE, d.Baseline.P95)
	}
}

// TestComparisonAcrossViews runs a financial baseline row and a social
// row on the same seed and checks that the Comparison sheet and the batch
// page do not subtract the financial row's money-only NPV from the social
// row's NPV with harm (issue 22: no figure changes meaning with the
// view): the social row's ΔNPV and its SE are blank, its change says why,
// while ΔALE, money in both views, is still the difference.
func TestComparisonAcrossViews(t *testing.T) {
	t.Parallel()
	in := testInput(t)
	f := func(v float64) *float64 { return &v }
	in.Scenarios = []data.Scenario{
		{Index: 1, Row: 2, Name: "money", View: "financial", Budget: f(8e6), RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
		{Index: 2, Row: 3, Name: "harm", View: "social", Budget: f(8e6), RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
	}
	b, err := Run(context.Background(), in, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rows) != 2 {
		t.Fatalf("%d rows, errors %+v; want 2", len(b.Rows), b.Errors)
	}
	fin, soc := &b.Rows[0], &b.Rows[1]
	if fin.View != "financial" || soc.View != "social" || fin.Seed != soc.Seed || fin.Portfolio == nil || soc.Portfolio == nil {
		t.Fatalf("rows: views %q and %q, seeds %d and %d, portfolios %v and %v; want financial and social on one seed, each with a portfolio",
			fin.View, soc.View, fin.Seed, soc.Seed, fin.Portfolio, soc.Portfolio)
	}
	if fin.Portfolio.DecisionNPV.Mean == soc.Portfolio.DecisionNPV.Mean {
		t.Fatalf("the social row's NPV %v equals the financial row's: the test cannot tell the views apart", soc.Portfolio.DecisionNPV.Mean)
	}
	var buf bytes.Buffer
	if err := reports.WriteBatch(&buf, b); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Comparison", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	head := rows[3]
	cell := func(k int, name string) string {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("Comparison has no column %q: %q", name, head)
		}
		if c := rows[4+k]; i < len(c) {
			return c[i]
		}
		return ""
	}
	for _, name := range []string{"ΔNPV vs baseline row (£)", "ΔNPV SE"} {
		if got := cell(1, name); got != "" {
			t.Errorf("social row's %s = %q; want blank (the baseline row is financial: NPV with harm less money only)", name, got)
		}
	}
	if got := cell(1, "Change in recommendation"); !strings.Contains(got, "ΔNPV blank") || !strings.Contains(got, "social") {
		t.Errorf("social row's change %q; want it to say why its ΔNPV is blank", got)
	}
	if got := cell(1, "View"); got != "social" {
		t.Errorf("social row's View %q; want social", got)
	}
	got, err := strconv.ParseFloat(cell(1, "ΔALE vs baseline row (£/yr)"), 64)
	if want := soc.ALE - fin.ALE; err != nil || math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("social row's ΔALE %q; want %v (money in both views)", cell(1, "ΔALE vs baseline row (£/yr)"), want)
	}
	var page bytes.Buffer
	if err := reports.WriteBatchHTML(&page, b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "ΔNPV blank: social view against the baseline row&#39;s financial") {
		t.Errorf("the batch page does not say why the social row's ΔNPV is blank")
	}
}
