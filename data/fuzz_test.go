package data_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// corrupt returns a copy of b with a few bytes spread through it flipped.
func corrupt(b []byte) []byte {
	c := bytes.Clone(b)
	step := max(len(c)/8, 1)
	for i := len(c) / 10; i < len(c); i += step {
		c[i] ^= 0x01
	}
	return c
}

// FuzzLoad checks that Load returns a dataset or an error naming the file,
// never both and never a panic, and that a dataset it returns validates
// and builds its models without a panic.
//
//	go test -run='^$' -fuzz=FuzzLoad -fuzztime=60s -fuzzminimizetime=100x ./data
//
// The seeds are small documents, so that the fuzzer runs thousands of
// executions a second; TestLoadLargeSeeds checks the 50 kB default and its
// corruptions (4 ms each to load). -fuzzminimizetime=100x keeps a short
// run fuzzing rather than minimizing.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(minimalDoc))
	f.Add(corrupt([]byte(minimalDoc)))
	// A number written once and used twice through an alias.
	f.Add([]byte(strings.Replace(
		strings.Replace(minimalDoc, "capex:    {value: 100,", "capex:    &cost {value: 100,", 1),
		"opex:     {lo: 10, hi: 20, tag: J, note: guess}", "opex:     *cost", 1)))
	// A merge key in a number and in a control.
	f.Add([]byte(strings.Replace(minimalDoc, "opex:     {lo: 10,", "opex:     {<<: {tag: J}, lo: 10,", 1)))
	f.Add([]byte(strings.Replace(minimalDoc, "      - id: c\n", "      - &ctl\n        id: c\n", 1) +
		"      - <<: *ctl\n        id: c2\n"))
	// Special floats and huge integers.
	f.Add([]byte(strings.Replace(minimalDoc, "rate:     {lo: 0.1, hi: 1,", "rate:     {lo: .nan, hi: .inf,", 1)))
	f.Add([]byte(strings.Replace(minimalDoc, "lifetime: {value: 5,", "lifetime: {value: 1e400,", 1)))
	f.Add([]byte(strings.Replace(minimalDoc, "units:    {value: 3,", "units:    {value: 99999999999999999999999,", 1)))
	// A small billion laughs: 10^5 leaves from a few lines.
	f.Add([]byte("a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
		"sources: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"))
	// The same inside a number's src, which Number.UnmarshalYAML decodes
	// with a decoder of its own.
	f.Add([]byte(strings.Replace(strings.Replace(minimalDoc,
		"{lo: 80, hi: 81, tag: F, src: [src1]}", "{lo: 80, hi: 81, tag: F, src: &a [src1, src1, src1, src1, src1, src1, src1, src1]}", 1),
		"{lo: 5, hi: 7, tag: F, src: [src1]}", "{lo: 5, hi: 7, tag: F, src: [*a, *a, *a, *a, *a, *a, *a, *a]}", 1)))
	f.Add([]byte("version: 1\nscopes: [{id: s, orgs: {value: 1, tag: J, note: x}, threats: [&t {id: t, rate: *t}]}]\n"))
	f.Add([]byte(`{"version": 1, "currency": "GBP", "scopes": [{"id": "s", "orgs": {"value": 1, "tag": "J", "note": "x"}}]}`))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("%YAML 1.2\n---\nversion: !!str 1\n"))
	f.Add([]byte("version: 1\nversion: 1\n"))
	f.Add([]byte(strings.Repeat("[", 300) + strings.Repeat("]", 300)))
	f.Add([]byte{})

	f.Fuzz(checkLoad)
}

// largeSeeds are the 50 kB default and its corruptions: slow to load (4 ms
// each), so TestLoadLargeSeeds checks them once and the fuzz target starts
// from small documents it can mutate at thousands of executions a second.
func largeSeeds() [][]byte {
	def := data.DefaultBytes()
	out := [][]byte{def, def[:len(def)/2], corrupt(def)}
	if ds, err := data.Default(); err == nil {
		if b, err := yaml.Marshal(ds); err == nil {
			out = append(out, b) // the default as yaml.Marshal writes it: numbers in flow style
		}
	}
	return out
}

// TestLoadLargeSeeds runs FuzzLoad's checks on the default dataset and its
// corruptions.
func TestLoadLargeSeeds(t *testing.T) {
	t.Parallel()
	for _, b := range largeSeeds() {
		checkLoad(t, b)
	}
}

// checkLoad is FuzzLoad's check of one input.
func checkLoad(t *testing.T, b []byte) {
	ds, err := data.Load(bytes.NewReader(b), "fuzz.yaml")
	if (ds == nil) == (err == nil) {
		t.Fatalf("Load() = (%v, %v); want a dataset or an error", ds, err)
	}
	if err != nil {
		if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
			t.Errorf("Load() error = %q; want it to start with the file name", err)
		}
		return
	}
	if err := ds.Validate(); err != nil {
		t.Fatalf("Load() returned a dataset whose Validate() = %v", err)
	}
	tg := ds.Target()
	if err := tg.Validate(); err != nil {
		t.Fatalf("Load() returned a dataset whose calibration target does not validate: %v", err)
	}
	var cal model.Calibration
	cal.DailyNow, cal.RecoveryNow = tg.RatesNow()
	for i := range ds.Scopes {
		_ = ds.Scopes[i].Model(cal).Validate()
	}
}

// FuzzSimulate runs what Load accepts through the engine: the model's
// estimates checked and fitted, a small simulation sampled from them, and
// the appraisal. Whatever validates must compute: no panic, and a finite
// expected loss, NPV and cost for every option.
//
//	go test -run='^$' -fuzz=FuzzSimulate -fuzztime=60s -fuzzminimizetime=100x ./data
func FuzzSimulate(f *testing.F) {
	f.Add([]byte(minimalDoc))
	for _, e := range [][2]string{
		{"frequency: {lo: 0.2, hi: 0.5,", "frequency: {lo: 1e-6, hi: 1e-5,"},
		{"frequency: {lo: 0.2, hi: 0.5,", "frequency: {lo: 0, hi: 1,"},
		{"rate:     {lo: 0.1, hi: 1,", "rate:     {lo: 1, hi: 1e6,"},
		{"rate:     {lo: 0.1, hi: 1,", "rate:     {lo: 30, hi: 40,"},
		{"duration: {lo: 2, hi: 10,", "duration: {lo: 0.00365, hi: 3650,"},
		{"capex:    {value: 100,", "capex:    {lo: 1, hi: 1e6,"},
		{"orgs: {value: 10,", "orgs: {value: 1e7,"},
	} {
		f.Add([]byte(strings.Replace(minimalDoc, e[0], e[1], 1)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := data.Load(bytes.NewReader(b), "fuzz.yaml")
		if err != nil {
			return
		}
		var cal model.Calibration
		cal.DailyNow, cal.RecoveryNow = ds.Target().RatesNow()
		sc := &ds.Scopes[0]
		m := sc.Model(cal)
		if err := m.Validate(); err != nil {
			t.Fatalf("Load() accepted a scope whose model does not validate: %v", err)
		}
		if len(m.Controls) > 8 {
			m.Controls = m.Controls[:8] // keep an execution short
			for i := range m.Controls {
				m.Controls[i].Requires = nil
			}
		}
		var singles []model.Portfolio
		for c := range m.Controls {
			singles = append(singles, model.Portfolio{c})
		}
		s, err := model.Simulate(t.Context(), m, singles, model.Config{Draws: 2, Years: 3, Seed: 1, Workers: 1})
		if err != nil {
			t.Fatalf("Simulate() error: %v", err)
		}
		res, err := model.Appraise(s, model.Appraisal{Horizon: 10, Discount: model.GreenBook()})
		if err != nil {
			t.Fatalf("Appraise() error: %v", err)
		}
		finite := func(what string, x float64) {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("%s = %g; want a finite figure", what, x)
			}
		}
		finite("baseline ALE", s.Summaries()[0].ALE)
		for _, r := range res {
			finite("ΔALE", r.DeltaALE.Mean)
			finite("NPV", r.DecisionNPV.Mean)
			finite("PV cost", r.PVCost.Mean)
		}
	})
}
