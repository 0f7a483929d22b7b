package reports

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

func TestTextWidth(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    string
		want int
	}{
		{"NPV −£142m ± 8.06m…", 19},
		{"東京", 4},
		{"a\tb", 9},
		{"    \tx", 9},
	} {
		if got := textWidth(tt.s); got != tt.want {
			t.Errorf("textWidth(%q) = %d; want %d", tt.s, got, tt.want)
		}
	}
}

func TestWrapLine(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		line  string
		width int
		want  []string
	}{
		{"fits", "Baseline: £131m", 20, []string{"Baseline: £131m"}},
		{"unknown width", strings.Repeat("word ", 40), 0, []string{strings.Repeat("word ", 40)}},
		{"prose", "the quick brown fox jumps over the lazy dog", 15,
			[]string{"the quick brown", "fox jumps over", "the lazy dog"}},
		{"list item hangs", "  Left out: R-C10 does not fit the budget", 20,
			[]string{"  Left out: R-C10", "    does not fit the", "    budget"}},
		{"no break beside ±", "loss £131m ± 8.06m (1 SE)", 14,
			[]string{"loss", "£131m ± 8.06m", "(1 SE)"}},
		{"a long word stays whole", "see /a/very/long/path/to/a/file.xlsx now", 10,
			[]string{"see", "/a/very/long/path/to/a/file.xlsx", "now"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := wrapLine(tt.line, tt.width)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("wrapLine(%q, %d) = %q; want %q", tt.line, tt.width, got, tt.want)
			}
		})
	}
}

// TestWrapper checks that text written in pieces comes out wrapped line by
// line, the last line on Flush, and unchanged at width 0.
func TestWrapper(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w := Wrap(&b, 12)
	fmt.Fprint(w, "one two three ")
	fmt.Fprint(w, "four\nfive six seven eight")
	if got, want := b.String(), "one two\nthree four\n"; got != want {
		t.Errorf("before Flush: %q; want %q", got, want)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "one two\nthree four\nfive six\nseven eight"; got != want {
		t.Errorf("after Flush: %q; want %q", got, want)
	}
	b.Reset()
	w = Wrap(&b, 0)
	long := strings.Repeat("word ", 40) + "\n"
	fmt.Fprint(w, long)
	if b.String() != long {
		t.Errorf("width 0 changed the text: %q", b.String())
	}
}

// TestTableFit checks a table's fit: unchanged when it fits, its
// flexible column shortened when that is enough, else stacked, every line
// within the width and every figure kept.
func TestTableFit(t *testing.T) {
	t.Parallel()
	tb := &textTable{right: map[int]bool{0: true, 3: true, 4: true}, flex: 3, flexMin: 10, key: 2, labels: []string{4: "simulated"}}
	tb.add("Step", "ID", "Control", "Cost/yr", "(simulated)")
	tb.add("1", "R-C1", "Every trust: MFA on remote, admin, cloud and supplier access", "£13.8m", "−£6.31m ±5.46m")
	tb.add("2", "N4", "National supplier assurance", "£3.94m", "£32.0m ±18.2m")
	full := tb.String()
	if got := tb.fit(0); got != full {
		t.Errorf("fit(0) = %q; want the full table", got)
	}
	if got := tb.fit(200); got != full {
		t.Errorf("fit(200) = %q; want the full table", got)
	}
	for _, width := range []int{60, 40, 30} {
		got := tb.fit(width)
		for line := range strings.SplitSeq(strings.TrimSuffix(got, "\n"), "\n") {
			if textWidth(line) > width {
				t.Errorf("fit(%d): a line of %d columns: %q", width, textWidth(line), line)
			}
		}
		for _, want := range []string{"R-C1", "N4", "£13.8m", "£3.94m", "−£6.31m ±5.46m", "£32.0m ±18.2m"} {
			if !strings.Contains(got, want) {
				t.Errorf("fit(%d) lacks %q:\n%s", width, want, got)
			}
		}
	}
	if got := tb.fit(60); !strings.Contains(got, "Every trust") || strings.Contains(got, "simulated £") {
		t.Errorf("fit(60): want the name shortened, not the rows stacked:\n%s", got)
	}
	if got := tb.fit(30); !strings.Contains(got, "simulated −£6.31m ±5.46m") {
		t.Errorf("fit(30): want the rows stacked with their labels:\n%s", got)
	}
}

// TestTerminalFits checks the acceptance of issue 26 on the renderers: on
// a terminal 80 columns wide (and 60), no line of the run's output, with a
// budget and the frontier, the sensitivity analysis and the batch table, is
// wider; the full layout is kept when the width is unknown.
func TestTerminalFits(t *testing.T) {
	t.Parallel()
	job := defaultJob(t, func(spec *data.RunSpec) {
		spec.Draws, spec.Years, spec.DecisionDraws = 8, 200, 100
		spec.Budget, spec.Frontier = "30m", true
	})
	j := NewRun(job, "test", "")
	d, err := model.Decide(t.Context(), j.Model, j.DecideOptions(true, 15))
	if err != nil {
		t.Fatal(err)
	}
	render := func(width int) string {
		j.Width = width
		var b bytes.Buffer
		WriteTable(&b, j, d, time.Second)
		WriteSensitivity(&b, j, d.Sensitivity)
		WrittenLine(&b, "/some/where/cybercba-out", []string{"/some/where/cybercba-out/report.xlsx", "/some/where/cybercba-out/report.html", "a.png"}, width)
		return b.String()
	}
	for _, width := range []int{80, 60} {
		text := render(width)
		for line := range strings.SplitSeq(text, "\n") {
			if textWidth(line) > width {
				t.Errorf("width %d: a line of %d columns: %q", width, textWidth(line), line)
			}
		}
	}
	if full := render(0); tableWidth(full) <= 80 {
		t.Errorf("width unknown: widest line %d columns; want the full tables and lines", tableWidth(full))
	}
}

// TestOneWeakPointLine checks issue 26's rule: when the top-ranked
// control is in the recommendation (the default run buys N4 + R-C1, R-C1
// ranked first), the terminal, the workbook's sentences and report.html
// give one weak-point line, the recommendation's; when it is not (£5m a
// year buys N4 alone), the top-ranked control's follows.
func TestOneWeakPointLine(t *testing.T) {
	t.Parallel()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		budget string
		want   int
	}{{"", 1}, {"5m", 2}} {
		t.Run("budget "+tt.budget, func(t *testing.T) {
			t.Parallel()
			spec := data.DefaultRunSpec()
			spec.Draws, spec.Years, spec.DecisionDraws, spec.Budget = 8, 200, 100, tt.budget
			job, err := data.NewJob(spec, ds)
			if err != nil {
				t.Fatal(err)
			}
			j := NewRun(job, "test", "")
			d, err := model.Decide(t.Context(), j.Model, j.DecideOptions(false, 15))
			if err != nil {
				t.Fatal(err)
			}
			top := d.Results[d.Ranking.Order[0]].Portfolio[0]
			if in := slices.Contains(d.Portfolio.Choice.Portfolio, top); in != (tt.want == 1) {
				t.Fatalf("top-ranked control in the recommendation: %v; the test wants %v", in, tt.want == 1)
			}
			var b bytes.Buffer
			WriteTable(&b, j, d, time.Second)
			if got := strings.Count(b.String(), "Weak point of"); got != tt.want {
				t.Errorf("terminal: %d weak-point lines; want %d", got, tt.want)
			}
			if got := explanation(j, d).TopWeakPoint != ""; got != (tt.want == 2) {
				t.Errorf("workbook and report.html: the top-ranked control's weak point given: %v; want %v", got, tt.want == 2)
			}
		})
	}
}
