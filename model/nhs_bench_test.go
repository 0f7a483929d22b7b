package model_test

import (
	"context"
	"testing"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// BenchmarkSimulateNHS simulates the default run's options on the
// embedded NHS England scope (the baseline, each of 12 controls alone and
// one pair, 200 draws × 5,000 years, with harm) on one worker: the
// engine's share of `cybercba run`.
//
//	go test -run '^$' -bench SimulateNHS -count 6 ./model | benchstat -
func BenchmarkSimulateNHS(b *testing.B) {
	ds, err := data.Default()
	if err != nil {
		b.Fatal(err)
	}
	cal, err := model.Calibrate(ds.Target(), 2017)
	if err != nil {
		b.Fatal(err)
	}
	sc := &ds.Scopes[0]
	m := sc.Model(cal)
	m.Harm = sc.HarmModel()
	var ps []model.Portfolio
	for c := range m.Controls {
		ps = append(ps, model.Portfolio{c})
	}
	ps = append(ps, model.Portfolio{3, 4})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.Simulate(context.Background(), m, ps, model.Config{Draws: 200, Years: 5000, Seed: 2017, Workers: 1, MemoryBudget: -1}); err != nil {
			b.Fatal(err)
		}
	}
}
