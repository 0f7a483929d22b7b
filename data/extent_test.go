package data

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data/xlsxtest"
)

// TestFarCellsRefused is issue 27's hostile case 1: a workbook of a few
// tens of KB whose sheets hold blank cells in column XFD is refused within
// 200 MiB of allocation (the time is logged, not asserted: about 30 ms on
// a quiet machine), naming the sheet and range;
// blank cells a little beyond the tables still load. Not parallel: it
// measures the process's allocations.
func TestFarCellsRefused(t *testing.T) {
	tmpl := templateBytes(t)
	bomb := xlsxtest.FarCells(t, tmpl, "XFD", 1000, 0)
	t.Logf("the workbook: %d KB", len(bomb)>>10)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	began := time.Now()
	_, _, _, err := loadBytes(bomb)
	took := time.Since(began)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("refused in %v, %d MiB allocated", took, alloc>>20)
	want := regexp.MustCompile(`^inputs\.xlsx: \w+!XFD\d+:XFD\d+: the sheets span [\d,]+ cells .*more than the 500,000 a workbook may: delete the cells far beyond the tables \(here column XFD\)`)
	if err == nil || !want.MatchString(err.Error()) {
		t.Errorf("LoadWorkbook(blank cells in XFD) error = %v; want %v", err, want)
	}
	if alloc > 200<<20 {
		t.Errorf("LoadWorkbook(blank cells in XFD) allocated %d MiB; want at most 200", alloc>>20)
	}
	// Blank cells out to column AZ on 200 rows a sheet: a real file's
	// leftovers, read as before.
	if _, _, _, err := loadBytes(xlsxtest.FarCells(t, tmpl, "AZ", 200, 0)); err != nil {
		t.Errorf("LoadWorkbook(blank cells in AZ) error = %v; want none", err)
	}
}

// TestFarRowsRefused: one blank cell at the last row a sheet can have
// (excelize lays out every row above it) is refused too, naming the rows.
func TestFarRowsRefused(t *testing.T) {
	t.Parallel()
	err := CheckExtent(xlsxtest.FarCells(t, templateBytes(t), "A", 1, 1_048_576), "inputs.xlsx", unzipXMLLimit, MaxSheetCells)
	if err == nil || !strings.Contains(err.Error(), "rows down to 1,048,576") {
		t.Errorf("CheckExtent(a cell at A1048576) = %v; want the rows named", err)
	}
}

// TestFormulaIDsRefused is issue 27's hostile case 5: a control, threat or
// scope id that a spreadsheet would read as a formula is refused at
// validation, naming the cell (it went verbatim into the CSV files).
func TestFormulaIDsRefused(t *testing.T) {
	t.Parallel()
	for _, id := range []string{`=HYPERLINK("https://evil.example/","Click")`, `=cmd|' /C calc'!A0`, "+1", "-2+3", "@SUM(A1)", "−x"} {
		b := editBook(t, templateBytes(t), func(f *excelize.File) {
			row := rowOf(t, f, sheetControls, "B", "R-C1")
			set(t, f, sheetControls, fmt.Sprintf("B%d", row), id)
		})
		_, _, _, err := loadBytes(b)
		if err == nil || !regexp.MustCompile(`Controls!B\d+: .*must not begin with =, \+, -, −, @`).MatchString(err.Error()) {
			t.Errorf("LoadWorkbook(control id %q) error = %v; want it refused naming the cell", id, err)
		}
	}
	for _, id := range []string{"R-C1", "a=b", "C+", "x@y"} {
		if FormulaLike(id) {
			t.Errorf("FormulaLike(%q) = true; want false", id)
		}
	}
}

// TestTinyNumbersRefused is issue 27's hostile case 4 and 8c: numbers that
// validated but made ∞, NaN or 300-digit figures (a hold-out observed at
// 5e-324 "overshot by +Inf×", k_full = 5e-324 gave "NaN deaths", a rate of
// 1e-300 an ICER of £1.17e305 per QALY), and k_full = 0, which the social
// run then refused, are refused at validation, naming the field.
func TestTinyNumbersRefused(t *testing.T) {
	t.Parallel()
	harm := func(ds *Dataset) *Harm {
		for i := range ds.Scopes {
			if ds.Scopes[i].Harm != nil {
				return ds.Scopes[i].Harm
			}
		}
		t.Fatal("no scope has harm inputs")
		return nil
	}
	for _, tt := range []struct {
		name  string
		num   func(ds *Dataset) *Number
		x     float64
		field string
	}{
		{"hold-out observed 0", func(ds *Dataset) *Number { return &ds.Holdouts[0].Observed }, 0, ".observed"},
		{"hold-out observed 5e-324", func(ds *Dataset) *Number { return &ds.Holdouts[0].Observed }, 5e-324, ".observed"},
		{"hold-out observed 1e-300", func(ds *Dataset) *Number { return &ds.Holdouts[0].Observed }, 1e-300, ".observed"},
		{"hold-out spread 0", func(ds *Dataset) *Number { return &ds.Holdouts[0].Spread }, 0, ".spread"},
		{"hold-out spread 5e-324", func(ds *Dataset) *Number { return &ds.Holdouts[0].Spread }, 5e-324, ".spread"},
		{"k_full 0", func(ds *Dataset) *Number { return &harm(ds).KFull }, 0, ".k_full"},
		{"k_full 5e-324", func(ds *Dataset) *Number { return &harm(ds).KFull }, 5e-324, ".k_full"},
		{"orgs 1e-300", func(ds *Dataset) *Number { return &ds.Scopes[0].Orgs }, 1e-300, ".orgs"},
		{"rate 1e-300", func(ds *Dataset) *Number { return &ds.Scopes[0].Threats[0].Rate }, 1e-300, ".rate"},
		{"threat spread 1e-300", func(ds *Dataset) *Number { return &ds.Scopes[0].Threats[0].Spread }, 1e-300, ".spread"},
	} {
		ds := mustDefault(t)
		n := tt.num(ds)
		n.Lo, n.Hi = tt.x, tt.x
		err := ds.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.field+": ") || !strings.Contains(err.Error(), "is below the smallest the model takes") {
			t.Errorf("%s: Validate() = %v; want %s refused as below the smallest", tt.name, err, tt.field)
		}
	}
}

// TestCellsWronglyAccepted is issue 27's hostile case 8: a TRUE in the
// Settings sheet's draws (it ran 1 draw) and a cell naming a shared string
// the workbook does not hold (read as a blank name) are refused, naming
// the cell.
func TestCellsWronglyAccepted(t *testing.T) {
	t.Parallel()
	b := editBook(t, templateBytes(t), func(f *excelize.File) {
		set(t, f, sheetSettings, fmt.Sprintf("B%d", rowOf(t, f, sheetSettings, "A", "draws")), true)
	})
	if _, _, _, err := loadBytes(b); err == nil || !regexp.MustCompile(`Settings!B\d+: draws: holds the logical value TRUE`).MatchString(err.Error()) {
		t.Errorf("LoadWorkbook(draws = TRUE) error = %v; want the cell named", err)
	}
	done := false
	b = xlsxtest.RewriteParts(t, templateBytes(t), func(name string, part []byte) []byte {
		if done || !strings.HasPrefix(name, "xl/worksheets/sheet") {
			return part
		}
		re := regexp.MustCompile(`(<c r="([A-Z]+\d+)"[^>]*t="s"[^>]*><v>)\d+(</v>)`)
		m := re.FindSubmatch(part)
		if m == nil {
			return part
		}
		done = true
		t.Logf("%s: %s now names shared string 99999", name, m[2])
		return re.ReplaceAll(part, []byte("${1}99999${3}"))
	})
	if !done {
		t.Fatal("the template has no shared-string cell")
	}
	if _, _, _, err := loadBytes(b); err == nil || !regexp.MustCompile(`^inputs\.xlsx: \w+![A-Z]+\d+: refers to shared string 99999, but the workbook holds \d+: the file is damaged`).MatchString(err.Error()) {
		t.Errorf("LoadWorkbook(a cell naming a missing shared string) error = %v; want the cell named", err)
	}
}

// TestAmbiguousAmounts is issue 27's hostile case 11: "5.000" (5 here,
// 5,000 where a point groups thousands) is refused as ambiguous, on the
// command line and typed in a cell; 5.125 stored as a number, 5.5, "5.000m"
// and "5,000.00" are read as before.
func TestAmbiguousAmounts(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"5.000", "£12.500", "999.999"} {
		if v, err := ParseAmount(s); err == nil || !strings.Contains(err.Error(), "is ambiguous") {
			t.Errorf("ParseAmount(%q) = %v, %v; want it refused as ambiguous", s, v, err)
		}
	}
	for s, want := range map[string]float64{"5.5": 5.5, "5.000m": 5e6, "5,000.00": 5000, "1234.567": 1234.567, "0.5": 0.5} {
		if v, err := ParseAmount(s); err != nil || v != want {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v", s, v, err, want)
		}
	}
	for _, tt := range []struct {
		v    any
		want string
	}{{"5.000", `capex: "5.000" is ambiguous`}, {5.125, ""}} {
		b := editBook(t, templateBytes(t), func(f *excelize.File) {
			set(t, f, sheetControls, fmt.Sprintf("H%d", rowOf(t, f, sheetControls, "B", "R-C1")), tt.v)
		})
		_, _, _, err := loadBytes(b)
		if (tt.want == "" && err != nil) || (tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want))) {
			t.Errorf("LoadWorkbook(capex %v) error = %v; want %q", tt.v, err, tt.want)
		}
	}
}
