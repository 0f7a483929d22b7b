package model_test

import (
	"context"
	"fmt"
	"math"

	"github.com/cybercba/cybercba/model"
)

// A trust of one organisation, one threat and one control that halves its
// frequency.
func exampleModel() *model.Model {
	return &model.Model{
		Scope: "example trust", Orgs: 1,
		Daily: model.Fixed(50e3), Recovery: model.Fixed(1e6),
		Threats: []model.Threat{{
			ID: "ransomware", Rate: model.Estimate{Lo: 0.05, Hi: 0.2},
			Spread: model.Fixed(1), Duration: model.Estimate{Lo: 3, Hi: 20},
		}},
		Controls: []model.Control{{
			ID: "backups", Opex: model.Fixed(20e3),
			Effects: []model.Effect{{Threat: "ransomware", Frequency: model.Fixed(0.5)}},
		}},
	}
}

// Simulate draws the uncertain inputs and simulates years of events for
// doing nothing (the first option) and each portfolio given, on common
// random numbers. The expected annual loss agrees with the closed form
// within its standard error.
func ExampleSimulate() {
	m := exampleModel()
	s, err := model.Simulate(context.Background(), m, []model.Portfolio{{0}}, model.Config{Draws: 200, Years: 500, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for o, sum := range s.Summaries() {
		want := model.ClosedFormALE(m, s.Options[o])
		fmt.Printf("portfolio %v: ALE within 3 SE of the closed form: %v\n", s.Options[o], math.Abs(sum.ALE-want) < 3*sum.ALESE)
	}
	// Output:
	// portfolio []: ALE within 3 SE of the closed form: true
	// portfolio [0]: ALE within 3 SE of the closed form: true
}

// ClosedFormALE is the exact expected annual loss: E[rate] × E[cost of an
// event]. Here the rate's lognormal has median 0.1 and σ = ln 4/3.29, so
// mean 0.1·e^(σ²/2) = 0.1093 a year; the duration's mean is 9.147 days;
// 0.1093 × (£50k × 9.147 + £1m) = £159k.
func ExampleClosedFormALE() {
	m := exampleModel()
	fmt.Printf("doing nothing: £%.0f a year\n", model.ClosedFormALE(m, model.Portfolio{}))
	fmt.Printf("with backups:  £%.0f a year\n", model.ClosedFormALE(m, model.Portfolio{0}))
	// Output:
	// doing nothing: £159268 a year
	// with backups:  £79634 a year
}

// Calibrate fits the outage cost rates to an incident's reported cost:
// WannaCry's £19m of lost output and £73m of IT costs, over 80 to 81
// organisations for 5 to 7 days, restated with a GDP deflator.
func ExampleCalibrate() {
	c, err := model.Calibrate(model.Target{
		Spread: model.Estimate{Lo: 80, Hi: 81}, Duration: model.Estimate{Lo: 5, Hi: 7},
		LostOutput: 19e6, IT: 73e6, Deflator: 1.2981,
	}, 2017)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("c_d £%.3gk per organisation-day, c_r £%.3gm per organisation (restated)\n", c.DailyNow/1e3, c.RecoveryNow/1e6)
	fmt.Printf("replay: expected cost £%.3gm\n", c.Replay.Mean/1e6)
	// Output:
	// c_d £51.5k per organisation-day, c_r £1.18m per organisation (restated)
	// replay: expected cost £92m
}

// An Estimate is a 90% interval; as a positive quantity it is the
// lognormal with those bounds as its 5th and 95th percentiles, as a
// fraction the beta.
func ExampleEstimate_Dist() {
	d := model.Estimate{Lo: 2, Hi: 8}.Dist(model.Positive)
	fmt.Printf("P5 %.3g, median %.3g, P95 %.3g, mean %.3g\n", d.Quantile(0.05), d.Quantile(0.5), d.Quantile(0.95), d.Mean())
	f := model.Estimate{Lo: 0.2, Hi: 0.6}.Dist(model.Fraction)
	fmt.Printf("P5 %.3g, P95 %.3g\n", f.Quantile(0.05), f.Quantile(0.95))
	// Output:
	// P5 2, median 4, P95 8, mean 4.37
	// P5 0.2, P95 0.6
}

// A run's size is checked before it starts: each limit it breaks is named.
func ExampleCheckSize() {
	fmt.Println(model.CheckSize(200, 5000, "--draws", "--years"))
	fmt.Println(model.CheckSize(100_000, 1000, "draws", "years"))
	// Output:
	// <nil>
	// draws × years: at most 50,000,000 simulated years, got 100000000
}
