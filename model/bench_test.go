package model

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// standardModel is the benchmark workload: 10 threats (a mix of rare,
// severe outages and frequent small losses, one overdispersed) and 5
// controls, each acting on several threats.
func standardModel() *Model {
	m := &Model{Scope: "standard", Orgs: 1, Daily: Fixed(51.5e3), Recovery: Fixed(1.18e6)}
	for i, t := range []Threat{
		{Rate: Estimate{0.005, 0.04}, Spread: Fixed(1), Duration: Estimate{4, 60}, KDaily: Estimate{5, 7.5}, KRecovery: Estimate{1, 15}, Fixed: Estimate{1e5, 3e6}},
		{Rate: Estimate{0.02, 0.1}, Spread: Estimate{0.15, 1}, Duration: Estimate{5, 90}, KDaily: Estimate{1.5, 6}, KRecovery: Estimate{0.3, 5}},
		{Rate: Estimate{0.005, 0.05}, Spread: Fixed(1), Duration: Estimate{1, 14}, KDaily: Estimate{0.7, 3}, KRecovery: Estimate{0.4, 3}},
		{Rate: Estimate{0.01, 0.05}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{3e5, 8e6}},
		{Rate: Estimate{1, 6}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{5e3, 2.5e5}},
		{Rate: Estimate{2, 8}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{1e3, 1e5}},
		{Rate: Estimate{0.1, 1}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{5e3, 1.5e5}},
		{Rate: Estimate{0.005, 0.03}, Spread: Estimate{0.2, 1}, Duration: Estimate{1, 21}},
		{Rate: Estimate{0.05, 0.3}, Spread: Estimate{0.05, 0.5}, Duration: Estimate{0.5, 5}, Dispersion: 1},
		{Rate: Estimate{0.2, 1.5}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{2e4, 6e5}},
	} {
		t.ID = fmt.Sprintf("T%d", i+1)
		m.Threats = append(m.Threats, t)
	}
	eff := func(t string, f, s, d Estimate) Effect {
		return Effect{Threat: t, Frequency: f, Spread: s, Duration: d}
	}
	none := Estimate{}
	m.Controls = []Control{
		{ID: "C1", Opex: Estimate{2e4, 1.5e5}, Effects: []Effect{eff("T5", Estimate{0.5, 0.9}, none, none), eff("T1", Estimate{0.15, 0.4}, none, none), eff("T2", Estimate{0.1, 0.3}, none, none)}},
		{ID: "C2", Opex: Estimate{1e5, 3.5e5}, Effects: []Effect{eff("T3", Estimate{0.7, 0.95}, none, none), eff("T1", Estimate{0.15, 0.35}, none, none), eff("T8", Estimate{0.1, 0.3}, none, none)}},
		{ID: "C3", Capex: Estimate{5e5, 2.5e6}, Opex: Estimate{1e4, 5e4}, Lifetime: 5, Effects: []Effect{eff("T1", none, Estimate{0.2, 0.5}, none), eff("T3", none, Estimate{0.4, 0.8}, none), eff("T8", Estimate{0.3, 0.7}, none, none)}},
		{ID: "C4", Opex: Estimate{5e4, 4e5}, Effects: []Effect{eff("T1", none, none, Estimate{0.3, 0.7}), eff("T2", none, none, Estimate{0.05, 0.2}), eff("T9", none, none, Estimate{0.2, 0.5})}},
		{ID: "C5", Opex: Estimate{2e4, 1.2e5}, Effects: []Effect{eff("T5", Estimate{0.2, 0.5}, none, none), eff("T6", Estimate{0.05, 0.2}, none, none), eff("T10", Estimate{0.1, 0.3}, none, none)}},
	}
	return m
}

// BenchmarkSimulate runs the standard workload, 1,000,000 simulated years
// as 200 draws × 5,000 years and as one draw of 1,000,000 years, for the
// baseline and each control alone, on 1 and 2 workers. Compare the worker
// counts with benchstat; BenchmarkReferenceLoop is the machine's own
// ceiling on parallel speed-up.
func BenchmarkSimulate(b *testing.B) {
	m := standardModel()
	ps := []Portfolio{{0}, {1}, {2}, {3}, {4}}
	for _, shape := range []struct{ draws, years int }{{200, 5000}, {1, 1_000_000}} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("draws=%d/workers=%d", shape.draws, w), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Simulate(context.Background(), m, ps, Config{Draws: shape.draws, Years: shape.years, Seed: 1, Workers: w}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(shape.draws*shape.years), "ns/year")
			})
		}
	}
}

// BenchmarkAnalyse adds appraisal and ranking (sorting each option's
// million losses for its percentiles) to the standard workload.
func BenchmarkAnalyse(b *testing.B) {
	m := standardModel()
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Analyse(context.Background(), m, Config{Draws: 200, Years: 5000, Seed: 1, Workers: w}, Appraisal{Horizon: 10, Discount: GreenBook()}, ByNPV); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReferenceLoop is a plain compute-bound loop split over 1 and 2
// goroutines: the speed-up this machine allows, to set beside
// BenchmarkSimulate's.
func BenchmarkReferenceLoop(b *testing.B) {
	const total = 50_000_000
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			for b.Loop() {
				var wg sync.WaitGroup
				out := make([]float64, w)
				for i := range w {
					wg.Add(1)
					go func() {
						defer wg.Done()
						x := 1.0
						for range total / w {
							x = x*1.0000001 + 1e-9
						}
						out[i] = x
					}()
				}
				wg.Wait()
				runtime.KeepAlive(out)
			}
		})
	}
}

// TestDrawAllocatesNothing checks that simulating a draw, whatever its
// number of years, allocates nothing: the hot loop is allocation-free.
func TestDrawAllocatesNothing(t *testing.T) {
	m := standardModel()
	m.Threats = append(m.Threats, Threat{ID: "many", Rate: Estimate{100, 300}, Spread: Fixed(0), Duration: Fixed(0), Fixed: Estimate{1e3, 1e5}, Dispersion: 0.3})
	m.Controls[0].Effects = append(m.Controls[0].Effects, Effect{Threat: "many", Frequency: Estimate{0.3, 0.6}})
	ps := []Portfolio{{}, {0}, {1}, {2}, {3}, {4}, {0, 1, 2, 3, 4}}
	cfg := Config{Draws: 3, Years: 2000, Seed: 1, Workers: 1}
	s, err := Simulate(context.Background(), m, ps[1:], cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorker(fit(m), s.Options, cfg)
	d := 0
	allocs := testing.AllocsPerRun(5, func() {
		w.draw(s, d%cfg.Draws)
		d++
	})
	if allocs != 0 {
		t.Errorf("worker.draw allocates %.1f times per draw; want 0", allocs)
	}
}
