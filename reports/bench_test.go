package reports

import (
	"io"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/cybercba/cybercba/model"
)

// bigRun is the benchmarks' simulation: 200 draws × 5,000 years, a million
// simulated years per option.
var bigRun = model.Config{Draws: 200, Years: 5000, Seed: 1}

// bigReport is built once: simulating a million years of five options
// takes longer than writing them.
var bigReport = sync.OnceValues(func() (*Report, error) { return buildReport(testModel(), bigRun) })

// BenchmarkWriteWorkbook writes the workbook of a run with 1,000,000
// simulated years (the baseline, three controls alone and the recommended
// portfolio) and a 1,000-row LEC table. Besides time and allocations it
// reports peak-MB, the most the live heap grew above its level before the
// loop, sampled every millisecond.
func BenchmarkWriteWorkbook(b *testing.B) {
	r := report(b, bigReport)
	b.ReportAllocs()
	peak := heapPeak(func() {
		for b.Loop() {
			if err := WriteWorkbook(io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(peak/(1<<20), "peak-MB")
}

// BenchmarkFigures builds and writes every figure of the same run as PNG.
func BenchmarkFigures(b *testing.B) {
	r := report(b, bigReport)
	b.ReportAllocs()
	for b.Loop() {
		figs, err := Figures(r)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range figs {
			if err := f.Write(io.Discard, "png"); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// heapPeak runs f and returns the largest growth of the live heap
// (runtime/metrics' heap objects, which reading does not stop the world)
// above its level when f started, in bytes.
func heapPeak(f func()) float64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() float64 {
		metrics.Read(sample)
		return float64(sample[0].Value.Uint64())
	}
	base := read()
	done := make(chan struct{})
	result := make(chan float64)
	go func() {
		var peak float64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, read()-base)
			select {
			case <-done:
				result <- max(peak, read()-base)
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	return <-result
}
