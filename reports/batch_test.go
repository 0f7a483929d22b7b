package reports

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
)

// testBatch returns a whole run's results with the awkward values: a seed
// above 2^53, an infinite BCR, no budget, an empty portfolio, a row
// without controls, a failed row with two problems.
func testBatch() *Batch {
	iv := func(m, lo, hi float64) model.Interval { return model.Interval{Mean: m, Lo: lo, Hi: hi} }
	// Values have at most 15 significant digits, as a cell keeps; an
	// infinite BCR is left blank and read back NaN.
	best := &BatchOption{Controls: "C1", Name: "MFA", Cost: 75000.5, DeltaALE: 333333.333333333, DecisionNPV: iv(1.5e6, -2e5, 3.25e6), DecisionBCR: iv(2.5, 0.75, 4), DecisionPNPVPositive: 0.85}
	return &Batch{
		Tool: "cybercba", Version: "v1.2.3", Generated: time.Date(2026, 5, 1, 9, 30, 0, 0, time.UTC),
		Input: "inputs.xlsx", Digest: strings.Repeat("ab", 32), Currency: "GBP", PriceYear: "2024-25",
		Seed: 2017, Draws: 20, Years: 1000, Scope: "acute-trust", Objective: "npv", Metric: "npv", Total: 5,
		Rows: []BatchRow{
			{Index: 1, Row: 2, Name: "baseline", Scope: "acute-trust", Seed: 4332586597285750241, Horizon: 10, Discount: "Green Book schedule",
				RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1, Controls: "all", Budget: math.Inf(1), CapexBudget: math.Inf(1),
				ALE: 1234567.891, ALESE: 1234.5, P95: 5e6, TVaR95: 8e6, Best: best},
			{Index: 2, Row: 3, Name: "budget", Scope: "acute-trust", Seed: 12345, Horizon: 5, Discount: "3.5%", OptimismBias: 0.2,
				RateMultiplier: 1.5, LossMultiplier: 0.8, CostMultiplier: 1.3, Controls: "C1, C2", Budget: 5e5, CapexBudget: math.Inf(1),
				ALE: 2e6, ALESE: 2e3, P95: 6e6, TVaR95: 9e6,
				Best:      &BatchOption{Controls: "C2", Name: "Patching", DecisionNPV: iv(1, 2, 3), DecisionBCR: iv(math.NaN(), math.NaN(), math.NaN())},
				Portfolio: &BatchOption{Controls: "C1+C2", Cost: 4e5, Capex: 1e5, BudgetUsed: 0.8, DeltaALE: 9e5, DecisionNPV: iv(3e6, 1e6, 5e6), DecisionBCR: iv(2, 1, 3), DecisionPNPVPositive: 1}},
			{Index: 4, Row: 6, Name: "nothing fits", Scope: "acute-trust", Seed: 7, Horizon: 10, Discount: "Green Book schedule",
				RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1, Controls: "C3", Budget: 0, CapexBudget: 1e4,
				ALE: 2e6, ALESE: 2e3, P95: 6e6, TVaR95: 9e6, Best: best,
				Portfolio: &BatchOption{DecisionBCR: iv(math.NaN(), math.NaN(), math.NaN()), BudgetUsed: 0}},
			{Index: 5, Row: 7, Name: "no controls", Scope: "acute-trust", Seed: 8, Horizon: 10, Discount: "Green Book schedule",
				RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1, Controls: "all", Budget: math.Inf(1), CapexBudget: math.Inf(1),
				ALE: 2e6, ALESE: 2e3, P95: 6e6, TVaR95: 9e6},
		},
		Errors: []BatchError{
			{Index: 3, Row: 4, Name: "bad", Cell: "Scenarios!C4", Msg: `budget: must be a non-negative amount, got "tbc"`},
			{Index: 3, Row: 4, Name: "bad", Cell: "Scenarios!L4", Msg: `controls allowed: unknown control "C99"`},
		},
	}
}

// writeBatchBytes writes b's workbook.
func writeBatchBytes(t *testing.T, b *Batch) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteBatch(&buf, b); err != nil {
		t.Fatalf("WriteBatch: %v", err)
	}
	return buf.Bytes()
}

// batchSheets returns every sheet's stored cells.
func batchSheets(t *testing.T, b []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out[s] = rows
	}
	return out
}

// sameBatch compares two batches, NaN equal to NaN.
func sameBatch(a, b *Batch) bool {
	return fmt.Sprintf("%#v", canonical(a)) == fmt.Sprintf("%#v", canonical(b))
}

func canonical(b *Batch) any {
	type flat struct {
		B    Batch
		Rows []string
	}
	c := *b
	var rows []string
	for _, r := range b.Rows {
		best, port := r.Best, r.Portfolio
		r.Best, r.Portfolio = nil, nil
		s := fmt.Sprintf("%+v", r)
		r.Best, r.Portfolio = best, port
		if r.Best != nil {
			s += fmt.Sprintf(" best %+v", *r.Best)
		}
		if r.Portfolio != nil {
			s += fmt.Sprintf(" portfolio %+v", *r.Portfolio)
		}
		rows = append(rows, s)
	}
	c.Rows = nil
	return flat{c, rows}
}

func TestWriteBatch(t *testing.T) {
	t.Parallel()
	b := testBatch()
	sheets := batchSheets(t, writeBatchBytes(t, b))
	if got, want := len(sheets), 7; got != want {
		t.Errorf("%d sheets; want %d (Comparison, Summary, Chart, Errors, About and the hidden Check and Pairs)", got, want)
	}
	sum := sheets[batchSummary]
	if len(sum) != len(b.Rows)+1 {
		t.Fatalf("Summary has %d rows; want a header and %d", len(sum), len(b.Rows))
	}
	cell := func(row int, head string) string {
		c := batchColumnIndex(head) - 1
		if c < 0 {
			t.Fatalf("no column %q", head)
		}
		if c >= len(sum[row]) {
			return ""
		}
		return sum[row][c]
	}
	for _, tt := range []struct {
		row        int
		head, want string
	}{
		{1, "Scenario", "baseline"},
		{1, "Seed", "4332586597285750241"}, // above 2^53: text, every digit
		{1, "Budget (£/yr)", ""},
		{1, "ALE (£/yr)", "1234567.891"},
		{1, "Best NPV 5% (row's view)", "-200000"},
		{1, "Portfolio", ""},
		{1, "Best P(NPV>0) (row's view)", "0.85"},
		{2, "Best BCR (row's view)", ""},
		{2, "Budget used", "0.8"},
		{2, "Portfolio", "C1+C2"},
		{3, "Portfolio", "(none)"},
		{3, "Portfolio BCR (row's view)", ""},
		{4, "Best control", ""},
		{4, "#", "5"},
	} {
		if got := cell(tt.row, tt.head); got != tt.want {
			t.Errorf("Summary row %d %q = %q; want %q", tt.row+1, tt.head, got, tt.want)
		}
	}
	// No text in a number column (issue 26): blank, or a number.
	for i, c := range batchColumns {
		if c.f == nil {
			continue
		}
		for k, r := range sum[1:] {
			if i < len(r) && r[i] != "" {
				if _, err := strconv.ParseFloat(r[i], 64); err != nil {
					t.Errorf("Summary!%s (%s) = %q: text in a number column", batchCell(i+1, k+2), c.head, r[i])
				}
			}
		}
	}
	errs := sheets[batchErrors]
	if len(errs) != 3 || !slices.Equal(errs[2], []string{"3", "4", "bad", "Scenarios!L4", `controls allowed: unknown control "C99"`}) {
		t.Errorf("Errors = %q", errs)
	}
	about := map[string]string{}
	for _, r := range sheets[batchAbout] {
		if len(r) == 2 {
			about[r[0]] = r[1]
		}
	}
	for k, want := range map[string]string{batchAboutPart: "all", batchAboutGenerated: "2026-05-01T09:30:00Z", batchAboutDigest: b.Digest, "Scenarios failed": "1", "Scenarios run": "4"} {
		if about[k] != want {
			t.Errorf("About %q = %q; want %q", k, about[k], want)
		}
	}
}

func TestWriteBatchChart(t *testing.T) {
	t.Parallel()
	f, err := excelize.OpenReader(bytes.NewReader(writeBatchBytes(t, testBatch())))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	charts := 0
	f.Pkg.Range(func(k, _ any) bool {
		if strings.HasPrefix(k.(string), "xl/charts/chart") {
			charts++
		}
		return true
	})
	// One measure a chart: the ALE on the first, the NPVs on the second.
	if charts != 2 {
		t.Fatalf("%d charts; want 2", charts)
	}
	col := func(head string) string {
		c := batchCol(batchColumnIndex(head))
		return "Summary!$" + c + "$2:$" + c + "$5"
	}
	for chart, refs := range map[string][]string{
		"xl/charts/chart1.xml": {"Summary!$B$2:$B$5", col("ALE (£/yr)")},
		"xl/charts/chart2.xml": {"Summary!$B$2:$B$5", col("Best NPV (£, row's view)"), col("Portfolio NPV (£, row's view)")},
	} {
		b, _ := f.Pkg.Load(chart)
		xml, _ := b.([]byte)
		for _, want := range refs {
			if !strings.Contains(string(xml), want) {
				t.Errorf("%s does not refer to %s", chart, want)
			}
		}
		if strings.Contains(string(xml), "[Red]") {
			t.Errorf("%s: an axis shows negatives in red", chart)
		}
	}
	b, _ := f.Pkg.Load("xl/charts/chart1.xml")
	if strings.Contains(string(b.([]byte)), col("Best NPV (£, row's view)")) {
		t.Error("the ALE chart also draws the NPV")
	}
}

// TestReadBatch checks that a results workbook reads back as the batch
// written, and writes again cell for cell.
func TestReadBatch(t *testing.T) {
	t.Parallel()
	for _, shard := range []int{0, 2} {
		b := testBatch()
		if shard > 0 {
			b.Shard, b.Shards = shard, 3
		}
		data := writeBatchBytes(t, b)
		got, err := ReadBatch(bytes.NewReader(data), "results.xlsx")
		if err != nil {
			t.Fatalf("ReadBatch: %v", err)
		}
		if !sameBatch(got, b) {
			t.Errorf("ReadBatch(WriteBatch(b)) =\n%#v\nwant\n%#v", canonical(got), canonical(b))
		}
		if again := writeBatchBytes(t, got); !reflect.DeepEqual(batchSheets(t, again), batchSheets(t, data)) {
			t.Errorf("writing what was read gives other cells")
		}
	}
}

func TestReadBatchRejects(t *testing.T) {
	t.Parallel()
	good := writeBatchBytes(t, testBatch())
	edit := func(fn func(f *excelize.File)) []byte {
		f, err := excelize.OpenReader(bytes.NewReader(good))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		fn(f)
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"not a workbook", []byte("hello"), "part.xlsx: not a readable .xlsx workbook"},
		{"truncated", good[:len(good)/2], "part.xlsx: not a readable .xlsx workbook"},
		{"no About", edit(func(f *excelize.File) { f.DeleteSheet(batchAbout) }), "part.xlsx: no About sheet"},
		{"bad part", edit(func(f *excelize.File) { f.SetCellValue(batchAbout, "B16", "2 of") }), `part.xlsx: About: Part: want all or i of n, got "2 of"`},
		{"other header", edit(func(f *excelize.File) { f.SetCellValue(batchSummary, "C1", "Row") }), `part.xlsx: Summary!C1: want the header "Input row"`},
		{"bad number", edit(func(f *excelize.File) { f.SetCellValue(batchSummary, "O2", "lots") }), `part.xlsx: Summary!O2: ALE (£/yr): want a number, got "lots"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := ReadBatch(bytes.NewReader(tt.b), "part.xlsx")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadBatch() = %p, %v; want an error containing %q", b, err, tt.want)
			}
		})
	}
}

// split returns the parts of b's rows for n shards.
func split(b *Batch, n int) []*Batch {
	var parts []*Batch
	for s := 1; s <= n; s++ {
		p := *b
		p.Shard, p.Shards, p.Rows, p.Errors = s, n, nil, nil
		p.Generated = b.Generated.Add(time.Duration(s) * time.Second)
		for _, r := range b.Rows {
			if (r.Index-1)%n == s-1 {
				p.Rows = append(p.Rows, r)
			}
		}
		for _, e := range b.Errors {
			if (e.Index-1)%n == s-1 {
				p.Errors = append(p.Errors, e)
			}
		}
		parts = append(parts, &p)
	}
	return parts
}

func TestMergeBatches(t *testing.T) {
	t.Parallel()
	whole := testBatch()
	parts := split(whole, 3)
	names := []string{"p1", "p2", "p3"}
	slices.Reverse(parts) // any order
	got, err := MergeBatches(parts, names)
	if err != nil {
		t.Fatalf("MergeBatches: %v", err)
	}
	want := *whole
	want.Generated = whole.Generated.Add(3 * time.Second) // the latest part's
	if !sameBatch(got, &want) {
		t.Errorf("MergeBatches =\n%#v\nwant\n%#v", canonical(got), canonical(&want))
	}
	tests := []struct {
		name  string
		parts func() []*Batch
		want  string
	}{
		{"missing shard", func() []*Batch { return split(whole, 3)[:2] }, "shard 3 of 3 is missing"},
		{"same shard twice", func() []*Batch { p := split(whole, 3); p[2] = p[1]; return p }, "p3: shard 2 of 3 again (also p2)"},
		{"other input", func() []*Batch { p := split(whole, 3); p[1].Digest = "other"; return p }, "p2: input SHA-256 other, but p1 and p3 have"},
		{"other seed", func() []*Batch { p := split(whole, 3); p[2].Seed = 1; return p }, "p3: master seed 1, but p1 and p2 have 2017"},
		// Issue 22 item 7: the odd part out is named, even when it is the
		// first, and seed modes may not mix.
		{"stale first part", func() []*Batch { p := split(whole, 3); p[0].Seed = 1; return p }, "p1: master seed 1, but p2 and p3 have 2017"},
		{"row seeds in one part", func() []*Batch { p := split(whole, 3); p[1].RowSeeds = true; return p },
			`p2: seed mode row seeds, but p1 and p3 have common: parts of different runs (one with --row-seeds, one without)`},
		{"a whole run", func() []*Batch { return []*Batch{testBatch()} }, "p1: not a part"},
		{"row in the wrong shard", func() []*Batch {
			p := split(whole, 3)
			p[0].Rows = append(p[0].Rows, p[1].Rows[0])
			return p
		}, "p1: scenario 2 does not belong to shard 1 of 3"},
		{"row missing", func() []*Batch {
			p := split(whole, 3)
			p[1].Rows = nil
			return p
		}, "scenario 2 is in no part"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := MergeBatches(tt.parts(), names)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("MergeBatches() = %p, %v; want an error containing %q", b, err, tt.want)
			}
		})
	}
}

// TestBatchCurrencySymbol checks that a batch in euros has euro headings,
// number formats and chart, reads back and merges, and that parts in
// different currencies do not merge.
func TestBatchCurrencySymbol(t *testing.T) {
	t.Parallel()
	b := testBatch()
	b.CurrencySymbol = "€"
	data := writeBatchBytes(t, b)
	sheets := batchSheets(t, data)
	head := sheets[batchSummary][0]
	for _, tt := range []struct {
		col  int
		want string
	}{
		{batchColumnIndex("Budget (£/yr)"), "Budget (€/yr)"},
		{batchColumnIndex("ALE (£/yr)"), "ALE (€/yr)"},
		{batchColumnIndex("Best NPV (£, row's view)"), "Best NPV (€, row's view)"},
		{batchColumnIndex("Portfolio ΔALE (£/yr)"), "Portfolio ΔALE (€/yr)"},
	} {
		if got := head[tt.col-1]; got != tt.want {
			t.Errorf("Summary!%s = %q; want %q", batchCell(tt.col, 1), got, tt.want)
		}
	}
	if h := strings.Join(head, "|"); strings.Contains(h, "£") {
		t.Errorf("Summary headings %q still hold £", h)
	}

	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ale := batchCell(batchColumnIndex("ALE (£/yr)"), 2)
	st, err := f.GetCellStyle(batchSummary, ale)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(st)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"€"#,##0;[Red]-"€"#,##0`; style.CustomNumFmt == nil || *style.CustomNumFmt != want {
		t.Errorf("Summary!%s number format = %v; want %s", ale, style.CustomNumFmt, want)
	}
	chart, _ := f.Pkg.Load("xl/charts/chart1.xml")
	xml := html.UnescapeString(string(chart.([]byte)))
	for _, want := range []string{"by scenario (€ a year, GBP 2024-25 prices)", `formatCode=""€"#,##0`} {
		if !strings.Contains(xml, want) {
			t.Errorf("chart does not hold %s", want)
		}
	}

	got, err := ReadBatch(bytes.NewReader(data), "results.xlsx")
	if err != nil {
		t.Fatalf("ReadBatch: %v", err)
	}
	if !sameBatch(got, b) {
		t.Errorf("ReadBatch(WriteBatch(b)) =\n%#v\nwant\n%#v", canonical(got), canonical(b))
	}

	// Parts in euros merge, through their workbooks, into the whole.
	parts := split(b, 2)
	for i, p := range parts {
		if parts[i], err = ReadBatch(bytes.NewReader(writeBatchBytes(t, p)), "part.xlsx"); err != nil {
			t.Fatalf("ReadBatch(part %d): %v", i+1, err)
		}
	}
	merged, err := MergeBatches(parts, []string{"p1", "p2"})
	if err != nil {
		t.Fatalf("MergeBatches: %v", err)
	}
	want := *b
	want.Generated = b.Generated.Add(2 * time.Second)
	if !sameBatch(merged, &want) {
		t.Errorf("MergeBatches =\n%#v\nwant\n%#v", canonical(merged), canonical(&want))
	}

	// A part in pounds and a part in euros do not.
	for _, pound := range []string{"", "£"} {
		parts := split(b, 2)
		parts[0].CurrencySymbol = pound
		_, err := MergeBatches(parts, []string{"p1", "p2"})
		if want := `p2: amounts in "€", but p1 has "£"`; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("MergeBatches(£ part %q, € part) = %v; want an error containing %q", pound, err, want)
		}
	}
}

// TestBatchPoundsUnrecorded checks that "£", given or not, writes the same
// workbook, with no currency symbol on the About sheet.
func TestBatchPoundsUnrecorded(t *testing.T) {
	t.Parallel()
	b := testBatch()
	plain := batchSheets(t, writeBatchBytes(t, b))
	b.CurrencySymbol = "£"
	if pound := batchSheets(t, writeBatchBytes(t, b)); !reflect.DeepEqual(pound, plain) {
		t.Errorf("a batch with CurrencySymbol £ writes other cells than one without")
	}
	for _, r := range plain[batchAbout] {
		if len(r) > 0 && r[0] == batchAboutSymbol {
			t.Errorf("About records %q for a batch in pounds", r)
		}
	}
}

// TestBatchSeedMode is issue 22 item 7: the About sheet states the seed
// mode in force (it described row seeds with or without --row-seeds), and
// a part records it, so that merge can refuse mixed modes.
func TestBatchSeedMode(t *testing.T) {
	t.Parallel()
	for _, rowSeeds := range []bool{false, true} {
		b := testBatch()
		b.RowSeeds = rowSeeds
		var buf bytes.Buffer
		if err := WriteBatch(&buf, b); err != nil {
			t.Fatal(err)
		}
		got, err := ReadBatch(bytes.NewReader(buf.Bytes()), "results.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if got.RowSeeds != rowSeeds {
			t.Errorf("RowSeeds %v written, %v read back", rowSeeds, got.RowSeeds)
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(batchAbout)
		f.Close()
		about := map[string]string{}
		for _, r := range rows {
			if len(r) >= 2 {
				about[r[0]] = r[1]
			}
		}
		mode, says := "common", "uses the master seed"
		if rowSeeds {
			mode, says = "row seeds", "SHA-256(master seed"
		}
		if about["Seed mode"] != mode || !strings.Contains(about["Seeds"], says) || (!rowSeeds && strings.Contains(about["Seeds"], "SHA-256")) {
			t.Errorf("--row-seeds %v: About says seed mode %q, seeds %q; want %q and %q", rowSeeds, about["Seed mode"], about["Seeds"], mode, says)
		}
	}
}

// TestWriteBatchSameBytes: the same results write the same bytes
// (excelize's order of parts and of [Content_Types].xml's entries changed
// from run to run), so two runs of a shard give byte-identical parts.
func TestWriteBatchSameBytes(t *testing.T) {
	t.Parallel()
	first := writeBatchBytes(t, testBatch())
	for range 5 {
		if again := writeBatchBytes(t, testBatch()); !bytes.Equal(again, first) {
			t.Fatalf("WriteBatch wrote %d bytes, then %d different bytes, for the same results", len(first), len(again))
		}
	}
	if _, err := ReadBatch(bytes.NewReader(first), "part.xlsx"); err != nil {
		t.Errorf("the canonical workbook does not read back: %v", err)
	}
}
