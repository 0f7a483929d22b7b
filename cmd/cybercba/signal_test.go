package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// binDir holds the cybercba binary built for the tests that run it as a
// process (signals, Slurm); TestMain removes it.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds cmd/cybercba once, with go build, and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "cybercba-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "cybercba")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// proc is a cybercba process.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
}

func start(t *testing.T, dir string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(binary(t), args...)}
	p.cmd.Dir = dir
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p
}

// wait waits for p and returns its exit code (-1 if a signal killed it).
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	err := p.cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return p.cmd.ProcessState.ExitCode()
}

// cpuTicks returns the CPU time pid has used, in clock ticks, from
// /proc/pid/stat, or -1 once it has ended.
func cpuTicks(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// Fields after the command's closing parenthesis: state is 3,
	// utime 14, stime 15.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 || f[0] == "Z" || f[0] == "X" { // ended
		return -1
	}
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return u + s
}

// busy waits until p has used ticks of CPU time, well past main's setting
// up of its signal handling, and fails if it ends first.
func (p *proc) busy(t *testing.T, ticks int) {
	t.Helper()
	for {
		n := cpuTicks(p.cmd.Process.Pid)
		if n < 0 {
			t.Fatalf("cybercba ended before it was signalled\nstderr: %s", p.stderr.String())
		}
		if n >= ticks {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// tempsIn lists the temporary files and folders cybercba may leave under
// dir: .name.tmp-* and .cybercba-out-*.
func tempsIn(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if n := d.Name(); strings.Contains(n, ".tmp-") || strings.HasPrefix(n, ".cybercba-out-") {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// longRun is a run that takes several seconds, so a signal finds it busy;
// quiet, so that its stderr holds only what a stop says.
var longRun = []string{"run", "-o", "out", "--draws", "2000", "--years", "2000", "--quiet"}

// TestSignalStopsRun stops a run with SIGTERM and SIGINT: it exits 143 or
// 130 with one line saying so, writes nothing and leaves no temporary
// file.
func TestSignalStopsRun(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads CPU time from /proc: Linux only")
	}
	t.Parallel()
	for _, tt := range []struct {
		sig  syscall.Signal
		name string
		code int
	}{
		{syscall.SIGTERM, "SIGTERM", 143},
		{syscall.SIGINT, "SIGINT", 130},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := start(t, dir, longRun...)
			p.busy(t, 20)
			if err := p.cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			code := p.wait(t)
			if code != tt.code {
				t.Errorf("stopped by %s: exit %d; want %d\nstderr: %s", tt.name, code, tt.code, p.stderr.String())
			}
			if want := "cybercba: stopped by " + tt.name + "; nothing written\n"; p.stderr.String() != want {
				t.Errorf("stderr = %q; want %q", p.stderr.String(), want)
			}
			if _, err := os.Stat(filepath.Join(dir, "out", "report.xlsx")); err == nil {
				t.Errorf("a stopped run wrote out/report.xlsx")
			}
			if tmp := tempsIn(t, dir); len(tmp) > 0 {
				t.Errorf("temporary files left: %q", tmp)
			}
		})
	}
}

// TestSecondInterrupt sends two SIGINTs, as a person pressing Ctrl-C twice:
// the run ends once, with one line and exit 130.
func TestSecondInterrupt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads CPU time from /proc: Linux only")
	}
	t.Parallel()
	dir := t.TempDir()
	p := start(t, dir, longRun...)
	p.busy(t, 20)
	p.cmd.Process.Signal(syscall.SIGINT)
	p.cmd.Process.Signal(syscall.SIGINT)
	if code := p.wait(t); code != 130 {
		t.Errorf("two SIGINTs: exit %d; want 130\nstderr: %s", code, p.stderr.String())
	}
	if want := "cybercba: stopped by SIGINT; nothing written\n"; p.stderr.String() != want {
		t.Errorf("stderr = %q; want %q", p.stderr.String(), want)
	}
	if tmp := tempsIn(t, dir); len(tmp) > 0 {
		t.Errorf("temporary files left: %q", tmp)
	}
}

// TestSignalWhileWriting signals runs at points spread over their whole
// life, writing included: each either finishes (exit 0, the new set in
// place) or stops (exit 143, the one line, the previous set untouched),
// and none leaves a temporary file or a mixed set.
func TestSignalWhileWriting(t *testing.T) {
	skipUnlessLong(t, "builds the binary and sends it real signals")
	if runtime.GOOS != "linux" {
		t.Skip("reads CPU time from /proc: Linux only")
	}
	t.Parallel()
	dir := t.TempDir()
	args := []string{"run", "-o", "out", "--draws", "50", "--years", "200", "--format", "png,svg,pdf"}
	// A first run, whole: the previous set, and the time a run takes.
	p := start(t, dir, append(args, "--seed", "1")...)
	code := p.wait(t)
	if code != 0 {
		t.Fatalf("run: exit %d\n%s", code, p.stderr.String())
	}
	ticks := max(cpuTicksOfChildren(p), 10)
	before := setOf(t, filepath.Join(dir, "out"))
	stopped, finished := 0, 0
	for k := 1; k <= 6; k++ {
		p := start(t, dir, append(args, "--seed", strconv.Itoa(k+1))...)
		// Signal after k sixths of a run's CPU time: late ones land in the
		// writing, or after the run ended.
		deadline := ticks * k / 6
		for cpuTicks(p.cmd.Process.Pid) >= 0 && cpuTicks(p.cmd.Process.Pid) < deadline {
			time.Sleep(5 * time.Millisecond)
		}
		p.cmd.Process.Signal(syscall.SIGTERM)
		code := p.wait(t)
		now := setOf(t, filepath.Join(dir, "out"))
		switch code {
		case 0:
			finished++
			before = now
		case 143:
			stopped++
			if !strings.HasPrefix(p.stderr.String(), "cybercba: stopped by SIGTERM; ") || strings.Count(p.stderr.String(), "\n") != 1 {
				t.Errorf("stopped run %d: stderr %q; want one line", k, p.stderr.String())
			}
			if !strings.Contains(p.stderr.String(), "nothing written") {
				before = now // it had put its set in place
			}
			if !slices.Equal(now, before) {
				t.Errorf("stopped run %d changed the set:\nbefore %q\nafter  %q", k, before, now)
			}
		default:
			t.Errorf("run %d signalled: exit %d\nstderr: %s", k, code, p.stderr.String())
		}
		if tmp := tempsIn(t, dir); len(tmp) > 0 {
			t.Errorf("run %d left temporary files: %q", k, tmp)
		}
		checkSet(t, filepath.Join(dir, "out"))
	}
	t.Logf("%d runs stopped, %d finished", stopped, finished)
}

// cpuTicksOfChildren returns the CPU time a finished process used, in
// clock ticks (100 a second).
func cpuTicksOfChildren(p *proc) int {
	st := p.cmd.ProcessState
	return int((st.UserTime() + st.SystemTime()) / (10 * time.Millisecond))
}

// setOf lists the files of an output set with their sizes and times.
func setOf(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		out = append(out, fmt.Sprintf("%s %d %s", rel, info.Size(), info.ModTime().Format(time.RFC3339Nano)))
		return nil
	})
	return out
}

// checkSet checks that an output set is one run's: report.xlsx, and plots
// all written with it (no plot older than the report by more than the
// run's writing, none of another seed's run).
func checkSet(t *testing.T, dir string) {
	t.Helper()
	seed := reportSeed(t, filepath.Join(dir, "report.xlsx"))
	entries, err := os.ReadDir(filepath.Join(dir, "plots"))
	if err != nil {
		t.Fatalf("the set has no plots: %v", err)
	}
	if len(entries) == 0 {
		t.Errorf("the set of seed %s has no plots", seed)
	}
	book, err := os.Stat(filepath.Join(dir, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if d := info.ModTime().Sub(book.ModTime()); d < -time.Minute || d > time.Minute {
			t.Errorf("plots/%s is %s apart from report.xlsx: a mixed set", e.Name(), d)
		}
	}
}

// reportSeed returns the seed a report records (the "Seed" line).
func reportSeed(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("the set's report: %v", err)
	}
	defer f.Close()
	for _, s := range f.GetSheetList() {
		rows, _ := f.GetRows(s, excelize.Options{RawCellValue: true})
		for _, r := range rows {
			if len(r) > 1 && r[0] == "Seed" {
				return r[1]
			}
		}
	}
	t.Fatalf("%s records no seed", path)
	return ""
}

// TestConcurrentRunsOneSet runs two runs at once into one folder, one
// writing PNG plots with seed 1, the other SVG with seed 2: the folder
// ends with one run's set, report and plots together, never a mix.
func TestConcurrentRunsOneSet(t *testing.T) {
	skipUnlessLong(t, "builds the binary and sends it real signals")
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	for round := range 3 {
		var wg sync.WaitGroup
		for _, a := range [][]string{{"--seed", "1", "--format", "png"}, {"--seed", "2", "--format", "svg"}} {
			wg.Go(func() {
				r := cybercba(t, slices.Concat([]string{"run", "-o", out, "--draws", "8", "--years", "200", "--decision-draws", "100"}, a)...)
				if r.code != 0 {
					t.Errorf("round %d: run %q: exit %d\n%s", round, a, r.code, r.stderr)
				}
			})
		}
		wg.Wait()
		seed := reportSeed(t, filepath.Join(out, "report.xlsx"))
		want := map[string]string{"1": ".png", "2": ".svg"}[seed]
		entries, _ := os.ReadDir(filepath.Join(out, "plots"))
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				continue // the folder's list of the files cybercba wrote
			}
			if ext := filepath.Ext(e.Name()); ext != want && ext != ".csv" { // each figure's data is CSV in both
				t.Errorf("round %d: the report is seed %s's, but plots/ holds %s: a mixed set", round, seed, e.Name())
			}
		}
		if tmp := tempsIn(t, dir); len(tmp) > 0 {
			t.Errorf("round %d: temporary files left: %q", round, tmp)
		}
	}
}

// TestPlotsFolderNotOurs refuses to replace a plots folder holding
// something cybercba does not write, and leaves it as it was.
func TestPlotsFolderNotOurs(t *testing.T) {
	skipUnlessLong(t, "writes a whole default run's files; CI runs it")
	t.Parallel()
	out := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(filepath.Join(out, "plots"), 0o755); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(out, "plots", "notes.txt")
	if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := cybercba(t, "run", "-o", out, "--draws", "8", "--years", "200", "--decision-draws", "100")
	if r.code != exitInput || !strings.Contains(r.stderr, "plots holds notes.txt, which cybercba did not write") { // refused before simulating
		t.Errorf("run into a folder with plots/notes.txt: exit %d, stderr %q", r.code, r.stderr)
	}
	if b, err := os.ReadFile(notes); err != nil || string(b) != "mine" {
		t.Errorf("plots/notes.txt after the run: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(out, "report.xlsx")); err == nil {
		t.Errorf("report.xlsx written beside plots it did not replace")
	}
	if tmp := tempsIn(t, out); len(tmp) > 0 {
		t.Errorf("temporary files left: %q", tmp)
	}
}

// TestStoppedMessage checks the stopped line and exit codes without a
// process.
func TestStoppedMessage(t *testing.T) {
	t.Parallel()
	if got, want := stoppedMessage(syscall.SIGTERM, nil), "cybercba: stopped by SIGTERM; nothing written"; got != want {
		t.Errorf("stoppedMessage = %q; want %q", got, want)
	}
	if got, want := stoppedMessage(os.Interrupt, []string{"a.xlsx"}), "cybercba: stopped by SIGINT; written before it stopped: a.xlsx"; got != want {
		t.Errorf("stoppedMessage = %q; want %q", got, want)
	}
	if signalExit(syscall.SIGINT) != 130 || signalExit(syscall.SIGTERM) != 143 {
		t.Errorf("exit codes %d and %d; want 130 and 143", signalExit(syscall.SIGINT), signalExit(syscall.SIGTERM))
	}
}
