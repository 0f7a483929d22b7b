package data_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"go.yaml.in/yaml/v3"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// minimalDoc is the smallest valid dataset: one source, the calibration,
// one scope with one threat and one control with one effect. The error
// tests edit it.
const minimalDoc = `version: 1
name: minimal
currency: GBP
price_year: "2024-25"
sources:
  - id: src1
    publisher: A publisher
    title: A title
    year: 2024
calibration:
  incident: an incident
  price_year: "2017-18"
  spread:      {lo: 80, hi: 81, tag: F, src: [src1]}
  duration:    {lo: 5, hi: 7, tag: F, src: [src1]}
  lost_output: {value: 19000000, tag: F, src: [src1]}
  it_costs:    {value: 73000000, tag: F, src: [src1]}
  total:       {value: 92000000, tag: D, src: [src1], note: "19m + 73m"}
  deflator:    {value: 1.3, tag: J, note: guess}
scopes:
  - id: s
    name: A scope
    orgs: {value: 10, tag: F, src: [src1]}
    threats:
      - id: t
        name: A threat
        rate:     {lo: 0.1, hi: 1, tag: J, note: guess}
        spread:   {lo: 1, hi: 3, tag: J, note: guess}
        duration: {lo: 2, hi: 10, tag: J, note: guess}
    controls:
      - id: c
        name: A control
        units:    {value: 3, tag: J, note: guess}
        capex:    {value: 100, tag: J, note: guess}
        opex:     {lo: 10, hi: 20, tag: J, note: guess}
        lifetime: {value: 5, tag: J, note: guess}
        effects:
          - threat: t
            frequency: {lo: 0.2, hi: 0.5, tag: J, note: guess}
`

// edit replaces old, which must occur exactly once in a document, by new.
type edit struct{ old, new string }

// apply returns doc with the edits made in order.
func apply(t *testing.T, doc string, edits ...edit) string {
	t.Helper()
	for _, e := range edits {
		if n := strings.Count(doc, e.old); n != 1 {
			t.Fatalf("edit: %q occurs %d times in the document; want once", e.old, n)
		}
		doc = strings.Replace(doc, e.old, e.new, 1)
	}
	return doc
}

// lineOf returns the number (from 1) of the first line of doc holding
// marker, or 0 if none does.
func lineOf(doc, marker string) int {
	for i, l := range strings.Split(doc, "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	return 0
}

// problem is one problem a Load error must report.
type problem struct {
	// field is the field path the error must name.
	field string
	// marker is text on the line the error must give.
	marker string
}

// fieldErrors returns the *data.FieldErrors inside err, unwrapping joins.
func fieldErrors(err error) []*data.FieldError {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var fes []*data.FieldError
		for _, e := range j.Unwrap() {
			fes = append(fes, fieldErrors(e)...)
		}
		return fes
	}
	var fe *data.FieldError
	if errors.As(err, &fe) {
		return []*data.FieldError{fe}
	}
	return nil
}

// mismatches returns how err, from loading doc as file, fails to report
// exactly the problems in want, each as "file:LINE: field: " in the text
// and as a *data.FieldError.
func mismatches(err error, file, doc string, want []problem) []string {
	if err == nil {
		return []string{"error = nil; want an error"}
	}
	var bad []string
	msg := err.Error()
	for _, l := range strings.Split(msg, "\n") {
		if !strings.HasPrefix(l, file+":") {
			bad = append(bad, fmt.Sprintf("error line %q does not start with %q", l, file+":"))
		}
	}
	var first *data.FieldError
	if !errors.As(err, &first) {
		bad = append(bad, "errors.As(err, *data.FieldError) = false; want true")
	}
	fes := fieldErrors(err)
	if len(fes) != len(want) {
		bad = append(bad, fmt.Sprintf("%d field errors; want %d", len(fes), len(want)))
	}
	for _, p := range want {
		line := lineOf(doc, p.marker)
		if line == 0 {
			bad = append(bad, fmt.Sprintf("test bug: marker %q not in the document", p.marker))
			continue
		}
		if prefix := fmt.Sprintf("%s:%d: %s: ", file, line, p.field); !strings.Contains(msg, prefix) {
			bad = append(bad, fmt.Sprintf("error does not contain %q", prefix))
		}
		if !slices.ContainsFunc(fes, func(fe *data.FieldError) bool {
			return fe.File == file && fe.Line == line && fe.Field == p.field
		}) {
			bad = append(bad, fmt.Sprintf("no *data.FieldError{File: %q, Line: %d, Field: %q}", file, line, p.field))
		}
	}
	return bad
}

// checkLoadError loads doc as file and checks that the error reports
// exactly want. A case marked with a known bug in dataset.go is skipped
// while the bug stands and fails once it is fixed, so the mark is removed.
func checkLoadError(t *testing.T, doc, file string, want []problem, bug string) {
	t.Helper()
	ds, err := data.Load(strings.NewReader(doc), file)
	if err != nil && ds != nil {
		t.Errorf("Load() = (%v, %v); want a nil dataset with the error", ds, err)
	}
	bad := mismatches(err, file, doc, want)
	if err == nil && ds != nil {
		bad = append(bad, usable(ds)...)
	}
	switch {
	case bug != "" && len(bad) > 0:
		t.Skipf("bug: %s\nLoad() error:\n%v\nmismatches:\n  %s", bug, err, strings.Join(bad, "\n  "))
	case bug != "":
		t.Errorf("case marked as bug %q now passes; remove the mark", bug)
	}
	for _, b := range bad {
		t.Errorf("Load(): %s", b)
	}
	if t.Failed() {
		t.Logf("Load() error:\n%v", err)
	}
}

// usable returns why an accepted dataset cannot be used: its calibration
// target or a scope's model fails validation.
func usable(ds *data.Dataset) []string {
	var bad []string
	tg := ds.Target()
	if err := tg.Validate(); err != nil {
		return append(bad, fmt.Sprintf("Load accepted the dataset but Target().Validate() = %v", err))
	}
	cal, err := calibrate(tg)
	if err != nil {
		return append(bad, fmt.Sprintf("Load accepted the dataset but Calibrate() error: %v", err))
	}
	for i := range ds.Scopes {
		if err := ds.Scopes[i].Model(cal).Validate(); err != nil {
			bad = append(bad, fmt.Sprintf("Load accepted the dataset but Scopes[%s].Model().Validate() = %v", ds.Scopes[i].ID, err))
		}
	}
	return bad
}

func TestLoadMinimal(t *testing.T) {
	t.Parallel()
	// The same document as JSON, which Load also reads.
	var tree any
	if err := yaml.Unmarshal([]byte(minimalDoc), &tree); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, doc string
	}{
		{"yaml", "minimal.yaml", minimalDoc},
		{"json", "minimal.json", string(js)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds, err := data.Load(strings.NewReader(tt.doc), tt.file)
			if err != nil {
				t.Fatalf("Load(%s) error: %v", tt.file, err)
			}
			if ds.File != tt.file {
				t.Errorf("Load(%s).File = %q; want %q", tt.file, ds.File, tt.file)
			}
			if tt.name == "yaml" {
				c := ds.Scopes[0].Controls[0]
				if want := lineOf(minimalDoc, "opex:"); c.Opex.Line != want {
					t.Errorf("Load(%s): opex Line = %d; want %d", tt.file, c.Opex.Line, want)
				}
			}
			cal, err := calibrate(ds.Target())
			if err != nil {
				t.Fatalf("Calibrate(Target(), 1) error: %v", err)
			}
			m := ds.Scopes[0].Model(cal)
			if err := m.Validate(); err != nil {
				t.Errorf("Model().Validate() = %v; want nil", err)
			}
			want := &model.Model{
				Scope: "A scope", Orgs: 10,
				Daily: model.Fixed(cal.DailyNow), Recovery: model.Fixed(cal.RecoveryNow),
				Threats: []model.Threat{{
					ID: "t", Name: "A threat", Rate: model.Estimate{Lo: 0.1, Hi: 1},
					Spread: model.Estimate{Lo: 1, Hi: 3}, Duration: model.Estimate{Lo: 2, Hi: 10},
					KDaily: model.Fixed(1), KRecovery: model.Fixed(1), Fixed: model.Fixed(0),
				}},
				Controls: []model.Control{{
					ID: "c", Name: "A control",
					Capex: model.Fixed(300), Opex: model.Estimate{Lo: 30, Hi: 60}, Lifetime: 5,
					Effects: []model.Effect{{
						Threat: "t", Frequency: model.Estimate{Lo: 0.2, Hi: 0.5},
						Spread: model.Fixed(0), Duration: model.Fixed(0), Fixed: model.Fixed(0),
					}},
				}},
			}
			if !reflect.DeepEqual(m, want) {
				t.Errorf("Model() = %+v\nwant %+v", m, want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	const (
		control = "scopes[s].controls[c]"
		threat  = "scopes[s].threats[t]"
	)
	var (
		negativeOpex  = edit{"opex:     {lo: 10, hi: 20,", "opex:     {lo: -5, hi: 10,"}
		rateLoAboveHi = edit{"rate:     {lo: 0.1, hi: 1,", "rate:     {lo: 2, hi: 1,"}
		reduction13   = edit{"frequency: {lo: 0.2, hi: 0.5,", "frequency: {value: 1.3,"}
		unknownThreat = edit{"- threat: t", "- threat: nope"}
		numberTypo    = edit{"opex:     {lo: 10, hi: 20, tag: J, note: guess}", "opex:     {lo: 10, hi: 20, tag: J, note: guess, typo: 3}"}
		valueAndLo    = edit{"capex:    {value: 100,", "capex:    {value: 100, lo: 1,"}
	)
	tests := []struct {
		name  string
		edits []edit
		want  []problem
		bug   string
	}{
		{
			name:  "negative cost",
			edits: []edit{negativeOpex},
			want:  []problem{{control + ".opex", "lo: -5"}},
		},
		{
			name:  "rate lo above hi",
			edits: []edit{rateLoAboveHi},
			want:  []problem{{threat + ".rate", "rate:"}},
		},
		{
			name:  "reduction of 1.3",
			edits: []edit{reduction13},
			want:  []problem{{control + ".effects[0].frequency", "frequency: {value: 1.3"}},
		},
		{
			// An Effect records no line of its own: problems with it are
			// reported at its first reduction, the line after "threat:".
			name:  "effect on an unknown threat",
			edits: []edit{unknownThreat},
			want:  []problem{{control + ".effects[0].threat", "- threat: nope"}},
		},
		{
			name: "threat twice in one control",
			edits: []edit{{"            frequency: {lo: 0.2, hi: 0.5, tag: J, note: guess}\n",
				"            frequency: {lo: 0.2, hi: 0.5, tag: J, note: guess}\n" +
					"          - threat: t  # twice\n" +
					"            duration: {lo: 0.1, hi: 0.2, tag: J, note: again}\n"}},
			want: []problem{{control + ".effects[1].threat", "- threat: t  # twice"}},
		},
		{
			name:  "missing tag",
			edits: []edit{{"spread:   {lo: 1, hi: 3, tag: J, note: guess}", "spread:   {lo: 1, hi: 3, note: guess}"}},
			want:  []problem{{threat + ".spread", "{lo: 1, hi: 3, note: guess}"}},
		},
		{
			name:  "unknown tag",
			edits: []edit{{"duration: {lo: 2, hi: 10, tag: J,", "duration: {lo: 2, hi: 10, tag: X,"}},
			want:  []problem{{threat + ".duration", "tag: X"}},
		},
		{
			name:  "J without note",
			edits: []edit{{"deflator:    {value: 1.3, tag: J, note: guess}", "deflator:    {value: 1.3, tag: J}"}},
			want:  []problem{{"calibration.deflator", "deflator:"}},
		},
		{
			name:  "J with a blank note",
			edits: []edit{{"deflator:    {value: 1.3, tag: J, note: guess}", `deflator:    {value: 1.3, tag: J, note: "  "}`}},
			want:  []problem{{"calibration.deflator", "deflator:"}},
		},
		{
			name:  "F without src",
			edits: []edit{{"orgs: {value: 10, tag: F, src: [src1]}", "orgs: {value: 10, tag: F}"}},
			want:  []problem{{"scopes[s].orgs", "orgs:"}},
		},
		{
			name:  "D with an empty src",
			edits: []edit{{`total:       {value: 92000000, tag: D, src: [src1],`, `total:       {value: 92000000, tag: D, src: [],`}},
			want:  []problem{{"calibration.total", "total:"}},
		},
		{
			name:  "unknown source",
			edits: []edit{{"spread:      {lo: 80, hi: 81, tag: F, src: [src1]}", "spread:      {lo: 80, hi: 81, tag: F, src: [src1, nosuch]}"}},
			want:  []problem{{"calibration.spread", "nosuch"}},
		},
		{
			name:  "lifetime 2.5",
			edits: []edit{{"lifetime: {value: 5,", "lifetime: {value: 2.5,"}},
			want:  []problem{{control + ".lifetime", "value: 2.5"}},
		},
		{
			name:  "lifetime 200",
			edits: []edit{{"lifetime: {value: 5,", "lifetime: {value: 200,"}},
			want:  []problem{{control + ".lifetime", "value: 200"}},
		},
		{
			name:  "units 0",
			edits: []edit{{"units:    {value: 3,", "units:    {value: 0,"}},
			want:  []problem{{control + ".units", "units:"}},
		},
		{
			name:  "units 2.5",
			edits: []edit{{"units:    {value: 3,", "units:    {value: 2.5,"}},
			want:  []problem{{control + ".units", "units:"}},
		},
		{
			name:  "orgs as a range",
			edits: []edit{{"orgs: {value: 10,", "orgs: {lo: 10, hi: 20,"}},
			want:  []problem{{"scopes[s].orgs", "orgs:"}},
		},
		{
			name:  "lost output as a range",
			edits: []edit{{"lost_output: {value: 19000000,", "lost_output: {lo: 19000000, hi: 19000001,"}},
			want:  []problem{{"calibration.lost_output", "lost_output:"}},
		},
		{
			name:  "total not the sum of its parts",
			edits: []edit{{"total:       {value: 92000000,", "total:       {value: 95000000,"}},
			want:  []problem{{"calibration.total", "total:"}},
		},
		{
			name:  "not a finite number",
			edits: []edit{{"rate:     {lo: 0.1, hi: 1,", "rate:     {lo: 0.1, hi: .inf,"}},
			want:  []problem{{threat + ".rate", "rate:"}},
		},
		{
			// A Threat records no line of its own: a problem with its id is
			// reported at its rate.
			name: "duplicate threat id",
			edits: []edit{{"        duration: {lo: 2, hi: 10, tag: J, note: guess}\n",
				"        duration: {lo: 2, hi: 10, tag: J, note: guess}\n" +
					"      - id: t  # again\n" +
					"        name: The same threat again\n" +
					"        rate:     {lo: 0.2, hi: 2, tag: J, note: dup}\n" +
					"        spread:   {lo: 1, hi: 3, tag: J, note: guess}\n" +
					"        duration: {lo: 2, hi: 10, tag: J, note: guess}\n"}},
			want: []problem{{threat + ".id", "- id: t  # again"}},
		},
		{
			name:  "four problems at once",
			edits: []edit{negativeOpex, rateLoAboveHi, unknownThreat, reduction13},
			want: []problem{
				{control + ".opex", "lo: -5"},
				{threat + ".rate", "rate:"},
				{control + ".effects[0].threat", "- threat: nope"},
				{control + ".effects[0].frequency", "frequency: {value: 1.3"},
			},
		},
		{
			name:  "unknown key in a number",
			edits: []edit{numberTypo},
			want:  []problem{{control + ".opex", "typo: 3"}},
		},
		{
			name:  "both value and lo",
			edits: []edit{valueAndLo},
			want:  []problem{{control + ".capex", "capex:"}},
		},
		{
			name:  "a string for a number",
			edits: []edit{{"rate:     {lo: 0.1,", "rate:     {lo: abc,"}},
			want:  []problem{{threat + ".rate", "rate:"}},
		},
		{
			name:  "unknown top-level key",
			edits: []edit{{"name: minimal\n", "name: minimal\ntypo: 3\n"}},
			want:  []problem{{"typo", "typo: 3"}},
		},
		{
			name:  "decode and validation problems at once",
			edits: []edit{numberTypo, rateLoAboveHi},
			want:  []problem{{control + ".opex", "typo: 3"}, {threat + ".rate", "rate:"}},
		},
		{
			name:  "two decode problems at once",
			edits: []edit{numberTypo, valueAndLo},
			want:  []problem{{control + ".opex", "typo: 3"}, {control + ".capex", "capex:"}},
		},
		{
			name:  "effect with no reduction",
			edits: []edit{{"            frequency: {lo: 0.2, hi: 0.5, tag: J, note: guess}\n", ""}},
			want:  []problem{{control + ".effects[0]", "- threat: t"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := apply(t, minimalDoc, tt.edits...)
			checkLoadError(t, doc, "bad.yaml", tt.want, tt.bug)
		})
	}
}

// TestLoadRejectsUnusable checks that Load does not accept a dataset the
// model cannot calibrate or run: what model.Target.Validate and
// model.Model.Validate would reject must be a Load error naming the field.
func TestLoadRejectsUnusable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edits []edit
		want  []problem
		bug   string
	}{
		{
			name:  "calibration spread 0",
			edits: []edit{{"spread:      {lo: 80, hi: 81,", "spread:      {value: 0,"}},
			want:  []problem{{"calibration.spread", "spread:      {value: 0"}},
		},
		{
			name:  "calibration deflator 0",
			edits: []edit{{"deflator:    {value: 1.3,", "deflator:    {value: 0,"}},
			want:  []problem{{"calibration.deflator", "deflator:"}},
		},
		{
			name:  "calibration total 0",
			edits: []edit{{"total:       {value: 92000000,", "total:       {value: 0,"}},
			want:  []problem{{"calibration.total", "total:"}},
		},
		{
			name:  "units times cost overflows",
			edits: []edit{{"units:    {value: 3,", "units:    {value: 1e308,"}},
			want:  []problem{{"scopes[s].controls[c].units", "units:"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := apply(t, minimalDoc, tt.edits...)
			checkLoadError(t, doc, "bad.yaml", tt.want, tt.bug)
		})
	}
}

// TestLoadBadFiles checks that files that are not datasets at all give an
// error naming the file.
func TestLoadBadFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
	}{
		{"empty", ""},
		{"blank lines", "\n\n   \n"},
		{"comments only", "# nothing here\n# at all\n"},
		{"empty document", "---\n"},
		{"null", "~\n"},
		{"NUL and 0xff", "\x00\xff\xfe\x01"},
		{"invalid UTF-8", "version: 1\nname: \xc3\x28\n"},
		{"plain text", "just some text"},
		{"a list", "- a\n- b\n"},
		{"a number", "42"},
		{"unclosed flow", "version: [1, 2"},
		{"unclosed quote", "name: \"abc\n"},
		{"braces", "{{{{"},
		{"tab indent", "version: 1\n\tcurrency: GBP\n"},
		{"bad indent", "scopes:\n  - id: a\n bad: 1\n"},
		{"undefined alias", "version: *nope\n"},
		{"number not a mapping", minimalDoc[:strings.Index(minimalDoc, "scopes:")] + "scopes:\n  - id: s\n    orgs: 10\n"},
		{"scopes not a list", strings.Replace(minimalDoc, "scopes:\n", "scopes: 3\nxscopes:\n", 1)},
		{"alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
			"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
			"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
			"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"},
		{"deep nesting", strings.Repeat("[", 20000) + strings.Repeat("]", 20000)},
		// Cut where the first scope's threats begin: a scope with none.
		{"truncated default", string(data.DefaultBytes()[:strings.Index(string(data.DefaultBytes()), "    threats:")])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds, err := data.Load(strings.NewReader(tt.doc), "broken.yaml")
			if err == nil || ds != nil {
				t.Fatalf("Load(%.40q) = (%v, %v); want (nil, an error)", tt.doc, ds, err)
			}
			if !strings.HasPrefix(err.Error(), "broken.yaml:") {
				t.Errorf("Load(%.40q) error = %q; want it to start with the file name", tt.doc, err)
			}
		})
	}
}

func TestLoadReadError(t *testing.T) {
	t.Parallel()
	errDisk := errors.New("disk on fire")
	tests := []struct {
		name string
		r    io.Reader
		want error // wrapped by Load's error, if not nil
	}{
		{"at once", iotest.ErrReader(errDisk), errDisk},
		{"midway", iotest.TimeoutReader(iotest.OneByteReader(strings.NewReader(minimalDoc))), iotest.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds, err := data.Load(tt.r, "unreadable.yaml")
			if err == nil || ds != nil || !strings.HasPrefix(err.Error(), "unreadable.yaml: ") {
				t.Fatalf("Load(reader failing %s) = (%v, %v); want (nil, an error naming the file)", tt.name, ds, err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Load(reader failing %s) error = %v; want it to wrap %v", tt.name, err, tt.want)
			}
		})
	}
}

// TestLoadReadsWholeFile checks that text Load does not read is not
// silently dropped.
func TestLoadReadsWholeFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		doc   func() string
		short bool // runs under -short
		bug   string
	}{
		{
			name: "past 32 MiB",
			doc: func() string {
				pad := strings.Repeat("# padding to make the file larger than Load reads\n", 33<<20/50)
				return minimalDoc + pad + "typo: 3\n"
			},
		},
		{
			name:  "second document",
			doc:   func() string { return minimalDoc + "---\ntypo: 3\n" },
			short: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if testing.Short() && !tt.short {
				t.Skip("large input: skipped with -short")
			}
			ds, err := data.Load(strings.NewReader(tt.doc()), "long.yaml")
			switch {
			case err == nil && tt.bug != "":
				t.Skipf("bug: %s\nLoad() = (%d scopes, nil)", tt.bug, len(ds.Scopes))
			case err == nil:
				t.Errorf("Load() = (%d scopes, nil); want an error", len(ds.Scopes))
			case tt.bug != "":
				t.Errorf("case marked as bug %q now passes; remove the mark", tt.bug)
			case !strings.HasPrefix(err.Error(), "long.yaml:"):
				t.Errorf("Load() error = %q; want it to start with the file name", err)
			}
		})
	}
}
