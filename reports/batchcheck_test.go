package reports

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// editBatch opens a written workbook, lets fn change it as a person would
// in a spreadsheet program, and returns the saved bytes.
func editBatch(t *testing.T, data []byte, fn func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
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

// aboutRowOf returns the About row of a label in a written workbook.
func aboutRowOf(t *testing.T, data []byte, label string) string {
	t.Helper()
	for k, r := range batchSheets(t, data)[batchAbout] {
		if len(r) > 0 && r[0] == label {
			return fmt.Sprintf("B%d", k+1)
		}
	}
	t.Fatalf("no About line %q", label)
	return ""
}

// TestBatchVouches checks that a part names the cell edited after it was
// written, whatever the sheet, and that a workbook saved again unchanged
// still reads.
func TestBatchVouches(t *testing.T) {
	t.Parallel()
	b := testBatch()
	b.Shard, b.Shards, b.Host = 2, 3, "node-7"
	good := writeBatchBytes(t, b)
	got, err := ReadBatch(bytes.NewReader(good), "part.xlsx")
	if err != nil {
		t.Fatalf("ReadBatch: %v", err)
	}
	if got.Host != "node-7" || got.Shard != 2 || got.Shards != 3 {
		t.Errorf("read back host %q, shard %d of %d; want node-7, 2 of 3", got.Host, got.Shard, got.Shards)
	}
	about := map[string]string{}
	for _, r := range batchSheets(t, good)[batchAbout] {
		if len(r) > 1 {
			about[r[0]] = r[1]
		}
	}
	if want := ResultsDigest(b); about[batchAboutResults] != want || len(want) != 64 {
		t.Errorf("About: %s = %q; want %q", batchAboutResults, about[batchAboutResults], want)
	}
	seed := aboutRowOf(t, good, batchAboutSeed)
	host := aboutRowOf(t, good, batchAboutHost)
	tests := []struct {
		name string
		fn   func(f *excelize.File)
		want string // "" for no error
	}{
		{"saved again", func(f *excelize.File) {}, ""},
		{"same value rewritten", func(f *excelize.File) { f.SetCellValue(batchSummary, "O2", 1234567.891) }, ""},
		{"a result", func(f *excelize.File) { f.SetCellValue(batchSummary, "O3", 123) },
			"part.xlsx: Summary!O3 (ALE (£/yr)) was changed after cybercba wrote it"},
		{"a name", func(f *excelize.File) { f.SetCellValue(batchSummary, "B4", "renamed") },
			"part.xlsx: Summary!B4 (Scenario) was changed"},
		{"a problem", func(f *excelize.File) { f.SetCellValue(batchErrors, "E3", "fine") },
			"part.xlsx: Errors!E3 (Problem) was changed"},
		// Issue 27, case 9: an edit below or beside the Errors table is
		// named at its own cell (merge named Errors!A2 for one at A5).
		{"below the errors", func(f *excelize.File) { f.SetCellValue(batchErrors, "A5", 7) },
			"part.xlsx: Errors!A5: a cell outside the table of errors"},
		{"far below the errors", func(f *excelize.File) { f.SetCellValue(batchErrors, "E9", "x") },
			"part.xlsx: Errors!E9: a cell outside the table of errors"},
		{"beside the errors", func(f *excelize.File) { f.SetCellValue(batchErrors, "F2", "x") },
			"part.xlsx: Errors!F2: a cell outside the table of errors"},
		{"an input row", func(f *excelize.File) { f.SetCellValue(batchErrors, "B3", "four") },
			`part.xlsx: Errors!B3: want the scenario's input row, got "four"`},
		{"a row removed", func(f *excelize.File) { f.RemoveRow(batchSummary, 3) },
			"part.xlsx: Summary (3 rows, but it was written with 4) was changed"},
		{"the seed", func(f *excelize.File) { f.SetCellValue(batchAbout, seed, 1) },
			"part.xlsx: About!" + seed + " (Master seed) was changed"},
		{"the host", func(f *excelize.File) { f.SetCellValue(batchAbout, host, "elsewhere") },
			"part.xlsx: About!" + host + " (Host) was changed"},
		{"the digests", func(f *excelize.File) { f.SetCellValue(batchCheck, "C2", "0000000000000000") },
			"Results SHA-256) or the hidden Check sheet was changed"},
		{"no digests", func(f *excelize.File) { f.DeleteSheet(batchCheck) }, "part.xlsx: no Check sheet of digests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadBatch(bytes.NewReader(editBatch(t, good, tt.fn)), "part.xlsx")
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("ReadBatch: %v; want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("ReadBatch: %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestResultsDigestCoversEveryCell changes each Summary column and Errors
// field and each About line read back in turn, and checks that the digest
// changes every time.
func TestResultsDigestCoversEveryCell(t *testing.T) {
	t.Parallel()
	base := ResultsDigest(testBatch())
	for i := range batchColumns {
		b := testBatch()
		r := &b.Rows[1] // has a best control and a portfolio
		c := &batchColumns[i]
		switch {
		case c.seed:
			r.Seed++
		case c.i != nil:
			*c.i(r)++
		case c.s != nil:
			*c.s(r, true) += "x"
		default:
			if p := c.f(r, true); math.IsNaN(*p) || math.IsInf(*p, 0) {
				*p = 7
			} else {
				*p++
			}
		}
		if ResultsDigest(b) == base {
			t.Errorf("changing Summary column %q leaves the digest as it was", c.head)
		}
	}
	for i := range batchErrorsHead {
		b := testBatch()
		e := &b.Errors[0]
		switch i {
		case 0:
			e.Index++
		case 1:
			e.Row++
		case 2:
			e.Name += "x"
		case 3:
			e.Cell += "x"
		case 4:
			e.Msg += "x"
		}
		if ResultsDigest(b) == base {
			t.Errorf("changing Errors column %q leaves the digest as it was", batchErrorsHead[i])
		}
	}
	for _, ed := range []struct {
		label string
		fn    func(b *Batch)
	}{
		{batchAboutTool, func(b *Batch) { b.Tool += "x" }},
		{batchAboutVersion, func(b *Batch) { b.Version += "x" }},
		{batchAboutInput, func(b *Batch) { b.Input += "x" }},
		{batchAboutDigest, func(b *Batch) { b.Digest += "x" }},
		{batchAboutCurrency, func(b *Batch) { b.Currency += "x" }},
		{batchAboutSymbol, func(b *Batch) { b.CurrencySymbol = "€" }},
		{batchAboutPriceYear, func(b *Batch) { b.PriceYear += "x" }},
		{batchAboutSeed, func(b *Batch) { b.Seed++ }},
		{batchAboutDraws, func(b *Batch) { b.Draws++ }},
		{batchAboutYears, func(b *Batch) { b.Years++ }},
		{batchAboutScope, func(b *Batch) { b.Scope += "x" }},
		{batchAboutObjective, func(b *Batch) { b.Objective += "x" }},
		{batchAboutMetric, func(b *Batch) { b.Metric += "x" }},
		{batchAboutTotal, func(b *Batch) { b.Total++ }},
		{batchAboutPart, func(b *Batch) { b.Shard, b.Shards = 1, 2 }},
		{batchAboutHost, func(b *Batch) { b.Host = "h" }},
	} {
		b := testBatch()
		ed.fn(b)
		if ResultsDigest(b) == base {
			t.Errorf("changing About %q leaves the digest as it was", ed.label)
		}
	}
	// Moving a value between two cells changes it too.
	b := testBatch()
	b.Rows[0].ALE, b.Rows[0].P95 = b.Rows[0].P95, b.Rows[0].ALE
	if ResultsDigest(b) == base {
		t.Errorf("swapping two cells leaves the digest as it was")
	}
}

// TestBatchVouchesInEuros names the edited cell with its heading in the
// part's currency.
func TestBatchVouchesInEuros(t *testing.T) {
	t.Parallel()
	b := testBatch()
	b.CurrencySymbol = "€"
	data := editBatch(t, writeBatchBytes(t, b), func(f *excelize.File) { f.SetCellValue(batchSummary, "O2", 5) })
	_, err := ReadBatch(bytes.NewReader(data), "part.xlsx")
	if want := "Summary!O2 (ALE (€/yr))"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("ReadBatch: %v; want an error containing %q", err, want)
	}
}

// TestMergeSaysWhichShard checks that merge names a missing shard with its
// scheduler index, and a repeated one with the hosts and times both copies
// ran at.
func TestMergeSaysWhichShard(t *testing.T) {
	t.Parallel()
	whole := testBatch()
	names := []string{"p1", "p2", "p3", "p4"}
	parts := split(whole, 4)
	for i, p := range parts {
		p.Host = fmt.Sprintf("node-%d", i+1)
	}
	_, err := MergeBatches([]*Batch{parts[0], parts[1], parts[3]}, names)
	if want := "shard 3 of 4 is missing: no part holds it (it is Slurm array task 2, or Kubernetes completion index 2"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("MergeBatches without shard 3: %v; want %q", err, want)
	}
	again := *parts[2]
	again.Host = "node-9"
	_, err = MergeBatches([]*Batch{parts[0], parts[1], parts[2], &again, parts[3]}, []string{"p1", "p2", "p3", "p3-again", "p4"})
	if want := "p3-again: shard 3 of 4 again (also p3): this copy ran on node-9 at 2026-05-01T09:30:03Z, the one in p3 on node-3 at 2026-05-01T09:30:03Z; keep one"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("MergeBatches with shard 3 twice: %v; want %q", err, want)
	}
	// A part whose cells were edited is refused by ReadBatch, naming the
	// part: merge reads every part through it.
	data := editBatch(t, writeBatchBytes(t, parts[1]), func(f *excelize.File) { f.SetCellValue(batchSummary, "W2", 123) })
	if _, err := ReadBatch(bytes.NewReader(data), "results.part-2-of-4.xlsx"); err == nil ||
		!strings.Contains(err.Error(), "results.part-2-of-4.xlsx: Summary!W2 (Best NPV (£, row's view)) was changed after cybercba wrote it") {
		t.Errorf("ReadBatch of an edited part: %v", err)
	}
}

// BenchmarkBatchCheck measures what vouching costs: the digests of a
// 10,000-row batch, and the whole workbook written, for comparison.
func BenchmarkBatchCheck(b *testing.B) {
	big := testBatch()
	rows := big.Rows
	big.Rows = nil
	for k := range 10_000 {
		r := rows[k%len(rows)]
		r.Index = k + 1
		big.Rows = append(big.Rows, r)
	}
	big.Total = len(big.Rows) + 1
	b.Run("digest", func(b *testing.B) {
		for b.Loop() {
			ResultsDigest(big)
		}
	})
	b.Run("workbook", func(b *testing.B) {
		for b.Loop() {
			if err := WriteBatch(io.Discard, big); err != nil {
				b.Fatal(err)
			}
		}
	})
}
