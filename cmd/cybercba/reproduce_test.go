package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReproduce checks run then reproduce: identical at first; after an
// input cell on the Inputs sheet is edited, a digest mismatch naming the
// cell; after the recorded inputs themselves are edited, a mismatch and
// figures that differ.
func TestReproduce(t *testing.T) {
	skipUnlessLong(t, "writes a whole default run's files; CI runs it")
	t.Parallel()
	dir := t.TempDir()
	args := []string{"run", "--quiet", "--scope", "acute-trust", "--draws", "12", "--years", "300", "--decision-draws", "100", "--budget", "300k", "-o", dir}
	mustSucceed(t, cybercba(t, args...), args)
	book := filepath.Join(dir, "report.xlsx")

	r := cybercba(t, "reproduce", book)
	if r.code != exitOK || !strings.Contains(r.stdout, "Identical: every cell") {
		t.Fatalf("reproduce of a fresh report: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	edit := func(t *testing.T, sheet, cell string, v any) string {
		t.Helper()
		f, err := excelize.OpenFile(book)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "edited.xlsx")
		if err := f.SaveAs(out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// An edit on the What-if sheet (a toggle) is the reader's: ignored,
	// and said so.
	r = cybercba(t, "reproduce", edit(t, "What-if", "C6", 7.0))
	if r.code != exitOK || !strings.Contains(r.stdout, "Identical: every cell") || !strings.Contains(r.stdout, "Not compared: What-if") {
		t.Errorf("reproduce after editing the What-if sheet: exit %d\n%s", r.code, r.stdout)
	}
	// Issue 27, case 9: an edit only a reader sees (a hidden top Ranking
	// row) fails reproduce, naming it, and reproduce --quick.
	hidden := func() string {
		f, err := excelize.OpenFile(book)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.SetRowVisible("Ranking", 2, false); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "hidden.xlsx")
		if err := f.SaveAs(out); err != nil {
			t.Fatal(err)
		}
		return out
	}()
	r = cybercba(t, "reproduce", hidden)
	if r.code != exitFailure || !strings.Contains(r.stdout, "Ranking!2:2 (row): the file says hidden, the inputs give shown") {
		t.Errorf("reproduce after hiding Ranking's top row: exit %d\n%s", r.code, r.stdout)
	}
	if r = cybercba(t, "reproduce", "--quick", book); r.code != exitOK || !strings.Contains(r.stdout, "Unedited:") {
		t.Errorf("reproduce --quick of a fresh report: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = cybercba(t, "reproduce", "--quick", hidden); r.code != exitFailure || !strings.Contains(r.stdout, "Different:") {
		t.Errorf("reproduce --quick after hiding Ranking's top row: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cybercba(t, "reproduce", edit(t, "Inputs", "D12", 123456.0))
	if r.code != exitFailure || !strings.Contains(r.stdout, "Digest mismatch") || !strings.Contains(r.stdout, "Inputs!D12") {
		t.Errorf("reproduce after editing Inputs!D12: exit %d\n%s", r.code, r.stdout)
	}

	// Edit the recorded dataset: the first threat rate line on the
	// Reproduce sheet.
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Reproduce")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if len(row) > 0 && strings.Contains(row[0], "rate:") && strings.Contains(row[0], "lo: 0.005") {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			r = cybercba(t, "reproduce", edit(t, "Reproduce", cell, strings.Replace(row[0], "lo: 0.005", "lo: 0.01", 1)))
			if r.code != exitFailure || !strings.Contains(r.stdout, "Digest mismatch") || !strings.Contains(r.stdout, "Different:") {
				t.Errorf("reproduce after editing the recorded dataset: exit %d\n%s", r.code, r.stdout)
			}
			return
		}
	}
	t.Fatal("no rate line with lo: 0.005 on the Reproduce sheet")
}

// TestReproduceSocialPlan checks that reproduce replays every option a
// report records: the social view's health-economics sheets, a phased
// plan's Plan sheet, the risk tolerance and guidance optimism bias (it
// once replayed none of them, so a social report failed with "the inputs
// give no such sheet").
func TestReproduceSocialPlan(t *testing.T) {
	skipUnlessLong(t, "a social run with files, replayed")
	t.Parallel()
	dir := t.TempDir()
	args := []string{"run", "--quiet", "--draws", "8", "--years", "200", "--decision-draws", "100", "--view", "social",
		"--risk-tolerance", "500m:1/50", "--budget-plan", "2026-27:20m,2027-28:20m", "--bias-guidance", "-o", dir}
	mustSucceed(t, cybercba(t, args...), args)
	r := cybercba(t, "reproduce", "--quiet", filepath.Join(dir, "report.xlsx"))
	if r.code != exitOK || !strings.Contains(r.stdout, "Identical: every cell") {
		t.Fatalf("reproduce of a social report with a plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Health economics", "Plan", "--risk-tolerance=500m:1/50", "--bias-guidance=true", "--budget-plan-kind="} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("reproduce's output lacks %q:\n%s", want, r.stdout)
		}
	}
}
