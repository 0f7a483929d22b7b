package data_test

import (
	"bytes"
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
// Loading the 50 kB default takes about 4 ms, so with the default
// -fuzzminimizetime=60s the workers spend a 60 s run minimizing the first
// inputs that find new coverage (a few dozen execs in all); 100x keeps
// the run fuzzing (about 18,000 execs a second on 2 cores).
func FuzzLoad(f *testing.F) {
	def := data.DefaultBytes()
	f.Add(def)
	f.Add(def[:len(def)/2])
	f.Add(corrupt(def))
	if ds, err := data.Default(); err == nil {
		if b, err := yaml.Marshal(ds); err == nil {
			f.Add(b) // the default as yaml.Marshal writes it: numbers in flow style
		}
	}
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

	f.Fuzz(func(t *testing.T, b []byte) {
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
		var cal model.Calibration
		if tg := ds.Target(); tg.Validate() == nil {
			if cal, err = calibrate(tg); err != nil {
				t.Fatalf("Calibrate(%+v, 1) error: %v", tg, err)
			}
		}
		for i := range ds.Scopes {
			_ = ds.Scopes[i].Model(cal).Validate()
		}
	})
}
