package data

import (
	"fmt"
	"slices"
	"strings"
)

// This file holds the checks of a run option that depend on the dataset
// and its scope, made where the option was written: a flag (RunSpec), a
// Settings cell or a Scenarios cell, so that a workbook's problem names
// its cell rather than the flag the cell stands for.

// scopeOptionProblems returns the problems of a view, correlations, risk
// tolerance and budgets written for scope sc of dataset ds, by the option
// (view, correlations, risk_tolerance, budget, capex_budget) they are in:
// the social view needs the scope's harm inputs, correlations two
// different threats of the scope and a rank in (−1, 1), amounts the
// dataset's currency.
func scopeOptionProblems(ds *Dataset, sc *Scope, view, corr, tolerance string, budgets map[string]string) map[string]string {
	out := map[string]string{}
	if sc != nil && strings.EqualFold(strings.TrimSpace(view), "social") && sc.HarmModel() == nil {
		out["view"] = fmt.Sprintf("scope %s has no harm inputs (harm: deaths_per_day, qalys_per_death, value_per_qaly) for the social view", sc.ID)
	}
	if cs, err := ParseCorrelations(corr); err == nil && sc != nil {
		var ids []string
		for _, t := range sc.Threats {
			ids = append(ids, t.ID)
		}
		var msgs []string
		for _, c := range cs {
			for _, id := range []string{c.A, c.B} {
				if !slices.Contains(ids, id) {
					m := fmt.Sprintf("unknown threat %q in scope %s (it has %s)", id, sc.ID, strings.Join(ids, ", "))
					if near := Nearest(id, ids); near != "" {
						m += fmt.Sprintf(": did you mean %q?", near)
					}
					msgs = append(msgs, m)
				}
			}
			switch {
			case c.A == c.B:
				msgs = append(msgs, fmt.Sprintf("%s:%s: want two different threats", c.A, c.B))
			case !(c.Rank > -1 && c.Rank < 1):
				msgs = append(msgs, fmt.Sprintf("%s:%s: want a rank correlation in (−1, 1), got %g", c.A, c.B, c.Rank))
			}
		}
		if len(msgs) > 0 {
			out["correlations"] = strings.Join(msgs, "; ")
		}
	}
	if strings.TrimSpace(tolerance) != "" {
		for _, part := range strings.Split(tolerance, ",") {
			loss, _, _ := strings.Cut(part, ":")
			if err := CheckCurrency(strings.TrimSpace(loss), ds.Currency); err != nil {
				out["risk_tolerance"] = err.Error()
				break
			}
		}
	}
	for k, v := range budgets {
		if err := CheckCurrency(v, ds.Currency); err != nil {
			out[k] = err.Error()
		}
	}
	return out
}
