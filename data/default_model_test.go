package data_test

import (
	"context"
	"math"
	"testing"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// TestDefaultModelsMatchClosedForm simulates each scope of the embedded
// dataset, as loaded, and checks the baseline ALE and each control's ALE
// against the closed form (model.ClosedFormALE) within 3.5 standard errors: the
// dataset-to-model link, aggregated high-frequency threats included.
func TestDefaultModelsMatchClosedForm(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates both default scopes: skipped with -short")
	}
	t.Parallel()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := model.Calibrate(ds.Target(), 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ds.Scopes {
		sc := &ds.Scopes[i]
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			m := sc.Model(cal)
			var ps []model.Portfolio
			for c := range m.Controls {
				ps = append(ps, model.Portfolio{c})
			}
			s, err := model.Simulate(context.Background(), m, ps, model.Config{Draws: bySize(100, 300), Years: 500, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			for o, p := range s.Options {
				got := s.Summaries()[o]
				want := model.ClosedFormALE(m, p)
				if math.Abs(got.ALE-want) > 3.5*got.ALESE {
					t.Errorf("option %v: ALE %.5g ± %.3g; closed form %.5g", p, got.ALE, got.ALESE, want)
				}
			}
		})
	}
}
