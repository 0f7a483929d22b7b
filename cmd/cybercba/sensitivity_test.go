package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestSensitivityCommand(t *testing.T) {
	t.Parallel()
	args := []string{"sensitivity", "--draws", "40", "--years", "200", "--decision-draws", "100", "--scope", "acute-trust", "--top", "5", "--no-files"}
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	for _, want := range []string{"Decision: the recommended portfolio", "Tornado around the expected case", "Switching values", "EVPI", "EVPPI"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sensitivity output lacks %q:\n%s", want, r.stdout)
		}
	}
	args = append(args, "--json")
	r = cybercba(t, args...)
	mustSucceed(t, r, args)
	var got struct {
		Decision  []string `json:"decision"`
		Tornado   []struct{ Swing float64 }
		Switching []json.RawMessage `json:"switching_values"`
		EVPI      float64           `json:"evpi"`
		EVPPI     []struct{ EVPPI float64 }
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("sensitivity --json: %v\n%s", err, r.stdout)
	}
	if len(got.Decision) == 0 || len(got.Tornado) == 0 || len(got.Switching) != 5 {
		t.Errorf("sensitivity --json: decision %v, %d tornado bars, %d switching values; want the recommendation, some bars, 5 switches", got.Decision, len(got.Tornado), len(got.Switching))
	}
	for i := 1; i < len(got.Tornado); i++ {
		if got.Tornado[i].Swing > got.Tornado[i-1].Swing {
			t.Errorf("tornado not sorted: bar %d swing %g > bar %d's %g", i, got.Tornado[i].Swing, i-1, got.Tornado[i-1].Swing)
		}
	}
	for _, e := range got.EVPPI {
		if e.EVPPI < 0 || e.EVPPI > got.EVPI*(1+1e-12) {
			t.Errorf("EVPPI %g outside [0, EVPI %g]", e.EVPPI, got.EVPI)
		}
	}
}

func TestRunWithSensitivityAndBudget(t *testing.T) {
	skipUnlessLong(t, "sensitivity under a budget")
	t.Parallel()
	args := runArgs("--scope", "acute-trust", "--budget", "300k", "--sensitivity")
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	for _, want := range []string{"within £300k a year", "Decision: the recommended portfolio", "Tornado", "EVPI"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("run --budget --sensitivity output lacks %q", want)
		}
	}
	r = cybercba(t, "sensitivity", "--top", "0")
	if r.code != exitInput || !strings.Contains(r.stderr, "--top") {
		t.Errorf("sensitivity --top 0: exit %d, stderr %q; want exit 3 naming --top", r.code, r.stderr)
	}
}

// TestSensitivityWritesFiles checks that sensitivity honours -o and
// --format as run does, writing the workbook with its Sensitivity sheet,
// report.html with its sensitivity section, and the tornado among the
// plots; and that with --json the Wrote line keeps off stdout.
func TestSensitivityWritesFiles(t *testing.T) {
	skipUnlessLong(t, "sensitivity with every file")
	t.Parallel()
	out := filepath.Join(t.TempDir(), "sens")
	args := []string{"sensitivity", "--draws", "8", "--years", "200", "--decision-draws", "100", "--scope", "acute-trust", "--top", "3", "-o", out, "--format", "svg", "--json"}
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	want := []string{"report.html", "report.xlsx"}
	for _, p := range []string{"buildup", "calibration", "histogram", "lec", "ranking", "tornado"} {
		want = append(want, "plots/"+p+".csv", "plots/"+p+".svg") // each figure's data beside it
	}
	slices.Sort(want)
	if got := written(t, out); !slices.Equal(got, want) {
		t.Errorf("files written = %q; want %q", got, want)
	}
	if strings.Contains(r.stdout, "Wrote") || !strings.Contains(r.stderr, "Wrote "+filepath.Join(out, "report.xlsx")) {
		t.Errorf("the Wrote line is not on stderr alone:\nstdout: %.200s…\nstderr: %s", r.stdout, r.stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<section id="sensitivity">`) {
		t.Error("report.html has no sensitivity section")
	}
	f, err := excelize.OpenFile(filepath.Join(out, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !slices.Contains(f.GetSheetList(), "Sensitivity") {
		t.Errorf("workbook sheets %q lack Sensitivity", f.GetSheetList())
	}
}
