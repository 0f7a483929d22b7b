package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports"
	"github.com/cybercba/cybercba/reports/bulk"
)

// batchSmall keeps a batch quick.
var batchSmall = []string{"--draws", "8", "--years", "200", "--decision-draws", "100", "--quiet"}

// newInputs writes the template of the embedded dataset into a fresh
// directory, lets edit change it, and returns its path. The template is
// written by cybercba template once for the process (see templateBytes) and
// copied: the tests that edit it or run it need a workbook of their own,
// not a fresh run of template each (TestTemplateCommand tests the command).
func newInputs(t *testing.T, edit func(f *excelize.File)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "inputs.xlsx")
	if err := os.WriteFile(path, defaultTemplate(t), 0o644); err != nil {
		t.Fatal(err)
	}
	if edit == nil {
		return path
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edit(f)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// templateBytes is the embedded dataset's template as cybercba template
// -o writes it, made once for the process.
var templateBytes = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "cybercba-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "inputs.xlsx")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"template", "-o", path}, &stdout, &stderr); err != nil {
		return nil, fmt.Errorf("cybercba template -o %s: %v\n%s", path, err, stderr.String())
	}
	return os.ReadFile(path)
})

// defaultTemplate returns the template's bytes (see templateBytes).
func defaultTemplate(t *testing.T) []byte {
	t.Helper()
	b, err := templateBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func setCell(t *testing.T, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

// addScenarios writes rows to the Scenarios sheet from row 2 (columns A
// on: name, scope, budget, capex budget, horizon, discount rate, optimism
// bias, seed, rate, loss and cost multipliers, controls allowed, budget
// plan, view,
// correlations, risk tolerance).
func addScenarios(t *testing.T, f *excelize.File, rows ...[]any) {
	t.Helper()
	if err := data.ClearScenarios(f); err != nil { // every column the template has
		t.Fatal(err)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Scenarios", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunWorkbookMatchesDefault is the round trip: the template of the
// embedded dataset, run, gives the results of the embedded dataset, bit
// for bit, apart from the dataset's name.
func TestRunWorkbookMatchesDefault(t *testing.T) {
	t.Parallel()
	path := newInputs(t, nil)
	for _, scope := range []string{"nhs-england", "acute-trust"} {
		t.Run(scope, func(t *testing.T) {
			t.Parallel()
			yaml := runArgs("--json", "--scope", scope, "--budget", "5m")
			want := cybercba(t, yaml...)
			mustSucceed(t, want, yaml)
			// Flags after the workbook, as people type them.
			xlsx := slices.Concat([]string{"run", path}, small, []string{"--json", "--scope", scope, "--budget", "5m"})
			got := cybercba(t, xlsx...)
			mustSucceed(t, got, xlsx)
			a := strings.Replace(want.stdout, jsonString(t, "nhs.yaml (embedded default)"), `"X"`, 1)
			b := strings.Replace(got.stdout, jsonString(t, path), `"X"`, 1)
			if a != b {
				t.Errorf("run %s differs from run on the embedded default:\n%s", path, firstDiff(a, b))
			}
		})
	}
}

// TestRunWorkbookSettings checks that run takes the Settings sheet, and
// that flags given on the command line override it.
func TestRunWorkbookSettings(t *testing.T) {
	t.Parallel()
	path := newInputs(t, func(f *excelize.File) {
		for cell, v := range map[string]any{"B6": "acute-trust", "B7": 8, "B8": 300, "B9": 5, "B10": 7, "B11": "3%", "B12": "20%"} {
			setCell(t, f, "Settings", cell, v)
		}
	})
	type settings struct {
		Scope    string `json:"scope"`
		Settings struct {
			Seed                  uint64
			Draws, Years, Horizon int
			OptimismBias          float64 `json:"optimism_bias"`
			Discount              []struct{ Rate float64 }
		} `json:"settings"`
	}
	read := func(args ...string) settings {
		t.Helper()
		r := cybercba(t, args...)
		mustSucceed(t, r, args)
		var s settings
		if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
			t.Fatalf("cybercba %s: %v", strings.Join(args, " "), err)
		}
		return s
	}
	// The decision on 100 draws, as the small runs decide (no setting
	// under test counts them).
	s := read("run", "--json", "--no-files", "--decision-draws", "100", path)
	if s.Scope != "acute-trust" || s.Settings.Draws != 8 || s.Settings.Years != 300 || s.Settings.Seed != 5 || s.Settings.Horizon != 7 ||
		s.Settings.OptimismBias != 0.2 || len(s.Settings.Discount) != 1 || s.Settings.Discount[0].Rate != 0.03 {
		t.Errorf("run on a workbook: %+v; want its Settings", s)
	}
	s = read("run", "--json", "--no-files", "--decision-draws", "100", path, "--draws", "4", "--seed", "9", "--scope", "nhs-england")
	if s.Scope != "nhs-england" || s.Settings.Draws != 4 || s.Settings.Seed != 9 || s.Settings.Years != 300 {
		t.Errorf("run with flags: %+v; want the flags over the Settings", s)
	}
}

func TestTemplateCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "inputs.xlsx")
	r := cybercba(t, "template", "-o", path, "--scope", "acute-trust")
	mustSucceed(t, r, nil)
	if !strings.Contains(r.stdout, "Wrote "+path) {
		t.Errorf("stdout = %q", r.stdout)
	}
	before, _ := os.ReadFile(path)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"template", "-o", path}, exitInput, "exists: choose another name with -o, or replace it with --force"},
		{[]string{"template", "-o", filepath.Join(dir, "b.xlsx"), "--scope", "wales"}, exitUsage, `--scope: nhs.yaml (embedded default): no scope "wales"`},
		{[]string{"template", "a.yaml", "b.yaml"}, exitUsage, "want at most one dataset"},
		{[]string{"template", "--colour"}, exitUsage, "flag provided but not defined"},
	} {
		r := cybercba(t, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("cybercba %s: exit %d, stderr %q; want %d, %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.want)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Errorf("template without --force changed %s", path)
	}
	mustSucceed(t, cybercba(t, "template", "-o", path, "--force"), nil)
	// From a YAML dataset.
	yaml := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(yaml, []byte(strings.Replace(string(defaultYAML(t)), "NHS default dataset", "My dataset", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "mine.xlsx")
	mustSucceed(t, cybercba(t, "template", yaml, "-o", out), nil)
	r = cybercba(t, "validate", out)
	mustSucceed(t, r, nil)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Settings", "B2"); v != "My dataset" {
		t.Errorf("Settings!B2 = %q; want My dataset", v)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	good := newInputs(t, func(f *excelize.File) { setCell(t, f, "Threats", "D2", 0.05) })
	r := cybercba(t, "validate", good)
	mustSucceed(t, r, nil)
	for _, want := range []string{good + ": ok: nhs-england (7 threats, 12 controls), acute-trust (8 threats, 12 controls); 42 sources, 3 hold-out incidents; 5 scenarios",
		"1 number was changed without a source, so read as judgements (tag J, \"edited in inputs.xlsx\")", "  Threats!D2 (rate of S1)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("validate: stdout does not contain %q:\n%s", want, r.stdout)
		}
	}
	bad := newInputs(t, func(f *excelize.File) {
		setCell(t, f, "Controls", "H3", "tbc")
		setCell(t, f, "Effects", "D2", "150%")
		setCell(t, f, "Scenarios", "C3", "lots")
	})
	r = cybercba(t, "validate", bad)
	if r.code != exitInput {
		t.Errorf("validate on a broken workbook: exit %d; want %d", r.code, exitInput)
	}
	// In the order of the sheets, then rows, then columns.
	want := []string{
		bad + `: Scenarios!C3: budget: must be a non-negative amount, got "lots" (or none)`,
		bad + `: Controls!H3: capex: must be a non-negative amount, got "tbc"`,
		bad + `: Effects!D2: frequency: lo 1.5 is above hi 0.3`,
		bad + `: Effects!D2: frequency: must be a fraction in [0, 1], got [1.5, 0.3]`,
	}
	if got := strings.Split(strings.TrimSpace(r.stdout), "\n"); !slices.Equal(got, want) {
		t.Errorf("validate: problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.stderr != "cybercba: "+bad+": 4 problems\n" {
		t.Errorf("stderr = %q", r.stderr)
	}
	// A YAML dataset.
	dir := t.TempDir()
	yaml := filepath.Join(dir, "d.yaml")
	os.WriteFile(yaml, defaultYAML(t), 0o644)
	mustSucceed(t, cybercba(t, "validate", yaml), nil)
	os.WriteFile(yaml, bytes.Replace(defaultYAML(t), []byte("currency: GBP"), []byte("currency: \"\""), 1), 0o644)
	if r := cybercba(t, "validate", yaml); r.code != exitInput || !strings.Contains(r.stdout, "currency: must be set") {
		t.Errorf("validate on a broken YAML: exit %d, stdout %q", r.code, r.stdout)
	}
	if r := cybercba(t, "validate"); r.code != exitUsage {
		t.Errorf("validate with no file: exit %d; want %d", r.code, exitUsage)
	}
	if r := cybercba(t, "validate", filepath.Join(dir, "none.xlsx")); r.code != exitInput {
		t.Errorf("validate on a missing file: exit %d; want %d", r.code, exitInput)
	}
}

// readResults reads a results workbook.
func readResults(t *testing.T, path string) *reports.Batch {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := reports.ReadBatch(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBatchBadRow checks that a bad row is reported on the Errors sheet,
// naming its row and cell, that the other rows' results are all there, and
// that the exit status says some rows failed.
func TestBatchBadRow(t *testing.T) {
	t.Parallel()
	in := newInputs(t, func(f *excelize.File) {
		addScenarios(t, f,
			[]any{"baseline"},
			[]any{"bad budget", nil, "tbc"},
			[]any{"budget", "acute-trust", "£300k"},
			[]any{"dearer", nil, nil, nil, nil, nil, nil, nil, 1.5, 0.5, 2},
			[]any{"two problems", nil, nil, nil, 500, nil, nil, nil, nil, nil, nil, "N1, C1"},
			[]any{"few controls", "acute-trust", "1m", nil, 5, "3.5%", nil, "42", nil, nil, nil, "C1, C5"},
		)
	})
	out := filepath.Join(filepath.Dir(in), "results.xlsx")
	args := slices.Concat([]string{"batch", in, "-o", out}, batchSmall)
	r := cybercba(t, args...)
	if r.code != exitFailure {
		t.Errorf("batch with bad rows: exit %d; want %d\nstderr: %s", r.code, exitFailure, r.stderr)
	}
	if want := fmt.Sprintf("cybercba: 2 of 6 scenarios failed: their problems are on the Errors sheet of %s\n", out); r.stderr != want {
		t.Errorf("stderr = %q; want %q", r.stderr, want)
	}
	b := readResults(t, out)
	var names []string
	for _, row := range b.Rows {
		names = append(names, row.Name)
		if !(row.ALE > 0) || row.Best == nil || row.ALESE <= 0 {
			t.Errorf("row %q: ALE %g ± %g, best %+v; want results", row.Name, row.ALE, row.ALESE, row.Best)
		}
	}
	if want := []string{"baseline", "budget", "dearer", "few controls"}; !slices.Equal(names, want) {
		t.Errorf("Summary rows = %q; want %q", names, want)
	}
	var errs []string
	for _, e := range b.Errors {
		errs = append(errs, fmt.Sprintf("%d %d %s %s %s", e.Index, e.Row, e.Name, e.Cell, e.Msg))
	}
	wantErrs := []string{
		`2 3 bad budget Scenarios!C3 budget: must be a non-negative amount, got "tbc" (or none)`,
		`5 6 two problems Scenarios!E6 horizon: must be a whole number from 1 to 125, got "500"`,
		`5 6 two problems Scenarios!L6 controls allowed: unknown control "C1" in scope nhs-england (it has N1, N2, N3, N4, R-C1, R-C2, R-C3, R-C4, R-C6, R-C7, R-C9, R-C10)`,
	}
	if !slices.Equal(errs, wantErrs) {
		t.Errorf("Errors =\n%s\nwant\n%s", strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"))
	}
	few := b.Rows[3]
	if few.Seed != 42 || few.Scope != "acute-trust" || few.Horizon != 5 || few.Discount != "3.5%" || few.Controls != "C1, C5" ||
		few.Portfolio == nil || few.Budget != 1e6 || !(few.Portfolio.Cost <= 1e6) || !strings.Contains("C1+C5 C1 C5", few.Portfolio.Controls) {
		t.Errorf("row %q = %+v, portfolio %+v", few.Name, few, few.Portfolio)
	}
	if b.Rows[2].RateMultiplier != 1.5 || b.Rows[2].CostMultiplier != 2 || b.Rows[2].Portfolio == nil || !math.IsInf(b.Rows[2].Budget, 1) {
		t.Errorf("row dearer = %+v", b.Rows[2])
	}
}

// sheetsOf returns every sheet's stored cells but the time the run was made.
func sheetsOf(t *testing.T, path string) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if s == "About" && len(r) > 1 && r[0] == "Generated (UTC)" {
				rows[i] = nil
			}
		}
		out[s] = rows
	}
	return out
}

// TestBatchShards checks that three shards merged equal the single run,
// cell for cell, and that the worker count changes nothing.
func TestBatchShards(t *testing.T) {
	t.Parallel()
	in := newInputs(t, func(f *excelize.File) {
		addScenarios(t, f,
			[]any{"a"}, []any{"b", nil, "50m"}, []any{"c", "acute-trust"}, []any{"bad", nil, "tbc"},
			[]any{"e", nil, nil, nil, nil, nil, nil, nil, 2}, []any{"f", "acute-trust", "400k"}, []any{"g", nil, nil, nil, 3},
		)
	})
	dir := filepath.Dir(in)
	single := filepath.Join(dir, "single.xlsx")
	r := cybercba(t, slices.Concat([]string{"batch", in, "-o", single, "--workers", "3"}, batchSmall)...)
	if r.code != exitFailure {
		t.Fatalf("batch: exit %d\n%s", r.code, r.stderr)
	}
	one := filepath.Join(dir, "one.xlsx")
	cybercba(t, slices.Concat([]string{"batch", in, "-o", one, "--workers", "1"}, batchSmall)...)
	if a, b := sheetsOf(t, single), sheetsOf(t, one); !reflect.DeepEqual(a, b) {
		t.Errorf("--workers 3 and --workers 1 give different results")
	}
	out := filepath.Join(dir, "results.xlsx")
	var parts []string
	for i := 3; i >= 1; i-- {
		r := cybercba(t, slices.Concat([]string{"batch", in, "-o", out, "--shard", fmt.Sprintf("%d/3", i)}, batchSmall)...)
		part := filepath.Join(dir, fmt.Sprintf("results.part-%d-of-3.xlsx", i))
		if !strings.Contains(r.stdout, "wrote "+part) {
			t.Fatalf("shard %d/3: exit %d\nstdout: %s\nstderr: %s", i, r.code, r.stdout, r.stderr)
		}
		parts = append(parts, part)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a shard wrote %s; want only its part", out)
	}
	// merge's overwrite policy: it refuses a file that is not a results
	// workbook (the inputs workbook here) without --force, and makes a
	// missing folder.
	if r := cybercba(t, append([]string{"merge", "-o", in}, parts...)...); r.code != exitInput || !strings.Contains(r.stderr, "--force") {
		t.Errorf("merge -o the inputs workbook: exit %d, %q; want 3 suggesting --force", r.code, r.stderr)
	}
	merged := filepath.Join(dir, "new folder", "merged.xlsx")
	r = cybercba(t, append([]string{"merge", "-o", merged}, parts...)...)
	mustSucceed(t, r, nil)
	if r := cybercba(t, append([]string{"merge", "-o", merged}, parts...)...); r.code != exitOK {
		t.Errorf("merge over its own earlier results: exit %d, %q; want 0", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "1 of 7 scenarios failed") {
		t.Errorf("merge: stderr %q; want the count of failed scenarios", r.stderr)
	}
	a, b := sheetsOf(t, single), sheetsOf(t, merged)
	if !reflect.DeepEqual(a, b) {
		for s := range a {
			if !reflect.DeepEqual(a[s], b[s]) {
				t.Errorf("sheet %s differs:\nsingle %q\nmerged %q", s, a[s], b[s])
			}
		}
	}
	// Merging what cannot be merged.
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"merge", "-o", merged, parts[0], parts[1]}, exitInput, "shard 1 of 3 is missing"},
		{[]string{"merge", "-o", merged, parts[0], parts[0], parts[1], parts[2]}, exitInput, "again"},
		{[]string{"merge", "-o", merged, single}, exitInput, "not a part"},
		{[]string{"merge", "-o", parts[0], parts[0], parts[1], parts[2]}, exitUsage, "is one of the parts"},
		{[]string{"merge", "-o", merged}, exitUsage, "want the part files"},
		{[]string{"merge", "-o", merged, in}, exitInput, "no About sheet"},
	} {
		r := cybercba(t, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("cybercba %s: exit %d, stderr %q; want %d, %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.want)
		}
	}
}

// TestBatchShardFromEnvironment runs a shard named by a Kubernetes Indexed
// Job's environment. It sets the environment, so it does not run in
// parallel.
func TestBatchShardFromEnvironment(t *testing.T) {
	in := newInputs(t, nil)
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	t.Setenv("CYBERCBA_SHARDS", "3")
	out := filepath.Join(filepath.Dir(in), "results.xlsx")
	r := cybercba(t, slices.Concat([]string{"batch", in, "-o", out}, batchSmall)...)
	mustSucceed(t, r, nil)
	b := readResults(t, filepath.Join(filepath.Dir(in), "results.part-2-of-3.xlsx"))
	if b.Shard != 2 || b.Shards != 3 || len(b.Rows) != 2 || b.Rows[0].Index != 2 || b.Rows[1].Index != 5 {
		t.Errorf("JOB_COMPLETION_INDEX=1 of 3: shard %d of %d, %d rows", b.Shard, b.Shards, len(b.Rows))
	}
	t.Setenv("CYBERCBA_SHARDS", "")
	if r := cybercba(t, slices.Concat([]string{"batch", in, "-o", out}, batchSmall)...); r.code != exitUsage || !strings.Contains(r.stderr, "CYBERCBA_SHARDS") {
		t.Errorf("JOB_COMPLETION_INDEX without a count: exit %d, %s", r.code, r.stderr)
	}
}

func TestShardOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flag   string
		shards int
		env    map[string]string
		i, n   int
		err    string
	}{
		{"", 0, nil, 0, 0, ""},
		{"2/3", 0, nil, 2, 3, ""},
		{" 3 / 3 ", 0, nil, 3, 3, ""},
		{"1/1", 0, map[string]string{"JOB_COMPLETION_INDEX": "2"}, 0, 0, ""},
		{"0/3", 0, nil, 0, 0, "--shard: want i/n with 1 ≤ i ≤ n"},
		{"4/3", 0, nil, 0, 0, "--shard"},
		{"2", 0, nil, 0, 0, "--shard"},
		{"", 0, map[string]string{"JOB_COMPLETION_INDEX": "0", "CYBERCBA_SHARDS": "4"}, 1, 4, ""},
		{"", 5, map[string]string{"JOB_COMPLETION_INDEX": "4", "CYBERCBA_SHARDS": "4"}, 5, 5, ""},
		{"", 0, map[string]string{"JOB_COMPLETION_INDEX": "4", "CYBERCBA_SHARDS": "4"}, 0, 0, "outside 0 to 3"},
		{"", 0, map[string]string{"JOB_COMPLETION_INDEX": "1"}, 0, 0, "not the shard count"},
		{"", 0, map[string]string{"JOB_COMPLETION_INDEX": "x", "CYBERCBA_SHARDS": "4"}, 0, 0, "want a whole number"},
		{"", 0, map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"}, 4, 4, ""},
		{"", 0, map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"}, 3, 4, ""},
		{"", 0, map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "1"}, 0, 0, "an array of one task"},
		{"", 0, map[string]string{"SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_COUNT": "4"}, 0, 0, "outside 0 to 3"},
		{"", 0, map[string]string{"SLURM_ARRAY_TASK_ID": "1"}, 0, 0, "not SLURM_ARRAY_TASK_COUNT"},
	}
	for _, tt := range tests {
		i, n, err := bulk.ShardOf(tt.flag, tt.shards, func(k string) string { return tt.env[k] })
		if i != tt.i || n != tt.n || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("bulk.ShardOf(%q, %d, %v) = %d, %d, %v; want %d, %d, %q", tt.flag, tt.shards, tt.env, i, n, err, tt.i, tt.n, tt.err)
		}
	}
}

// TestInputsUntouched checks that reading a workbook never changes it.
func TestInputsUntouched(t *testing.T) {
	t.Parallel()
	in := newInputs(t, nil)
	st, _ := os.Stat(in)
	b, _ := os.ReadFile(in)
	sum := sha256.Sum256(b)
	dir := filepath.Dir(in)
	cybercba(t, "validate", in)
	cybercba(t, slices.Concat([]string{"run", in}, small)...)
	cybercba(t, "calibrate", in)
	cybercba(t, slices.Concat([]string{"batch", in, "-o", filepath.Join(dir, "r.xlsx")}, batchSmall)...)
	if r := cybercba(t, slices.Concat([]string{"batch", in, "-o", in}, batchSmall)...); r.code != exitUsage {
		t.Errorf("batch -o the input: exit %d; want %d", r.code, exitUsage)
	}
	st2, _ := os.Stat(in)
	b2, _ := os.ReadFile(in)
	if sha256.Sum256(b2) != sum || !st2.ModTime().Equal(st.ModTime()) {
		t.Errorf("%s changed", in)
	}
}

func TestWorkbookCommandsHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"template", "validate", "batch", "merge"} {
		for _, args := range [][]string{{cmd, "-h"}, {"help", cmd}} {
			r := cybercba(t, args...)
			if r.code != exitOK || !strings.Contains(r.stdout, "Usage: cybercba "+cmd) || !strings.Contains(r.stdout, "Examples:") || r.stderr != "" {
				t.Errorf("cybercba %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
			}
		}
	}
	r := cybercba(t, "help")
	for _, cmd := range []string{"template", "validate", "batch", "merge"} {
		if !strings.Contains(r.stdout, "cybercba "+cmd) {
			t.Errorf("help does not list %s", cmd)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"batch"}, "want one inputs workbook"},
		{[]string{"batch", "a.xlsx", "b.xlsx"}, "want one inputs workbook"},
		{[]string{"batch", "a.xlsx", "--shard", "4/3"}, "--shard"},
		{[]string{"batch", "--workers"}, "flag needs an argument"},
	} {
		if r := cybercba(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("cybercba %s: exit %d, stderr %q; want %d, %q", strings.Join(tt.args, " "), r.code, r.stderr, exitUsage, tt.want)
		}
	}
}

// TestWorkbookExamples runs the examples of the workbook commands' help,
// in order, in one directory: template, validate, batch (its shard 2 of 3
// joined by the other two), merge.
func TestWorkbookExamples(t *testing.T) {
	skipUnlessLong(t, "writes a whole default run's files; CI runs it")
	t.Parallel()
	dir := t.TempDir()
	yaml := filepath.Join(dir, "my-dataset.yaml")
	if err := os.WriteFile(yaml, defaultYAML(t), 0o644); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, text := range []string{usage("template"), usage("validate"), usage("batch"), usage("merge")} {
		for line := range strings.Lines(text) {
			line = strings.TrimSpace(line)
			cmd, ok := strings.CutPrefix(line, "cybercba ")
			if !ok || strings.Contains(cmd, "[") {
				continue
			}
			n++
			var args []string
			for _, a := range strings.Fields(cmd) {
				switch {
				case a == "my-dataset.yaml":
					args = append(args, yaml)
				case strings.Contains(a, "*"):
					m, _ := filepath.Glob(filepath.Join(dir, a))
					args = append(args, m...)
				case strings.HasSuffix(a, ".xlsx"):
					args = append(args, filepath.Join(dir, a))
				default:
					args = append(args, a)
				}
			}
			if args[0] == "batch" {
				args = append(args, batchSmall...)
				if slices.Contains(args, "--shard") {
					for _, s := range []string{"1/3", "3/3"} {
						mustSucceed(t, cybercba(t, slices.Concat(args[:len(args)-len(batchSmall)-2], []string{"--shard", s}, batchSmall)...), nil)
					}
				}
			}
			r := cybercba(t, args...)
			mustSucceed(t, r, args)
		}
	}
	if n < 8 {
		t.Errorf("ran %d examples; want the examples of the four commands", n)
	}
}

func defaultYAML(t *testing.T) []byte {
	t.Helper()
	return data.DefaultBytes()
}

// TestSettingsDefaults checks that a workbook's blank settings mean what
// run's flags mean when not given.
func TestSettingsDefaults(t *testing.T) {
	t.Parallel()
	var o runOptions
	runFlags(&o)
	d := data.DefaultSettings()
	got := data.Settings{Scope: o.Scope, Draws: o.Draws, Years: o.Years, Seed: o.Seed, Horizon: o.Horizon,
		OptimismBias: o.Bias, Objective: o.Objective, Metric: o.Metric}
	if !reflect.DeepEqual(got, d) || o.Discount != "" || o.Budget != "" || o.CapexBudget != "" {
		t.Errorf("run's flag defaults %+v; data.DefaultSettings() %+v", got, d)
	}
}
