package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cybercba/cybercba/data/xlsxtest"
	"github.com/cybercba/cybercba/reports/bulk"
	"github.com/xuri/excelize/v2"
)

// bigInputs writes an inputs workbook at path whose Scenarios sheet holds
// rows scenarios with long names: its shared strings and sheet XML are
// tens of MB unpacked (beyond excelize's default 16 MiB in memory), a
// few MB on disk.
func bigInputs(t *testing.T, path string, rows int) {
	t.Helper()
	if err := os.WriteFile(path, defaultTemplate(t), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sw, err := f.NewStreamWriter("Scenarios")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"name"}); err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", 1000)
	for r := 2; r <= rows+1; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, []any{fmt.Sprintf("scenario %d %s", r, pad)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// TestHostileSignalDuringRead is issue 27's hostile case 3: SIGTERM or
// SIGINT while validate reads a large workbook leaves no excelize-* file in
// $TMPDIR (excelize put a part over 16 MiB in one, removed only by Close).
func TestHostileSignalDuringRead(t *testing.T) {
	skipUnlessLong(t, "reads a workbook of tens of MB unpacked, as a process")
	t.Parallel()
	dir := t.TempDir()
	book := filepath.Join(dir, "big.xlsx")
	bigInputs(t, book, 30_000)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		tmp := t.TempDir()
		p := &proc{cmd: exec.Command(binary(t), "validate", book)}
		p.cmd.Dir = dir
		p.cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
		p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		p.busy(t, 30) // 0.3 s of CPU: reading the sheets
		if err := p.cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		if code := p.wait(t); code != signalExit(sig) {
			t.Errorf("validate stopped by %v: exit %d; want %d\nstderr: %s", sig, code, signalExit(sig), p.stderr.String())
		}
		left, err := filepath.Glob(filepath.Join(tmp, "*"))
		if err != nil {
			t.Fatal(err)
		}
		if len(left) > 0 {
			t.Errorf("validate stopped by %v left %q in $TMPDIR", sig, left)
		}
	}
}

// TestHostileReadLimits is issue 27's hostile cases 1 and 2 on the command
// line: reproduce reads at most 256 MiB (reproduce /dev/zero ran out of
// memory), and a report whose sheets hold blank cells out in column XFD is
// refused naming the range, not expanded.
func TestHostileReadLimits(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/zero"); err == nil {
		r := cybercba(t, "reproduce", "/dev/zero")
		if r.code != exitInput || !strings.Contains(r.stderr, "/dev/zero: larger than 256 MiB: not a cybercba report") {
			t.Errorf("reproduce /dev/zero: exit %d, stderr %q; want 3 and the size limit", r.code, r.stderr)
		}
	}
	dir := t.TempDir()
	tpl := filepath.Join(dir, "inputs.xlsx")
	if err := os.WriteFile(tpl, defaultTemplate(t), 0o644); err != nil {
		t.Fatal(err)
	}
	// 3,000 rows of one blank cell in XFD below each sheet's table:
	// 16,384 cells a row once laid out.
	bomb := filepath.Join(dir, "bomb.xlsx")
	farCells(t, tpl, bomb, 3000)
	for _, args := range [][]string{{"validate", bomb}, {"reproduce", bomb}, {"batch", bomb, "-o", filepath.Join(dir, "r.xlsx")}} {
		var r result
		withTimeout(t, strings.Join(args, " "), func() { r = cybercba(t, args...) })
		if out := r.stdout + r.stderr; r.code != exitInput || !regexp.MustCompile(`!XFD\d+:XFD\d+: the sheets span`).MatchString(out) {
			t.Errorf("cybercba %s: exit %d, output %q; want 3 naming the cells in XFD", strings.Join(args, " "), r.code, out)
		}
	}
}

// farCells copies the workbook at from to to with n blank cells added
// below each worksheet's last row, one a row in column XFD.
func farCells(t *testing.T, from, to string, n int) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, xlsxtest.FarCells(t, b, "XFD", n, 0), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostileRunOutputFolder is issue 27's hostile case 6: run -o d
// refuses, before simulating, a d/report.html it did not write and files
// in d/plots it did not write, unless --force; with --force it replaces
// the page but keeps the user's files in plots/; an empty -o is refused at once.
func TestHostileRunOutputFolder(t *testing.T) {
	skipUnlessLong(t, "writes a run's files")
	t.Parallel()
	dir := t.TempDir()
	d := filepath.Join(dir, "d")
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(name string) string {
		b, _ := os.ReadFile(name)
		return string(b)
	}
	// A simulation this size would take minutes: a refusal must come first.
	slow := []string{"run", "--quiet", "--draws", "20000", "--years", "2000", "-o", d}
	write(filepath.Join(d, "report.html"), "mine")
	var r result
	withTimeout(t, "run -o d with a foreign report.html", func() { r = cybercba(t, slow...) })
	if r.code != exitInput || !strings.Contains(r.stderr, "report.html exists and is not a cybercba run's page: choose another folder, or replace it with --force") {
		t.Errorf("run -o d with a foreign report.html: exit %d, stderr %q; want 3 and the page named", r.code, r.stderr)
	}
	if read(filepath.Join(d, "report.html")) != "mine" {
		t.Errorf("run -o d changed the foreign report.html")
	}
	os.Remove(filepath.Join(d, "report.html"))
	write(filepath.Join(d, "plots", "holiday.png"), "my photo")
	withTimeout(t, "run -o d with a foreign plots/holiday.png", func() { r = cybercba(t, slow...) })
	if r.code != exitInput || !strings.Contains(r.stderr, "plots holds holiday.png, which cybercba did not write") {
		t.Errorf("run -o d with a foreign plots/holiday.png: exit %d, stderr %q; want 3 naming it", r.code, r.stderr)
	}
	withTimeout(t, "run -o ''", func() { r = cybercba(t, "run", "--quiet", "-o", "") })
	if r.code != exitUsage || !strings.Contains(r.stderr, "-o: empty") {
		t.Errorf("run -o '': exit %d, stderr %q; want 2", r.code, r.stderr)
	}
	// With --force: the page is replaced, the photo kept, and the next
	// run (without --force) still refuses it, but replaces its own files.
	write(filepath.Join(d, "report.html"), "mine")
	small := []string{"run", "--quiet", "--draws", "8", "--years", "200", "--decision-draws", "100", "--format", "svg", "-o", d}
	mustSucceed(t, cybercba(t, append(small, "--force")...), small)
	if read(filepath.Join(d, "plots", "holiday.png")) != "my photo" {
		t.Errorf("run -o d --force lost plots/holiday.png")
	}
	if !strings.Contains(read(filepath.Join(d, "report.html")), `<meta name="generator" content="cybercba`) {
		t.Errorf("run -o d --force did not write report.html")
	}
	if r := cybercba(t, small...); r.code != exitInput || !strings.Contains(r.stderr, "holiday.png") {
		t.Errorf("run -o d again without --force: exit %d, stderr %q; want 3 naming holiday.png", r.code, r.stderr)
	}
	os.Remove(filepath.Join(d, "plots", "holiday.png"))
	mustSucceed(t, cybercba(t, small...), small)
}

// TestHostileEscapes is issue 27's hostile case 7: escape sequences in a
// dataset path, -o or --currency-symbol never reach the terminal raw, and
// --currency-symbol is at most 8 characters.
func TestHostileEscapes(t *testing.T) {
	skipUnlessLong(t, "several runs with files")
	t.Parallel()
	dir := t.TempDir()
	in := filepath.Join(dir, "in\x1b[2J.yaml")
	if err := os.WriteFile(in, []byte(readDefaultYAML(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", "--no-files", "--draws", "8", "--years", "100", "--decision-draws", "100", in}, exitOK, `in\x1b[2J.yaml`},
		{[]string{"run", "--no-files", filepath.Join(dir, "none\x1b]0;pwned\a.yaml")}, exitInput, `none\x1b]0;pwned\a.yaml: no such file`},
		{[]string{"run", "--no-files", "--currency-symbol", "\x1b[31m£"}, exitInput, `--currency-symbol: want printable characters, e.g. € or "CHF ", got "\x1b[31m£"`},
		{[]string{"run", "--no-files", "--currency-symbol", strings.Repeat("£", 9)}, exitInput, "--currency-symbol: want at most 8 characters"},
		{[]string{"batch", "--currency-symbol", "\u202e$", in}, exitInput, `--currency-symbol: want printable characters`},
		{[]string{"run", "--draws", "8", "--years", "100", "--decision-draws", "100", "--format", "svg", "-o", filepath.Join(dir, "o\x1b[31m")}, exitOK, `o\x1b[31m`},
	} {
		r := cybercba(t, tt.args...)
		out := r.stdout + r.stderr
		if r.code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("cybercba %q: exit %d, output %q; want %d and %q", tt.args, r.code, out, tt.code, tt.want)
		}
		if strings.ContainsAny(out, "\x1b\a\u202e") {
			t.Errorf("cybercba %q printed a raw control character: %q", tt.args, out)
		}
	}
}

func readDefaultYAML(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "data", "nhs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHostileEdgeFigures is issue 27's hostile case 4: a hold-out's
// observed cost at 5e-324 and k_full at 5e-324 are refused (exit 3,
// naming the field); at the smallest values validation takes (an observed
// cost of 1, k_full 1e-6, a rate of 1e-6 a year, one organisation), every
// command computes: no Inf, NaN, ∞ or number beyond 1e18 in its output.
func TestHostileEdgeFigures(t *testing.T) {
	skipUnlessLong(t, "runs every command on edge datasets (data's TestTinyNumbersRefused checks validation in the quick tier)")
	t.Parallel()
	dir := t.TempDir()
	yaml := readDefaultYAML(t)
	edit := func(name string, pairs ...string) string {
		t.Helper()
		s := yaml
		for i := 0; i < len(pairs); i += 2 {
			re := regexp.MustCompile(pairs[i])
			if !re.MatchString(s) {
				t.Fatalf("nhs.yaml has no %s", pairs[i])
			}
			s = re.ReplaceAllString(s, pairs[i+1])
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	observed := `observed:   \{value: 68400000,`
	kFull := `k_full:          \{lo: 5, hi: 7.5,`
	for _, tt := range []struct {
		path, want string
	}{
		{edit("observed.yaml", observed, "observed:   {value: 5e-324,"), "holdouts[synnovis-2024].observed: 5e-324 is below the smallest the model takes"},
		{edit("kfull.yaml", kFull, "k_full:          {value: 5e-324,"), ".harm.k_full: 5e-324 is below the smallest the model takes"},
		{edit("kfull0.yaml", kFull, "k_full:          {value: 0,"), ".harm.k_full: 0 is below the smallest the model takes"},
	} {
		for _, cmd := range []string{"validate", "run"} {
			r := cybercba(t, cmd, tt.path)
			if r.code != exitInput || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("cybercba %s %s: exit %d, output %q; want 3 and %q", cmd, filepath.Base(tt.path), r.code, r.stdout+r.stderr, tt.want)
			}
		}
	}
	edge := edit("edge.yaml",
		observed, "observed:   {value: 1,",
		kFull, "k_full:          {value: 1e-6,",
		`orgs: \{value: 209,`, "orgs: {value: 1,",
		`rate:       \{lo: 0.03, hi: 0.2,`, "rate:       {value: 1e-6,")
	bad := regexp.MustCompile(`\b(Inf|NaN|Infinity)\b|∞|(?:^|[^.\d])\d{19,}|[eE]\+?(1[89]|[2-9]\d|\d{3})\b`)
	for _, args := range [][]string{
		{"run", "--no-files", "--draws", "40", "--years", "200", "--decision-draws", "100", edge},
		{"run", "--no-files", "--view", "social", "--draws", "40", "--years", "200", "--decision-draws", "100", edge},
		{"run", "--no-files", "--json", "--view", "social", "--draws", "40", "--years", "200", "--decision-draws", "100", edge},
		{"calibrate", edge},
		{"sensitivity", "--draws", "40", "--years", "200", "--decision-draws", "100", edge},
	} {
		r := cybercba(t, args...)
		if r.code != exitOK {
			t.Errorf("cybercba %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
			continue
		}
		if m := bad.FindString(r.stdout); m != "" {
			i := strings.Index(r.stdout, m)
			t.Errorf("cybercba %s printed %q: …%s…", strings.Join(args, " "), m, r.stdout[max(0, i-200):min(len(r.stdout), i+100)])
		}
	}
}

// TestShardResumes is issue 27's resumable shard: a shard stopped by
// SIGTERM (as Slurm stops one at its time limit) keeps the rows it
// finished in a checkpoint beside its part; run again, it says so, runs
// only the rest, writes the part and removes the checkpoint; the part's
// sheets equal those of a shard never stopped, cell for cell.
func TestShardResumes(t *testing.T) {
	skipUnlessLong(t, "runs a shard as a process and stops it")
	t.Parallel()
	dir, clean := t.TempDir(), t.TempDir()
	slurmInputs(t, dir)
	slurmInputs(t, clean)
	args := []string{"batch", "inputs.xlsx", "-o", "results.xlsx", "--shard", "2/4", "--workers", "1", "--quiet"}
	part := "results.part-2-of-4.xlsx"
	ckpt := filepath.Join(dir, part+".checkpoint")
	p := start(t, dir, args...)
	for {
		b, _ := os.ReadFile(ckpt)
		if strings.Count(string(b), "\n") >= 4 { // the header and three rows
			break
		}
		if p.cmd.ProcessState != nil || cpuTicks(p.cmd.Process.Pid) < 0 {
			t.Fatalf("the shard ended before three rows were checkpointed\n%s", p.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != signalExit(syscall.SIGTERM) {
		t.Fatalf("the stopped shard: exit %d; want 143\n%s", code, p.stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, part)); err == nil {
		t.Fatalf("the stopped shard wrote its part")
	}
	b, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatalf("the stopped shard left no checkpoint: %v", err)
	}
	kept := strings.Count(string(b), "\n") - 1
	// Again: it resumes (exit 1: the shard holds scenario 6, which fails).
	q := start(t, dir, args...)
	if code := q.wait(t); code != exitFailure {
		t.Fatalf("the resumed shard: exit %d; want 1\n%s", code, q.stderr.String())
	}
	if want := fmt.Sprintf("holds %d finished rows: running the rest", kept); !strings.Contains(q.stderr.String(), want) {
		t.Errorf("the resumed shard's stderr %q; want %q", q.stderr.String(), want)
	}
	if _, err := os.Stat(ckpt); !os.IsNotExist(err) {
		t.Errorf("the checkpoint is still there after the part was written: %v", err)
	}
	r := start(t, clean, args...)
	if code := r.wait(t); code != exitFailure {
		t.Fatalf("the shard never stopped: exit %d\n%s", code, r.stderr.String())
	}
	got, want := sheetsOf(t, filepath.Join(dir, part)), sheetsOf(t, filepath.Join(clean, part))
	for _, s := range []string{"Summary", "Errors"} {
		if !reflect.DeepEqual(got[s], want[s]) || len(got[s]) < 2 {
			t.Errorf("sheet %s of the resumed part differs from a part never stopped:\n got %q\nwant %q", s, got[s], want[s])
		}
	}
}

// TestShardAdvice: a 1-based Slurm array's last task is told that ids
// count from 0 (it was told to use consecutive ids, which it did), and an
// empty --workers (from an unset $SLURM_CPUS_PER_TASK) that its variable
// is unset.
func TestShardAdvice(t *testing.T) {
	t.Parallel()
	env := map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"}
	if _, _, err := bulk.ShardOf("", 4, func(k string) string { return env[k] }); err == nil || !strings.HasSuffix(err.Error(), "Slurm array ids count from 0: --array=0-3") {
		t.Errorf("task 4 of --array=1-4 with --shards 4: %v; want the advice to count from 0", err)
	}
	r := cybercba(t, "batch", "inputs.xlsx", "--workers", "")
	if r.code != exitUsage || !strings.Contains(r.stderr, "that variable is unset (give a default: ${SLURM_CPUS_PER_TASK:-1})") {
		t.Errorf("batch --workers '': exit %d, stderr %q; want 2 and the unset variable", r.code, r.stderr)
	}
}

// TestMergeStrict: merge exits 0 when scenarios failed (documented), or 1
// with --strict, so that a merge job's state can show the failure.
func TestMergeStrict(t *testing.T) {
	t.Parallel()
	in := newInputs(t, func(f *excelize.File) {
		addScenarios(t, f, []any{"a"}, []any{"b", "atlantis"}, []any{"c"})
	})
	dir := filepath.Dir(in)
	out := filepath.Join(dir, "results.xlsx")
	var parts []string
	for i := 1; i <= 2; i++ {
		cybercba(t, slices.Concat([]string{"batch", in, "-o", out, "--shard", fmt.Sprintf("%d/2", i)}, batchSmall)...)
		parts = append(parts, filepath.Join(dir, fmt.Sprintf("results.part-%d-of-2.xlsx", i)))
	}
	merged := filepath.Join(dir, "merged.xlsx")
	if r := cybercba(t, append([]string{"merge", "-o", merged}, parts...)...); r.code != exitOK || !strings.Contains(r.stderr, "1 of 3 scenarios failed") {
		t.Errorf("merge with a failed scenario: exit %d, stderr %q; want 0 and the count", r.code, r.stderr)
	}
	if r := cybercba(t, append([]string{"merge", "--strict", "-o", merged}, parts...)...); r.code != exitFailure || !strings.Contains(r.stderr, "1 of 3 scenarios failed") {
		t.Errorf("merge --strict with a failed scenario: exit %d, stderr %q; want 1 and the count", r.code, r.stderr)
	}
}
