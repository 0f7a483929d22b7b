package reports

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data/xlsxtest"
	"github.com/cybercba/cybercba/model"
)

// TestFrontierFigure writes the frontier figure of a portfolio choice for
// each objective, and for a choice of nothing, in every format, and checks
// its place among the figures, its title and caption, and its key: a band
// for the objectives with an interval across draws (unless nothing is
// bought), a note in its place for ΔTVaR95, the budget and the chosen
// portfolio.
func TestFrontierFigure(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		get  func() (*Report, error)
		// band: the key has the band; note: it says there is none.
		band, note bool
	}{
		{"npv", chosenNPV, true, false},
		{"dale", chosenDALE, true, false},
		{"dtvar", chosenTVaR, false, true},
		// Nothing is bought, so the interval is [0, 0]: no band to show.
		{"empty choice", chosenEmpty, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := report(t, tt.get)
			figs, err := Figures(r)
			if err != nil {
				t.Fatalf("Figures: %v", err)
			}
			var names []string
			for _, f := range figs {
				names = append(names, f.Name)
			}
			if want := []string{"lec", "histogram", "ranking", "frontier", "calibration"}; !slices.Equal(names, want) {
				t.Fatalf("Figures names = %q; want %q", names, want)
			}
			f := figs[3]
			if want := "Efficient frontier: Test trusts"; f.Title != want {
				t.Errorf("frontier title = %q; want %q", f.Title, want)
			}
			if f.Caption != figureCaption(r) {
				t.Errorf("frontier caption = %q; want %q", f.Caption, figureCaption(r))
			}
			var keys []string
			for _, e := range f.key {
				keys = append(keys, e.name)
			}
			has := func(prefix string) bool {
				return slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, prefix) })
			}
			if got := has("90% interval across outer draws"); got != tt.band {
				t.Errorf("key %q: band entry %v; want %v", keys, got, tt.band)
			}
			if got := has("No band"); got != tt.note {
				t.Errorf("key %q: no-band note %v; want %v", keys, got, tt.note)
			}
			for _, want := range []string{"Best portfolio at each budget", "Budget: £300k a year", "Chosen portfolio, within £300k a year"} {
				if !has(want) {
					t.Errorf("key %q has no entry %q", keys, want)
				}
			}
			for _, format := range formats {
				var buf bytes.Buffer
				if err := f.Write(&buf, format); err != nil {
					t.Fatalf("frontier.Write(%s): %v", format, err)
				}
				checkImage(t, f, format, buf.Bytes())
			}
		})
	}
}

// TestFrontierFigureOmitted checks that there is no frontier figure
// without a portfolio choice, or with a choice but no frontier.
func TestFrontierFigureOmitted(t *testing.T) {
	t.Parallel()
	noFrontier := *report(t, chosenNPV)
	pa := *noFrontier.Portfolio
	pa.Frontier = nil
	noFrontier.Portfolio = &pa
	for _, tt := range []struct {
		name string
		r    *Report
	}{
		{"no portfolio", report(t, typical)},
		{"no frontier", &noFrontier},
	} {
		figs, err := Figures(tt.r)
		if err != nil {
			t.Fatalf("%s: Figures: %v", tt.name, err)
		}
		if slices.ContainsFunc(figs, func(f Figure) bool { return f.Name == "frontier" }) {
			t.Errorf("%s: Figures has a frontier", tt.name)
		}
	}
}

// TestStaircase checks the frontier's staircase on a hand-made frontier:
// points in any order, sorted by cost; a point no better than a cheaper one
// dropped; the empty portfolio's band [0, 0]; ties in cost to the better
// point; costs in the frontier's kind of budget; no band for ΔTVaR95.
func TestStaircase(t *testing.T) {
	t.Parallel()
	res := func(lo, hi float64) *model.Result {
		return &model.Result{DecisionNPV: model.Interval{Lo: lo, Hi: hi}, DeltaALE: model.Interval{Lo: lo / 10, Hi: hi / 10}}
	}
	point := func(budget, annual, capex, obj float64, r *model.Result) model.FrontierPoint {
		return model.FrontierPoint{Budget: budget, Choice: model.Choice{Annual: annual, Capex: capex, Objective: obj}, Result: r}
	}
	frontier := []model.FrontierPoint{
		point(30, 25, 5, 9, res(2, 20)),
		point(0, 0, 0, 0, nil),
		point(10, 8, 50, 4, res(-1, 9)),
		point(20, 8, 50, 4, res(-1, 9)),   // the same portfolio again
		point(25, 15, 1, 3, res(0, 6)),    // worse than a cheaper one
		point(40, 25, 7, 7, res(1, 15)),   // ties on cost with a better one
		point(50, 40, 0, math.NaN(), nil), // not a number
	}
	for _, tt := range []struct {
		name string
		obj  model.Objective
		kind model.BudgetKind
		want []tread
	}{
		{"npv, annual", model.MaxNPV, model.AnnualBudget, []tread{
			{x: 0, y: 0, lo: 0, hi: 0, band: true},
			{x: 8, y: 4, lo: -1, hi: 9, band: true},
			{x: 25, y: 9, lo: 2, hi: 20, band: true},
		}},
		{"dale, annual", model.MaxDeltaALE, model.AnnualBudget, []tread{
			{x: 0, y: 0, lo: 0, hi: 0, band: true},
			{x: 8, y: 4, lo: -0.1, hi: 0.9, band: true},
			{x: 25, y: 9, lo: 0.2, hi: 2, band: true},
		}},
		{"dtvar, annual", model.MaxDeltaTVaR, model.AnnualBudget, []tread{
			{x: 0, y: 0},
			{x: 8, y: 4},
			{x: 25, y: 9},
		}},
		{"npv, capex", model.MaxNPV, model.CapexBudget, []tread{
			{x: 0, y: 0, lo: 0, hi: 0, band: true},
			{x: 1, y: 3, lo: 0, hi: 6, band: true},
			{x: 5, y: 9, lo: 2, hi: 20, band: true},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pa := &model.PortfolioAnalysis{Objective: tt.obj, FrontierKind: tt.kind, Frontier: frontier}
			if got := staircase(pa); !slices.Equal(got, tt.want) {
				t.Errorf("staircase = %+v; want %+v", got, tt.want)
			}
		})
	}
}

// TestStaircaseFrontier checks the staircase of a real frontier: it
// rises, starts at the cheapest point, and at every budget of the grid is
// worth what the frontier found there.
func TestStaircaseFrontier(t *testing.T) {
	t.Parallel()
	pa := report(t, chosenDALE).Portfolio
	steps := staircase(pa)
	if len(steps) < 2 {
		t.Fatalf("staircase has %d treads; want the test model's frontier to rise", len(steps))
	}
	for i := 1; i < len(steps); i++ {
		if !(steps[i].x > steps[i-1].x && steps[i].y > steps[i-1].y) {
			t.Errorf("tread %d = %+v after %+v; want it further right and higher", i, steps[i], steps[i-1])
		}
	}
	for _, p := range pa.Frontier {
		var at float64
		for _, s := range steps {
			if s.x <= p.Budget {
				at = s.y
			}
		}
		if at != p.Choice.Objective {
			t.Errorf("staircase at budget %v = %v; want the frontier's %v", p.Budget, at, p.Choice.Objective)
		}
	}
}

// TestWorkbookPortfolioSheets checks that the Portfolio and Frontier
// sheets follow Ranking when the report has a portfolio choice, Frontier
// only when it has a frontier, and neither without.
func TestWorkbookPortfolioSheets(t *testing.T) {
	t.Parallel()
	noFrontier := *report(t, chosenNPV)
	pa := *noFrontier.Portfolio
	pa.Frontier = nil
	noFrontier.Portfolio = &pa
	rest := []string{"Percentiles", "LEC", "LEC chart", "What-if", "Draws", "Calibration", "Inputs", "Sources", "About"}
	for _, tt := range []struct {
		name string
		r    *Report
		want []string
	}{
		{"no portfolio", report(t, typical), slices.Concat([]string{"Summary", "Ranking"}, rest)},
		{"no frontier", &noFrontier, slices.Concat([]string{"Summary", "Ranking", "Portfolio"}, rest)},
		{"frontier", report(t, chosenNPV), slices.Concat([]string{"Summary", "Ranking", "Portfolio", "Frontier"}, rest)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := openBook(t, tt.r)
			if got := f.GetSheetList(); !slices.Equal(got, tt.want) {
				t.Errorf("sheets = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestWorkbookPortfolio checks the Portfolio sheet's values against the
// portfolio analysis, for a choice of controls and a choice of nothing.
func TestWorkbookPortfolio(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		get  func() (*Report, error)
	}{
		{"npv", chosenNPV},
		{"dtvar", chosenTVaR},
		{"empty choice", chosenEmpty},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := report(t, tt.get)
			pa, an := r.Portfolio, r.Analysis
			ch := pa.Choice
			f, _ := openBook(t, r)
			got := labelledIn(t, f, sheetPortfolio)
			wantText := map[string]string{
				"Objective":               objectiveName(pa.Objective),
				"Capital budget (year 0)": "none",
				"Search method":           ch.Method,
				"Proven optimal":          "yes",
			}
			wantNum := map[string]float64{
				"Yearly budget (equivalent annual cost)":  portfolioBudget,
				"Portfolios evaluated":                    float64(ch.Evaluated),
				"Expected annual cost (EAC)":              ch.Annual,
				"Capex (year 0)":                          ch.Capex,
				"Objective (" + objectiveSource(pa) + ")": ch.Objective,
				"Portfolio's yearly spend (EAC)":          ch.Annual,
				"Gordon–Loeb bound (per year)":            an.GordonLoeb,
				"Spend as a share of the bound":           ch.Annual / an.GordonLoeb,
			}
			if len(ch.Portfolio) == 0 {
				wantText["None"] = "(none)"
			}
			for _, c := range ch.Portfolio {
				wantText[r.Model.Controls[c].ID] = r.Model.Controls[c].Name
			}
			if res := pa.Result; res != nil {
				for label, want := range map[string]float64{
					"ΔALE (mean)":                   res.DeltaALE.Mean,
					"ΔALE simulated standard error": res.DeltaALESE,
					"ΔALE, 5th percentile":          res.DeltaALE.Lo,
					"ΔALE, 95th percentile":         res.DeltaALE.Hi,
					"NPV (mean)":                    res.DecisionNPV.Mean,
					"NPV simulated standard error":  res.DecisionNPVSE,
					"NPV, 5th percentile":           res.DecisionNPV.Lo,
					"NPV, 95th percentile":          res.DecisionNPV.Hi,
					"BCR":                           res.InView(an.Appraisal.View).BCR.Mean,
					"BCR, 5th percentile":           res.InView(an.Appraisal.View).BCR.Lo,
					"BCR, 95th percentile":          res.InView(an.Appraisal.View).BCR.Hi,
					"P(NPV > 0)":                    res.InView(an.Appraisal.View).PNPVPositive,
					"ALE, baseline":                 an.Baseline.ALE,
					"ALE, with the portfolio":       res.Loss.ALE,
					"P95, baseline":                 an.Baseline.P95,
					"P95, with the portfolio":       res.Loss.P95,
					"TVaR95, baseline":              an.Baseline.TVaR95,
					"TVaR95, with the portfolio":    res.Loss.TVaR95,
				} {
					wantNum[label] = want
				}
			} else if _, ok := got["NPV (mean)"]; ok {
				t.Errorf("Portfolio has an NPV for the empty portfolio")
			}
			for label, want := range wantText {
				if got[label] != want {
					t.Errorf("Portfolio %q = %q; want %q", label, got[label], want)
				}
			}
			for label, want := range wantNum {
				v, ok := got[label]
				if !ok {
					t.Errorf("Portfolio has no row %q", label)
					continue
				}
				// Spend as a share of the bound is computed by model.GordonLoebShare from the ALE, not as the ratio
				// tested here: allow a few ulps more.
				if x := number(t, "Portfolio "+label, v); !same(x, want) && !(math.Abs(x-want) <= 1e-12*math.Abs(want)) {
					t.Errorf("Portfolio %q = %v; want %v", label, x, want)
				}
			}
			// The Summary names one recommendation: the analysis's.
			summary := labelled(t, f)
			want := "none"
			if rec := r.Analysis.Recommended; rec != nil {
				want = strings.Join(rec.Controls, ", ")
			}
			if got := summary["Recommended portfolio"]; got != want {
				t.Errorf("Summary's recommended portfolio = %q; want %q", got, want)
			}
			if _, ok := summary["Best portfolio within £300k a year"]; ok {
				t.Errorf("the Summary names a second set beside the recommendation")
			}
		})
	}
}

// TestWorkbookFrontier checks every row of the Frontier sheet against the
// frontier's points, blanks for the empty portfolio's BCR and P(NPV>0),
// and the sheet's native chart.
func TestWorkbookFrontier(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		get  func() (*Report, error)
		// cols are the chart's series: the objective's column, then its
		// interval's.
		cols []string
	}{
		{"npv", chosenNPV, []string{"E", "G", "H"}},
		{"dale", chosenDALE, []string{"E", "J", "K"}},
		{"dtvar", chosenTVaR, []string{"E"}},
		{"empty choice", chosenEmpty, []string{"E", "G", "H"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := report(t, tt.get)
			pa := r.Portfolio
			f, b := openBook(t, r)
			rs := rows(t, f, sheetFrontier)
			if got, want := len(rs)-1, len(pa.Frontier); got != want || want < 1 {
				t.Fatalf("Frontier has %d rows; want %d, a row for each change of portfolio", got, want)
			}
			head := rs[0]
			col := func(name string) int { return headerIndex(t, sheetFrontier, head, name) }
			objHead := "Objective: " + objectiveShort(pa.Objective) + " (£, " + objectiveSource(pa) + ")"
			if head[4] != objHead {
				t.Errorf("Frontier column E = %q; want %q", head[4], objHead)
			}
			empties := 0
			for i, p := range pa.Frontier {
				row := rs[i+1]
				where := fmt.Sprintf("Frontier row %d", i+2)
				if got, want := row[col("Controls")], controlsText(p.Choice, "+"); got != want {
					t.Errorf("%s controls = %q; want %q", where, got, want)
				}
				if got, want := row[col("Proven best")], yesNo(p.Choice.Optimal); got != want {
					t.Errorf("%s proven best = %q; want %q", where, got, want)
				}
				want := map[string]float64{
					"Budget (£/yr)": p.Budget,
					"Spend (£/yr)":  p.Choice.Annual,
					"Capex (£)":     p.Choice.Capex,
					objHead:         p.Choice.Objective,
					"NPV (£)":       0, "NPV 5%": 0, "NPV 95%": 0,
					"ΔALE (£/yr)": 0, "ΔALE 5%": 0, "ΔALE 95%": 0,
				}
				if res := p.Result; res != nil {
					want["NPV (£)"], want["NPV 5%"], want["NPV 95%"] = res.DecisionNPV.Mean, res.DecisionNPV.Lo, res.DecisionNPV.Hi
					want["ΔALE (£/yr)"], want["ΔALE 5%"], want["ΔALE 95%"] = res.DeltaALE.Mean, res.DeltaALE.Lo, res.DeltaALE.Hi
					fig := res.InView(r.Analysis.Appraisal.View)
					want["BCR"], want["P(NPV>0)"] = fig.BCR.Mean, fig.PNPVPositive
				} else {
					empties++
					for _, name := range []string{"BCR", "P(NPV>0)"} {
						if j := col(name); j < len(row) && row[j] != "" {
							t.Errorf("%s %s = %q for the empty portfolio; want blank", where, name, row[j])
						}
					}
				}
				for name, w := range want {
					if !finite(w) {
						if got := row[col(name)]; got != "n/a" {
							t.Errorf("%s %s = %q; want n/a for %v", where, name, got, w)
						}
						continue
					}
					if x := number(t, where+" "+name, row[col(name)]); !same(x, w) {
						t.Errorf("%s %s = %v; want %v", where, name, x, w)
					}
				}
			}
			if tt.name == "empty choice" && empties != len(pa.Frontier) {
				t.Errorf("the costly model's frontier has %d empty portfolios; want all %d, so that the blank cells are tested", empties, len(pa.Frontier))
			}

			chart := frontierChart(t, b)
			last := len(pa.Frontier) + 1
			refs := []string{fmt.Sprintf("Frontier!$A$2:$A$%d", last)}
			for _, c := range tt.cols {
				refs = append(refs, fmt.Sprintf("Frontier!$%s$2:$%s$%d", c, c, last))
			}
			for _, ref := range refs {
				if !strings.Contains(chart, ref) {
					t.Errorf("the Frontier chart does not refer to %s", ref)
				}
			}
			if got := strings.Count(chart, "<ser>"); got != len(tt.cols) {
				t.Errorf("the Frontier chart has %d series; want %d", got, len(tt.cols))
			}
		})
	}
}

// frontierChart returns the XML of the workbook's scatter chart drawn from
// the Frontier sheet, failing the test unless there is one, attached to
// the Frontier sheet (sheet4: Summary, Ranking, Portfolio, Frontier).
func frontierChart(t *testing.T, b []byte) string {
	t.Helper()
	parts := xlsxtest.Parts(t, b)
	if rels := parts["xl/worksheets/_rels/sheet4.xml.rels"]; !strings.Contains(rels, "drawing") {
		t.Errorf("the Frontier sheet has no drawing: %q", rels)
	}
	var found []string
	for name, c := range parts {
		if strings.HasPrefix(name, "xl/charts/chart") && strings.Contains(c, "Frontier!") {
			found = append(found, c)
		}
	}
	if len(found) != 1 || !strings.Contains(found[0], "<scatterChart") {
		t.Fatalf("the workbook has %d charts of the Frontier sheet; want one scatter chart", len(found))
	}
	return found[0]
}

// TestWorkbookPortfolioLayout checks the frozen rows, the filter and the
// number formats of the portfolio sheets.
func TestWorkbookPortfolioLayout(t *testing.T) {
	t.Parallel()
	r := report(t, chosenNPV)
	money := moneyFmtOf(r)
	f, _ := openBook(t, r)
	for sheet, rows := range map[string]int{sheetPortfolio: 2, sheetFrontier: 1} {
		p, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatalf("GetPanes(%s): %v", sheet, err)
		}
		if !p.Freeze || p.YSplit != rows {
			t.Errorf("%s panes = %+v; want the top %d rows frozen", sheet, p, rows)
		}
	}
	if !slices.ContainsFunc(f.GetDefinedName(), func(d excelize.DefinedName) bool {
		return d.Name == "_xlnm._FilterDatabase" && d.Scope == sheetFrontier
	}) {
		t.Errorf("%s has no filter", sheetFrontier)
	}
	for _, tt := range []struct {
		sheet, cell, format string
	}{
		{sheetFrontier, "A2", money},    // budget
		{sheetFrontier, "E2", money},    // objective
		{sheetFrontier, "H2", money},    // NPV 95%
		{sheetFrontier, "L2", fmtRatio}, // BCR
		{sheetFrontier, "M2", fmtPct},   // P(NPV>0)
		{sheetPortfolio, "B4", money},   // the yearly budget
	} {
		id, err := f.GetCellStyle(tt.sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.CustomNumFmt == nil || *st.CustomNumFmt != tt.format {
			t.Errorf("%s!%s number format = %v; want %s", tt.sheet, tt.cell, st.CustomNumFmt, tt.format)
		}
	}
}

// TestAboutPortfolio checks that the About text has a paragraph on the
// portfolio choice when, and only when, the report has one.
func TestAboutPortfolio(t *testing.T) {
	t.Parallel()
	about := func(r *Report) string {
		for _, p := range aboutText(r) {
			if strings.HasPrefix(p, "The best portfolio under a budget") {
				return p
			}
		}
		return ""
	}
	if p := about(report(t, typical)); p != "" {
		t.Errorf("About without a portfolio choice has a paragraph on it: %q", p)
	}
	for _, tt := range []struct {
		name string
		get  func() (*Report, error)
		want []string
	}{
		{"npv", chosenNPV, []string{"expected NPV within £300k a year", "Gray-code", "24 controls", "branch and bound", "closed form",
			"exclusive groups", "prerequisites", "best portfolio along a grid of budgets, shown at the 3 budgets where it changes"}},
		{"dtvar", chosenTVaR, []string{"ΔTVaR95 within £300k a year", "valued on 10,000 simulated years"}},
	} {
		p := about(report(t, tt.get))
		for _, w := range tt.want {
			if !strings.Contains(p, w) {
				t.Errorf("%s: About's portfolio paragraph does not contain %q: %q", tt.name, w, p)
			}
		}
	}
}
