package data

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
)

// flipBytes returns a copy of b with a few bytes spread through it flipped.
func flipBytes(b []byte, n int) []byte {
	c := bytes.Clone(b)
	step := max(len(c)/n, 1)
	for i := len(c) / (2 * n); i < len(c); i += step {
		c[i] ^= 0x01
	}
	return c
}

// largeWorkbookSeeds are the template and its corruptions: slow to open
// (tens of milliseconds each), so TestLoadWorkbookLargeSeeds checks them
// once, and the fuzz target starts from small workbooks that it can
// mutate at over a thousand executions a second.
func largeWorkbookSeeds(tb testing.TB) [][]byte {
	tmpl := templateBytes(tb)
	return [][]byte{
		tmpl,
		tmpl[:len(tmpl)/2],
		tmpl[:len(tmpl)-22], // no end of central directory
		flipBytes(tmpl, 8),
		flipBytes(tmpl, 500),
		editBook(tb, tmpl, func(x *excelize.File) {
			set(tb, x, sheetThreats, "D2", "£1.2m")
			set(tb, x, sheetThreats, "F2", "F [")
			set(tb, x, sheetEffects, "B2", "")
			set(tb, x, sheetSettings, "B7", "-3")
			set(tb, x, sheetScenarios, "L2", "N1, N1, zz")
			set(tb, x, sheetScenarios, "C3", "none")
			set(tb, x, sheetScopes, "L3", "")
			set(tb, x, sheetScopes, "S2", "1e400")
			set(tb, x, sheetCalibration, "B14", "")
			set(tb, x, sheetCalibration, "E13", "-200%")
		}),
	}
}

// TestLoadWorkbookLargeSeeds runs FuzzLoadWorkbook's checks on the
// template and its corruptions.
func TestLoadWorkbookLargeSeeds(t *testing.T) {
	t.Parallel()
	for _, b := range largeWorkbookSeeds(t) {
		checkWorkbook(t, b)
	}
}

// FuzzLoadWorkbook checks that LoadWorkbook returns a dataset or an error
// naming the file, never both and never a panic, and that a dataset it
// returns validates and builds its models, and its scenarios apply,
// without a panic.
//
//	go test -run='^$' -fuzz=FuzzLoadWorkbook -fuzztime=60s -fuzzminimizetime=100x ./data
//
// The seeds are small workbooks (a few kB), so that the fuzzer runs over a
// thousand executions a second; TestLoadWorkbookLargeSeeds checks the
// full template. The seed corpus (below, and crashers kept in
// testdata/fuzz) runs in the normal test suite.
func FuzzLoadWorkbook(f *testing.F) {
	f.Add(buildBook(f, sheetData{"Calibration", [][]any{{"item", "lo"}, {"spread", "1e308"}, {"check", "x"}}},
		sheetData{"Scopes", [][]any{{"id"}, {""}, {"s"}}},
		sheetData{"Threats", [][]any{{"ID", "RATE LO"}, {"t", "#N/A"}}},
		sheetData{"Controls", [][]any{{"id", "capex lo", "requires"}, {"c", 1, "c"}}}))
	f.Add(buildBook(f,
		sheetData{"Settings", [][]any{{"setting", "value"}, {"currency", "GBP"}, {"draws", 10}}},
		sheetData{"Scopes", [][]any{{"id", "name", "orgs lo", "orgs source"}, {"s", "S", 10, "J: x"}}},
		sheetData{"Threats", [][]any{{"scope", "id", "name", "rate lo", "rate hi", "rate source"}, {"s", "t", "T", 0.1, 1, "J: x"}}},
		sheetData{"Controls", [][]any{{"scope", "id", "name", "capex lo", "capex source"}, {"s", "c", "C", "5.000,50", "J: x"}}},
		sheetData{"Effects", [][]any{{"scope", "control", "threat", "frequency lo", "frequency hi", "frequency source"}, {"s", "c", "t", 1e-6, 1e-5, "J: x"}}}))
	f.Add(buildBook(f, sheetData{"Sheet1", nil}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(checkWorkbook)
}

// checkWorkbook is FuzzLoadWorkbook's check of one input.
func checkWorkbook(t *testing.T, b []byte) {
	ds, st, scns, err := LoadWorkbook(bytes.NewReader(b), "fuzz.xlsx")
	if (ds == nil) == (err == nil) {
		t.Fatalf("LoadWorkbook() = (%p, %v); want a dataset or an error", ds, err)
	}
	if err != nil {
		if !strings.HasPrefix(err.Error(), "fuzz.xlsx") {
			t.Errorf("LoadWorkbook() error = %q; want it to start with the file name", err)
		}
		return
	}
	if err := ds.Validate(); err != nil {
		t.Fatalf("LoadWorkbook() returned a dataset whose Validate() = %v", err)
	}
	if _, err := ds.Scope(st.Scope); st.Scope != "" && err != nil {
		t.Fatalf("Settings.Scope %q is not in the dataset", st.Scope)
	}
	cal := model.Calibration{DailyNow: 1, RecoveryNow: 1}
	for i := range ds.Scopes {
		m := ds.Scopes[i].Model(cal)
		_ = m.Validate()
		for _, sc := range scns {
			if sc.Err == nil {
				_, _ = sc.Apply(m)
				_ = sc.Settings(st)
			}
		}
	}
}
