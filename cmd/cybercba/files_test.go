package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/reports"
	"github.com/xuri/excelize/v2"
)

// fileArgs returns "run" with the small settings but files written into
// dir, then extra.
func fileArgs(dir string, extra ...string) []string {
	return slices.Concat([]string{"run", "--draws", "8", "--years", "200", "--decision-draws", "100", "-o", dir}, extra)
}

// written returns the files under dir, as slash paths relative to it,
// failing the test on a file that is not 0644 or whose name starts with a
// dot (a temporary file left behind).
func written(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if d.Name() == reports.PlotsListName { // the list of plots/'s files, not a file to show
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			t.Errorf("%s: a temporary file left behind", rel)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode() != 0o644 {
			t.Errorf("%s: mode %v; want -rw-r--r--", rel, info.Mode())
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// magic is the start of a file in each plot format.
var magic = map[string]string{"png": "\x89PNG\r\n\x1a\n", "svg": "<?xml", "pdf": "%PDF-"}

// TestRunWritesFiles runs with -o into a new folder and checks it holds
// the workbook and each plot in each format asked for, and nothing else;
// that stdout says where; and that the workbook has the portfolio sheets
// when, and only when, a budget was given.
func TestRunWritesFiles(t *testing.T) {
	t.Parallel()
	base := []string{"lec", "histogram", "ranking", "calibration"}
	for _, tt := range []struct {
		name     string
		extra    []string
		plots    []string
		frontier bool // a Frontier sheet and figure
	}{
		{"default", nil, append(slices.Clone(base), "buildup"), false},
		{"budget and frontier", []string{"--budget", "50m", "--frontier"}, append(slices.Clone(base), "buildup", "frontier"), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "new folder")
			args := fileArgs(out, slices.Concat([]string{"--format", "png,svg,pdf"}, tt.extra)...)
			r := cybercba(t, args...)
			mustSucceed(t, r, args)
			book := filepath.Join(out, "report.xlsx")
			want := []string{"report.html", "report.xlsx"}
			for _, p := range tt.plots {
				for _, format := range []string{"png", "svg", "pdf", "csv"} {
					want = append(want, "plots/"+p+"."+format)
				}
			}
			slices.Sort(want)
			if got := written(t, out); !slices.Equal(got, want) {
				t.Errorf("files written = %q; want %q", got, want)
			}
			where := fmt.Sprintf("\nWrote %s, %s and %d plots (each with its data as CSV) in %s\n", book, filepath.Join(out, "report.html"), 3*len(tt.plots), filepath.Join(out, "plots"))
			if !strings.HasSuffix(r.stdout, where) {
				t.Errorf("stdout does not end %q:\n%s", where, r.stdout)
			}
			for _, p := range tt.plots {
				for format, m := range magic {
					b, err := os.ReadFile(filepath.Join(out, "plots", p+"."+format))
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.HasPrefix(b, []byte(m)) {
						t.Errorf("%s.%s does not start %q", p, format, m)
					}
				}
			}

			f, err := excelize.OpenFile(book)
			if err != nil {
				t.Fatalf("opening %s: %v", book, err)
			}
			defer f.Close()
			sheets := f.GetSheetList()
			for s, want := range map[string]bool{"Portfolio": true, "Build-up": true, "Frontier": tt.frontier} {
				if got := slices.Contains(sheets, s); got != want {
					t.Errorf("workbook sheets %q: %s present %v; want %v", sheets, s, got, want)
				}
			}
			if tt.frontier {
				rows, err := f.GetRows("Frontier")
				if err != nil {
					t.Fatal(err)
				}
				if got := len(rows) - 1; got < 3 {
					t.Errorf("Frontier sheet has %d rows; want a row per breakpoint, several", got)
				}
			}
		})
	}
}

// TestRunJSONFiles checks that with --json and files, stdout stays one
// JSON document, the "Wrote" line going to stderr, and that the JSON holds
// the chosen portfolio's controls when a budget is given.
func TestRunJSONFiles(t *testing.T) {
	skipUnlessLong(t, "a run with every file")
	t.Parallel()
	out := t.TempDir()
	args := fileArgs(out, "--json", "--budget", "50m")
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if strings.Contains(r.stdout, "Wrote") || !strings.Contains(r.stderr, "Wrote "+filepath.Join(out, "report.xlsx")) {
		t.Errorf("the Wrote line is not on stderr alone:\nstdout: %.200s…\nstderr: %s", r.stdout, r.stderr)
	}
	if ctls, ok := field(t, doc, "portfolio.choice.controls").([]any); !ok || len(ctls) == 0 {
		t.Errorf("portfolio.choice.controls = %v; want the chosen controls", field(t, doc, "portfolio.choice.controls"))
	}
	if _, err := os.Stat(filepath.Join(out, "report.xlsx")); err != nil {
		t.Error(err)
	}
}

// TestRunBadOutputFlags checks that a bad budget (invalid input) or plot
// format (a word not among the flag's choices: bad usage) is refused,
// naming the flag, before anything is written.
func TestRunBadOutputFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, flag, value string
		code              int
	}{
		{"budget", "--budget", "tbc", exitInput},
		{"format", "--format", "gif", exitUsage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "out")
			args := fileArgs(out, tt.flag, tt.value)
			r := cybercba(t, args...)
			if r.code != tt.code {
				t.Errorf("cybercba %s: exit %d; want %d\nstderr:\n%s", strings.Join(args, " "), r.code, tt.code, r.stderr)
			}
			if want := "cybercba: " + tt.flag + ": "; !strings.Contains(r.stderr, want) {
				t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused run created %s", out)
			}
		})
	}
}

// TestRunBudgetOutput checks the terminal output of a budget: the
// recommendation within it, proven best, and with --frontier a row for
// each budget at which the best portfolio changes.
func TestRunBudgetOutput(t *testing.T) {
	t.Parallel()
	args := runArgs("--budget", "50m")
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	for _, want := range []string{"Recommendation (the greatest expected NPV, financial view, within £50.0m a year)", "(proven best)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("run --budget 50m: stdout does not contain %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "Efficient frontier") {
		t.Errorf("run --budget 50m printed a frontier without --frontier")
	}

	args = runArgs("--budget", "50m", "--frontier")
	r = cybercba(t, args...)
	mustSucceed(t, r, args)
	if !strings.Contains(r.stdout, "Efficient frontier") {
		t.Fatalf("run --frontier: stdout has no efficient frontier:\n%s", r.stdout)
	}
	lines := strings.Split(r.stdout, "\n")
	head := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "From budget/yr") })
	if head < 0 {
		t.Fatalf("run --frontier: no From budget/yr header:\n%s", r.stdout)
	}
	var rows int
	var prev string
	for _, l := range lines[head+1:] {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "Each row holds") {
			break
		}
		if !strings.HasPrefix(strings.TrimSpace(l), "£") {
			t.Errorf("frontier row %q does not start with a budget", l)
		}
		f := strings.Fields(l)
		if len(f) > 2 && f[2] == prev {
			t.Errorf("frontier rows repeat the portfolio change %q", prev)
		}
		if len(f) > 2 {
			prev = f[2]
		}
		rows++
	}
	if rows < 3 {
		t.Errorf("run --frontier: %d breakpoints; want several\n%s", rows, strings.Join(lines[head:], "\n"))
	}
}
