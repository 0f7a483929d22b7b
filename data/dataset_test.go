package data_test

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// loadDefault is the embedded dataset, loaded once for the package's tests.
// Tests must not modify it.
var loadDefault = sync.OnceValues(data.Default)

func defaultDataset(t *testing.T) *data.Dataset {
	t.Helper()
	ds, err := loadDefault()
	if err != nil {
		t.Fatalf("Default() error: %v", err)
	}
	return ds
}

// calibrations caches model.Calibrate(target, 1) by target: a calibration
// replays the incident 200,000 times (about 30 ms), and the fuzz target
// sees the same calibration section again and again.
var calibrations sync.Map // model.Target → model.Calibration

// calibrate returns model.Calibrate(tg, 1), cached.
func calibrate(tg model.Target) (model.Calibration, error) {
	if c, ok := calibrations.Load(tg); ok {
		return c.(model.Calibration), nil
	}
	c, err := model.Calibrate(tg, 1)
	if err == nil {
		calibrations.Store(tg, c)
	}
	return c, err
}

func TestDefaultScopes(t *testing.T) {
	t.Parallel()
	ds := defaultDataset(t)
	if ds.File != data.DefaultName {
		t.Errorf("Default().File = %q; want %q", ds.File, data.DefaultName)
	}
	tests := []struct {
		scope                  string
		minThreats, maxThreats int
		minControls, maxCtrls  int
	}{
		{"nhs-england", 7, 7, 10, 12},
		{"acute-trust", 6, 8, 10, 12},
	}
	for _, tt := range tests {
		t.Run(tt.scope, func(t *testing.T) {
			t.Parallel()
			sc, err := ds.Scope(tt.scope)
			if err != nil {
				t.Fatalf("Scope(%q) error: %v", tt.scope, err)
			}
			if n := len(sc.Threats); n < tt.minThreats || n > tt.maxThreats {
				t.Errorf("len(Scope(%q).Threats) = %d; want %d to %d", tt.scope, n, tt.minThreats, tt.maxThreats)
			}
			if n := len(sc.Controls); n < tt.minControls || n > tt.maxCtrls {
				t.Errorf("len(Scope(%q).Controls) = %d; want %d to %d", tt.scope, n, tt.minControls, tt.maxCtrls)
			}
		})
	}
	if _, err := ds.Scope("no-such-scope"); err == nil || !strings.Contains(err.Error(), "nhs-england") {
		t.Errorf("Scope(%q) error = %v; want one listing the scopes", "no-such-scope", err)
	}
}

// numberAt is a number found in a dataset and the path it was found at.
type numberAt struct {
	path string
	n    data.Number
}

var numberType = reflect.TypeFor[data.Number]()

// walkNumbers appends every data.Number reachable from v to out, naming
// each by its yaml path, with list items named by their ID where they
// have one. It walks by reflection, so a Number field added to any type
// is checked without changing this test.
func walkNumbers(v reflect.Value, path string, out *[]numberAt) {
	if v.Type() == numberType {
		*out = append(*out, numberAt{path, v.Interface().(data.Number)})
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkNumbers(v.Elem(), path, out)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			walkNumbers(v.MapIndex(k), path+"."+k.String(), out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			walkNumbers(v.Field(i), p, out)
		}
	case reflect.Slice:
		for i := range v.Len() {
			e := v.Index(i)
			key := fmt.Sprint(i)
			if e.Kind() == reflect.Struct {
				if id := e.FieldByName("ID"); id.IsValid() && id.Kind() == reflect.String && id.String() != "" {
					key = id.String()
				}
			}
			walkNumbers(e, fmt.Sprintf("%s[%s]", path, key), out)
		}
	}
}

func TestDefaultSources(t *testing.T) {
	t.Parallel()
	ds := defaultDataset(t)
	if len(ds.Sources) == 0 {
		t.Fatal("Default() has no sources")
	}
	seen := map[string]bool{}
	for _, s := range ds.Sources {
		t.Run(s.ID, func(t *testing.T) {
			if s.ID == "" || seen[s.ID] {
				t.Errorf("source id %q is empty or repeated", s.ID)
			}
			seen[s.ID] = true
			if s.Publisher == "" || s.Title == "" || s.Year < 1900 {
				t.Errorf("source %q = {publisher %q, title %q, year %d}; want all three", s.ID, s.Publisher, s.Title, s.Year)
			}
			if got := ds.SourceByID(s.ID); got == nil || got.ID != s.ID {
				t.Errorf("SourceByID(%q) = %v; want the source", s.ID, got)
			}
		})
	}
	if got := ds.SourceByID("no-such-source"); got != nil {
		t.Errorf("SourceByID(%q) = %v; want nil", "no-such-source", got)
	}
}

// TestDefaultProvenance checks every number in the default dataset for its
// provenance, independently of Validate.
func TestDefaultProvenance(t *testing.T) {
	t.Parallel()
	ds := defaultDataset(t)
	var nums []numberAt
	walkNumbers(reflect.ValueOf(ds).Elem(), "", &nums)

	// Each number in the file carries exactly one tag, so the walk must
	// find as many numbers as the file has tags (outside comments).
	tags := 0
	tagRe := regexp.MustCompile(`\btag: *[A-Za-z"']`)
	for _, l := range strings.Split(string(data.DefaultBytes()), "\n") {
		if code, _, _ := strings.Cut(l, "#"); !strings.HasPrefix(strings.TrimSpace(l), "#") {
			tags += len(tagRe.FindAllString(code, -1))
		}
	}
	if len(nums) != tags {
		t.Errorf("walk found %d numbers; want %d, one per tag in %s", len(nums), tags, data.DefaultName)
	}
	// The walk must reach every part of the dataset that holds numbers.
	for _, part := range []string{
		"calibration.spread", "calibration.deflator", "calibration.checks[",
		"holdouts[", ".k_daily", ".observed",
		"scopes[nhs-england].orgs", "scopes[acute-trust].orgs",
		".threats[", ".rate", ".fixed",
		".controls[", ".units", ".capex", ".opex", ".lifetime",
		".effects[0].frequency", ".spread", ".duration",
	} {
		if !slices.ContainsFunc(nums, func(n numberAt) bool { return strings.Contains(n.path, part) }) {
			t.Errorf("walk found no number at a path containing %q", part)
		}
	}

	for _, na := range nums {
		t.Run(na.path, func(t *testing.T) {
			n := na.n
			if n.Line == 0 {
				t.Errorf("%s: Line = 0; want the line it was read from", na.path)
			}
			switch n.Tag {
			case "F", "D":
				if len(n.Src) == 0 {
					t.Errorf("%s = %v tag %s: src is empty; want at least one source", na.path, n, n.Tag)
				}
			case "J":
				if strings.TrimSpace(n.Note) == "" {
					t.Errorf("%s = %v tag J: note is empty; want the reason", na.path, n)
				}
			default:
				t.Errorf("%s: tag = %q; want F, D or J", na.path, n.Tag)
			}
			for _, id := range n.Src {
				if ds.SourceByID(id) == nil {
					t.Errorf("%s: SourceByID(%q) = nil; want a source", na.path, id)
				}
			}
		})
	}
}

func TestDefaultModels(t *testing.T) {
	t.Parallel()
	ds := defaultDataset(t)
	if err := ds.Target().Validate(); err != nil {
		t.Fatalf("Default().Target().Validate() = %v; want nil", err)
	}
	cal, err := calibrate(ds.Target())
	if err != nil {
		t.Fatalf("Calibrate(Default().Target(), 1) error: %v", err)
	}
	for i := range ds.Scopes {
		sc := &ds.Scopes[i]
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			m := sc.Model(cal)
			if err := m.Validate(); err != nil {
				t.Fatalf("Scope(%q).Model(cal).Validate() = %v; want nil", sc.ID, err)
			}
			if m.Orgs != sc.Orgs.Lo || len(m.Threats) != len(sc.Threats) || len(m.Controls) != len(sc.Controls) {
				t.Errorf("Model: orgs %g, %d threats, %d controls; want %g, %d, %d",
					m.Orgs, len(m.Threats), len(m.Controls), sc.Orgs.Lo, len(sc.Threats), len(sc.Controls))
			}
			if sc.Daily == nil && m.Daily != model.Fixed(cal.DailyNow) {
				t.Errorf("Model().Daily = %v; want the calibrated %g", m.Daily, cal.DailyNow)
			}
			if sc.Recovery == nil && m.Recovery != model.Fixed(cal.RecoveryNow) {
				t.Errorf("Model().Recovery = %v; want the calibrated %g", m.Recovery, cal.RecoveryNow)
			}
			// Costs in the dataset are per unit; the model's are totals.
			for j, c := range sc.Controls {
				units := 1.0
				if c.Units != nil {
					units = c.Units.Lo
				}
				mc := m.Controls[j]
				want := model.Estimate{Lo: units * c.Capex.Lo, Hi: units * c.Capex.Hi}
				if mc.Capex != want {
					t.Errorf("control %s: Capex = %v; want %g units × %v = %v", c.ID, mc.Capex, units, c.Capex, want)
				}
				want = model.Estimate{Lo: units * c.Opex.Lo, Hi: units * c.Opex.Hi}
				if mc.Opex != want {
					t.Errorf("control %s: Opex = %v; want %g units × %v = %v", c.ID, mc.Opex, units, c.Opex, want)
				}
			}
		})
	}
}

// TestNationalRollOutCost checks one roll-out control by hand: R-C1 in
// nhs-england is MFA in all 209 trusts, costed per trust in the file.
func TestNationalRollOutCost(t *testing.T) {
	t.Parallel()
	ds := defaultDataset(t)
	cal, err := calibrate(ds.Target())
	if err != nil {
		t.Fatalf("Calibrate(Default().Target(), 1) error: %v", err)
	}
	sc, err := ds.Scope("nhs-england")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(sc.Controls, func(c data.Control) bool { return c.ID == "R-C1" })
	if i < 0 {
		t.Fatal("nhs-england has no control R-C1")
	}
	c := sc.Controls[i]
	if c.Units == nil || c.Units.Lo != 209 {
		t.Fatalf("R-C1 units = %v; want 209", c.Units)
	}
	m := sc.Model(cal)
	mc := m.Controls[m.ControlIndex("R-C1")]
	if want := 209 * c.Opex.Lo; mc.Opex.Lo != want || want == 0 {
		t.Errorf("Model().Controls[R-C1].Opex.Lo = %g; want 209 × %g = %g", mc.Opex.Lo, c.Opex.Lo, want)
	}
	if want := 209 * c.Opex.Hi; mc.Opex.Hi != want {
		t.Errorf("Model().Controls[R-C1].Opex.Hi = %g; want 209 × %g = %g", mc.Opex.Hi, c.Opex.Hi, want)
	}
}

// TestRoundTrip writes the default dataset with yaml.Marshal (numbers
// through Number.MarshalYAML), loads the text again and checks that every
// scope builds the same model.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	ds := defaultDataset(t)
	b, err := yaml.Marshal(ds)
	if err != nil {
		t.Fatalf("yaml.Marshal(Default()) error: %v", err)
	}
	back, err := data.Load(bytes.NewReader(b), "roundtrip.yaml")
	if err != nil {
		t.Fatalf("Load(yaml.Marshal(Default())) error: %v", err)
	}
	if got, want := back.Target(), ds.Target(); got != want {
		t.Errorf("Target() after round trip = %+v; want %+v", got, want)
	}
	if !reflect.DeepEqual(back.Sources, ds.Sources) {
		t.Errorf("Sources after round trip differ:\n got %+v\nwant %+v", back.Sources, ds.Sources)
	}
	if len(back.Holdouts) != len(ds.Holdouts) {
		t.Fatalf("len(Holdouts) after round trip = %d; want %d", len(back.Holdouts), len(ds.Holdouts))
	}
	for i := range ds.Holdouts {
		if got, want := back.Holdouts[i].Incident(), ds.Holdouts[i].Incident(); got != want {
			t.Errorf("Holdouts[%s].Incident() after round trip = %+v; want %+v", ds.Holdouts[i].ID, got, want)
		}
	}
	cal, err := calibrate(ds.Target())
	if err != nil {
		t.Fatalf("Calibrate(Default().Target(), 1) error: %v", err)
	}
	if len(back.Scopes) != len(ds.Scopes) {
		t.Fatalf("len(Scopes) after round trip = %d; want %d", len(back.Scopes), len(ds.Scopes))
	}
	for i := range ds.Scopes {
		t.Run(ds.Scopes[i].ID, func(t *testing.T) {
			t.Parallel()
			got, want := back.Scopes[i].Model(cal), ds.Scopes[i].Model(cal)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Model() after round trip = %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestNumberMarshalYAML checks that a number is written back the way it was
// given (value, or lo and hi even when equal), in flow style, and reads back
// equal.
func TestNumberMarshalYAML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		keys []string // the keys the written number must have
	}{
		{"value", `{value: 209, tag: F, src: [a, b], note: "n"}`, []string{"value"}},
		{"zero", `{value: 0, tag: J, note: "no outage"}`, []string{"value"}},
		{"range", `{lo: 0.03, hi: 0.2, tag: J, note: "once in 5 to 30 years"}`, []string{"lo", "hi"}},
		{"equal range", `{lo: 5, hi: 5, tag: D, src: [a], note: "x: y"}`, []string{"lo", "hi"}},
		{"tiny and huge", `{lo: 1.0e-300, hi: 1.7976931348623157e+308, tag: J, note: "#"}`, []string{"lo", "hi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n data.Number
			if err := yaml.Unmarshal([]byte(tt.in), &n); err != nil {
				t.Fatalf("yaml.Unmarshal(%s) error: %v", tt.in, err)
			}
			b, err := yaml.Marshal(n)
			if err != nil {
				t.Fatalf("yaml.Marshal(%v) error: %v", n, err)
			}
			out := strings.TrimSpace(string(b))
			if !strings.HasPrefix(out, "{") || strings.Contains(out, "\n") {
				t.Errorf("yaml.Marshal(%s) = %s; want one flow-style line", tt.in, out)
			}
			var m map[string]any
			if err := yaml.Unmarshal(b, &m); err != nil {
				t.Fatalf("yaml.Unmarshal(%s) error: %v", out, err)
			}
			for _, k := range []string{"lo", "hi", "value"} {
				has := m[k] != nil
				if want := slices.Contains(tt.keys, k); has != want {
					t.Errorf("yaml.Marshal(%s) = %s; has %s set = %t, want %t", tt.in, out, k, has, want)
				}
			}
			var back data.Number
			if err := yaml.Unmarshal(b, &back); err != nil {
				t.Fatalf("yaml.Unmarshal(%s) error: %v", out, err)
			}
			back.Line, n.Line = 0, 0
			if len(back.Src) == 0 && len(n.Src) == 0 {
				back.Src, n.Src = nil, nil
			}
			if !reflect.DeepEqual(back, n) {
				t.Errorf("yaml.Unmarshal(yaml.Marshal(%s)) = %+v; want %+v", tt.in, back, n)
			}
		})
	}
}

// TestNumberMarshalYAMLOmitsUnset checks that a written number holds only
// the keys that are set, as a person would write it.
func TestNumberMarshalYAMLOmitsUnset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{`{value: 209, tag: F, src: [a], note: why}`, `{value: 209, tag: F, src: [a], note: why}`},
		{`{lo: 1, hi: 2, tag: J, src: [a], note: why}`, `{lo: 1, hi: 2, tag: J, src: [a], note: why}`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var n data.Number
			if err := yaml.Unmarshal([]byte(tt.in), &n); err != nil {
				t.Fatalf("yaml.Unmarshal(%s) error: %v", tt.in, err)
			}
			b, err := yaml.Marshal(n)
			if err != nil {
				t.Fatalf("yaml.Marshal(%v) error: %v", n, err)
			}
			if got := strings.TrimSpace(string(b)); got != tt.want {
				t.Errorf("yaml.Marshal(%s) = %s; want %s", tt.in, got, tt.want)
			}
		})
	}
}
