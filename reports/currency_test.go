package reports

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestCurrencyText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cur  currency
		in   float64
		want string
	}{
		{"€", 12_345, "€12.3k"},
		{"€", -2.5e6, "−€2.50m"},
		{"$", 1.234e9, "$1.23bn"},
		{"CHF ", 92e6, "CHF 92.0m"},
		{"CHF ", -950, "−CHF 950"},
		{"€", math.Copysign(0, -1), "€0"}, // the literal -0.0 is +0 in Go
	}
	for _, tt := range tests {
		t.Run(string(tt.cur)+"/"+tt.want, func(t *testing.T) {
			t.Parallel()
			if got := tt.cur.text(tt.in); got != tt.want {
				t.Errorf("currency(%q).text(%g) = %q; want %q", tt.cur, tt.in, got, tt.want)
			}
		})
	}
}

func TestCurrencyNumFmt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cur  currency
		want string
	}{
		{"£", `"£"#,##0;[Red]-"£"#,##0`},
		{"€", `"€"#,##0;[Red]-"€"#,##0`},
		{"CHF ", `"CHF "#,##0;[Red]-"CHF "#,##0`},
		{`a"b`, `"ab"#,##0;[Red]-"ab"#,##0`},
	}
	for _, tt := range tests {
		if got := tt.cur.numFmt(); got != tt.want {
			t.Errorf("currency(%q).numFmt() = %s; want %s", tt.cur, got, tt.want)
		}
	}
}

func TestCurrencyOf(t *testing.T) {
	t.Parallel()
	for sym, want := range map[string]currency{"": "£", "£": "£", "€": "€", "CHF ": "CHF "} {
		if got := currencyOf(&Report{CurrencySymbol: sym}); got != want {
			t.Errorf("currencyOf(CurrencySymbol %q) = %q; want %q", sym, got, want)
		}
	}
}

// inEuros returns a copy of a shared report with the euro as its currency.
func inEuros(t *testing.T, get func() (*Report, error)) *Report {
	t.Helper()
	r := *report(t, get)
	r.CurrencySymbol = "€"
	return &r
}

func TestTicksInCurrency(t *testing.T) {
	t.Parallel()
	eur := currency("€").tick
	var got []string
	for _, tk := range (logTicks{Label: eur}).Ticks(6, 8) {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
	}
	if want := []string{"€1m", "€3m", "€10m", "€30m", "€100m"}; !slices.Equal(got, want) {
		t.Errorf("logTicks{euros}.Ticks(6, 8) labels = %q; want %q", got, want)
	}
	for _, tk := range (linearTicks{Label: eur}).Ticks(-2e6, 4e6) {
		if tk.Label != "" && !strings.Contains(tk.Label, "€") {
			t.Errorf("linearTicks{euros} label %q has no €", tk.Label)
		}
	}

}

// TestFiguresInCurrency checks that no figure's title, caption, axis label
// or tick label shows £ when the report's currency is the euro, and that
// the LEC's money axis is labelled in euros.
func TestFiguresInCurrency(t *testing.T) {
	t.Parallel()
	for _, get := range []func() (*Report, error){typical, social, sensitive, chosenNPV} {
		figs, err := Figures(inEuros(t, get))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range figs {
			texts := []string{f.Title, f.Caption, f.plot.X.Label.Text, f.plot.Y.Label.Text}
			for _, ax := range []*plot.Axis{&f.plot.X, &f.plot.Y} {
				for _, tk := range ax.Tick.Marker.Ticks(ax.Min, ax.Max) {
					texts = append(texts, tk.Label)
				}
			}
			for _, s := range texts {
				if strings.Contains(s, "£") {
					t.Errorf("%s: %q has £; want €", f.Name, s)
				}
			}
			if f.Name != "lec" {
				continue
			}
			var euros int
			for _, tk := range f.plot.X.Tick.Marker.Ticks(f.plot.X.Min, f.plot.X.Max) {
				if strings.HasPrefix(tk.Label, "€") {
					euros++
				}
			}
			if euros == 0 || !strings.Contains(f.plot.X.Label.Text, "€") {
				t.Errorf("lec: x axis %q has %d tick labels in €; want its label and ticks in €", f.plot.X.Label.Text, euros)
			}
		}
	}
}

// TestWorkbookInCurrency checks that a workbook in euros formats money
// cells with €, heads its columns in € and shows no £ on any sheet but
// About (which cites the Green Book's value of a QALY in pounds) and
// Inputs (whose units are the caller's, here in pounds).
func TestWorkbookInCurrency(t *testing.T) {
	skipUnlessLong(t, "workbooks in several currencies")
	t.Parallel()
	for _, get := range []func() (*Report, error){typical, social, sensitive, chosenNPV} {
		r := inEuros(t, get)
		want := moneyFmtOf(r)
		if !strings.Contains(want, `"€"`) {
			t.Fatalf("money format %s is not in euros", want)
		}
		f, _ := openBook(t, r)
		for _, cell := range []string{"B7", "C8"} { // ALE, P95 SE
			id, err := f.GetCellStyle(sheetSummary, cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.CustomNumFmt == nil || *st.CustomNumFmt != want {
				t.Errorf("%s!%s number format = %v; want %s", sheetSummary, cell, st.CustomNumFmt, want)
			}
		}
		if head := rows(t, f, sheetRanking)[0]; !slices.Contains(head, "NPV (€)") {
			t.Errorf("%s header %q lacks NPV (€)", sheetRanking, head)
		}
		for _, sheet := range f.GetSheetList() {
			if sheet == sheetAbout || sheet == sheetInputs {
				continue
			}
			for i, row := range rows(t, f, sheet) {
				for j, c := range row {
					if strings.Contains(c, "£") {
						t.Errorf("%s!%s = %q has £; want €", sheet, cellName(j+1, i+1), c)
					}
				}
			}
		}
	}
}

// TestCSVInjection is issue 27's hostile case 5: every CSV cell a
// spreadsheet would read as a formula is written with a ' before it;
// numbers, negative ones included, are left as they are.
func TestCSVInjection(t *testing.T) {
	t.Parallel()
	f := Figure{Name: "ranking", data: [][]string{
		{"control", "npv"},
		{`=HYPERLINK("https://evil.example/","Click")`, "-1234.5"},
		{"+cmd", "1e6"},
		{"@SUM(A1)", "-inf"},
		{"\tx", "−2"},
		{"R-C1", "3"},
	}}
	var buf bytes.Buffer
	if err := f.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	want := utf8BOM + "control,npv\n" +
		`"'=HYPERLINK(""https://evil.example/"",""Click"")",-1234.5` + "\n" +
		"'+cmd,1e6\n" +
		"'@SUM(A1),'-inf\n" +
		"'\tx,'−2\n" +
		"R-C1,3\n"
	if got := buf.String(); got != want {
		t.Errorf("WriteCSV() =\n%q\nwant\n%q", got, want)
	}
}
