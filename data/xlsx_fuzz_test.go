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

// FuzzLoadWorkbook checks that LoadWorkbook returns a dataset or an error
// naming the file, never both and never a panic, and that a dataset it
// returns validates and builds its models, and its scenarios apply,
// without a panic.
//
//	go test -run='^$' -fuzz=FuzzLoadWorkbook -fuzztime=60s -fuzzminimizetime=100x ./data
//
// The seed corpus (below, and crashers kept in testdata/fuzz) runs in the
// normal test suite.
func FuzzLoadWorkbook(f *testing.F) {
	tmpl := templateBytes(f)
	f.Add(tmpl)
	f.Add(tmpl[:len(tmpl)/2])
	f.Add(tmpl[:len(tmpl)-22]) // no end of central directory
	f.Add(flipBytes(tmpl, 8))
	f.Add(flipBytes(tmpl, 500))
	f.Add(editBook(f, tmpl, func(x *excelize.File) {
		set(f, x, sheetThreats, "D2", "£1.2m")
		set(f, x, sheetThreats, "F2", "F [")
		set(f, x, sheetEffects, "B2", "")
		set(f, x, sheetSettings, "B7", "-3")
		set(f, x, sheetScenarios, "L2", "N1, N1, zz")
		set(f, x, sheetScenarios, "C3", "none")
		set(f, x, sheetScopes, "L3", "")
		set(f, x, sheetScopes, "S2", "1e400")
		set(f, x, sheetCalibration, "B14", "")
		set(f, x, sheetCalibration, "E13", "-200%")
	}))
	f.Add(buildBook(f, sheetData{"Calibration", [][]any{{"item", "lo"}, {"spread", "1e308"}, {"check", "x"}}},
		sheetData{"Scopes", [][]any{{"id"}, {""}, {"s"}}},
		sheetData{"Threats", [][]any{{"ID", "RATE LO"}, {"t", "#N/A"}}},
		sheetData{"Controls", [][]any{{"id", "capex lo", "requires"}, {"c", 1, "c"}}}))
	f.Add(buildBook(f, sheetData{"Sheet1", nil}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
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
	})
}
