package data

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestHostileAmountCells is issue 13's case 13: amounts that a workbook
// would otherwise misread are refused, naming the cell: a decimal comma
// after a point ("5.000,50" was read as 5.0005), a date (read as the days
// since 1900), TRUE (read as 1), and an amount in another currency than
// the dataset's, typed with its sign or shown in a currency format.
func TestHostileAmountCells(t *testing.T) {
	t.Parallel()
	tmpl := templateBytes(t)
	styled := func(format string, v any) func(t testing.TB, f *excelize.File, cell string) {
		return func(t testing.TB, f *excelize.File, cell string) {
			set(t, f, sheetControls, cell, v)
			id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(sheetControls, cell, cell, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	value := func(v any) func(t testing.TB, f *excelize.File, cell string) {
		return func(t testing.TB, f *excelize.File, cell string) { set(t, f, sheetControls, cell, v) }
	}
	tests := []struct {
		name string
		edit func(t testing.TB, f *excelize.File, cell string)
		want string
	}{
		{"european grouping", value("5.000,50"), `capex: must be a non-negative amount, got "5.000,50"`},
		// As Excel does when a date is typed into a cell: the cell takes a
		// date format (built-in format 14).
		{"date", func(t testing.TB, f *excelize.File, cell string) {
			set(t, f, sheetControls, cell, time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC))
			id, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // Excel's built-in short date
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(sheetControls, cell, cell, id); err != nil {
				t.Fatal(err)
			}
		}, `capex: is formatted as a date or time, so 45448 is not the number it shows`},
		{"date format", styled("dd/mm/yyyy", 45446), `capex: is formatted as a date or time`},
		{"boolean", value(true), `capex: holds the logical value TRUE, not a number`},
		{"dollars typed", value("$1,200"), `capex: "$1,200" is in $, but the dataset's amounts are in GBP (£)`},
		{"euros typed", value("€5m"), `capex: "€5m" is in €, but the dataset's amounts are in GBP (£)`},
		{"dollar format", styled(`"$"#,##0`, 1200), `capex: is formatted in $, but the dataset's amounts are in GBP (£)`},
		{"euro locale format", styled(`[$€-x-euro2] #,##0.00`, 1200), `capex: is formatted in €`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var row int
			b := editBook(t, tmpl, func(f *excelize.File) {
				row = rowOf(t, f, sheetControls, "B", "C3")
				tt.edit(t, f, fmt.Sprintf("H%d", row))
			})
			_, _, _, err := loadBytes(b)
			want := fmt.Sprintf("inputs.xlsx: Controls!H%d: %s", row, tt.want)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("LoadWorkbook() = %v; want a problem containing %q", err, want)
			}
		})
	}
	// The same amounts in the dataset's own currency are fine.
	for _, v := range []any{"£1,200", "5,000.50", 1200} {
		b := editBook(t, tmpl, func(f *excelize.File) {
			set(t, f, sheetControls, fmt.Sprintf("H%d", rowOf(t, f, sheetControls, "B", "C3")), v)
		})
		if _, _, _, err := loadBytes(b); err != nil {
			t.Errorf("LoadWorkbook() with capex %v: %v; want it read", v, err)
		}
	}
}

// TestHostileEditTrackingWithoutColumn is issue 13's case 14: a number
// changed without its source is read as the user's judgement even when the
// hidden "template values" column was deleted (or cleared), since the
// template keeps the same values in its custom document properties.
func TestHostileEditTrackingWithoutColumn(t *testing.T) {
	t.Parallel()
	tmpl := templateBytes(t)
	for _, tt := range []struct {
		name string
		drop func(t testing.TB, f *excelize.File, col string)
	}{
		{"column deleted", func(t testing.TB, f *excelize.File, col string) {
			if err := f.RemoveCol(sheetThreats, col); err != nil {
				t.Fatal(err)
			}
		}},
		{"column cleared", func(t testing.TB, f *excelize.File, col string) {
			rows, _ := f.GetRows(sheetThreats)
			for r := 2; r <= len(rows); r++ {
				set(t, f, sheetThreats, fmt.Sprintf("%s%d", col, r), nil)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := editBook(t, tmpl, func(f *excelize.File) {
				set(t, f, sheetThreats, "D2", 0.05) // the rate of S1, its source kept
				rows, err := f.GetRows(sheetThreats)
				if err != nil {
					t.Fatal(err)
				}
				col := ""
				for c, h := range rows[0] {
					if h == fingerprintHead {
						col, _ = excelize.ColumnNumberToName(c + 1)
					}
				}
				if col == "" {
					t.Fatal("no template values column on the Threats sheet")
				}
				tt.drop(t, f, col)
			})
			ds, _, _, err := loadBytes(b)
			if err != nil {
				t.Fatalf("LoadWorkbook() error: %v", err)
			}
			n := ds.Scopes[0].Threats[0].Rate
			if n.Tag != "J" || !strings.HasPrefix(n.Note, "edited in inputs.xlsx; the template had [0.03, 0.2]") {
				t.Errorf("rate of S1 = tag %q note %q; want J, edited in inputs.xlsx; the template had …", n.Tag, n.Note)
			}
			if got := ds.Edited(); len(got) != 1 || got[0] != "Threats!D2 (rate of S1)" {
				t.Errorf("Edited() = %q; want the rate of S1", got)
			}
		})
	}
}

// TestHostileMissingColumn is issue 13's case 16: a required column
// missing from the Controls sheet is one problem, not one for every row
// and every reference to the sheet's controls.
func TestHostileMissingColumn(t *testing.T) {
	t.Parallel()
	for _, head := range []string{"capex lo", "id"} {
		b := editBook(t, templateBytes(t), func(f *excelize.File) {
			rows, _ := f.GetRows(sheetControls)
			for c, h := range rows[0] {
				if h == head {
					name, _ := excelize.ColumnNumberToName(c + 1)
					if err := f.RemoveCol(sheetControls, name); err != nil {
						t.Fatal(err)
					}
					return
				}
			}
			t.Fatalf("no %q column", head)
		})
		_, _, _, err := loadBytes(b)
		ps := cellErrors(err)
		if len(ps) != 1 || !strings.Contains(ps[0].Error(), `Controls: missing column "`+head+`"`) {
			var lines []string
			for _, p := range ps {
				lines = append(lines, p.Error())
			}
			t.Errorf("LoadWorkbook() without the %q column: %d problems; want one naming the column:\n%s", head, len(ps), strings.Join(lines, "\n"))
		}
	}
}
