package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports"
)

// bulkInputs writes an inputs workbook of the embedded dataset with n
// scenario rows: every fourth with a budget, the others with multipliers
// on rates, losses and costs, on the NHS England scope (12 controls).
func bulkInputs(tb testing.TB, n int) string {
	tb.Helper()
	return scenarioSheet(tb, n, func(i int) []any {
		row := []any{fmt.Sprintf("scenario %d", i+1), nil, nil, nil, nil, nil, nil, nil, 0.5 + float64(i%7)/6, 0.8 + float64(i%5)/10, 0.9 + float64(i%3)/10}
		if i%4 == 0 {
			row[2] = float64(10+i%40) * 1e6
		}
		return row
	})
}

// mixedInputs writes an inputs workbook of the embedded dataset with n
// scenario rows on the NHS England scope, in turn: a yearly budget (£5m to
// £44m), a multiplier on control costs (0.5 to 2.4), and a multiplier on
// threat rates (13 steps from 0.5 to 2), as a sheet of budget and cost
// scenarios with a sweep of threat levels would be.
func mixedInputs(tb testing.TB, n int) string {
	tb.Helper()
	return scenarioSheet(tb, n, func(i int) []any {
		row := []any{fmt.Sprintf("scenario %d", i+1), nil, nil, nil, nil, nil, nil, nil, nil, nil, nil}
		switch i % 3 {
		case 0:
			row[2] = float64(5+i%40) * 1e6
		case 1:
			row[10] = 0.5 + float64(i%20)/10
		case 2:
			row[8] = 0.5 + float64(i%13)/8
		}
		return row
	})
}

// scenarioSheet writes an inputs workbook of the embedded dataset whose
// Scenarios sheet holds the n rows row gives.
func scenarioSheet(tb testing.TB, n int, row func(i int) []any) string {
	tb.Helper()
	ds, err := data.Default()
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := data.WriteTemplate(&buf, ds, "", data.DefaultSettings()); err != nil {
		tb.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := data.ClearScenarios(f); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		r := row(i)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Scenarios", cell, &r); err != nil {
			tb.Fatal(err)
		}
	}
	path := filepath.Join(tb.TempDir(), "bulk.xlsx")
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestWriteMixedSheet writes the 1,000-row mixed sheet (see mixedInputs)
// to the file CYBERCBA_MIXED_SHEET names, for the bulk benchmark in
// .bench/bulk; it skips when that is unset.
func TestWriteMixedSheet(t *testing.T) {
	out := os.Getenv("CYBERCBA_MIXED_SHEET")
	if out == "" {
		t.Skip("CYBERCBA_MIXED_SHEET is not set: nothing to write")
	}
	b, err := os.ReadFile(mixedInputs(t, 1000))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// peakHeap runs fn and returns the peak of the live heap objects while it
// ran, sampled every millisecond, in bytes.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	read := func() {
		metrics.Read(sample)
		peak = max(peak, sample[0].Value.Uint64())
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				read()
			}
		}
	})
	fn()
	close(stop)
	wg.Wait() // the sampler is done: read peak and sample alone
	read()
	return peak
}

// batchOnce runs a batch of the workbook at path and writes its results.
func batchOnce(tb testing.TB, path string, draws, years, workers int) *reports.Batch {
	o := batchOptions{Input: path, Workers: workers, Quiet: true, Draws: draws, Years: years, set: map[string]bool{"draws": true, "years": true}}
	b, _, err := runBatch(context.Background(), o, 0, 0, "", io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	if err := reports.WriteBatch(io.Discard, b); err != nil {
		tb.Fatal(err)
	}
	return b
}

// BenchmarkBatch runs bulk runs of 100 and 1,000 scenarios, each of 20
// draws × 1,000 years (20,000 simulated years), on 2 workers, reporting
// the peak live heap. The peak should not grow with the rows beyond the
// Summary's (a few hundred bytes a row):
//
//	go test -run '^$' -bench Batch -benchtime 1x -cpu 2 ./cmd/cybercba
func BenchmarkBatch(b *testing.B) {
	for _, rows := range []int{100, 1000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			path := bulkInputs(b, rows)
			b.ReportAllocs()
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakHeap(func() {
					bt := batchOnce(b, path, 20, 1000, 2)
					if len(bt.Rows) != rows {
						b.Fatalf("%d rows ran; want %d (%v)", len(bt.Rows), rows, bt.Errors)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}

// TestBatchMemory checks that a bulk run's memory grows with its rows by
// their summaries alone (the rows, and the Summary sheet's XML while it is
// written, some tens of kB a row in all), not by each row's simulation,
// which would add about 170 kB a row at 8 draws × 200 years and 2 MB at
// 20 × 1,000.
func TestBatchMemory(t *testing.T) {
	skipUnlessLong(t, "runs 440 scenarios to measure the heap")
	if os.Getenv("CYBERCBA_SKIP_MEMORY") != "" {
		t.Skip("CYBERCBA_SKIP_MEMORY is set")
	}
	few, many := bulkInputs(t, 40), bulkInputs(t, 400)
	pFew := peakHeap(func() { batchOnce(t, few, 8, 200, 2) })
	pMany := peakHeap(func() { batchOnce(t, many, 8, 200, 2) })
	t.Logf("peak heap: 40 rows %.1f MiB, 400 rows %.1f MiB", float64(pFew)/(1<<20), float64(pMany)/(1<<20))
	if limit := 2*pFew + 8<<20; pMany > limit {
		t.Errorf("peak heap with 400 rows %.1f MiB > 2 × %.1f MiB (40 rows) + 8 MiB: memory grows with the rows", float64(pMany)/(1<<20), float64(pFew)/(1<<20))
	}
}

// TestBatchThousandRows runs issue 16's bulk sheet: 1,000 rows of
// budgets, control costs and threat rates (see mixedInputs) at the
// default precision, 200 draws × 5,000 years a row, on 2 workers. Every
// row must run, with the live heap under 1 GiB; .bench/bulk times it.
func TestBatchThousandRows(t *testing.T) {
	skipUnlessLong(t, "runs 1,000 scenarios at the default precision")
	path := mixedInputs(t, 1000)
	var b *reports.Batch
	peak := peakHeap(func() { b = batchOnce(t, path, 200, 5000, 2) })
	t.Logf("1,000 rows: peak live heap %.0f MiB", float64(peak)/(1<<20))
	if len(b.Rows) != 1000 || len(b.Errors) != 0 {
		t.Fatalf("%d rows ran and %d failed; want 1,000 and none: %v", len(b.Rows), len(b.Errors), b.Errors)
	}
	if peak > 1<<30 {
		t.Errorf("peak live heap %.0f MiB; want under 1 GiB", float64(peak)/(1<<20))
	}
	// Rows 1 and 2 (a budget, and a multiplier on costs) share the default's
	// simulation: their baselines are the same, bit for bit.
	if b.Rows[0].ALE != b.Rows[1].ALE || b.Rows[0].P95 != b.Rows[1].P95 {
		t.Errorf("a budget row and a cost row have different baselines: %v and %v", b.Rows[0].ALE, b.Rows[1].ALE)
	}
}
