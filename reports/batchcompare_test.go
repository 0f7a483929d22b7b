package reports

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDiffSE checks the standard error of a difference of batch means
// against a second method: the spread of the difference of the means
// themselves over many independent replications. Paired batches that
// share most of their noise give a far smaller standard error than
// independent ones.
func TestDiffSE(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	const B, reps = 20, 4000
	var sePaired, seIndep, d2Paired, d2Indep float64
	for range reps {
		a, base, c := make([]float64, B), make([]float64, B), make([]float64, B)
		for b := range B {
			common := rng.NormFloat64()
			base[b] = 10 + common
			a[b] = 12 + common + 0.2*rng.NormFloat64()
			c[b] = 12 + rng.NormFloat64()
		}
		mean := func(x []float64) float64 {
			var s float64
			for _, v := range x {
				s += v
			}
			return s / float64(len(x))
		}
		dp, di := mean(a)-mean(base)-2, mean(c)-mean(base)-2
		d2Paired += dp * dp
		d2Indep += di * di
		sePaired += diffSE(a, base, true)
		seIndep += diffSE(c, base, false)
	}
	// The mean of the estimated SEs against the replications' spread:
	// the SE of an SE from 20 batches is about 1/√38 of it, and the
	// estimator is biased low by about 1/(4·19); 5% covers both.
	for _, tc := range []struct {
		name   string
		se, sd float64
	}{
		{"paired", sePaired / reps, math.Sqrt(d2Paired / reps)},
		{"independent", seIndep / reps, math.Sqrt(d2Indep / reps)},
	} {
		if math.Abs(tc.se/tc.sd-1) > 0.05 {
			t.Errorf("%s: mean diffSE %.4f; spread of the differences %.4f", tc.name, tc.se, tc.sd)
		}
	}
	if sePaired >= seIndep/4 {
		t.Errorf("paired SE %.4f not far below the independent %.4f", sePaired/reps, seIndep/reps)
	}
	if x := diffSE([]float64{1}, []float64{1}, true); !math.IsNaN(x) {
		t.Errorf("diffSE of one batch = %v; want NaN", x)
	}
}

// TestComparisonSheet checks that the Comparison sheet, first in the
// workbook, holds each scenario's difference from the baseline row with
// its standard error, as computed here from the rows' batches, and that
// the batches read back exactly.
func TestComparisonSheet(t *testing.T) {
	t.Parallel()
	b := testBatch()
	for i := range b.Rows {
		r := &b.Rows[i]
		r.ALEBatches = make([]float64, 20)
		for k := range 20 {
			r.ALEBatches[k] = r.ALE * (1 + 0.01*math.Sin(float64(k+i)))
		}
	}
	raw := writeBatchBytes(t, b)
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList()[0]; got != batchCompare {
		t.Errorf("first sheet %q; want %q", got, batchCompare)
	}
	rows, err := f.GetRows(batchCompare, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	head := rows[3]
	col := func(name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("Comparison has no column %q: %q", name, head)
		return -1
	}
	base := &b.Rows[0]
	for k := 1; k < len(b.Rows); k++ {
		r := &b.Rows[k]
		cells := rows[4+k]
		get := func(name string) float64 {
			v, err := strconv.ParseFloat(cells[col(name)], 64)
			if err != nil {
				t.Fatalf("row %d %s = %q: %v", k+1, name, cells[col(name)], err)
			}
			return v
		}
		paired := r.Seed == base.Seed
		for _, c := range []struct {
			name string
			want float64
		}{
			{"ΔALE vs baseline row (£/yr)", r.ALE - base.ALE},
			{"ΔALE SE", diffSE(r.ALEBatches, base.ALEBatches, paired)},
		} {
			if got := get(c.name); math.Abs(got-c.want) > 1e-12*math.Max(1, math.Abs(c.want)) {
				t.Errorf("row %d %s = %v; want %v", k+1, c.name, got, c.want)
			}
		}
		if r.Portfolio != nil && base.Portfolio != nil {
			if got, want := get("ΔNPV vs baseline row (£)"), r.Portfolio.DecisionNPV.Mean-base.Portfolio.DecisionNPV.Mean; math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("row %d ΔNPV = %v; want %v", k+1, got, want)
			}
		}
	}
	back, err := ReadBatch(bytes.NewReader(raw), "results.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Rows {
		if !equalFloats(back.Rows[i].ALEBatches, b.Rows[i].ALEBatches) {
			t.Errorf("row %d: batches read back %v; wrote %v", i+1, back.Rows[i].ALEBatches, b.Rows[i].ALEBatches)
		}
	}
	// The Pairs sheet holds the ALE's batches alone: the NPVs are exact
	// closed forms (ΔNPV's standard error 0, as the Comparison says), and
	// the per-draw NPVs it once held were zeros (issue 22).
	pairs, err := f.GetRows(batchPairs, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != len(b.Rows)+1 {
		t.Errorf("Pairs has %d rows; want a header and one a scenario (%d)", len(pairs), len(b.Rows))
	}
	for _, c := range pairs[1:] {
		if len(c) < 2 || c[1] != "ALE" {
			t.Errorf("Pairs row %q; want the ALE's batch means alone", c)
		}
	}
	// A workbook of an earlier version, with NPV rows, still reads.
	vals := []any{b.Rows[0].Index, "NPV", "0", "0"}
	if err := f.SetSheetRow(batchPairs, batchCell(1, len(pairs)+1), &vals); err != nil {
		t.Fatal(err)
	}
	var old bytes.Buffer
	if err := f.Write(&old); err != nil {
		t.Fatal(err)
	}
	if back, err := ReadBatch(bytes.NewReader(old.Bytes()), "results.xlsx"); err != nil || !equalFloats(back.Rows[0].ALEBatches, b.Rows[0].ALEBatches) {
		t.Errorf("a workbook with an NPV row on Pairs: %v", err)
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestComparisonNamedBaseline checks that the Comparison sets every row
// beside the row the Settings name as the baseline (issue 26: the first
// row, or one named in Settings), that the name survives a read back (and
// so a merge), and that a name no row that ran has falls back to the
// first row.
func TestComparisonNamedBaseline(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		want int // the baseline's index in Rows
	}{{"budget", 1}, {"did not run", 0}} {
		b := testBatch()
		b.Baseline = tt.name
		raw := writeBatchBytes(t, b)
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(batchCompare, excelize.Options{RawCellValue: true})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		last := len(rows[3]) - 1 // Change in recommendation
		base := &b.Rows[tt.want]
		for k := range b.Rows {
			cells := append(rows[4+k], make([]string, len(rows[3]))...)
			if got := cells[last] == "baseline row"; got != (k == tt.want) {
				t.Errorf("Baseline %q: row %d (%s) marked the baseline row: %v", tt.name, k+1, b.Rows[k].Name, got)
			}
			if k == tt.want {
				continue
			}
			got, err := strconv.ParseFloat(cells[10], 64) // ΔALE vs baseline row (after #, Scenario, View, …)
			if want := b.Rows[k].ALE - base.ALE; err != nil || math.Abs(got-want) > 1e-9*math.Abs(want)+1e-9 {
				t.Errorf("Baseline %q: row %d ΔALE = %q; want %v", tt.name, k+1, cells[10], want)
			}
		}
		back, err := ReadBatch(bytes.NewReader(raw), "results.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if back.Baseline != tt.name {
			t.Errorf("Baseline read back %q; want %q", back.Baseline, tt.name)
		}
	}
}

// TestBatchPageComparison checks that the batch page shows the
// Comparison sheet's comparison (issue 26: "a first sheet (and the HTML
// page)"): each row's difference from the baseline row and what changes in
// its recommendation, the baseline row marked.
func TestBatchPageComparison(t *testing.T) {
	t.Parallel()
	b := testBatch()
	b.Baseline = "budget"
	p, err := newBatchPage(b)
	if err != nil {
		t.Fatal(err)
	}
	base := b.baselineRow()
	for k, row := range p.Comparison.Rows {
		r := &b.Rows[k]
		if r == base {
			if row[12] != "baseline row" {
				t.Errorf("row %d (%s): %q; want the baseline row marked", k+1, r.Name, row[12])
			}
			continue
		}
		d := diffOf(r, base)
		if want := b.currency().text(d.ALE); !strings.HasPrefix(row[10], want) || row[12] != d.Change {
			t.Errorf("row %d (%s): ΔALE %q, change %q; want %s…, %q", k+1, r.Name, row[10], row[12], want, d.Change)
		}
	}
}
