package data

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
)

// defaultTemplate is the template of the embedded dataset with the default
// settings, written once.
var defaultTemplate = sync.OnceValues(func() ([]byte, error) {
	ds, err := Default()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = WriteTemplate(&buf, ds, "", DefaultSettings())
	return buf.Bytes(), err
})

func templateBytes(t testing.TB) []byte {
	t.Helper()
	b, err := defaultTemplate()
	if err != nil {
		t.Fatalf("WriteTemplate(Default()) error: %v", err)
	}
	return b
}

func mustDefault(t testing.TB) *Dataset {
	t.Helper()
	ds, err := Default()
	if err != nil {
		t.Fatalf("Default() error: %v", err)
	}
	return ds
}

// editBook opens a workbook, lets edit change it and returns the saved
// bytes.
func editBook(t testing.TB, b []byte, edit func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	defer f.Close()
	edit(f)
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return out.Bytes()
}

// rowOf returns the first row from 2 whose cell in column col holds value.
func rowOf(t testing.TB, f *excelize.File, sheet, col, value string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	c, err := excelize.ColumnNameToNumber(col)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if i > 0 && len(r) >= c && r[c-1] == value {
			return i + 1
		}
	}
	t.Fatalf("%s: no row with %s = %q", sheet, col, value)
	return 0
}

func set(t testing.TB, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatalf("SetCellValue(%s, %s): %v", sheet, cell, err)
	}
}

func loadBytes(b []byte) (*Dataset, Settings, []Scenario, error) {
	return LoadWorkbook(bytes.NewReader(b), "inputs.xlsx")
}

// numbers calls fn on every number of ds.
func numbers(ds *Dataset, fn func(*Number)) {
	opt := func(n *Number) {
		if n != nil {
			fn(n)
		}
	}
	c := &ds.Calibration
	for _, n := range []*Number{&c.Spread, &c.Duration, &c.LostOutput, &c.ITCosts, &c.Total, &c.Deflator} {
		fn(n)
	}
	for i := range c.Checks {
		fn(&c.Checks[i].Value)
	}
	for i := range ds.Holdouts {
		h := &ds.Holdouts[i]
		fn(&h.Spread)
		fn(&h.Duration)
		opt(h.KDaily)
		opt(h.KRecovery)
		opt(h.Fixed)
		fn(&h.Observed)
	}
	for _, k := range slices.Sorted(maps.Keys(ds.OptimismBias)) {
		opt(ds.OptimismBias[k])
	}
	for i := range ds.Scopes {
		s := &ds.Scopes[i]
		fn(&s.Orgs)
		opt(s.Daily)
		opt(s.Recovery)
		if h := s.Harm; h != nil {
			fn(&h.DeathsPerDay)
			fn(&h.QALYsPerDeath)
			fn(&h.ValuePerQALY)
			fn(&h.KFull)
		}
		for j := range s.Threats {
			th := &s.Threats[j]
			fn(&th.Rate)
			opt(th.Dispersion)
			fn(&th.Spread)
			fn(&th.Duration)
			opt(th.KDaily)
			opt(th.KRecovery)
			opt(th.Fixed)
			opt(th.Trend)
		}
		for j := range s.Controls {
			c := &s.Controls[j]
			opt(c.Units)
			fn(&c.Capex)
			fn(&c.Opex)
			opt(c.RolloutYears)
			opt(c.DecayLife)
			opt(c.DecayShape)
			fn(&c.Lifetime)
			opt(c.OptimismBias)
			for k := range c.Effects {
				e := &c.Effects[k]
				opt(e.Frequency)
				opt(e.Spread)
				opt(e.Duration)
				opt(e.Fixed)
			}
		}
	}
}

// comparable clears where ds was read from (file, lines, cells) and
// returns it, so that datasets read from text and from a workbook compare.
func comparable(ds *Dataset) *Dataset {
	ds.File, ds.lines, ds.cells, ds.edited = "", nil, nil, nil
	numbers(ds, func(n *Number) { n.Line, n.ref = 0, 0 })
	return ds
}

// richer returns the default dataset with the features it does not use:
// exclusive groups, prerequisites, dispersion, cost-rate overrides, a
// control's own optimism bias, a ranged number with lo = hi, a number
// without a note.
func richer(t testing.TB) *Dataset {
	ds := mustDefault(t)
	s := &ds.Scopes[1]
	s.Controls[4].Group, s.Controls[5].Group = "edr", "edr"
	s.Controls[3].Requires = []string{"C1", "C2"}
	s.Threats[0].Dispersion = &Number{Lo: 0.5, Hi: 0.5, Tag: "J", Note: "clustered"}
	s.Daily = &Number{Lo: 40000, Hi: 60000, ranged: true, Tag: "J", Note: "a trust's own estimate"}
	s.Controls[0].OptimismBias = &Number{Lo: 0.2, Hi: 0.2, ranged: true, Tag: "J", Note: "IT project"}
	s.Controls[1].Units = &Number{Lo: 2, Hi: 2, Tag: "F", Src: []string{"nao2017", "pac2018"}}
	if err := ds.Validate(); err != nil {
		t.Fatalf("richer dataset: %v", err)
	}
	return ds
}

// sparse returns the default dataset without what is optional: no
// optimism-bias ranges, and a scope without harm inputs beside one with
// them.
func sparse(t testing.TB) *Dataset {
	ds := mustDefault(t)
	ds.OptimismBias = nil
	ds.Scopes[0].Harm = nil
	if err := ds.Validate(); err != nil {
		t.Fatalf("sparse dataset: %v", err)
	}
	return ds
}

// TestTemplateRoundTrip checks that the template of a dataset reads back as
// the same dataset, number by number (values, tags, sources, notes, fixed
// or ranged), and that every scope builds the same model.
func TestTemplateRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		ds   *Dataset
	}{{"default", mustDefault(t)}, {"richer", richer(t)}, {"sparse", sparse(t)}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := WriteTemplate(&buf, tt.ds, "", DefaultSettings()); err != nil {
				t.Fatalf("WriteTemplate() error: %v", err)
			}
			got, st, _, err := loadBytes(buf.Bytes())
			if err != nil {
				t.Fatalf("LoadWorkbook(WriteTemplate()) error: %v", err)
			}
			if got.File != "inputs.xlsx" {
				t.Errorf("File = %q; want inputs.xlsx", got.File)
			}
			if e := got.Edited(); len(e) > 0 {
				t.Errorf("Edited() = %q; want none", e)
			}
			if !reflect.DeepEqual(st, DefaultSettings()) {
				t.Errorf("Settings = %+v; want %+v", st, DefaultSettings())
			}
			a, b := comparable(got), comparable(tt.ds)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("the dataset read back differs: %s", firstDifference(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem(), "Dataset"))
			}
			cal, err := model.Calibrate(tt.ds.Target(), 1)
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.ds.Scopes {
				if m, want := got.Scopes[i].Model(cal), tt.ds.Scopes[i].Model(cal); !reflect.DeepEqual(m, want) {
					t.Errorf("scope %s: Model() differs: %s", tt.ds.Scopes[i].ID, firstDifference(reflect.ValueOf(m).Elem(), reflect.ValueOf(want).Elem(), "Model"))
				}
				if h, want := got.Scopes[i].HarmModel(), tt.ds.Scopes[i].HarmModel(); !reflect.DeepEqual(h, want) {
					t.Errorf("scope %s: HarmModel() = %+v; want %+v", tt.ds.Scopes[i].ID, h, want)
				}
			}
			if r, want := got.BiasRanges(), tt.ds.BiasRanges(); !reflect.DeepEqual(r, want) {
				t.Errorf("BiasRanges() = %v; want %v", r, want)
			}
		})
	}
}

// firstDifference describes where two values first differ.
func firstDifference(a, b reflect.Value, path string) string {
	if a.Kind() != b.Kind() {
		return path + ": kinds differ"
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil %v, want nil %v", path, a.IsNil(), b.IsNil())
			}
			return ""
		}
		return firstDifference(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			if d := firstDifference(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil %v, want nil %v", path, a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: len %d, want %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := firstDifference(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: map of %d (nil %v), want %d (nil %v)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil())
		}
		keys := a.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(fmt.Sprint(x), fmt.Sprint(y)) })
		for _, k := range keys {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s[%v]: missing, want it", path, k)
			}
			if d := firstDifference(a.MapIndex(k), bv, fmt.Sprintf("%s[%v]", path, k)); d != "" {
				return d
			}
		}
		return ""
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Sprintf("%s = %q, want %q", path, a.String(), b.String())
		}
	case reflect.Float64:
		if a.Float() != b.Float() {
			return fmt.Sprintf("%s = %v, want %v", path, a.Float(), b.Float())
		}
	case reflect.Int:
		if a.Int() != b.Int() {
			return fmt.Sprintf("%s = %v, want %v", path, a.Int(), b.Int())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return fmt.Sprintf("%s = %v, want %v", path, a.Bool(), b.Bool())
		}
	}
	return ""
}

func TestTemplateSettings(t *testing.T) {
	t.Parallel()
	ds := mustDefault(t)
	want := Settings{
		Scope: "acute-trust", Draws: 400, Years: 10000, DecisionDraws: 2500, Seed: 1<<60 + 3, Horizon: 5,
		Discount: new(0.035), OptimismBias: 0.2, Budget: new(2.5e6), CapexBudget: new(1e6),
		Objective: "dale", Metric: "bcr",
	}
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, ds, "", want); err != nil {
		t.Fatal(err)
	}
	_, got, scns, err := loadBytes(buf.Bytes())
	if err != nil {
		t.Fatalf("LoadWorkbook() error: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Settings = %+v; want %+v", got, want)
	}
	// The examples fit the Settings scope: the allowed controls are its own.
	for _, sc := range scns {
		if sc.Err != nil {
			t.Errorf("scenario %s: %v", sc.Name, sc.Err)
		}
	}
	buf.Reset()
	if err := WriteTemplate(&buf, ds, "acute-trust", DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	if _, got, _, err := loadBytes(buf.Bytes()); err != nil || got.Scope != "acute-trust" {
		t.Errorf("WriteTemplate(scopeID acute-trust): Settings.Scope = %q, %v; want acute-trust", got.Scope, err)
	}
	if err := WriteTemplate(&buf, ds, "nowhere", DefaultSettings()); err == nil {
		t.Errorf("WriteTemplate(scopeID nowhere) = nil error; want one")
	}
}

// TestTemplateLooks checks what a user sees: the sheets, notes on the
// headers, drop-down lists and number checks, the hidden column.
func TestTemplateLooks(t *testing.T) {
	t.Parallel()
	f, err := excelize.OpenReader(bytes.NewReader(templateBytes(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantSheets := []string{sheetReadme, sheetSettings, sheetScenarios, sheetScopes, sheetThreats, sheetControls, sheetEffects, sheetCalibration, sheetHoldouts, sheetSources}
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Errorf("sheets = %q; want %q", got, wantSheets)
	}
	comments, err := f.GetComments(sheetControls)
	if err != nil {
		t.Fatal(err)
	}
	byCell := map[string]string{}
	for _, c := range comments {
		var b strings.Builder
		for _, p := range c.Paragraph {
			b.WriteString(p.Text)
		}
		byCell[c.Cell] = b.String() + c.Text
	}
	for cell, want := range map[string]string{"H1": "Capital cost per unit (£)", "J1": "Where capex comes from", "AH1": "Hidden; do not edit"} {
		if !strings.Contains(byCell[cell], want) {
			t.Errorf("Controls!%s note = %q; want it to contain %q", cell, byCell[cell], want)
		}
	}
	if v, _ := f.GetCellValue(sheetControls, "H1"); v != "capex lo" {
		t.Errorf("Controls!H1 = %q; want capex lo", v)
	}
	if vis, _ := f.GetColVisible(sheetControls, "AH"); vis {
		t.Errorf("Controls!AH (template values) is visible; want hidden")
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{sheetScopes, "L1", "deaths per day lo"}, {sheetScopes, "R1", "value per QALY lo"},
		{sheetCalibration, "A13", "optimism bias"}, {sheetCalibration, "B13", "equipment"}, {sheetCalibration, "E14", "41.0%"},
	} {
		if v, _ := f.GetCellValue(c.sheet, c.cell); v != c.want {
			t.Errorf("%s!%s = %q; want %q", c.sheet, c.cell, v, c.want)
		}
	}
	calNotes, err := f.GetComments(sheetCalibration)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(calNotes, func(c excelize.Comment) bool { return c.Cell == "D1" }); i < 0 ||
		!strings.Contains(calNotes[i].Paragraph[0].Text, "uniform range, not a 90% interval, drawn only when a run asks for the guidance's optimism bias") {
		t.Errorf("Calibration!D1 has no note on the optimism-bias range")
	}
	dvs, err := f.GetDataValidations(sheetEffects)
	if err != nil {
		t.Fatal(err)
	}
	var lists, ranges []string
	for _, dv := range dvs {
		switch dv.Type {
		case "list":
			lists = append(lists, dv.Sqref+"="+dv.Formula1)
		case "decimal":
			ranges = append(ranges, dv.Sqref+"="+dv.Formula1+".."+dv.Formula2)
		}
	}
	for _, want := range []string{"B2:B", "=Controls!$B$2:$B$", "C2:C", "=Threats!$B$2:$B$", "A2:A", "=Scopes!$A$2:$A$"} {
		if !strings.Contains(strings.Join(lists, " "), want) {
			t.Errorf("Effects drop-down lists %q; want one with %q", lists, want)
		}
	}
	if !strings.Contains(strings.Join(ranges, " "), "D2:D") || !strings.Contains(strings.Join(ranges, " "), "=0..1") {
		t.Errorf("Effects number checks %q; want frequency lo (D) within 0..1", ranges)
	}
}

// cellCase edits one cell of the default template.
type cellCase struct {
	sheet, col  string // column letter
	key, keyCol string // the row: where column keyCol holds key
	value       any
}

func (c cellCase) apply(t testing.TB) []byte {
	return editBook(t, templateBytes(t), func(f *excelize.File) {
		set(t, f, c.sheet, fmt.Sprintf("%s%d", c.col, rowOf(t, f, c.sheet, c.keyCol, c.key)), c.value)
	})
}

// TestLoadWorkbookCellForms checks every form of number a cell may hold.
func TestLoadWorkbookCellForms(t *testing.T) {
	t.Parallel()
	capex := func(ds *Dataset) float64 { return ds.Scopes[1].Controls[2].Capex.Lo } // C3, Controls!H
	tests := []struct {
		name  string
		cell  cellCase
		value func(*Dataset) float64
		want  float64
	}{
		{"number", cellCase{sheetControls, "H", "C3", "B", 250000.0}, capex, 250000},
		{"number as text", cellCase{sheetControls, "H", "C3", "B", "250000"}, capex, 250000},
		{"pounds millions", cellCase{sheetControls, "H", "C3", "B", "£1.2m"}, capex, 1.2e6},
		{"pounds thousands", cellCase{sheetControls, "H", "C3", "B", "£250k"}, capex, 250e3},
		{"thousands separators", cellCase{sheetControls, "H", "C3", "B", "1,200,000"}, capex, 1.2e6},
		{"spaces", cellCase{sheetControls, "H", "C3", "B", "  300000 \u00a0"}, capex, 3e5},
		{"billions", cellCase{sheetControls, "H", "C3", "B", "£0.0025bn"}, capex, 2.5e6},
		{"exponent", cellCase{sheetControls, "H", "C3", "B", "2.5E+5"}, capex, 2.5e5},
		{"percentage", cellCase{sheetEffects, "D", "C1", "B", "30%"}, effectFreq(1, 0), 0.3},
		{"percentage with space", cellCase{sheetEffects, "D", "C1", "B", " 30 % "}, effectFreq(1, 0), 0.3},
		{"fraction as text", cellCase{sheetEffects, "D", "C1", "B", "0.3"}, effectFreq(1, 0), 0.3},
		{"small rate", cellCase{sheetThreats, "D", "T1", "B", "1.5E-3"}, func(ds *Dataset) float64 { return ds.Scopes[1].Threats[0].Rate.Lo }, 1.5e-3},
		{"rate with separator", cellCase{sheetThreats, "D", "S6", "B", "1,600"}, func(ds *Dataset) float64 { return ds.Scopes[0].Threats[5].Rate.Lo }, 1600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds, _, _, err := loadBytes(tt.cell.apply(t))
			if err != nil {
				t.Fatalf("LoadWorkbook() error: %v", err)
			}
			if got := tt.value(ds); math.Abs(got-tt.want) > 1e-12*math.Max(1, tt.want) {
				t.Errorf("%s!%s = %v: read %v; want %v", tt.cell.sheet, tt.cell.col, tt.cell.value, got, tt.want)
			}
		})
	}
}

func effectFreq(scope, control int) func(*Dataset) float64 {
	return func(ds *Dataset) float64 { return ds.Scopes[scope].Controls[control].Effects[0].Frequency.Lo }
}

// cellErrors returns the *CellErrors err joins.
func cellErrors(err error) []*CellError {
	var out []*CellError
	for _, e := range unjoin(err) {
		var ce *CellError
		if errors.As(e, &ce) {
			out = append(out, ce)
		}
	}
	return out
}

// TestLoadWorkbookRejects checks each rejected cell form and each problem a
// workbook can have, with the exact sheet and cell in the message.
func TestLoadWorkbookRejects(t *testing.T) {
	t.Parallel()
	// at edits one cell of the row where column keyCol holds key, and
	// returns the row for the message.
	type edit func(t testing.TB, f *excelize.File) int
	at := func(sheet, col, keyCol, key string, v any) edit {
		return func(t testing.TB, f *excelize.File) int {
			r := rowOf(t, f, sheet, keyCol, key)
			set(t, f, sheet, fmt.Sprintf("%s%d", col, r), v)
			return r
		}
	}
	header := func(sheet, col string, v any) edit {
		return func(t testing.TB, f *excelize.File) int {
			set(t, f, sheet, col+"1", v)
			return 1
		}
	}
	tests := []struct {
		name string
		edit edit
		want string // with %d for the row the edit returned
	}{
		{"amount not a number", at(sheetControls, "H", "B", "C3", "tbc"),
			`inputs.xlsx: Controls!H%d: capex: must be a non-negative amount, got "tbc"`},
		{"negative amount", at(sheetControls, "I", "B", "C3", -5.0),
			`inputs.xlsx: Controls!I%d: capex: must be a non-negative amount, got "-5"`},
		{"negative amount as text", at(sheetControls, "K", "B", "C2", "-£5k"),
			`inputs.xlsx: Controls!K%d: opex: must be a non-negative amount, got "-£5k"`},
		{"money in a count", at(sheetThreats, "D", "B", "T2", "£5"),
			`inputs.xlsx: Threats!D%d: rate: must be a non-negative number, got "£5"`},
		{"words in a count", at(sheetThreats, "E", "B", "T2", "a few"),
			`inputs.xlsx: Threats!E%d: rate: must be a non-negative number, got "a few"`},
		{"bad separators", at(sheetControls, "H", "B", "C3", "1,20,000"),
			`inputs.xlsx: Controls!H%d: capex: must be a non-negative amount, got "1,20,000"`},
		{"too large", at(sheetControls, "H", "B", "C3", "1e999"),
			`inputs.xlsx: Controls!H%d: capex: "1e999" is too large`},
		{"spreadsheet error", at(sheetControls, "H", "B", "C3", "#DIV/0!"),
			`inputs.xlsx: Controls!H%d: capex: holds the spreadsheet error #DIV/0! (from a formula?)`},
		{"fraction in words", at(sheetEffects, "D", "B", "C5", "most"),
			`inputs.xlsx: Effects!D%d: frequency: must be a fraction such as 30% or 0.3, got "most"`},
		{"fraction above 1", at(sheetEffects, "E", "B", "C5", "150%"),
			`inputs.xlsx: Effects!D%d: frequency: must be a fraction in [0, 1], got [0.25, 1.5]`},
		{"lo above hi", at(sheetThreats, "D", "B", "T2", 0.5),
			`inputs.xlsx: Threats!D%d: rate: lo 0.5 is above hi 0.1`},
		{"hi without lo", at(sheetThreats, "D", "B", "T2", ""),
			`inputs.xlsx: Threats!D%d: rate: lo is blank: give lo alone for a fixed value, or lo and hi for a 90% interval`},
		{"missing number", func(t testing.TB, f *excelize.File) int {
			r := rowOf(t, f, sheetThreats, "B", "T2")
			for _, c := range []string{"D", "E", "F"} {
				set(t, f, sheetThreats, fmt.Sprintf("%s%d", c, r), nil)
			}
			return r
		}, `inputs.xlsx: Threats!D%d: rate: missing`},
		{"lifetime not whole", at(sheetControls, "N", "B", "C2", 2.5),
			`inputs.xlsx: Controls!N%d: lifetime: must be a whole number of years from 0 to 125, got 2.5`},
		{"fact without a source", at(sheetThreats, "F", "B", "T2", "F: read somewhere"),
			`inputs.xlsx: Threats!F%d: rate: tag F needs at least one source id, as in F [nao2017]: note`},
		{"unknown source", at(sheetThreats, "F", "B", "T2", "F [nosuch]: read somewhere"),
			`inputs.xlsx: Threats!F%d: rate: unknown source "nosuch" (not on the Sources sheet)`},
		{"judgement without reason", at(sheetThreats, "F", "B", "T2", "J:"),
			`inputs.xlsx: Threats!F%d: rate: a judgement (tag J) needs its reason, as in J: one line of reasoning`},
		{"unclosed source list", at(sheetThreats, "F", "B", "T2", "F [nao2017: x"),
			`inputs.xlsx: Threats!F%d: rate: the source list has no closing ], in "F [nao2017: x" (want e.g. F [nao2017, dhsc2018]: note)`},
		{"note without colon", at(sheetThreats, "F", "B", "T2", "F [nao2017] x"),
			`inputs.xlsx: Threats!F%d: rate: want a colon before the note, in "F [nao2017] x" (e.g. F [nao2017]: note)`},
		{"source without number", at(sheetThreats, "I", "B", "T2", "J: clustered"),
			`inputs.xlsx: Threats!G%d: dispersion: the number is blank but its source is given: give lo (and hi for an interval), or clear the source`},
		{"unknown scope", at(sheetThreats, "A", "B", "T2", "acute"),
			`inputs.xlsx: Threats!A%d: scope: unknown scope "acute" (the Scopes sheet has nhs-england, acute-trust)`},
		{"no scope", at(sheetThreats, "A", "B", "T2", ""),
			`inputs.xlsx: Threats!A%d: scope: must name a scope: the Scopes sheet has 2 (nhs-england, acute-trust)`},
		{"duplicate threat", at(sheetThreats, "B", "B", "T3", "T2"),
			`inputs.xlsx: Threats!B%d: id: duplicate threat id "T2"`},
		{"unknown control in effects", at(sheetEffects, "B", "B", "C12", "C99"),
			`inputs.xlsx: Effects!B%d: control: unknown control "C99" in scope acute-trust (the Controls sheet has C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12)`},
		{"unknown threat in effects", at(sheetEffects, "C", "B", "C12", "T9"),
			`inputs.xlsx: Effects!C%d: threat: unknown threat "T9" (this scope has T1, T2, T3, T4, T5, T6, T7, T8)`},
		{"control cutting a threat twice", func(t testing.TB, f *excelize.File) int {
			// The second Effects row of a control given its first row's
			// threat: the simulation would keep one of the two, the closed
			// form multiply both, so it is refused.
			first := rowOf(t, f, sheetEffects, "B", "C7")
			th, err := f.GetCellValue(sheetEffects, fmt.Sprintf("C%d", first))
			if err != nil {
				t.Fatal(err)
			}
			sc, _ := f.GetCellValue(sheetEffects, fmt.Sprintf("A%d", first))
			for r := first + 1; ; r++ {
				id, _ := f.GetCellValue(sheetEffects, fmt.Sprintf("B%d", r))
				s, _ := f.GetCellValue(sheetEffects, fmt.Sprintf("A%d", r))
				if id == "" {
					t.Fatal("no second Effects row of C7")
				}
				if id == "C7" && s == sc {
					set(t, f, sheetEffects, fmt.Sprintf("C%d", r), th)
					return r
				}
			}
		}, `inputs.xlsx: Effects!C%d: threat: control "C7" cuts threat "T5" twice; put all its reductions of that threat (frequency, spread, duration, fixed) in one effect`},
		{"unknown required control", at(sheetControls, "U", "B", "C5", "C4, C13"),
			`inputs.xlsx: Controls!U%d: requires: unknown control "C13"`},
		{"bad project", at(sheetControls, "D", "B", "C5", "software"),
			`inputs.xlsx: Controls!D%d: project: must be equipment, outsourcing or none, got "software"`},
		{"formula without value", func(t testing.TB, f *excelize.File) int {
			r := rowOf(t, f, sheetControls, "B", "C3")
			if err := f.SetCellValue(sheetControls, fmt.Sprintf("H%d", r), nil); err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellFormula(sheetControls, fmt.Sprintf("H%d", r), "Z1*2"); err != nil {
				t.Fatal(err)
			}
			return r
		}, `inputs.xlsx: Controls!H%d: capex: holds a formula with no saved value: open the workbook in Excel (or LibreOffice) and save it, or type the value`},
		{"unknown column", header(sheetControls, "H", "captex lo"),
			`inputs.xlsx: Controls!H%d: unknown column "captex lo" (did you mean "capex lo"?); start a header with # to keep a column of your own`},
		{"missing column", header(sheetThreats, "D", "#rate lo"),
			`inputs.xlsx: Threats: missing column "rate lo" (headers are read from row 1)`},
		{"duplicate column", header(sheetThreats, "E", "Rate_LO"),
			`inputs.xlsx: Threats!E%d: column "Rate_LO" appears twice (also in D)`},
		{"data without header", func(t testing.TB, f *excelize.File) int {
			set(t, f, sheetThreats, "AE5", "stray")
			return 5
		}, `inputs.xlsx: Threats!AE%d: data in a column with no header (row 1): give it a header, or start one with # for a column of your own`},
		{"draws not a number", at(sheetSettings, "B", "A", "draws", "lots"),
			`inputs.xlsx: Settings!B%d: draws: must be a whole number from 1 to 1,000,000, got "lots"`},
		{"decision draws negative", at(sheetSettings, "B", "A", "decision draws", -5.0),
			`inputs.xlsx: Settings!B%d: decision draws: must be a whole number from 0 to 1,000,000, got "-5"`},
		{"unknown setting", at(sheetSettings, "A", "A", "draws", "drawz"),
			`inputs.xlsx: Settings!A%d: unknown setting "drawz" (did you mean "draws"?)`},
		{"bad budget plan", at(sheetSettings, "B", "A", "budget plan", "2026-27:lots"),
			`inputs.xlsx: Settings!B%d: budget plan: 2026-27: want an amount such as £1.2m, 250k or 1,200,000, got "lots"`},
		{"bad budget plan kind", at(sheetSettings, "B", "A", "budget plan kind", "weekly"),
			`inputs.xlsx: Settings!B%d: budget plan kind: unknown yearly budget kind "weekly" (want both, capital, running or annual)`},
		{"unknown settings scope", at(sheetSettings, "B", "A", "scope", "wales"),
			`inputs.xlsx: Settings!B%d: scope: no scope "wales" (the Scopes sheet has nhs-england, acute-trust)`},
		{"bad objective", at(sheetSettings, "B", "A", "objective", "profit"),
			`inputs.xlsx: Settings!B%d: objective: unknown objective "profit" (want npv, dale or dtvar)`},
		{"bad discount", at(sheetSettings, "B", "A", "discount rate", "150%"),
			`inputs.xlsx: Settings!B%d: discount rate: must be a rate such as 3.5% or 0.035, between -100% and 100%, got "150%"`},
		{"no currency", at(sheetSettings, "B", "A", "currency", ""),
			`inputs.xlsx: Settings!B%d: currency: must be set (e.g. GBP)`},
		{"calibration total", at(sheetCalibration, "D", "A", "total", "£90m"),
			`inputs.xlsx: Calibration!D%d: total: 9e+07 is not lost_output + it_costs = 9.2e+07`},
		{"unknown calibration item", at(sheetCalibration, "A", "A", "note", "notes"),
			`inputs.xlsx: Calibration!A%d: item: unknown item "notes" (want incident, price year, spread, duration, lost output, it costs, total, deflator, note, check or optimism bias)`},
		{"harm not a number", at(sheetScopes, "L", "A", "acute-trust", "a few"),
			`inputs.xlsx: Scopes!L%d: deaths per day: must be a non-negative number, got "a few"`},
		{"value per QALY an interval", at(sheetScopes, "S", "A", "nhs-england", 90000.0),
			`inputs.xlsx: Scopes!R%d: value per QALY: must be a single value, got [82450, 90000]`},
		{"harm without a source", at(sheetScopes, "Q", "A", "acute-trust", "F: a study"),
			`inputs.xlsx: Scopes!Q%d: QALYs per death: tag F needs at least one source id, as in F [nao2017]: note`},
		{"harm part missing", func(t testing.TB, f *excelize.File) int {
			r := rowOf(t, f, sheetScopes, "A", "acute-trust")
			for _, c := range []string{"O", "P", "Q"} {
				set(t, f, sheetScopes, fmt.Sprintf("%s%d", c, r), nil)
			}
			return r
		}, `inputs.xlsx: Scopes!O%d: QALYs per death: missing`},
		{"bias not an uplift", at(sheetCalibration, "D", "B", "equipment", "lots"),
			`inputs.xlsx: Calibration!D%d: optimism bias equipment: must be a non-negative uplift such as 20% or 0.2, got "lots"`},
		{"bias negative", at(sheetCalibration, "E", "B", "outsourcing", "-5%"),
			`inputs.xlsx: Calibration!E%d: optimism bias outsourcing: must be a non-negative uplift such as 20% or 0.2, got "-5%"`},
		{"bias lo above hi", at(sheetCalibration, "D", "B", "outsourcing", "50%"),
			`inputs.xlsx: Calibration!D%d: optimism bias outsourcing: want a range 0 ≤ lo ≤ hi ≤ 10, got [0.5, 0.41]`},
		{"bias without a source", at(sheetCalibration, "F", "B", "equipment", "F: the guidance"),
			`inputs.xlsx: Calibration!F%d: optimism bias equipment: tag F needs at least one source id, as in F [nao2017]: note`},
		{"bias missing", func(t testing.TB, f *excelize.File) int {
			r := rowOf(t, f, sheetCalibration, "B", "equipment")
			for _, c := range []string{"D", "E", "F"} {
				set(t, f, sheetCalibration, fmt.Sprintf("%s%d", c, r), nil)
			}
			return r
		}, `inputs.xlsx: Calibration!D%d: optimism bias equipment: missing: give the uplift range in lo and hi, e.g. 10% and 200%`},
		{"unknown project type", at(sheetCalibration, "B", "B", "outsourcing", "software"),
			`inputs.xlsx: Calibration!B%d: optimism bias software: project type must be equipment or outsourcing, got "software"`},
		{"bias twice", func(t testing.TB, f *excelize.File) int {
			if e := rowOf(t, f, sheetCalibration, "B", "equipment"); e != 13 {
				t.Fatalf("Calibration: equipment on row %d; the message below says 13", e)
			}
			r := rowOf(t, f, sheetCalibration, "B", "outsourcing")
			set(t, f, sheetCalibration, fmt.Sprintf("B%d", r), "Equipment")
			return r
		}, `inputs.xlsx: Calibration!B%d: id: optimism bias "equipment" appears twice (also on row 13)`},
		{"holdout observed", at(sheetHoldouts, "R", "A", "scripps-2021", "n/a"),
			`inputs.xlsx: Holdouts!R%d: observed: must be a non-negative amount, got "n/a"`},
		{"source year", at(sheetSources, "D", "A", "nao2017", "2017a"),
			`inputs.xlsx: Sources!D%d: year: must be a whole number from 0 to 9,999, got "2017a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var row int
			b := editBook(t, templateBytes(t), func(f *excelize.File) { row = tt.edit(t, f) })
			ds, _, _, err := loadBytes(b)
			if err == nil {
				t.Fatalf("LoadWorkbook() = %p, nil error; want %s", ds, tt.want)
			}
			want := strings.ReplaceAll(tt.want, "%d", fmt.Sprint(row))
			ces := cellErrors(err)
			var msgs []string
			found := false
			for _, ce := range ces {
				msgs = append(msgs, ce.Error())
				found = found || ce.Error() == want
			}
			if !found {
				t.Errorf("LoadWorkbook() problems:\n%s\nwant one to be\n%s", strings.Join(msgs, "\n"), want)
			}
			if len(ces) != len(unjoin(err)) {
				t.Errorf("LoadWorkbook() error %v: not every problem is a *CellError", err)
			}
		})
	}
}

// TestLoadWorkbookEdited checks the provenance of edited numbers: a number
// changed with its source left as the template wrote it, or blank, is a
// judgement "edited in <file>"; a new source is taken as written.
func TestLoadWorkbookEdited(t *testing.T) {
	t.Parallel()
	rate := func(ds *Dataset) *Number { return &ds.Scopes[0].Threats[0].Rate } // S1: Threats row 2, D:F
	tests := []struct {
		name     string
		lo       any     // new rate lo, or nil to keep it
		source   *string // new source, or nil to keep it
		wantTag  string
		wantSrc  []string
		wantNote string // prefix
		edited   bool
	}{
		{"value changed, source kept", 0.05, nil, "J", nil,
			"edited in inputs.xlsx; the template had [0.03, 0.2], J [nao2017, comparitech2020]: one WannaCry-class event", true},
		{"value changed, source cleared", 0.05, new(""), "J", nil, "edited in inputs.xlsx", true},
		{"value changed, new source", 0.05, new("F [nao2017]: a new count"), "F", []string{"nao2017"}, "a new count", false},
		{"value changed, untagged source", 0.05, new("board paper, March 2026"), "J", nil, "board paper, March 2026", false},
		{"source changed only", nil, new("J: a better reason"), "J", nil, "a better reason", false},
		{"same value retyped", "0.03", nil, "J", []string{"nao2017", "comparitech2020"}, "one WannaCry-class event", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := editBook(t, templateBytes(t), func(f *excelize.File) {
				if tt.lo != nil {
					set(t, f, sheetThreats, "D2", tt.lo)
				}
				if tt.source != nil {
					set(t, f, sheetThreats, "F2", *tt.source)
				}
			})
			ds, _, _, err := loadBytes(b)
			if err != nil {
				t.Fatalf("LoadWorkbook() error: %v", err)
			}
			n := rate(ds)
			if n.Tag != tt.wantTag || !slices.Equal(n.Src, tt.wantSrc) || !strings.HasPrefix(n.Note, tt.wantNote) {
				t.Errorf("rate of S1 = tag %q src %q note %q; want tag %q src %q note starting %q", n.Tag, n.Src, n.Note, tt.wantTag, tt.wantSrc, tt.wantNote)
			}
			wantEdited := []string(nil)
			if tt.edited {
				wantEdited = []string{"Threats!D2 (rate of S1)"}
			}
			if got := ds.Edited(); !slices.Equal(got, wantEdited) {
				t.Errorf("Edited() = %q; want %q", got, wantEdited)
			}
		})
	}
}

// sheetData is one sheet of a workbook built by a test.
type sheetData struct {
	name string
	rows [][]any
}

// buildBook writes a workbook with the given sheets; a string starting
// with "=" is written as a formula, with "cached:" after it the value it
// saved ("=A1*2 cached:4").
func buildBook(t testing.TB, sheets ...sheetData) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				s, ok := v.(string)
				if !ok || !strings.HasPrefix(s, "=") {
					set(t, f, sh.name, cell, v)
					continue
				}
				formula, cached, _ := strings.Cut(s[1:], " cached:")
				if x, err := strconv.ParseFloat(cached, 64); err == nil {
					set(t, f, sh.name, cell, x)
				}
				if err := f.SetCellFormula(sh.name, cell, formula); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestLoadWorkbookLayout reads a workbook written by hand: one scope and no
// scope columns, columns in another order, headers in other spellings, a
// title row above a header, blank rows, a column of the user's own, numbers
// as text and formulas.
func TestLoadWorkbookLayout(t *testing.T) {
	t.Parallel()
	b := buildBook(t,
		sheetData{"settings", [][]any{
			{"Setting", "Value"},
			{"Currency", "GBP "},
			{"price_year", "2024-25"},
			{"Draws", "1,000"},
			{"Budget", "£1.5m"},
			{"Discount Rate", "3.5%"},
			{"Optimism bias", "=0.1*2 cached:0.2"},
		}},
		sheetData{"SOURCES", [][]any{{"ID", "Publisher", "Title", "Year"}, {"s1", "P", "T", "2024"}}},
		sheetData{"Calibration", [][]any{
			{"Item", "Lo", "High", "Provenance"},
			{"spread", 80, 81, "F [s1]"},
			{"Duration", "5", "7", "F [s1]: a week"},
			{"lost output", "£19m", "", "F [s1]"},
			{"IT costs", "73,000,000", nil, "F [s1]"},
			{"total", "=D4+D5 cached:92000000", nil, "D [s1]: 19m + 73m"},
			{"deflator", 1.3, nil, "a guess"},
		}},
		sheetData{"Scopes", [][]any{{"id", "ORGS LO", "orgs source"}, {"trust", 1, "one trust"}}},
		sheetData{"Threats", [][]any{
			{"Threats of a trust"},
			{},
			{"Rate Hi", "rate_lo", "ID", "# my remarks", "Spread Lo", "Duration Lo", "duration hi", "rate source"},
			{"0.2", "0.05", "T1", "check with the CISO", 1, 5, "30", "J: a guess"},
			{},
			{0.5, 0.1, "T2 ", "", "0", "0", "", "J: no outage"},
		}},
		sheetData{"Controls", [][]any{
			{"id", "name", "capex lo", "capex hi", "opex lo", "lifetime lo", "requires"},
			{"K1", "Backups", "£50k", "£100k", "10k", 5, ""},
			{"K2", "MFA", 0, nil, "£5,000", "1", "K1"},
		}},
		sheetData{"Effects", [][]any{
			{"threat", "control", "frequency lo", "frequency hi", "duration lo", "duration hi"},
			{"T1", "K1", nil, nil, "30%", "60%"},
			{"T1", "K2", "20%", "0.5", nil, nil},
		}},
	)
	ds, st, scns, err := loadBytes(b)
	if err != nil {
		t.Fatalf("LoadWorkbook() error: %v", err)
	}
	if len(scns) != 0 {
		t.Errorf("scenarios = %d; want 0 (no Scenarios sheet)", len(scns))
	}
	if st.Draws != 1000 || st.Budget == nil || *st.Budget != 1.5e6 || st.Discount == nil || *st.Discount != 0.035 || st.OptimismBias != 0.2 {
		t.Errorf("Settings = %+v (budget %v, discount %v); want draws 1000, budget 1.5e6, discount 0.035, optimism bias 0.2", st, st.Budget, st.Discount)
	}
	if ds.Currency != "GBP" || ds.Version != 1 {
		t.Errorf("currency %q version %d; want GBP 1", ds.Currency, ds.Version)
	}
	c := ds.Calibration
	if c.Total.Lo != 92e6 || c.LostOutput.Lo != 19e6 || c.Deflator.Tag != "J" || c.Deflator.Note != "a guess" {
		t.Errorf("calibration total %g lost output %g deflator %+v", c.Total.Lo, c.LostOutput.Lo, c.Deflator)
	}
	s := ds.Scopes[0]
	if len(s.Threats) != 2 || s.Threats[1].ID != "T2" || !reflect.DeepEqual(s.Threats[0].Rate, Number{Lo: 0.05, Hi: 0.2, Tag: "J", Note: "a guess", ranged: true, ref: s.Threats[0].Rate.ref}) {
		t.Errorf("threats = %+v", s.Threats)
	}
	if d := s.Threats[0].Duration; d.Lo != 5 || d.Hi != 30 || d.Tag != "J" || d.Note != "edited in inputs.xlsx" {
		t.Errorf("T1 duration = %+v; want 5 to 30, J, edited in inputs.xlsx", d)
	}
	k := s.Controls
	if k[0].Capex.Lo != 50e3 || k[0].Capex.Hi != 100e3 || k[1].Opex.Lo != 5000 || !slices.Equal(k[1].Requires, []string{"K1"}) {
		t.Errorf("controls = %+v", k)
	}
	if f := k[1].Effects[0].Frequency; f == nil || f.Lo != 0.2 || f.Hi != 0.5 {
		t.Errorf("K2 effect on T1 frequency = %+v; want 0.2 to 0.5", f)
	}
	if e := ds.Edited(); len(e) < 12 || e[0] != "Threats!E4 (spread of T1)" || e[10] != "Effects!E2 (duration of K1 on T1)" {
		t.Errorf("Edited() = %q; want Threats!E4 (spread of T1) first and Effects!E2 (duration of K1 on T1)", e)
	}
	if got := len(ds.Edited()); got != 12 {
		t.Errorf("Edited() = %q; want 12 numbers without a source", ds.Edited())
	}
}

// TestLoadWorkbookEveryProblem checks that problems on several sheets are
// all reported, in sheet, row and column order.
func TestLoadWorkbookEveryProblem(t *testing.T) {
	t.Parallel()
	b := editBook(t, templateBytes(t), func(f *excelize.File) {
		set(t, f, sheetEffects, "D2", "lots")
		set(t, f, sheetControls, "H3", "tbc")
		set(t, f, sheetControls, "E2", "x")
		set(t, f, sheetSettings, "B7", "0")
		set(t, f, sheetThreats, "D3", "-1")
	})
	_, _, _, err := loadBytes(b)
	var got []string
	for _, ce := range cellErrors(err) {
		got = append(got, ce.Sheet+"!"+ce.Cell)
	}
	want := []string{"Settings!B7", "Threats!D3", "Controls!E2", "Controls!H3", "Effects!D2"}
	if !slices.Equal(got, want) {
		t.Errorf("problems at %q; want %q\n%v", got, want, err)
	}
}

// TestLoadWorkbookBadFiles checks files that are not inputs workbooks.
func TestLoadWorkbookBadFiles(t *testing.T) {
	t.Parallel()
	tmpl := templateBytes(t)
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "inputs.xlsx: not a readable .xlsx workbook"},
		{"text", []byte("id,name\nT1,x\n"), "inputs.xlsx: not a readable .xlsx workbook"},
		{"truncated", tmpl[:len(tmpl)/2], "inputs.xlsx: not a readable .xlsx workbook"},
		{"too large", make([]byte, maxWorkbookSize+1), "inputs.xlsx: larger than 32 MiB"},
		{"zip bomb", zipBomb(t, tmpl), "inputs.xlsx: not a readable .xlsx workbook (unzip size exceeds"},
		{"no sheets of ours", buildBook(t, sheetData{"Sheet1", [][]any{{"hello"}}}), "inputs.xlsx: Calibration: no Calibration sheet in the workbook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds, _, _, err := loadBytes(tt.b)
			if ds != nil || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadWorkbook() = %p, %v; want an error containing %q", ds, err, tt.want)
			}
		})
	}
}

// zipBomb returns the template with an extra part that unpacks to more
// than the limit.
func zipBomb(t testing.TB, tmpl []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(tmpl), int64(len(tmpl)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create("xl/media/big.bin")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range unzipSizeLimit>>20 + 1 {
		w.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestTemplatePrecision checks that a number with more digits than a cell
// keeps (15 significant) is written rounded, and read back as unedited.
func TestTemplatePrecision(t *testing.T) {
	t.Parallel()
	ds := mustDefault(t)
	f := ds.Scopes[1].Controls[0].Effects[0].Frequency
	f.Lo = 0.1 + 0.2 // 0.30000000000000004
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, ds, "", DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	got, _, _, err := loadBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	n := got.Scopes[1].Controls[0].Effects[0].Frequency
	if n.Lo != 0.3 || n.Tag != f.Tag || n.Note != f.Note || len(got.Edited()) != 0 {
		t.Errorf("frequency read back = %+v, edited %q; want 0.3 with its provenance", n, got.Edited())
	}
}
