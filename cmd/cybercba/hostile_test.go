package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
)

// The command line's part of the hostile-input suite (issue 13): each case
// once crashed, hung, fooled the tool or left a wrong file behind.

// feedFIFO makes a FIFO in dir holding b for one reader, and returns its
// path. The writer gives up after a minute, so a test that never opens it
// does not leak a goroutine forever.
func feedFIFO(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v (no FIFOs on this system)", err)
	}
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		f.Write(b)
	}()
	return path
}

// withTimeout fails the test when fn takes longer than a minute: a hang,
// not a slow run.
func withTimeout(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s: still running after a minute; want it to read its input once and finish", what)
	}
}

// TestHostileFIFODataset is issue 13's case 9: a FIFO as the dataset is read
// once, by run, validate, calibrate and template alike.
func TestHostileFIFODataset(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	yaml := data.DefaultBytes()
	for _, tt := range []struct {
		name string
		args func(fifo string) []string
		want string
	}{
		{"run", func(p string) []string { return runArgs(p) }, "Each control alone"},
		{"validate", func(p string) []string { return []string{"validate", p} }, ": ok:"},
		{"calibrate", func(p string) []string { return []string{"calibrate", p} }, "c_d"},
		{"template", func(p string) []string { return []string{"template", p, "-o", filepath.Join(dir, "t.xlsx")} }, "Wrote"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fifo := feedFIFO(t, dir, tt.name+".yaml", yaml)
			args := tt.args(fifo)
			var r result
			withTimeout(t, strings.Join(args, " "), func() { r = cybercba(t, args...) })
			if r.code != exitOK || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("cybercba %s: exit %d, stdout %.200q, stderr %q; want 0 and %q", strings.Join(args, " "), r.code, r.stdout, r.stderr, tt.want)
			}
		})
	}
	// A workbook through a FIFO: run takes its settings and its dataset
	// from the one read.
	tpl := filepath.Join(dir, "inputs.xlsx")
	mustSucceed(t, cybercba(t, "template", "-o", tpl), []string{"template"})
	b, err := os.ReadFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	fifo := feedFIFO(t, dir, "inputs-fifo.xlsx", b)
	var r result
	withTimeout(t, "run on a workbook FIFO", func() { r = cybercba(t, runArgs(fifo)...) })
	if r.code != exitOK {
		t.Errorf("cybercba run %s: exit %d, stderr %q; want 0", fifo, r.code, r.stderr)
	}
}

// TestHostileStdinDataset is issue 13's case 9: "-" reads the dataset from
// standard input. It swaps os.Stdin, so it does not run in parallel.
func TestHostileStdinDataset(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "-"}, "stdin: ok:"},
		{runArgs("-"), "Each control alone"},
	} {
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		go func() { pw.Write(data.DefaultBytes()); pw.Close() }()
		old := os.Stdin
		os.Stdin = pr
		var r result
		withTimeout(t, strings.Join(tt.args, " "), func() { r = cybercba(t, tt.args...) })
		os.Stdin = old
		pr.Close()
		if r.code != exitOK || !strings.Contains(r.stdout, tt.want) {
			t.Errorf("cybercba %s < nhs.yaml: exit %d, stdout %.200q, stderr %q; want 0 and %q", strings.Join(tt.args, " "), r.code, r.stdout, r.stderr, tt.want)
		}
	}
	// A broken dataset on standard input is named "stdin" in its errors.
	pr, pw, _ := os.Pipe()
	go func() { pw.Write([]byte("version: 2\n")); pw.Close() }()
	old := os.Stdin
	os.Stdin = pr
	r := cybercba(t, "validate", "-")
	os.Stdin = old
	pr.Close()
	if r.code != exitInput || !strings.Contains(r.stdout, "stdin:1: version: must be 1") {
		t.Errorf("cybercba validate - < broken: exit %d, stdout %q; want 3 naming stdin:1", r.code, r.stdout)
	}
}

// TestHostileMemory is issue 13's case 10: a run that would not fit in
// --max-memory is refused before it starts, with the estimate and what to
// change.
func TestHostileMemory(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"run", "--no-files", "--draws", "1000000", "--years", "50", "--max-memory", "1G"},
			[]string{"would need about 7.", "GiB of memory", "1000000 draws × 50 years × 13 options", "more than --max-memory, 1.0 GiB", "--draws 1"}},
		{[]string{"run", "--no-files", "--draws", "1", "--years", "10000000", "--max-memory", "100M"},
			[]string{"would need about 1.5 GiB", "--years 2", "at --draws 1"}},
		{[]string{"run", "--no-files", "--max-memory", "lots"},
			[]string{"--max-memory: want a memory size such as 512M or 8G"}},
	} {
		var r result
		withTimeout(t, strings.Join(tt.args, " "), func() { r = cybercba(t, tt.args...) })
		if r.code != exitInput {
			t.Errorf("cybercba %s: exit %d; want %d", strings.Join(tt.args, " "), r.code, exitInput)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("cybercba %s: stderr %q; want %q", strings.Join(tt.args, " "), r.stderr, w)
			}
		}
	}
}

// TestHostileReproduceEditedResults is issue 13's case 1: reproduce checks
// what a reader sees. An edited figure on a results sheet is named with
// what the file says and what the inputs give, and reproduce exits 1; the
// quick check of the About sheet's digest catches it without a re-run.
func TestHostileReproduceEditedResults(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	args := []string{"run", "--quiet", "--scope", "acute-trust", "--draws", "12", "--years", "300", "-o", dir}
	mustSucceed(t, cybercba(t, args...), args)
	book := filepath.Join(dir, "report.xlsx")
	if r := cybercba(t, "reproduce", "--quick", book); r.code != exitOK || !strings.Contains(r.stdout, "Unedited") {
		t.Fatalf("reproduce --quick of a fresh report: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, tt := range []struct {
		sheet, cell string
		v           any
		want        string
	}{
		{"Summary", "B7", 1.0, "Summary!B7: the file says £1"},
		{"Ranking", "Q2", 999.0, "Ranking!Q2: the file says £999, the inputs give £"},
		{"Calibration", "B4", "tampered", "Calibration!B4: the file says tampered"},
	} {
		f, err := excelize.OpenFile(book)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue(tt.sheet, tt.cell, tt.v); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "edited.xlsx")
		if err := f.SaveAs(out); err != nil {
			t.Fatal(err)
		}
		f.Close()
		r := cybercba(t, "reproduce", out)
		if r.code != exitFailure || !strings.Contains(r.stdout, tt.want) || !strings.Contains(r.stdout, "the inputs give") || strings.Contains(r.stdout, "Identical") {
			t.Errorf("reproduce after setting %s!%s to %v: exit %d; want 1 and %q\n%s", tt.sheet, tt.cell, tt.v, r.code, tt.want, r.stdout)
		}
		if r := cybercba(t, "reproduce", "--quick", out); r.code != exitFailure || !strings.Contains(r.stdout, "a cell was edited") {
			t.Errorf("reproduce --quick after setting %s!%s: exit %d; want 1\n%s", tt.sheet, tt.cell, r.code, r.stdout)
		}
	}
}
