package model

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
)

// TestChunksBitIdenticalAcrossWorkers checks that draws cut into several
// chunks give bit-identical losses, harm, per-draw statistics and costs for
// 1, 2, 3 and 7 workers, with one draw and with several.
func TestChunksBitIdenticalAcrossWorkers(t *testing.T) {
	t.Parallel()
	m := testModel()
	m.Harm = &Harm{DeathsPerDay: Estimate{0.2, 2}, QALYsPerDeath: Estimate{3, 8}, ValuePerQALY: 70000, FullIntensity: Estimate{5, 7.5}}
	ps := append(allSingles(m), Portfolio{0, 1, 2, 3})
	for _, shape := range []struct{ draws, years int }{{1, 3*chunkYears + 17}, {3, 2*chunkYears + 5}} {
		var ref *Sim
		for _, w := range []int{1, 2, 3, 7} {
			s := mustSimulate(t, m, ps, Config{Draws: shape.draws, Years: shape.years, Seed: 5, Workers: w})
			if s.chunks < 2 {
				t.Fatalf("%d years make %d chunks; want several", shape.years, s.chunks)
			}
			if ref == nil {
				ref = s
				continue
			}
			for o := range s.Loss {
				if !slices.Equal(s.Loss[o], ref.Loss[o]) || !slices.Equal(s.Harm[o], ref.Harm[o]) {
					t.Fatalf("%d×%d, %d workers: option %d's losses or harm differ from 1 worker's", shape.draws, shape.years, w, o)
				}
				if !slices.Equal(s.DrawMean[o], ref.DrawMean[o]) || !slices.Equal(s.DrawP95[o], ref.DrawP95[o]) || !slices.Equal(s.HarmDrawMean[o], ref.HarmDrawMean[o]) {
					t.Fatalf("%d×%d, %d workers: option %d's per-draw statistics differ from 1 worker's", shape.draws, shape.years, w, o)
				}
			}
			for d := range s.Capex {
				if !slices.Equal(s.Capex[d], ref.Capex[d]) || !slices.Equal(s.Opex[d], ref.Opex[d]) {
					t.Fatalf("%d×%d, %d workers: draw %d's costs differ", shape.draws, shape.years, w, d)
				}
			}
			if a, b := s.Summaries(), ref.Summaries(); !equalSummaries(a, b) {
				t.Fatalf("%d×%d, %d workers: summaries differ from 1 worker's", shape.draws, shape.years, w)
			}
		}
	}
}

func equalSummaries(a, b []Summary) bool {
	for i := range a {
		x, y := a[i], b[i]
		if x.ALE != y.ALE || x.ALESE != y.ALESE || x.P50 != y.P50 || x.P95 != y.P95 || x.P99 != y.P99 || x.TVaR95 != y.TVaR95 || x.Max != y.Max || len(x.LEC) != len(y.LEC) {
			return false
		}
		for j := range x.LEC {
			if x.LEC[j].Loss != y.LEC[j].Loss {
				return false
			}
		}
	}
	return true
}

// TestChunkedDrawStatistics checks each draw's mean and 95th percentile,
// reduced over its chunks, against a direct computation on its years.
func TestChunkedDrawStatistics(t *testing.T) {
	t.Parallel()
	m := testModel()
	for _, draws := range []int{2, 1} { // one draw takes its P95 from the summaries
		checkDrawStatistics(t, mustSimulate(t, m, allSingles(m), Config{Draws: draws, Years: 2*chunkYears + 100, Seed: 6, Workers: 2}))
	}
}

func checkDrawStatistics(t *testing.T, s *Sim) {
	t.Helper()
	for o := range s.Loss {
		for d := range s.Draws {
			row := slices.Clone(s.Loss[o][d*s.Years : (d+1)*s.Years])
			mean := sumOf(row) / float64(len(row))
			if got := s.DrawMean[o][d]; !close(got, mean, 1e-12) {
				t.Errorf("option %d draw %d: DrawMean = %g; want %g", o, d, got, mean)
			}
			slices.Sort(row)
			if got, want := s.DrawP95[o][d], row[quantileIndex(0.95, len(row))]; got != want {
				t.Errorf("option %d draw %d: DrawP95 = %g; want %g", o, d, got, want)
			}
		}
	}
}

func close(a, b, rel float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	m := max(a, b, -a, -b)
	return d <= rel*m
}

// TestSimulateStopsOnCancel checks that cancelling the context during a
// one-draw run stops it within a few chunks, not at the end of the draw,
// and that the cancellation is reported.
func TestSimulateStopsOnCancel(t *testing.T) {
	t.Parallel()
	m := testModel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const units = 50
	var calls atomic.Int64
	cfg := Config{Draws: 1, Years: units * chunkYears, Seed: 1, Workers: 2, Progress: func(done, total int) {
		calls.Add(1)
		cancel()
	}}
	_, err := Simulate(ctx, m, allSingles(m), cfg)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Simulate cancelled mid-run: err = %v; want context.Canceled", err)
	}
	// Each worker finishes the chunk it is on: at most one more per worker.
	if n := calls.Load(); n > 3 {
		t.Errorf("%d of %d chunks ran after cancelling; want at most 3", n, units)
	}
}
