package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the commands' output")

// goldenSteps are the commands whose output testdata/<name>.golden holds:
// a small fixed-seed call of each command (the decision on 100 draws), in
// order, in one directory ($WORK), so that later steps read what earlier
// ones wrote (the template is validated and run as a batch, the shards
// merged, the report reproduced: its record holds --decision-draws=100,
// and the re-run on that count is identical). A step with an empty name
// runs without a golden file.
var goldenSteps = []struct {
	name string
	args []string
}{
	{"run", []string{"run", "--no-files", "--scope", "acute-trust", "--draws", "8", "--years", "200", "--decision-draws", "100"}},
	{"run.json", []string{"run", "--no-files", "--scope", "acute-trust", "--draws", "8", "--years", "200", "--decision-draws", "100", "--json"}},
	{"run-budget", []string{"run", "--no-files", "--scope", "acute-trust", "--draws", "8", "--years", "200", "--decision-draws", "100", "--budget", "300k"}},
	{"calibrate", []string{"calibrate"}},
	{"sensitivity", []string{"sensitivity", "--no-files", "--scope", "acute-trust", "--draws", "8", "--years", "200", "--decision-draws", "100", "--top", "3"}},
	{"sensitivity.json", []string{"sensitivity", "--no-files", "--scope", "acute-trust", "--draws", "8", "--years", "200", "--decision-draws", "100", "--top", "3", "--json"}},
	{"template", []string{"template", "--scope", "acute-trust", "-o", "$WORK/inputs.xlsx"}},
	{"validate", []string{"validate", "$WORK/inputs.xlsx"}},
	{"batch", []string{"batch", "--quiet", "--draws", "4", "--years", "100", "--decision-draws", "100", "-o", "$WORK/results.xlsx", "$WORK/inputs.xlsx"}},
	{"", []string{"batch", "--quiet", "--draws", "4", "--years", "100", "--decision-draws", "100", "--shard", "1/2", "-o", "$WORK/part.xlsx", "$WORK/inputs.xlsx"}},
	{"", []string{"batch", "--quiet", "--draws", "4", "--years", "100", "--decision-draws", "100", "--shard", "2/2", "-o", "$WORK/part.xlsx", "$WORK/inputs.xlsx"}},
	{"merge", []string{"merge", "-o", "$WORK/merged.xlsx", "$WORK/part.part-1-of-2.xlsx", "$WORK/part.part-2-of-2.xlsx"}},
	{"", []string{"run", "--quiet", "--scope", "acute-trust", "--draws", "8", "--years", "200", "--decision-draws", "100", "--format", "svg", "-o", "$WORK/out"}},
	{"reproduce", []string{"reproduce", "--quiet", "$WORK/out/report.xlsx"}},
}

// TestGolden runs goldenSteps and compares each step's exit code, stdout
// and stderr with testdata/<name>.golden. Run
//
//	go test ./cmd/cybercba -run TestGolden -update
//
// to rewrite the files after an intended change of output, and read the
// diff before committing it. The files hold the output as a user sees it,
// with what varies from run to run replaced: the directory by $WORK, the
// version by <version>, times by <time>; JSON numbers are rounded to six
// significant figures so that the last bits of a sum, which may differ
// between CPUs, do not count.
func TestGolden(t *testing.T) {
	t.Parallel()
	work := t.TempDir()
	for _, st := range goldenSteps {
		args := make([]string, len(st.args))
		for i, a := range st.args {
			args[i] = strings.ReplaceAll(a, "$WORK", work)
		}
		r := cybercba(t, args...)
		if st.name == "" {
			if r.code != exitOK {
				t.Fatalf("cybercba %s: exit %d\n%s", strings.Join(st.args, " "), r.code, r.stderr)
			}
			continue
		}
		stdout := r.stdout
		if strings.HasSuffix(st.name, ".json") {
			var err error
			if stdout, err = roundJSON(stdout); err != nil {
				t.Fatalf("cybercba %s: %v", strings.Join(st.args, " "), err)
			}
		}
		got := fmt.Sprintf("$ cybercba %s\nexit %d\n-- stdout --\n%s-- stderr --\n%s",
			strings.Join(st.args, " "), r.code, normalise(stdout, work), normalise(r.stderr, work))
		checkGolden(t, st.name, got)
	}
}

// checkGolden compares got with testdata/<name>.golden, or writes it there
// under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/cybercba -run TestGolden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (- golden, + now; go test ./cmd/cybercba -run TestGolden -update rewrites it):\n%s",
			path, lineDiff(string(want), got))
	}
}

// volatile matches what changes from run to run in the commands' output:
// durations, and the version line's revision.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s|m\d+(\.\d+)?s|h\d+m\d+(\.\d+)?s)\b`), "<time>"},
}

// normalise replaces the run's directory with $WORK, its version with
// <version>, and durations with <time>.
func normalise(s, work string) string {
	s = strings.ReplaceAll(s, work, "$WORK")
	if v := version(); v != "" {
		s = strings.ReplaceAll(s, "cybercba "+v, "cybercba <version>")
		s = strings.ReplaceAll(s, `"version": "`+v+`"`, `"version": "<version>"`)
	}
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// roundJSON re-indents a JSON document with every number rounded to six
// significant figures.
func roundJSON(s string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("not JSON: %v", err)
	}
	var round func(any) any
	round = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = round(e)
			}
		case []any:
			for i, e := range x {
				x[i] = round(e)
			}
		case json.Number:
			if _, err := x.Int64(); err == nil {
				return x
			}
			f, err := x.Float64()
			if err != nil || math.IsInf(f, 0) {
				return x
			}
			return json.Number(strconv.FormatFloat(f, 'g', 6, 64))
		}
		return v
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(round(v)); err != nil {
		return "", err
	}
	return b.String(), nil
}

// lineDiff returns a unified-style diff of two texts by lines, with two
// lines of context around each change: "-" lines only in want, "+" lines
// only in got.
func lineDiff(want, got string) string {
	lines := func(s string) []string {
		l := strings.SplitAfter(s, "\n")
		if l[len(l)-1] == "" {
			l = l[:len(l)-1]
		}
		return l
	}
	a, b := lines(want), lines(got)
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
		n    int // line number in want (for ' ' and '-') or got ('+')
	}
	var ops []line
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, line{' ', a[i], i + 1})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, line{'-', a[i], i + 1})
			i++
		default:
			ops = append(ops, line{'+', b[j], j + 1})
			j++
		}
	}
	const context = 2
	var out strings.Builder
	last := -1
	for k, op := range ops {
		near := false
		for d := -context; d <= context; d++ {
			if k+d >= 0 && k+d < len(ops) && ops[k+d].op != ' ' {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		if last >= 0 && k > last+1 {
			out.WriteString("…\n")
		}
		if last < 0 || k > last+1 {
			fmt.Fprintf(&out, "@@ line %d @@\n", op.n)
		}
		fmt.Fprintf(&out, "%c %s", op.op, strings.TrimSuffix(op.text, "\n")+"\n")
		last = k
	}
	return out.String()
}

func TestLineDiff(t *testing.T) {
	t.Parallel()
	want := "a\nb\nc\nd\ne\nf\ng\n"
	got := "a\nb\nc\nD\ne\nf\ng\nh\n"
	const diff = "@@ line 2 @@\n  b\n  c\n- d\n+ D\n  e\n  f\n  g\n+ h\n"
	if d := lineDiff(want, got); d != diff {
		t.Errorf("lineDiff =\n%s\nwant\n%s", d, diff)
	}
	if d := lineDiff(want, want); d != "" {
		t.Errorf("lineDiff of equal texts = %q; want none", d)
	}
}
