package main

import (
	"fmt"
	"io"
	"math"

	"github.com/cybercba/cybercba/model"
)

// addHealth adds the health-economic views (cost-effectiveness plane,
// acceptability curves, ICER table, value of information by regression)
// to a social-view run, into job.health; a financial run has none.
func addHealth(j *job, an *model.Analysis, pa *model.PortfolioAnalysis) error {
	if j.appraisal.View != model.Social || an.Sim.Harm == nil || an.Sim.Draws < 2 {
		return nil // a single draw has no spread to draw planes or curves from
	}
	he, err := model.AnalyseHealthEconomics(an, pa)
	if err != nil {
		return fmt.Errorf("health-economic views: %w", err)
	}
	j.health = he
	return nil
}

// writeHealth writes the health-economic views in brief: the ICER table,
// the EVPI at the value per QALY, and the inputs most worth researching.
func writeHealth(w io.Writer, j *job) {
	he := j.health
	if he == nil {
		return
	}
	cur := j.cur
	fmt.Fprintf(w, "\nHealth economics (social view, %s prices): costs net of the money loss avoided, over %d years at the appraisal's rate (%.2f discounted years);\n",
		j.ds.PriceYear, he.Horizon, he.Annuity)
	fmt.Fprintf(w, "QALYs gained over the same years at the health rate (%.2f discounted years). ICERs in dampack's convention (D dominated, ED extendedly dominated):\n\n", he.HealthAnnuity)
	t := &table{right: map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true}}
	t.add("Option", "PV cost", "PV QALYs", "ΔCost", "ΔQALYs", "ICER", "Status")
	num := func(x model.Number, f func(float64) string) string {
		if v := float64(x); !math.IsNaN(v) && !math.IsInf(v, 0) {
			return f(v)
		}
		return "–"
	}
	qalys := func(x float64) string { return fmt.Sprintf("%.1f", x) }
	for _, r := range he.ICERs {
		t.add(clip(r.Name, 24), cur.money(r.Cost), qalys(r.Effect), num(r.IncCost, cur.money), num(r.IncEffect, qalys),
			num(r.ICER, func(x float64) string { return cur.money(x) + "/QALY" }), string(r.Status))
	}
	fmt.Fprint(w, t.String())
	fmt.Fprintf(w, "\nAt %s per QALY (Green Book, %s prices): EVPI %s over %d years (%s a year).",
		cur.money(he.ValuePerQALY), j.ds.PriceYear, cur.money(he.EVPI), he.Horizon, cur.money(he.EVPIPerYear))
	if len(he.Partial) > 0 {
		fmt.Fprint(w, " Most worth researching (EVPPI ± SE by regression):")
		for _, r := range he.Partial[:min(3, len(he.Partial))] {
			fmt.Fprintf(w, "\n  %s: %s ± %s", r.Name, cur.money(r.Value), cur.bare(r.SE))
		}
	}
	fmt.Fprintln(w)
}
