package reports

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"gonum.org/v1/gonum/stat"

	"github.com/cybercba/cybercba/data/xlsxtest"
)

// openBook writes r's workbook and opens it again, returning the file and
// the written bytes.
func openBook(t *testing.T, r *Report) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, r); err != nil {
		t.Fatalf("WriteWorkbook: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	})
	return f, buf.Bytes()
}

// raw is a cell's stored value, unformatted.
var raw = excelize.Options{RawCellValue: true}

// rows returns a sheet's rows as stored.
func rows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet, raw)
	if err != nil {
		t.Fatalf("GetRows(%s): %v", sheet, err)
	}
	return rs
}

// number parses a stored cell value.
func number(t *testing.T, where, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s = %q; want a number", where, s)
	}
	return x
}

// same reports whether a number read back from the workbook is want:
// excelize writes numbers to Excel's 15 significant digits, cutting the
// rest, which leaves a relative error under 1e-14.
func same(got, want float64) bool {
	return got == want || math.Abs(got-want) <= 1e-14*math.Abs(want)
}

// headerIndex returns the index of the header named name in row, failing the
// test if there is none.
func headerIndex(t *testing.T, sheet string, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("%s: no column %q in %q", sheet, name, header)
	}
	return i
}

// labelled returns the Summary's values by label.
func labelled(t *testing.T, f *excelize.File) map[string]string {
	t.Helper()
	return labelledIn(t, f, sheetSummary)
}

// labelledSE returns the Summary's standard errors (its third column) by
// label.
func labelledSE(t *testing.T, f *excelize.File) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, row := range rows(t, f, sheetSummary) {
		if len(row) >= 3 && row[0] != "" {
			if _, dup := m[row[0]]; !dup {
				m[row[0]] = row[2]
			}
		}
	}
	return m
}

// labelledIn returns the values of a key–value sheet by label, the first
// of each.
func labelledIn(t *testing.T, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, row := range rows(t, f, sheet) {
		if len(row) >= 2 && row[0] != "" {
			if _, dup := m[row[0]]; !dup {
				m[row[0]] = row[1]
			}
		}
	}
	return m
}

// TestWorkbookSheets checks the sheets and their order: the fixed ones,
// and after Ranking the Social sheet only with harm and the Sensitivity
// sheet only with a sensitivity analysis.
func TestWorkbookSheets(t *testing.T) {
	t.Parallel()
	socialSensitive := withSensitivity(social, 3)
	for _, tt := range []struct {
		name  string
		get   func() (*Report, error)
		extra []string
	}{
		{"typical", typical, nil},
		{"social", social, []string{"Social"}},
		{"sensitivity", sensitive, []string{"Sensitivity"}},
		{"social and sensitivity", socialSensitive, []string{"Social", "Sensitivity"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := openBook(t, report(t, tt.get))
			want := slices.Concat([]string{"Summary", "Ranking"}, tt.extra,
				[]string{"Percentiles", "LEC", "LEC chart", "What-if", "Draws", "Calibration", "Inputs", "Sources", "About"})
			if got := f.GetSheetList(); !slices.Equal(got, want) {
				t.Errorf("sheets = %q; want %q", got, want)
			}
		})
	}
}

// TestWorkbookProvenance checks the provenance on the Summary and About
// sheets: the full digest of the inputs, the draws actually used, the
// target standard error when there is one, the aggregation and the view.
func TestWorkbookProvenance(t *testing.T) {
	t.Parallel()
	base := report(t, typical)
	targeted := *base
	targeted.Settings.TargetSE = 0.01
	for _, tt := range []struct {
		name   string
		r      *Report
		target string
	}{
		{"no target", base, "none"},
		{"target", &targeted, "0.01"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := openBook(t, tt.r)
			got := labelled(t, f)
			sim := tt.r.Analysis.Sim
			for label, want := range map[string]string{
				"Inputs SHA-256": testDigest,
				"Outer draws":    strconv.Itoa(sim.Draws),
				"Aggregation":    "Threats summed, independent of one another",
				"View":           "financial",
				"Target standard error (relative, baseline ALE)": tt.target,
			} {
				if got[label] != want {
					t.Errorf("Summary %q = %q; want %q", label, got[label], want)
				}
			}
			var about []string
			for _, row := range rows(t, f, sheetAbout) {
				if len(row) > 0 {
					about = append(about, row[0])
				}
			}
			text := strings.Join(about, "\n")
			for _, want := range []string{testDigest, "Threats summed, independent of one another", "sha256:" + testDigest[:16], "batch means"} {
				if !strings.Contains(text, want) {
					t.Errorf("About does not say %q", want)
				}
			}
			if block, ok := got["Outer draws asked for (block size)"]; ok != (tt.target != "none") || (ok && block != strconv.Itoa(tt.r.Analysis.Config.Draws)) {
				t.Errorf("Summary block size = %q, %v; want %d only with a target", block, ok, tt.r.Analysis.Config.Draws)
			}
			if strings.Contains(text, "target SE") != (tt.target != "none") {
				t.Errorf("About mentions a target SE: %v; want %v", !strings.Contains(text, "target SE"), tt.target != "none")
			}
		})
	}
}

// TestWorkbookSummary checks the headline figures against the analysis,
// for a run with a recommended portfolio and one without.
func TestWorkbookSummary(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		get  func() (*Report, error)
	}{
		{"typical", typical},
		{"none recommended", noneRecommended},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := report(t, tt.get)
			f, _ := openBook(t, r)
			got := labelled(t, f)
			an := r.Analysis
			for label, want := range map[string]float64{
				"Expected annual loss (ALE)":           an.Baseline.ALE,
				"95th percentile of annual loss (P95)": an.Baseline.P95,
				"TVaR95":                               an.Baseline.TVaR95,
				"Its NPV (mean)":                       an.Results[an.Ranking.Order[0]].DecisionNPV.Mean,
				"Gordon–Loeb bound (per year)":         an.GordonLoeb,
				"Seed":                                 1,
				"Outer draws":                          20,
				"Years per draw":                       500,
				"Simulated years":                      10_000,
				"Appraisal horizon (years)":            10,
			} {
				if x := number(t, "Summary "+label, got[label]); !same(x, want) {
					t.Errorf("Summary %q = %v; want %v", label, x, want)
				}
			}
			// Each standard error beside its figure.
			se := labelledSE(t, f)
			for label, want := range map[string]float64{
				"Expected annual loss (ALE)":           an.Baseline.ALESE,
				"95th percentile of annual loss (P95)": an.Baseline.P95SE,
				"TVaR95":                               an.Baseline.TVaR95SE,
				"Its NPV, simulated (the check)":       an.Results[an.Ranking.Order[0]].DecisionNPVSE,
				"Its BCR":                              an.Results[an.Ranking.Order[0]].InView(an.Appraisal.View).BCRSE,
			} {
				if x := number(t, "Summary SE of "+label, se[label]); !same(x, want) {
					t.Errorf("Summary %q's standard error = %v; want %v", label, x, want)
				}
			}
			wantRec := "none"
			if an.Recommended != nil {
				wantRec = strings.Join(an.Recommended.Controls, ", ")
			}
			if got["Recommended portfolio"] != wantRec {
				t.Errorf("Summary recommended portfolio = %q; want %q", got["Recommended portfolio"], wantRec)
			}
			if !strings.HasPrefix(got["Best single control (by NPV)"], "C1 ") {
				t.Errorf("Summary best control = %q; want C1 …", got["Best single control (by NPV)"])
			}
			for label, want := range map[string]string{"Dataset": "test dataset", "Tool version": "cybercba test", "Scope": "Test trusts (test)"} {
				if got[label] != want {
					t.Errorf("Summary %q = %q; want %q", label, got[label], want)
				}
			}
		})
	}
}

// TestWorkbookRanking checks every control's row against its result, in
// rank order, and that a control that costs nothing has "n/a" for its BCR.
func TestWorkbookRanking(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	an := r.Analysis
	f, _ := openBook(t, r)
	rs := rows(t, f, sheetRanking)
	head := rs[0]
	col := func(name string) int { return headerIndex(t, sheetRanking, head, name) }
	if got, want := len(rs)-1, len(an.Results); got < want {
		t.Fatalf("Ranking has %d rows; want %d", got, want)
	}
	for k, i := range an.Ranking.Order {
		res := an.Results[i]
		row := rs[k+1]
		id := r.Model.Controls[res.Portfolio[0]].ID
		if row[col("Rank")] != strconv.Itoa(k+1) || row[col("ID")] != id {
			t.Errorf("Ranking row %d = rank %s, %s; want %d, %s", k+2, row[col("Rank")], row[col("ID")], k+1, id)
		}
		for name, want := range map[string]float64{
			"NPV (£)":           res.DecisionNPV.Mean,
			"NPV 5%":            res.DecisionNPV.Lo,
			"NPV 95%":           res.DecisionNPV.Hi,
			"NPV simulated SE":  res.DecisionNPVSE,
			"ΔALE (£/yr)":       res.DeltaALE.Mean,
			"ΔALE simulated SE": res.DeltaALESE,
			"EAC (£/yr)":        res.EAC.Mean,
			"ΔP95 (£/yr)":       res.DeltaP95.Mean,
			"P(NPV>0)":          res.InView(an.Appraisal.View).PNPVPositive,
			"P(NPV>0) SE":       res.InView(an.Appraisal.View).PNPVPositiveSE,
			"P(rank 1)":         an.Ranking.Prob[i][0],
			"Uplift":            res.Uplift[0],
		} {
			if x := number(t, id+" "+name, row[col(name)]); !same(x, want) {
				t.Errorf("Ranking %s %s = %v; want %v", id, name, x, want)
			}
		}
		fig := res.InView(an.Appraisal.View)
		for name, want := range map[string]float64{"BCR": fig.BCR.Mean, "ROSI": fig.ROSI.Mean, "BCR SE": fig.BCRSE, "ROSI SE": fig.ROSISE} {
			cell := row[col(name)]
			if !finite(want) {
				if cell != "n/a" {
					t.Errorf("Ranking %s %s = %q; want n/a for %v", id, name, cell, want)
				}
			} else if x := number(t, id+" "+name, cell); !same(x, want) {
				t.Errorf("Ranking %s %s = %v; want %v", id, name, x, want)
			}
		}
	}
	if c3 := an.Results[2]; finite(c3.BCR.Mean) {
		t.Errorf("the test model's free control has BCR %v; the n/a case is not tested", c3.BCR.Mean)
	}
}

func TestWorkbookPercentiles(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	an := r.Analysis
	f, _ := openBook(t, r)
	rs := rows(t, f, sheetPercentiles)
	if got, want := len(rs), 1+1+len(an.Results)+1; got != want {
		t.Fatalf("Percentiles has %d rows; want %d (header, baseline, controls, recommended)", got, want)
	}
	head := rs[0]
	check := func(row []string, what string, want map[string]float64) {
		t.Helper()
		for name, w := range want {
			if x := number(t, what+" "+name, row[headerIndex(t, sheetPercentiles, head, name)]); !same(x, w) {
				t.Errorf("Percentiles %s %s = %v; want %v", what, name, x, w)
			}
		}
	}
	b := an.Baseline
	check(rs[1], "baseline", map[string]float64{"ALE (£/yr)": b.ALE, "ALE SE": b.ALESE, "P50": b.P50, "P90": b.P90, "P95": b.P95, "P99": b.P99, "TVaR95": b.TVaR95, "Max": b.Max,
		"P50 SE": b.P50SE, "P90 SE": b.P90SE, "P95 SE": b.P95SE, "P99 SE": b.P99SE, "TVaR95 SE": b.TVaR95SE})
	best := an.Results[an.Ranking.Order[0]].Loss
	check(rs[2], "best", map[string]float64{"ALE (£/yr)": best.ALE, "P95": best.P95, "P95 SE": best.P95SE, "TVaR95 SE": best.TVaR95SE})
	rec := an.Recommended.Loss
	check(rs[len(rs)-1], "recommended", map[string]float64{"ALE (£/yr)": rec.ALE, "P99": rec.P99, "Max": rec.Max, "P99 SE": rec.P99SE})
}

// TestWorkbookLEC checks the LEC table against quantiles computed
// independently, by gonum's stat.Quantile on the sorted losses, at the
// probabilities the sheet gives, which must run log-spaced from 0.5 to 1/n;
// and each SE column against batch means computed independently (see
// batchMeansSE), blank where a batch holds fewer than two years beyond p.
func TestWorkbookLEC(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	an := r.Analysis
	f, _ := openBook(t, r)
	rs := rows(t, f, sheetLEC)
	if got := len(rs) - 1; got < 100 || got >= 1000 {
		t.Fatalf("LEC has %d rows; want the 1000-row grid cut where the standard error ends", got)
	}
	sortedCopy := func(x []float64) []float64 {
		s := slices.Clone(x)
		sort.Float64s(s)
		return s
	}
	head := rs[0]
	cols := []struct {
		name    string
		losses  []float64
		batches [][]float64
	}{
		{"Baseline (no new controls)", sortedCopy(an.Sim.Loss[0]), sortedBatches(an.Sim.Loss[0], an.Sim.Draws)},
		{"C1 Patch management", sortedCopy(an.Sim.Loss[1]), sortedBatches(an.Sim.Loss[1], an.Sim.Draws)},
		{"C2 Network segmentation", sortedCopy(an.Sim.Loss[2]), sortedBatches(an.Sim.Loss[2], an.Sim.Draws)},
		{recommendedLabel(an.Recommended), sortedCopy(an.RecommendedSim.Loss[an.Recommended.Option]), sortedBatches(an.RecommendedSim.Loss[an.Recommended.Option], an.RecommendedSim.Draws)},
	}
	var blanks, known int
	n := float64(len(an.Sim.Loss[0]))
	var prev float64 = 1
	for i, row := range rs[1:] {
		p := number(t, "LEC probability", row[0])
		if (i == 0 && p != 0.5) || !(p < prev) {
			t.Fatalf("LEC row %d: probability %v (previous %v); want a decreasing grid from 0.5 towards 1/%v", i+2, p, prev, n)
		}
		if want := math.Pow(0.5*n, -float64(i)/999) * 0.5; math.Abs(p-want) > 1e-12*want {
			t.Errorf("LEC row %d: probability %v; want %v, log-spaced", i+2, p, want)
		}
		prev = p
		for _, c := range cols {
			want := stat.Quantile(1-p, stat.Empirical, c.losses, nil)
			if x := number(t, "LEC "+c.name, row[headerIndex(t, sheetLEC, head, c.name)]); !same(x, want) {
				t.Errorf("LEC row %d (p = %v) %s = %v; want %v", i+2, p, c.name, x, want)
			}
			wantSE := batchMeansSE(c.batches, len(c.losses), p)
			j := headerIndex(t, sheetLEC, head, c.name+" SE")
			var cell string
			if j < len(row) {
				cell = row[j]
			}
			switch {
			case math.IsNaN(wantSE):
				blanks++
				if cell != "" {
					t.Errorf("LEC row %d (p = %v) %s SE = %q; want blank", i+2, p, c.name, cell)
				}
			case cell == "":
				t.Errorf("LEC row %d (p = %v) %s SE is blank; want %v", i+2, p, c.name, wantSE)
			default:
				known++
				// The independent computation sums in another order.
				if x := number(t, "LEC SE", cell); math.Abs(x-wantSE) > 1e-9*want {
					t.Errorf("LEC row %d (p = %v) %s SE = %v; want %v", i+2, p, c.name, x, wantSE)
				}
			}
		}
	}
	// No quantile without its standard error: every row has one, and the
	// grid's next row would not.
	if blanks != 0 || known == 0 {
		t.Errorf("LEC SE columns: %d blank and %d known cells; want none blank", blanks, known)
	}
	next := math.Pow(0.5*n, -float64(len(rs)-1)/999) * 0.5
	if se := batchMeansSE(cols[0].batches, len(cols[0].losses), next); !math.IsNaN(se) {
		t.Errorf("LEC stops at row %d, though p = %v has a standard error %v", len(rs), next, se)
	}
	last := 1 / number(t, "LEC probability", rs[len(rs)-1][0])
	marks := map[string]float64{}
	for _, row := range rs[1:] {
		if len(row) > 2 && row[2] != "" {
			marks[row[2]] = number(t, "return period", row[1])
		}
	}
	for mark, want := range map[string]float64{"1 in 2": 2, "1 in 10": 10, "1 in 100": 100, "1 in 1,000": 1000, "1 in 10,000": 10_000} {
		if want > last {
			if _, ok := marks[mark]; ok {
				t.Errorf("LEC mark %q beyond the table's last return period %v", mark, last)
			}
			continue
		}
		if got, ok := marks[mark]; !ok || math.Abs(got/want-1) > 0.01 {
			t.Errorf("LEC mark %q on the row with return period %v; want the row nearest %v", mark, got, want)
		}
	}
}

// TestWorkbookCharts checks that the workbook holds two native charts, a
// scatter chart of the LEC with a log probability axis drawn from the LEC
// sheet and a bar chart of NPV drawn from the Ranking sheet, each attached
// to its sheet.
func TestWorkbookCharts(t *testing.T) {
	t.Parallel()
	f, b := openBook(t, report(t, typical))
	lecLast := strconv.Itoa(len(rows(t, f, sheetLEC)))
	parts := xlsxtest.Parts(t, b)
	read := func(name string) string { return parts[name] }
	var charts []string
	for name, part := range parts {
		if strings.HasPrefix(name, "xl/charts/chart") {
			charts = append(charts, part)
		}
	}
	if len(charts) != 2 {
		t.Fatalf("workbook has %d charts; want 2", len(charts))
	}
	want := []struct {
		kind  string
		parts []string
	}{
		{"barChart", []string{"Ranking!$F$2:$F$4", "Ranking!$C$2:$C$4"}},
		// The baseline, the best control and the recommended portfolio,
		// each loss column followed by its SE column.
		{"scatterChart", []string{`logBase val="10"`, "LEC!$A$2:$A$" + lecLast, "LEC!$D$2:$D$" + lecLast, "LEC!$F$2:$F$" + lecLast, "LEC!$L$2:$L$" + lecLast}},
	}
	for _, w := range want {
		i := slices.IndexFunc(charts, func(c string) bool { return strings.Contains(c, "<"+w.kind) })
		if i < 0 {
			t.Errorf("no %s in the workbook", w.kind)
			continue
		}
		for _, p := range w.parts {
			if !strings.Contains(charts[i], p) {
				t.Errorf("%s does not contain %s", w.kind, p)
			}
		}
	}
	// Sheets are numbered in workbook order: Ranking is sheet2 and LEC
	// chart sheet5.
	for _, sheet := range []string{"sheet2", "sheet5"} {
		if rels := read("xl/worksheets/_rels/" + sheet + ".xml.rels"); !strings.Contains(rels, "drawing") {
			t.Errorf("%s has no drawing: %q", sheet, rels)
		}
	}
}

// TestWorkbookLayout checks the frozen header rows, the filters on table
// sheets and the number formats of money and share cells.
func TestWorkbookLayout(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	f, _ := openBook(t, r)
	money := moneyFmtOf(r)
	for sheet, rows := range map[string]int{
		sheetSummary: 2, sheetRanking: 1, sheetPercentiles: 1, sheetLEC: 1,
		sheetCalibration: 1, sheetInputs: 1, sheetSources: 1, sheetAbout: 1,
	} {
		p, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatalf("GetPanes(%s): %v", sheet, err)
		}
		if !p.Freeze || p.YSplit != rows {
			t.Errorf("%s panes = %+v; want the top %d rows frozen", sheet, p, rows)
		}
	}
	for _, sheet := range []string{sheetRanking, sheetPercentiles, sheetInputs, sheetSources} {
		if !slices.ContainsFunc(f.GetDefinedName(), func(d excelize.DefinedName) bool {
			return d.Name == "_xlnm._FilterDatabase" && d.Scope == sheet
		}) {
			t.Errorf("%s has no filter", sheet)
		}
	}
	for _, tt := range []struct {
		sheet, cell, format string
	}{
		{sheetRanking, "P2", fmtPct},                // uplift
		{sheetRanking, "F2", money},                 // NPV
		{sheetRanking, "Y2", money},                 // NPV SE
		{sheetRanking, "I2", fmtRatio},              // BCR
		{sheetRanking, "AB2", fmtRatio},             // BCR SE
		{sheetRanking, "AE2", fmtPct},               // ROSI SE
		{sheetRanking, "K2", fmtPct},                // P(NPV>0)
		{sheetRanking, "AF2", fmtPct},               // P(NPV>0) SE
		{sheetLEC, "D2", money},                     // baseline loss
		{sheetLEC, "E2", money},                     // its SE
		{sheetLEC, "A2", fmtExceed},                 // exceedance probability
		{sheetSummary, "B7", money},                 // ALE
		{sheetSummary, "C8", money},                 // P95 SE
		{sheetInputs, "D5", currency("£").numFmt()}, // a control's opex
		{sheetPercentiles, "C2", money},
		{sheetPercentiles, "N2", money}, // TVaR95 SE
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
			got := "none"
			if st.CustomNumFmt != nil {
				got = *st.CustomNumFmt
			}
			t.Errorf("%s!%s number format = %s; want %s", tt.sheet, tt.cell, got, tt.format)
		}
	}
}

func TestWorkbookCalibration(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	f, _ := openBook(t, r)
	rs := rows(t, f, sheetCalibration)
	find := func(label string) []string {
		t.Helper()
		for _, row := range rs {
			if len(row) > 0 && row[0] == label {
				return row
			}
		}
		t.Fatalf("Calibration has no row %q", label)
		return nil
	}
	fit := r.Calibration.Fit
	if row := find("c_d: lost output per organisation-day = lost output / (E[S]·E[D])"); !same(number(t, "c_d", row[1]), fit.Daily) || !same(number(t, "c_d now", row[2]), fit.DailyNow) {
		t.Errorf("Calibration c_d = %q; want %v, %v", row[1:3], fit.Daily, fit.DailyNow)
	}
	if row := find("Simulated mean"); !same(number(t, "replay mean", row[1]), fit.Replay.SimMean) {
		t.Errorf("Calibration replay mean = %q; want %v", row[1], fit.Replay.SimMean)
	}
	for _, h := range r.Calibration.Holdouts {
		row := find(h.Name)
		if row[1] != h.ID || !same(number(t, "observed", row[2]), h.Observed) || !same(number(t, "mean", row[3]), h.Replay.Mean) ||
			!same(number(t, "P5", row[4]), h.Replay.P5) || !same(number(t, "P95", row[6]), h.Replay.P95) ||
			!same(number(t, "ratio", row[7]), h.Observed/h.Replay.Mean) || row[8] != verdict(h) {
			t.Errorf("Calibration hold-out %s = %q", h.ID, row)
		}
	}
}

func TestWorkbookInputsSourcesAbout(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	f, _ := openBook(t, r)
	in := rows(t, f, sheetInputs)
	if len(in)-1 != len(r.Inputs) {
		t.Fatalf("Inputs has %d rows; want %d", len(in)-1, len(r.Inputs))
	}
	for i, want := range r.Inputs {
		row := in[i+1]
		if row[0] != want.Section || row[1] != want.Item || row[2] != want.Field ||
			!same(number(t, "lo", row[3]), want.Lo) || !same(number(t, "hi", row[4]), want.Hi) || row[5] != want.Unit {
			t.Errorf("Inputs row %d = %q; want %+v", i+2, row, want)
		}
	}
	src := rows(t, f, sheetSources)
	if len(src)-1 != len(r.Sources) {
		t.Fatalf("Sources has %d rows; want %d", len(src)-1, len(r.Sources))
	}
	for i, want := range r.Sources {
		row := src[i+1]
		if row[0] != want.ID || row[2] != want.Title || row[3] != strconv.Itoa(want.Year) || row[4] != want.URL {
			t.Errorf("Sources row %d = %q; want %+v", i+2, row, want)
		}
		if ok, link, err := f.GetCellHyperLink(sheetSources, cellName(5, i+2)); err != nil || !ok || link != want.URL {
			t.Errorf("Sources row %d link = %v, %q, %v; want %q", i+2, ok, link, err, want.URL)
		}
	}
	var paras int
	for _, row := range rows(t, f, sheetAbout)[1:] {
		if len(row) > 0 && len(row[0]) > 80 {
			paras++
		}
	}
	if paras < 12 {
		t.Errorf("About has %d paragraphs; want at least 12", paras)
	}
}

func TestWorkbookBadReport(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, &Report{Model: testModel()}); err == nil || buf.Len() != 0 {
		t.Errorf("WriteWorkbook(no analysis) = %v, %d bytes; want an error and nothing written", err, buf.Len())
	}
}

// TestTableRowLimit checks that a table longer than a sheet is refused
// before anything is written.
func TestTableRowLimit(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f}
	b.styles()
	cols := []column[int]{{head: "n", value: func(n int) any { return n }}}
	table(b, "Sheet1", 1, cols, make([]int, excelize.TotalRows))
	if !errors.Is(b.err, errTooManyRows) {
		t.Errorf("table of %d rows: error %v; want %v", excelize.TotalRows, b.err, errTooManyRows)
	}
}

func TestUnique(t *testing.T) {
	t.Parallel()
	got := unique([]string{"Baseline", "C1 X", "C1 X", "Mark", "C1 X"})
	want := []string{"Baseline", "C1 X", "C1 X (2)", "Mark (2)", "C1 X (3)"}
	if !slices.Equal(got, want) {
		t.Errorf("unique = %q; want %q", got, want)
	}
}

// TestIsWebURL is issue 13's case 12: only http and https addresses
// become links on the Sources sheet.
func TestIsWebURL(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"https://www.nao.org.uk/x": true, "http://example.org": true, "HTTPS://EXAMPLE.ORG/": true,
		"javascript:alert(1)": false, "file:///etc/passwd": false, "data:text/html,x": false, "": false, "//example.org": false,
	} {
		if got := isWebURL(s); got != want {
			t.Errorf("isWebURL(%q) = %v; want %v", s, got, want)
		}
	}
}

// moneyFmtOf is the number format of a report's money results: millions
// for a baseline ALE of £10m or more, whole amounts below.
func moneyFmtOf(r *Report) string {
	if r.Analysis.Baseline.ALE >= 10e6 {
		return currencyOf(r).millionsFmt()
	}
	return currencyOf(r).numFmt()
}

// TestWorkbookPrint checks the page setup that makes the workbook print:
// every visible sheet on A4 fitted to pages (fitToPage set, without which
// Excel and LibreOffice ignore fitToWidth), Summary and About each on one
// portrait page, header rows repeated on table sheets, the LEC table and
// the Reproduce record hidden (so not printed, and with no print area),
// and the LEC chart drawn in straight segments on two log axes.
func TestWorkbookPrint(t *testing.T) {
	t.Parallel()
	r := new(*report(t, typical)) // a copy: the report is shared
	r.Reproduce = &Reproduction{Digest: "ab", Args: []string{"--seed=1"}, Figures: [][2]string{{"x", "1"}}, Dataset: []byte("a: 1\nb: 2\n")}
	f, b := openBook(t, r)
	for _, s := range f.GetSheetList() {
		visible, err := f.GetSheetVisible(s)
		if err != nil {
			t.Fatal(err)
		}
		if hidden := s == sheetLEC || s == SheetReproduce || s == SheetDraws; hidden == visible {
			t.Errorf("%s: visible %v; want %v", s, visible, !hidden)
		}
		if !visible {
			continue
		}
		pl, err := f.GetPageLayout(s)
		if err != nil {
			t.Fatal(err)
		}
		props, err := f.GetSheetProps(s)
		if err != nil {
			t.Fatal(err)
		}
		if pl.Size == nil || *pl.Size != 9 || props.FitToPage == nil || !*props.FitToPage || pl.FitToWidth == nil || *pl.FitToWidth < 1 {
			t.Errorf("%s: page layout %+v, fitToPage %v; want A4 (9) fitted to pages across", s, pl, props.FitToPage)
		}
	}
	for _, s := range []string{sheetSummary, sheetAbout} {
		if pl, _ := f.GetPageLayout(s); *pl.FitToWidth != 1 || *pl.FitToHeight != 1 || *pl.Orientation != "portrait" {
			t.Errorf("%s fits %d×%d pages %s; want one portrait page", s, *pl.FitToWidth, *pl.FitToHeight, *pl.Orientation)
		}
	}
	names := map[string]string{}
	for _, d := range f.GetDefinedName() {
		names[d.Scope+" "+d.Name] = d.RefersTo
	}
	for key, want := range map[string]string{
		"Ranking _xlnm.Print_Titles":     "Ranking!$1:$1",
		"Ranking _xlnm.Print_Area":       "Ranking!$A$1:$M$", // the headline columns and the chart
		"What-if _xlnm.Print_Area":       "'What-if'!$A$1:$I$",
		"Summary _xlnm.Print_Titles":     "Summary!$1:$2",
		"Inputs _xlnm.Print_Titles":      "Inputs!$1:$1",
		"Percentiles _xlnm.Print_Titles": "Percentiles!",
	} {
		if got := names[key]; !strings.HasPrefix(got, want) {
			t.Errorf("defined name %s = %q; want %q…", key, got, want)
		}
	}
	for _, key := range []string{"LEC _xlnm.Print_Area", "Reproduce _xlnm.Print_Area"} {
		if got, ok := names[key]; ok {
			t.Errorf("defined name %s = %q; want none on a hidden sheet", key, got)
		}
	}
	var lecChart string
	for name, x := range xlsxtest.Parts(t, b) {
		if !strings.HasPrefix(name, "xl/charts/chart") {
			continue
		}
		if strings.Contains(x, "Loss exceedance curve") {
			lecChart = x
		}
		if strings.Contains(x, "[Red]") {
			t.Errorf("%s: an axis shows negatives in red", name)
		}
	}
	if !strings.Contains(lecChart, `<scatterStyle val="lineMarker">`) || strings.Count(lecChart, "<logBase") != 2 {
		t.Errorf("LEC chart: want straight lines (lineMarker) and two log axes:\n%.600s", lecChart)
	}
}
