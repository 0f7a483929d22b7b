package reports

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// TestCompactRanking checks the ranking on a narrow terminal: every line
// fits, every control is there in rank order with its NPV as the full
// table writes it; and that the full table is kept when it fits, when the
// width is unknown (a file or a pipe) or with --wide.
func TestCompactRanking(t *testing.T) {
	t.Parallel()
	job := defaultJob(t, func(spec *data.RunSpec) {
		spec.Draws, spec.Years = 8, 200
	})
	j := NewRun(job, "test", "")
	an, err := model.Analyse(t.Context(), j.Model, j.Config, j.Appraisal, j.Metric)
	if err != nil {
		t.Fatal(err)
	}
	full := &textTable{}
	full.add(strings.Repeat("x", 150))
	for _, width := range []int{60, 80, 100} {
		j.Width = width
		text := rankingText(j, an, full)
		for line := range strings.SplitSeq(strings.TrimSuffix(text, "\n"), "\n") {
			if n := len([]rune(line)); n > width {
				t.Errorf("width %d: a line of %d columns: %q", width, n, line)
			}
		}
		at := 0
		for k, i := range an.Ranking.Order {
			r := &an.Results[i]
			c := j.Model.Controls[r.Portfolio[0]]
			head := fmt.Sprintf("%2d  %s  ", k+1, c.ID)
			p := strings.Index(text[at:], head)
			if p < 0 {
				t.Fatalf("width %d: control %d (%s) missing or out of order", width, k+1, c.ID)
			}
			at += p
			if npv := "NPV " + j.cur.text(r.DecisionNPV.Mean) + " ["; !strings.Contains(text[at:], npv) {
				t.Errorf("width %d: %s lacks %q", width, c.ID, npv)
			}
		}
	}
	for _, tt := range []struct {
		name  string
		width int
		wide  bool
	}{{"fits", 200, false}, {"not a terminal", 0, false}, {"--wide", 80, true}} {
		j.Width, j.Wide = tt.width, tt.wide
		if got := rankingText(j, an, full); got != full.String() {
			t.Errorf("%s: the compact layout; want the full table", tt.name)
		}
	}
}

func TestTable(t *testing.T) {
	t.Parallel()
	tb := &textTable{right: map[int]bool{1: true}}
	tb.add("ID", "Cost", "Name")
	tb.add("N1", "£13.8m", "SOC")
	tb.add("R-C10", "£9", "Plan")
	want := "" +
		"ID       Cost  Name\n" +
		"N1     £13.8m  SOC\n" +
		"R-C10      £9  Plan\n"
	if got := tb.String(); got != want {
		t.Errorf("table.String() =\n%s\nwant\n%s", got, want)
	}
}

// TestInputNamesDistinct checks that the default dataset's inputs keep
// distinct names when shortened for a table, each within its width.
func TestInputNamesDistinct(t *testing.T) {
	t.Parallel()
	job := defaultJob(t, nil)
	for _, n := range []int{40, 64} {
		seen := map[string]string{}
		for _, in := range model.Inputs(job.Model) {
			got := inputName(in, n)
			if len([]rune(got)) > n {
				t.Errorf("inputName(%q, %d) = %q: longer than %d", in.Name(), n, got, n)
			}
			if other, ok := seen[got]; ok {
				t.Errorf("inputName(…, %d) = %q for both %q and %q", n, got, other, in.Name())
			}
			seen[got] = in.Name()
		}
	}
}
