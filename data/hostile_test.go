package data_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// The hostile-input suite (issue 13): datasets generated from minimalDoc by
// small edits, each of which once crashed, hung or fooled the tool. Every
// case must be refused with an error naming the file, line and field, or,
// where it is valid, be computed to finite figures.

// TestHostileRefused covers issue 13's cases 7 (a beta no fit can hold), 11
// (magnitudes that overflow) and 16 (fractional source year).
func TestHostileRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edits []edit
		want  string // in the error, after "min.yaml:<line>: "
	}{
		{"7: beta too narrow", []edit{{"frequency: {lo: 0.2, hi: 0.5,", "frequency: {lo: 0.5, hi: 0.500000001,"}},
			"scopes[s].controls[c].effects[0].frequency: no beta distribution"},
		{"11: fixed cost 1e200", []edit{{"        duration: {lo: 2, hi: 10, tag: J, note: guess}\n", "        duration: {lo: 2, hi: 10, tag: J, note: guess}\n        fixed: {value: 1e200, tag: J, note: x}\n"}},
			"scopes[s].threats[t].fixed: 1e+200 is beyond the largest"},
		{"11: duration 1e308", []edit{{"duration: {lo: 2, hi: 10,", "duration: {lo: 2, hi: 1e308,"}},
			"scopes[s].threats[t].duration:"},
		{"11: rate 1e20", []edit{{"rate:     {lo: 0.1, hi: 1,", "rate:     {value: 1e20,"}},
			"scopes[s].threats[t].rate: 1e+20 is beyond the largest"},
		{"11: rate 1e7", []edit{{"rate:     {lo: 0.1, hi: 1,", "rate:     {lo: 1e6, hi: 1e7,"}},
			"scopes[s].threats[t].rate: 1e+07 is beyond the largest the model takes, 1e+06 events a year"},
		{"11: rate 1e30", []edit{{"rate:     {lo: 0.1, hi: 1,", "rate:     {lo: 1e29, hi: 1e30,"}},
			"scopes[s].threats[t].rate: 1e+30 is beyond the largest"},
		{"11: capex 1e308", []edit{{"capex:    {value: 100,", "capex:    {value: 1e308,"}},
			"scopes[s].controls[c].capex: 1e+308 is beyond the largest"},
		{"11: capex times units", []edit{{"capex:    {value: 100,", "capex:    {value: 5e11,"}},
			"scopes[s].controls[c].capex: £500bn × 3 units is beyond the largest amount the model takes, £1.00tn"},
		{"11: opex 1e200", []edit{{"opex:     {lo: 10, hi: 20,", "opex:     {lo: 1e199, hi: 1e200,"}},
			"scopes[s].controls[c].opex:"},
		{"11: optimism bias 1e200", []edit{{"        lifetime: {value: 5, tag: J, note: guess}\n", "        lifetime: {value: 5, tag: J, note: guess}\n        optimism_bias: {value: 1e200, tag: J, note: x}\n"}},
			"scopes[s].controls[c].optimism_bias: 1e+200 is beyond the largest"},
		{"11: daily 1e200", []edit{{"    threats:\n", "    daily: {value: 1e200, tag: J, note: x}\n    threats:\n"}},
			"scopes[s].daily: 1e+200 is beyond the largest"},
		{"11: recovery 1e308", []edit{{"    threats:\n", "    recovery: {value: 1e308, tag: J, note: x}\n    threats:\n"}},
			"scopes[s].recovery: 1e+308 is beyond the largest"},
		{"11: intensity 1e200", []edit{{"        duration: {lo: 2, hi: 10, tag: J, note: guess}\n", "        duration: {lo: 2, hi: 10, tag: J, note: guess}\n        k_daily: {value: 1e200, tag: J, note: x}\n"}},
			"scopes[s].threats[t].k_daily: 1e+200 is beyond the largest"},
		{"11: harm 1e200", []edit{{"    threats:\n", "    harm:\n      deaths_per_day: {value: 1e200, tag: J, note: x}\n      qalys_per_death: {value: 10, tag: J, note: x}\n      value_per_qaly: {value: 70000, tag: J, note: x}\n      k_full: {value: 1, tag: J, note: x}\n    threats:\n"}},
			"scopes[s].harm.deaths_per_day: 1e+200 is beyond the largest"},
		{"11: calibration total 1e308", []edit{
			{"lost_output: {value: 19000000,", "lost_output: {value: 1e308,"},
			{"total:       {value: 92000000,", "total:       {value: 1e308,"}},
			"calibration.lost_output: 1e+308 is beyond the largest"},
		{"11: calibration rates overflow", []edit{{"spread:      {lo: 80, hi: 81,", "spread:      {lo: 1e-300, hi: 1e-299,"}},
			"calibration: the fitted cost rates"},
		{"11: interval wider than six decades", []edit{{"rate:     {lo: 0.1, hi: 1,", "rate:     {lo: 1e-300, hi: 1,"}},
			"scopes[s].threats[t].rate: [1e-300, 1] spans more than"},
		{"12: escape sequence in a threat name", []edit{{"name: A threat", "name: \"A \\e[2J\\e]0;pwned\\a threat\""}},
			`scopes[0].threats[0].name: holds the control character U+001B at byte 2`},
		{"12: carriage return in a control id", []edit{{"      - id: c\n", "      - id: \"c\\rX\"\n"}, {"capex:    {value: 100,", "capex:    {value: 100,"}},
			`scopes[0].controls[0].id: holds the control character U+000D`},
		{"12: bidi override in a scope name", []edit{{"name: A scope", "name: \"A \\u202Eepocs\""}},
			`scopes[0].name: holds the control character U+202E`},
		{"12: escape in a note", []edit{{"rate:     {lo: 0.1, hi: 1, tag: J, note: guess}", "rate:     {lo: 0.1, hi: 1, tag: J, note: \"\\e[31mred\"}"}},
			`scopes[s].threats[t].rate.note: holds the control character U+001B`},
		{"12: javascript: source url", []edit{{"    year: 2024\n", "    year: 2024\n    url: \"javascript:alert(1)\"\n"}},
			`sources[0].url: want an http:// or https:// address, got "javascript:alert(1)"`},
		{"12: file: source url", []edit{{"    year: 2024\n", "    year: 2024\n    url: \"file:///etc/passwd\"\n"}},
			`sources[0].url: want an http:// or https:// address`},
		{"16: a 1 MB name", []edit{{"name: A threat", "name: " + strings.Repeat("x", 1<<20)}},
			"scopes[0].threats[0].name: is 1048576 characters long; at most 200 are allowed"},
		{"16: fractional source year", []edit{{"year: 2024", "year: 2024.5"}},
			"sources[0].year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := apply(t, minimalDoc, tt.edits...)
			_, err := data.Load(strings.NewReader(doc), "min.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "min.yaml:") {
				t.Errorf("Load() error = %v; want one starting min.yaml: containing %q", err, tt.want)
			}
			if err != nil && strings.ContainsAny(err.Error(), "\x1b\r\a\u202e") {
				t.Errorf("Load() error = %q; want control characters escaped, not raw", err)
			}
		})
	}
}

// TestHostileAtLimitsFinite is issue 13's case 11 from the other side: a
// dataset with every magnitude at its limit (and the widest intervals)
// validates, and its expected losses, costs and NPVs are finite.
func TestHostileAtLimitsFinite(t *testing.T) {
	t.Parallel()
	doc := apply(t, minimalDoc,
		edit{"rate:     {lo: 0.1, hi: 1,", "rate:     {lo: 1, hi: 1e6,"},
		edit{"spread:   {lo: 1, hi: 3,", "spread:   {lo: 10, hi: 1e7,"},
		edit{"duration: {lo: 2, hi: 10, tag: J, note: guess}\n", "duration: {lo: 0.00365, hi: 3650, tag: J, note: guess}\n" +
			"        fixed: {lo: 1e6, hi: 1e12, tag: J, note: x}\n        k_daily: {lo: 1e-3, hi: 1e3, tag: J, note: x}\n" +
			"        k_recovery: {value: 1e3, tag: J, note: x}\n        dispersion: {value: 1e3, tag: J, note: x}\n"},
		edit{"orgs: {value: 10,", "orgs: {value: 1e7,"},
		edit{"    threats:\n", "    daily: {lo: 1e6, hi: 1e12, tag: J, note: x}\n    recovery: {value: 1e12, tag: J, note: x}\n" +
			"    harm:\n      deaths_per_day: {lo: 0.01, hi: 1e4, tag: J, note: x}\n      qalys_per_death: {value: 100, tag: J, note: x}\n" +
			"      value_per_qaly: {value: 1e12, tag: J, note: x}\n      k_full: {value: 1e-3, tag: J, note: x}\n    threats:\n"},
		edit{"units:    {value: 3,", "units:    {value: 1,"},
		edit{"capex:    {value: 100,", "capex:    {lo: 1e6, hi: 1e12,"},
		edit{"opex:     {lo: 10, hi: 20,", "opex:     {lo: 1e6, hi: 1e12,"},
		edit{"lifetime: {value: 5, tag: J, note: guess}\n", "lifetime: {value: 1, tag: J, note: guess}\n        optimism_bias: {lo: 1e-5, hi: 10, tag: J, note: x}\n"},
		edit{"frequency: {lo: 0.2, hi: 0.5,", "frequency: {lo: 1e-6, hi: 1e-5,"},
	)
	ds, err := data.Load(strings.NewReader(doc), "limits.yaml")
	if err != nil {
		t.Fatalf("Load() = %v; want the dataset at the limits to validate", err)
	}
	cal, err := calibrate(ds.Target())
	if err != nil {
		t.Fatal(err)
	}
	m := ds.Scopes[0].Model(cal)
	m.Harm = ds.Scopes[0].HarmModel()
	for _, r := range []float64{model.MinDiscount, model.MaxDiscount} {
		a := model.Appraisal{Horizon: 125, Discount: model.FlatDiscount(r), HealthDiscount: model.FlatDiscount(r), OptimismBias: model.MaxUplift}
		an, err := model.Analyse(context.Background(), m, model.Config{Draws: 200, Years: 20, Seed: 1}, a, model.ByNPV)
		if err != nil {
			t.Fatal(err)
		}
		finite := func(what string, x float64) {
			t.Helper()
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Errorf("discount %g: %s = %g; want finite", r, what, x)
			}
		}
		finite("baseline ALE", an.Baseline.ALE)
		finite("baseline harm", an.BaselineHarm)
		for _, res := range an.Results {
			for what, iv := range map[string]model.Interval{"ΔALE": res.DeltaALE, "NPV": res.DecisionNPV, "PV cost": res.PVCost, "PV benefit": res.PVBenefit, "EAC": res.EAC} {
				finite(what, iv.Mean)
				finite(what+" lo", iv.Lo)
				finite(what+" hi", iv.Hi)
			}
			if res.Social != nil {
				finite("social NPV", res.Social.NPV.Mean)
			}
		}
	}
}

// TestHostileDiscountRange is issue 13's case 11: a discount rate outside
// the sane range is refused.
func TestHostileDiscountRange(t *testing.T) {
	t.Parallel()
	for _, r := range []float64{-0.99, -0.06, 0.26, 0.99} {
		a := model.Appraisal{Horizon: 10, Discount: model.FlatDiscount(r)}
		if err := a.Validate(); err == nil || !strings.Contains(err.Error(), "discount: rate must be from -5% to 25%") {
			t.Errorf("Appraisal{discount %g}.Validate() = %v; want the range refused", r, err)
		}
	}
}

var _ = bytes.NewReader
