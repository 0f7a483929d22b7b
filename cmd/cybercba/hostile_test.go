package main

import (
	"bytes"
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
	b := defaultTemplate(t)
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
		{[]string{"run", "--no-files", "--draws", "1000000", "--years", "50", "--max-memory", "100M"},
			[]string{"would need about 1.", "GiB of memory (1000000 draws × 50 years, 12 controls)", "more than --max-memory, 100 MiB", "use at most about --draws 3"}},
		{[]string{"run", "--no-files", "--draws", "1", "--years", "200000", "--max-memory", "80M"},
			[]string{"would need about", "use at most about --years ", "at --draws 1"}},
		{[]string{"run", "--no-files", "--draws", "1", "--years", "10000000", "--max-memory", "10M"},
			[]string{"more than --max-memory, 10 MiB: the program alone needs about 64 MiB"}},
		{[]string{"run", "--no-files", "--max-memory", "lots"},
			[]string{"--max-memory: want a memory size such as 512M or 8G"}},
		// Issue 13's case 13 on the command line: amounts in another
		// currency than the dataset's, every one named.
		{[]string{"run", "--no-files", "--budget", "$5m", "--capex-budget", "2m", "--frontier-budgets", "1m,€2m"},
			[]string{`--budget: "$5m" is in $, but the dataset's amounts are in GBP (£)`, `--frontier-budgets: "€2m" is in €`}},
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
	skipUnlessLong(t, "writes a whole default run's files; CI runs it")
	t.Parallel()
	dir := t.TempDir()
	args := []string{"run", "--quiet", "--scope", "acute-trust", "--draws", "12", "--years", "300", "--decision-draws", "100", "-o", dir}
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
		{"Ranking", "F2", 999.0, "Ranking!F2: the file says £999, the inputs give £"},
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
		if r := cybercba(t, "reproduce", "--quick", out); r.code != exitFailure || !strings.Contains(r.stdout, "Different: the results sheets' digest") {
			t.Errorf("reproduce --quick after setting %s!%s: exit %d; want 1\n%s", tt.sheet, tt.cell, r.code, r.stdout)
		}
	}
}

// fullWriter fails every write, as /dev/full does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestHostileStdoutFull is issue 13's case 4: a command whose output
// cannot be written exits non-zero, saying so, as --json already did.
func TestHostileStdoutFull(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{runArgs(), {"calibrate"}, {"validate", "-h"}, {"help"}} {
		var stderr strings.Builder
		err := run(t.Context(), args, fullWriter{}, &stderr)
		code := exitCode(err, &stderr)
		if code != exitFailure || !strings.Contains(stderr.String(), "writing to standard output: no space left on device") {
			t.Errorf("cybercba %s > /dev/full: exit %d, stderr %q; want 1 and the write error", strings.Join(args, " "), code, stderr.String())
		}
	}
}

// TestHostileOverwrite is issue 13's cases 3 and 15: no command writes over
// its own input; an existing file that is not the tool's output of the
// same kind is replaced only with --force; batch checks its output before
// running a scenario; template creates a missing folder.
func TestHostileOverwrite(t *testing.T) {
	skipUnlessLong(t, "writes a whole default run's files; CI runs it")
	t.Parallel()
	dir := t.TempDir()
	d := filepath.Join(dir, "new", "folder")
	tpl := filepath.Join(d, "report.xlsx")
	mustSucceed(t, cybercba(t, "template", "-o", tpl), []string{"template", "-o", tpl}) // creates new/folder
	before, err := os.ReadFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "notes.xlsx")
	if err := os.WriteFile(foreign, []byte("my own notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{runArgs("--no-files=false", tpl, "-o", d), exitInput, "-o " + tpl + " is one of the command's inputs"},
		{[]string{"batch", tpl, "-o", tpl}, exitUsage, "is the inputs workbook"},
		{[]string{"batch", tpl, "-o", foreign}, exitInput, "-o " + foreign + " exists and is not cybercba batch results: choose another name, or replace it with --force"},
		{[]string{"batch", tpl, "-o", filepath.Join(notDir, "results.xlsx")}, exitInput, "-o: cannot create the folder " + notDir},
		{[]string{"template", "-o", foreign}, exitInput, "exists: choose another name with -o, or replace it with --force"},
	} {
		start := time.Now()
		r := cybercba(t, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("cybercba %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.want)
		}
		if strings.Contains(r.stdout, "Ran ") {
			t.Errorf("cybercba %s ran its scenarios before refusing its output (%s)", strings.Join(tt.args, " "), time.Since(start))
		}
	}
	if after, _ := os.ReadFile(tpl); !bytes.Equal(before, after) {
		t.Errorf("%s changed: a command wrote over its input", tpl)
	}
	if b, _ := os.ReadFile(foreign); string(b) != "my own notes" {
		t.Errorf("%s changed without --force", foreign)
	}
	// run: a foreign report.xlsx is kept unless --force; the run's own
	// last report is replaced.
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "report.xlsx"), []byte("not a report"), 0o644); err != nil {
		t.Fatal(err)
	}
	runOut := []string{"run", "--quiet", "--draws", "8", "--years", "200", "--decision-draws", "100", "--format", "svg", "-o", out}
	if r := cybercba(t, runOut...); r.code != exitInput || !strings.Contains(r.stderr, "exists and is not a cybercba run's report") {
		t.Errorf("run into a folder with a foreign report.xlsx: exit %d, stderr %q; want 3", r.code, r.stderr)
	}
	mustSucceed(t, cybercba(t, append(runOut, "--force")...), runOut)
	mustSucceed(t, cybercba(t, runOut...), runOut) // its own report now
}

// TestHostileFlagsAfterDataset is issue 13's case 16: every command takes
// its flags before or after the dataset, as run does.
func TestHostileFlagsAfterDataset(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nhs.yaml")
	if err := os.WriteFile(path, data.DefaultBytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"calibrate", path, "--seed", "3"},
		{"validate", path, "--strict=false"},
	} {
		if r := cybercba(t, args...); r.code != exitOK {
			t.Errorf("cybercba %s: exit %d, stderr %q; want 0", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	// sensitivity with a flag it cannot take after the dataset would be a
	// usage error; a bad value after the dataset is read as the flag's.
	r := cybercba(t, "sensitivity", path, "--top", "0")
	if r.code != exitInput || !strings.Contains(r.stderr, "--top: must be at least 1") {
		t.Errorf("cybercba sensitivity DATASET --top 0: exit %d, stderr %q; want the flag read (exit 3, --top)", r.code, r.stderr)
	}
	r = cybercba(t, "reproduce", filepath.Join(t.TempDir(), "none.xlsx"), "--quick")
	if r.code == exitUsage {
		t.Errorf("cybercba reproduce FILE --quick: usage error %q; want the flag read", r.stderr)
	}
}
