package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/data"
)

// small keeps a run quick: 8 × 200 simulated years, and the decision's
// intervals, probabilities and value of information on 100 draws (the
// regressions behind EVPPI cost as much at 300 draws as at 10,000).
var small = []string{"--no-files", "--draws", "8", "--years", "200", "--decision-draws", "100"}

// result is what one call of run left behind.
type result struct {
	code           int
	stdout, stderr string
}

// cybercba calls run with args as the command line would, and maps its error
// to an exit code as main does.
func cybercba(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), args, &stdout, &stderr)
	code := exitCode(err, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// runArgs returns "run", the small settings, then extra.
func runArgs(extra ...string) []string {
	return slices.Concat([]string{"run"}, small, extra)
}

// mustSucceed fails the test unless r exited 0.
func mustSucceed(t *testing.T, r result, args []string) {
	t.Helper()
	if r.code != exitOK {
		t.Fatalf("cybercba %s: exit %d; want 0\nstderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
}

func defaultDataset(t *testing.T) *data.Dataset {
	t.Helper()
	ds, err := data.Default()
	if err != nil {
		t.Fatalf("data.Default() error: %v", err)
	}
	return ds
}

func controlIDs(sc *data.Scope) []string {
	var ids []string
	for _, c := range sc.Controls {
		ids = append(ids, c.ID)
	}
	return ids
}

func TestHelp(t *testing.T) {
	t.Parallel()
	runFlagNames := []string{"seed", "draws", "years", "horizon", "discount", "optimism-bias", "workers", "metric", "scope", "json", "quiet"}
	tests := []struct {
		args  []string
		want  []string // in stdout and stderr together
		flags []string // flag names, listed as -name by PrintDefaults
	}{
		{[]string{"help"}, []string{"Usage:", "Example", "cybercba run", "cybercba calibrate", "Exit codes"}, nil},
		{[]string{"--help"}, []string{"Usage:", "Example"}, nil},
		{[]string{"run", "-h"}, []string{"Usage: cybercba run", "Example"}, runFlagNames},
		{[]string{"run", "--help"}, []string{"Usage: cybercba run", "Example"}, runFlagNames},
		{[]string{"help", "run"}, []string{"Usage: cybercba run", "Example"}, runFlagNames},
		{[]string{"calibrate", "-h"}, []string{"Usage: cybercba calibrate", "Example", "£92m"}, []string{"seed"}},
		{[]string{"help", "calibrate"}, []string{"Usage: cybercba calibrate", "Example"}, []string{"seed"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			r := cybercba(t, tt.args...)
			if r.code != exitOK {
				t.Errorf("exit = %d; want 0\nstderr:\n%s", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, "cybercba: ") {
				t.Errorf("help printed an error line:\n%s", r.stderr)
			}
			if r.stderr != "" {
				t.Errorf("help wrote to stderr (want stdout only):\n%s", r.stderr)
			}
			out := r.stdout
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("help does not contain %q:\n%s", w, out)
				}
			}
			for _, f := range tt.flags {
				if !strings.Contains(out, "  --"+f+" ") && !strings.Contains(out, "  --"+f+"\n") {
					t.Errorf("help does not list flag --%s:\n%s", f, out)
				}
			}
		})
	}
}

// tableIDs returns the control IDs of a run table's rows, in rank order,
// and checks the Rank column counts 1, 2, ….
func tableIDs(t *testing.T, out string) []string {
	t.Helper()
	lines := strings.Split(out, "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Rank ") })
	if start < 0 {
		t.Fatalf("no Rank header in output:\n%s", out)
	}
	var ids []string
	for k, l := range lines[start+1:] {
		if strings.TrimSpace(l) == "" {
			break
		}
		f := strings.Fields(l)
		if len(f) < 2 || f[0] != fmt.Sprint(k+1) {
			t.Fatalf("table row %d = %q; want rank %d then an ID", k+1, l, k+1)
		}
		ids = append(ids, f[1])
	}
	return ids
}

func TestRunDefault(t *testing.T) {
	t.Parallel()
	ds := defaultDataset(t)
	if len(ds.Scopes) < 2 {
		t.Fatalf("default dataset has %d scopes; want nhs-england and acute-trust", len(ds.Scopes))
	}
	for _, sc := range ds.Scopes {
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			args := runArgs("--scope", sc.ID)
			r := cybercba(t, args...)
			mustSucceed(t, r, args)
			if r.stderr != "" {
				t.Errorf("stderr = %q; want empty (no terminal, so no progress bar)", r.stderr)
			}
			for _, w := range []string{
				sc.Name, "8 draws × 200 years", "seed 2017", "£51.5k per organisation-day",
				"Baseline", "Rank", "Gordon–Loeb", "Convergence", "Data: " + data.DefaultName,
			} {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout does not contain %q", w)
				}
			}
			got := tableIDs(t, r.stdout)
			want := controlIDs(&sc)
			if !sameSet(got, want) {
				t.Errorf("table IDs = %q; want each of %q once", got, want)
			}
			if t.Failed() {
				t.Logf("stdout:\n%s", r.stdout)
			}
		})
	}
}

// sameSet reports whether a and b hold the same strings, each once.
func sameSet(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(a, b) && len(slices.Compact(a)) == len(b)
}

// withoutDataLine drops the line starting "Data:", which holds the run time.
func withoutDataLine(s string) string {
	lines := strings.Split(s, "\n")
	return strings.Join(slices.DeleteFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Data:") }), "\n")
}

func TestRunTableRepeatable(t *testing.T) {
	t.Parallel()
	args := runArgs("--seed", "11", "--scope", "acute-trust")
	a, b := cybercba(t, args...), cybercba(t, args...)
	mustSucceed(t, a, args)
	mustSucceed(t, b, args)
	if !strings.Contains(a.stdout, "\nData:") {
		t.Fatalf("no Data: line in stdout:\n%s", a.stdout)
	}
	if x, y := withoutDataLine(a.stdout), withoutDataLine(b.stdout); x != y {
		t.Errorf("two runs with seed 11 differ:\n--- first:\n%s\n--- second:\n%s", x, y)
	}
}

// jsonRun runs `run --json` with args and decodes its stdout.
func jsonRun(t *testing.T, extra ...string) (map[string]any, result) {
	t.Helper()
	args := runArgs(append([]string{"--json"}, extra...)...)
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	var out map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("cybercba %s: stdout is not JSON: %v\n%s", strings.Join(args, " "), err, r.stdout)
	}
	return out, r
}

// field returns the value at a dotted path in decoded JSON, failing the
// test if it is missing.
func field(t *testing.T, v any, path string) any {
	t.Helper()
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %T is not an object at %q", path, v, k)
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("%s: no key %q", path, k)
		}
	}
	return v
}

func number(t *testing.T, v any, path string) float64 {
	t.Helper()
	x, ok := field(t, v, path).(float64)
	if !ok {
		t.Fatalf("%s = %v (%T); want a number", path, field(t, v, path), field(t, v, path))
	}
	return x
}

func TestRunJSON(t *testing.T) {
	t.Parallel()
	ds := defaultDataset(t)
	for _, sc := range ds.Scopes {
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			out, _ := jsonRun(t, "--scope", sc.ID, "--seed", "5")
			if got := field(t, out, "tool"); got != "cybercba" {
				t.Errorf("tool = %v; want cybercba", got)
			}
			if got, ok := field(t, out, "version").(string); !ok || got == "" {
				t.Errorf("version = %v; want a non-empty string", field(t, out, "version"))
			}
			if got := field(t, out, "scope"); got != sc.ID {
				t.Errorf("scope = %v; want %s", got, sc.ID)
			}
			for path, want := range map[string]float64{"settings.seed": 5, "settings.draws": 8, "settings.years": 200, "settings.horizon": 10} {
				if got := number(t, out, path); got != want {
					t.Errorf("%s = %v; want %v", path, got, want)
				}
			}
			if ale := number(t, out, "baseline.ale"); !(ale > 0) {
				t.Errorf("baseline.ale = %v; want > 0", ale)
			}
			if src, ok := field(t, out, "sources").([]any); !ok || len(src) == 0 || len(src) != len(ds.Sources) {
				t.Errorf("sources = %d entries; want the dataset's %d", len(src), len(ds.Sources))
			}

			ctls, ok := field(t, out, "controls").([]any)
			n := len(sc.Controls)
			if !ok || len(ctls) != n {
				t.Fatalf("controls: %d entries; want %d", len(ctls), n)
			}
			var ids []string
			ranks := make([]bool, n+1)
			for _, c := range ctls {
				id, _ := field(t, c, "id").(string)
				ids = append(ids, id)
				rank := number(t, c, "rank")
				if rank < 1 || rank > float64(n) || rank != math.Trunc(rank) || ranks[int(rank)] {
					t.Errorf("%s: rank = %v; want a rank 1..%d held by no other control", id, rank, n)
				} else {
					ranks[int(rank)] = true
				}
				probs, ok := field(t, c, "rank_prob").([]any)
				if !ok || len(probs) != n {
					t.Errorf("%s: rank_prob has %d entries; want %d", id, len(probs), n)
				}
				var sum float64
				for _, p := range probs {
					x, _ := p.(float64)
					if x < 0 || x > 1 {
						t.Errorf("%s: rank_prob entry %v outside [0, 1]", id, x)
					}
					sum += x
				}
				if math.Abs(sum-1) > 1e-9 {
					t.Errorf("%s: rank_prob sums to %v; want 1 ± 1e-9", id, sum)
				}
				if lo, hi := number(t, c, "npv_decision.lo"), number(t, c, "npv_decision.hi"); !(lo <= hi) {
					t.Errorf("%s: npv_decision.lo %v > npv_decision.hi %v", id, lo, hi)
				}
				if p := number(t, c, "p_npv_positive"); p < 0 || p > 1 {
					t.Errorf("%s: p_npv_positive = %v; want in [0, 1]", id, p)
				}
			}
			if !sameSet(ids, controlIDs(&sc)) {
				t.Errorf("control ids = %q; want each of %q once", ids, controlIDs(&sc))
			}
		})
	}
}

// TestRunJSONMatchesTable checks the JSON ranks and the table's order agree.
func TestRunJSONMatchesTable(t *testing.T) {
	t.Parallel()
	out, _ := jsonRun(t, "--seed", "3")
	args := runArgs("--seed", "3")
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	table := tableIDs(t, r.stdout)
	ctls, _ := field(t, out, "controls").([]any)
	byRank := make([]string, len(ctls))
	for _, c := range ctls {
		rank := int(number(t, c, "rank"))
		if rank < 1 || rank > len(ctls) {
			t.Fatalf("rank %d out of range", rank)
		}
		byRank[rank-1], _ = field(t, c, "id").(string)
	}
	if !slices.Equal(byRank, table) {
		t.Errorf("JSON order by rank = %q; table order = %q", byRank, table)
	}
}

func TestRunDeterministic(t *testing.T) {
	t.Parallel()
	_, w1 := jsonRun(t, "--workers", "1")
	_, w2 := jsonRun(t, "--workers", "2")
	_, w3 := jsonRun(t, "--workers", "3")
	if w1.stdout != w2.stdout {
		t.Errorf("--workers 1 and --workers 2 give different JSON:\n%s", firstDiff(w1.stdout, w2.stdout))
	}
	if w1.stdout != w3.stdout {
		t.Errorf("--workers 1 and --workers 3 give different JSON:\n%s", firstDiff(w1.stdout, w3.stdout))
	}
	_, s2 := jsonRun(t, "--workers", "1", "--seed", "2")
	if s2.stdout == w1.stdout {
		t.Errorf("--seed 2 and the default seed give identical JSON")
	}
}

// firstDiff describes the first line where a and b differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d and %d lines", len(la), len(lb))
}

// TestRunDatasetFile runs a copy of the embedded dataset from a file: it
// must give the same results, naming the file.
func TestRunDatasetFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nhs copy.yaml")
	if err := os.WriteFile(path, data.DefaultBytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	embedded, er := jsonRun(t)
	file, fr := jsonRun(t, path)
	if got := field(t, file, "dataset"); got != path {
		t.Errorf("dataset = %v; want %s", got, path)
	}
	if got := field(t, embedded, "dataset"); got != data.DefaultName {
		t.Errorf("dataset = %v; want %s", got, data.DefaultName)
	}
	a := strings.Replace(er.stdout, jsonString(t, data.DefaultName), `"X"`, 1)
	b := strings.Replace(fr.stdout, jsonString(t, path), `"X"`, 1)
	if a != b {
		t.Errorf("results from the file differ from the embedded dataset's:\n%s", firstDiff(a, b))
	}
}

func jsonString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lineOf returns the 1-based line of the first line at or after line from
// (1-based) whose trimmed text starts with prefix, or fails the test.
func lineOf(t *testing.T, lines []string, from int, prefix string) int {
	t.Helper()
	for i := from - 1; i < len(lines); i++ {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), prefix) {
			return i + 1
		}
	}
	t.Fatalf("no line starting %q after line %d of the default dataset", prefix, from)
	return 0
}

// broken is a copy of the default dataset with edits, and where they are.
type broken struct {
	text       []byte
	opexLine   int // N1's opex, made negative
	threatLine int // N1's first effect, naming threat S99
}

// breakDataset returns the default dataset with N1's opex negative (if
// opex) and its first effect naming an unknown threat S99 (if threat).
func breakDataset(t *testing.T, opex, threat bool) broken {
	t.Helper()
	lines := strings.Split(string(data.DefaultBytes()), "\n")
	n1 := lineOf(t, lines, 1, "- id: N1")
	var b broken
	if opex {
		b.opexLine = lineOf(t, lines, n1, "opex:")
		l := &lines[b.opexLine-1]
		if !strings.Contains(*l, "lo: ") {
			t.Fatalf("line %d = %q; want an interval with lo", b.opexLine, *l)
		}
		*l = strings.Replace(*l, "lo: ", "lo: -", 1)
	}
	if threat {
		b.threatLine = lineOf(t, lines, n1, "- threat:")
		l := &lines[b.threatLine-1]
		i := strings.Index(*l, "threat:")
		*l = (*l)[:i] + "threat: S99"
	}
	b.text = []byte(strings.Join(lines, "\n"))
	return b
}

func TestRunBrokenDataset(t *testing.T) {
	t.Parallel()
	const (
		opexField   = "scopes[nhs-england].controls[N1].opex"
		threatField = "scopes[nhs-england].controls[N1].effects[0].threat"
	)
	tests := []struct {
		name         string
		opex, threat bool
		want         func(path string, b broken) []string
	}{
		{"negative opex", true, false, func(p string, b broken) []string {
			return []string{fmt.Sprintf("cybercba: %s:%d: %s: must not be negative", p, b.opexLine, opexField)}
		}},
		{"unknown threat", false, true, func(p string, b broken) []string {
			// The line is checked in TestUnknownThreatLine.
			return []string{"cybercba: " + p + ":", threatField + `: unknown threat "S99"`, "S1, S2"}
		}},
		{"both at once", true, true, func(p string, b broken) []string {
			return []string{fmt.Sprintf("%s:%d: %s", p, b.opexLine, opexField), threatField + `: unknown threat "S99"`}
		}},
	}
	for _, tt := range tests {
		for _, cmd := range []string{"run", "calibrate"} {
			t.Run(tt.name+"/"+cmd, func(t *testing.T) {
				t.Parallel()
				b := breakDataset(t, tt.opex, tt.threat)
				path := filepath.Join(t.TempDir(), "broken.yaml")
				if err := os.WriteFile(path, b.text, 0o644); err != nil {
					t.Fatal(err)
				}
				args := []string{cmd, path}
				if cmd == "run" {
					args = runArgs(path)
				}
				r := cybercba(t, args...)
				if r.code != exitInput {
					t.Errorf("exit = %d; want %d", r.code, exitInput)
				}
				if r.stdout != "" {
					t.Errorf("stdout = %q; want empty", r.stdout)
				}
				for _, w := range tt.want(path, b) {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("stderr does not contain %q:\n%s", w, r.stderr)
					}
				}
				after, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(after, b.text) {
					t.Errorf("cybercba %s changed its input file", cmd)
				}
			})
		}
	}
}

func TestUnknownThreatLine(t *testing.T) {
	t.Parallel()
	b := breakDataset(t, false, true)
	path := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(path, b.text, 0o644); err != nil {
		t.Fatal(err)
	}
	r := cybercba(t, runArgs(path)...)
	want := fmt.Sprintf("%s:%d: scopes[nhs-england].controls[N1].effects[0].threat", path, b.threatLine)
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
	}
}

func TestRunUnreadableDataset(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.yaml")
	empty := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing", missing, missing},
		{"empty", empty, empty + ": empty file"},
		{"directory", dir, dir},
	}
	for _, tt := range tests {
		for _, cmd := range []string{"run", "calibrate"} {
			t.Run(tt.name+"/"+cmd, func(t *testing.T) {
				t.Parallel()
				args := []string{cmd, tt.path}
				if cmd == "run" {
					args = runArgs(tt.path)
				}
				r := cybercba(t, args...)
				if r.code != exitInput {
					t.Errorf("exit = %d; want %d\nstderr:\n%s", r.code, exitInput, r.stderr)
				}
				if !strings.Contains(r.stderr, "cybercba: ") || !strings.Contains(r.stderr, tt.want) {
					t.Errorf("stderr does not contain %q:\n%s", tt.want, r.stderr)
				}
			})
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a run created %s", missing)
	}
}

func TestCalibrate(t *testing.T) {
	t.Parallel()
	ds := defaultDataset(t)
	r := cybercba(t, "calibrate")
	mustSucceed(t, r, []string{"calibrate"})
	want := []string{
		"calibration on WannaCry", data.DefaultName,
		"£92.0m", "£19.0m", "£73.0m", // the target and its split
		"£51.5k (2024-25)", // c_d in the dataset's prices
		"seed 2017", "Hold-out",
	}
	for _, h := range ds.Holdouts {
		want = append(want, "  "+h.ID+": observed ")
	}
	if len(ds.Holdouts) == 0 {
		t.Error("default dataset has no hold-outs")
	}
	for _, w := range want {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout does not contain %q", w)
		}
	}
	if t.Failed() {
		t.Logf("stdout:\n%s", r.stdout)
	}

	r7 := cybercba(t, "calibrate", "--seed", "7")
	mustSucceed(t, r7, []string{"calibrate", "--seed", "7"})
	if !strings.Contains(r7.stdout, "seed 7") {
		t.Errorf("calibrate --seed 7: stdout does not name seed 7:\n%s", r7.stdout)
	}
	if again := cybercba(t, "calibrate"); again.stdout != r.stdout {
		t.Errorf("two calibrations differ:\n%s", firstDiff(r.stdout, again.stdout))
	}
}

// TestExamples runs every example command in the package comment (the
// manual) and the help texts, with small draws so they finish quickly.
func TestExamples(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	if f.Doc == nil {
		t.Fatal("main.go has no package comment")
	}
	dataset := filepath.Join(t.TempDir(), "my-dataset.yaml")
	if err := os.WriteFile(dataset, data.DefaultBytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, src := range []struct{ name, text string }{
		{"package comment", f.Doc.Text()},
		{"help/top.txt", usage("top")},
		{"help/run.txt", usage("run")},
		{"help/calibrate.txt", usage("calibrate")},
	} {
		n := 0
		for line := range strings.Lines(src.text) {
			line = strings.TrimSpace(line)
			cmd, ok := strings.CutPrefix(line, "cybercba ")
			word, _, _ := strings.Cut(cmd, " ")
			if !ok || (word != "run" && word != "calibrate") || strings.Contains(cmd, "[") {
				continue // prose, or a usage line such as "cybercba run [flags]"
			}
			n++
			cmd, _, _ = strings.Cut(cmd, ">") // drop a redirection
			if seen[cmd] {
				continue
			}
			seen[cmd] = true
			args := strings.Fields(cmd)
			for i, a := range args {
				if strings.HasSuffix(a, ".yaml") {
					args[i] = dataset
				}
			}
			if args[0] == "run" {
				// Later flags win, so the small settings override the example's;
				// they go before a dataset, where flag parsing stops.
				at := len(args)
				if strings.HasSuffix(args[at-1], ".yaml") {
					at--
				}
				args = slices.Concat(args[:at], small, args[at:])
			}
			t.Run(strings.Join(strings.Fields(cmd), "_"), func(t *testing.T) {
				t.Parallel()
				r := cybercba(t, args...)
				mustSucceed(t, r, args)
				if slices.Contains(args, "--json") && !json.Valid([]byte(r.stdout)) {
					t.Errorf("cybercba %s: stdout is not valid JSON", strings.Join(args, " "))
				}
			})
		}
		if n == 0 {
			t.Errorf("%s has no examples", src.name)
		}
	}
}
