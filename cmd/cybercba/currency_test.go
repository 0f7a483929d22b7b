package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestRunCurrencySymbol checks that --currency-symbol sets the symbol of
// every amount in the terminal table and is echoed with the price year,
// and that without it the dataset's currency (GBP) gives £.
func TestRunCurrencySymbol(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		extra  []string
		money  string // the header's money convention
		symbol string
		absent string
	}{
		{"default", nil, "Money in GBP (£), 2024-25 prices.", "£", "€"},
		{"euro", []string{"--currency-symbol", "€"}, "Money in GBP (€), 2024-25 prices.", "€", "£"},
		{"euro social", []string{"--currency-symbol", "€", "--scope", "acute-trust", "--view", "social", "--budget", "2m"},
			"Money in GBP (€), 2024-25 prices.", "€", "£"},
		{"code", []string{"--currency-symbol", "CHF "}, "Money in GBP (CHF), 2024-25 prices.", "CHF ", "£"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := runArgs(tt.extra...)
			r := cybercba(t, args...)
			mustSucceed(t, r, args)
			if !strings.Contains(r.stdout, tt.money) {
				t.Errorf("cybercba %s: output lacks %q:\n%s", strings.Join(args, " "), tt.money, r.stdout)
			}
			if want := "expected annual loss " + tt.symbol; !strings.Contains(r.stdout, want) {
				t.Errorf("cybercba %s: output lacks %q", strings.Join(args, " "), want)
			}
			if strings.Contains(r.stdout, tt.absent) {
				t.Errorf("cybercba %s: output has %q:\n%s", strings.Join(args, " "), tt.absent, r.stdout)
			}
		})
	}
}

func TestRunCurrencySymbolJSON(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		extra []string
		want  string
	}{
		{nil, "£"},
		{[]string{"--currency-symbol", "€"}, "€"},
	} {
		out, _ := jsonRun(t, tt.extra...)
		for path, want := range map[string]string{"currency": "GBP", "currency_symbol": tt.want, "price_year": "2024-25"} {
			if got := field(t, out, path); got != want {
				t.Errorf("run --json %q: %s = %v; want %q", tt.extra, path, got, want)
			}
		}
	}
}

// TestRunCurrencySymbolWorkbook checks that the workbook of a run in
// euros formats the Summary's money cells in euros (millions, for the
// national default scope).
func TestRunCurrencySymbolWorkbook(t *testing.T) {
	skipUnlessLong(t, "runs with files in another currency")
	t.Parallel()
	out := t.TempDir()
	args := fileArgs(out, "--currency-symbol", "€")
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	f, err := excelize.OpenFile(filepath.Join(out, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	// The default scope's losses run to hundreds of millions: amounts
	// show in millions of euros.
	const want = `"€"#,##0.0,,"m";[Red]"−€"#,##0.0,,"m"`
	found := false
	for i, row := range rows {
		if len(row) < 2 || row[0] != "Expected annual loss (ALE)" {
			continue
		}
		found = true
		cell, _ := excelize.CoordinatesToCellName(2, i+1)
		id, err := f.GetCellStyle("Summary", cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.CustomNumFmt == nil || *st.CustomNumFmt != want {
			t.Errorf("Summary!%s (ALE) number format = %v; want %s", cell, st.CustomNumFmt, want)
		}
	}
	if !found {
		t.Error("Summary has no ALE row")
	}
}

func TestCurrencySymbolOtherCommands(t *testing.T) {
	skipUnlessLong(t, "every command in another currency")
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"calibrate", "--currency-symbol", "€"}, []string{"daily lost output per organisation-day, c_d        €", "expected cost €"}},
		{[]string{"sensitivity", "--draws", "20", "--years", "200", "--decision-draws", "100", "--scope", "acute-trust", "--top", "3", "--currency-symbol", "€", "--no-files"},
			[]string{"money in GBP (€), 2024-25 prices", "NPV is ", "€", "EVPI €"}},
		{[]string{"sensitivity", "--draws", "20", "--years", "200", "--decision-draws", "100", "--scope", "acute-trust", "--top", "3", "--currency-symbol", "€", "--json", "--no-files"},
			[]string{`"currency_symbol": "€"`, `"price_year": "2024-25"`}},
	} {
		r := cybercba(t, tt.args...)
		mustSucceed(t, r, tt.args)
		for _, want := range tt.want {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("cybercba %s: output lacks %q:\n%s", strings.Join(tt.args, " "), want, r.stdout)
			}
		}
	}
}
