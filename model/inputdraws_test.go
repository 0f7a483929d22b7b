package model

import (
	"context"
	"math"
	"testing"
)

// TestTabulateMeanIsClosedForm checks that the mean over draws of each
// option's expected NPV given the draw converges to the closed form's
// expected NPV (money only and with harm): an independent route to the
// same expectation, within 4 standard errors of the mean over draws.
func TestTabulateMeanIsClosedForm(t *testing.T) {
	t.Parallel()
	m := harmModel()
	for _, a := range []Appraisal{
		{Horizon: 10, Discount: GreenBook(), OptimismBias: 0.2},
		{Horizon: 30, Discount: GreenBook(), BiasByProject: map[string]BiasRange{ProjectEquipment: {0.1, 2}, ProjectOutsourcing: {0, 0.41}}, View: Social},
	} {
		options := []Portfolio{{0}, {1}, {0, 1}, {0, 1, 2}}
		n := bySize(4000, 40000)
		tb, err := Tabulate(m, a, 11, n, options)
		if err != nil {
			t.Fatal(err)
		}
		for o, p := range options {
			want := ClosedFormAppraisal(m, a, p)
			for _, c := range []struct {
				name string
				x    []float64
				want float64
			}{{"money", tb.MoneyNPV[o], want.MoneyNPV}, {"social", tb.SocialNPV[o], want.SocialNPV}, {"view", tb.DecisionNPV[o], want.DecisionNPV}} {
				mean, v := meanVar(c.x)
				se := math.Sqrt(v / float64(n))
				if math.Abs(mean-c.want) > 4*se {
					t.Errorf("view %v, portfolio %v, %s: mean over %d draws %g; closed form %g (4 SE = %g)", a.View, p, c.name, n, mean, c.want, 4*se)
				}
			}
		}
	}
}

// TestTabulateIsTheSimulationsDraws checks that the table's draws are
// the simulation's own on the same seed: the same control costs, and
// each draw's simulated mean loss near its conditional expectation.
func TestTabulateIsTheSimulationsDraws(t *testing.T) {
	t.Parallel()
	m := testModel()
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	s, err := Simulate(context.Background(), m, []Portfolio{{}, {0}}, Config{Draws: 6, Years: 200, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Tabulate(m, a, 5, 10, []Portfolio{{0}})
	if err != nil {
		t.Fatal(err)
	}
	for d := range s.Draws {
		for c := range m.Controls {
			if tb.Capex[d][c] != s.Capex[d][c] || tb.Opex[d][c] != s.Opex[d][c] {
				t.Errorf("draw %d control %d: table costs %g, %g; simulation %g, %g", d, c, tb.Capex[d][c], tb.Opex[d][c], s.Capex[d][c], s.Opex[d][c])
			}
		}
	}
	if tb.SocialNPV != nil {
		t.Errorf("SocialNPV without harm = %v; want nil", tb.SocialNPV)
	}
}
