package reports

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"gonum.org/v1/plot/plotter"

	"github.com/cybercba/cybercba/model"
)

// defaultRanking is the default run's ranking (NHS England, seed 2017):
// each control's NPV 90% interval and mean, in £m, best first. R-C3's
// interval reaches −£1.11bn, nine times the top control's lower end.
var defaultRanking = []struct{ lo, mean, hi float64 }{
	{-135, 29.0, 184}, {-36.0, 14.1, 84.3}, {-124, -8.97, 80.1}, {-115, -18.2, 69.4},
	{-79.7, -23.5, 63.7}, {-193, -53.1, 58.4}, {-281, -111, 35.4}, {-484, -201, 26.0},
	{-630, -231, -1.75}, {-832, -349, -23.2}, {-443, -365, -263}, {-1110, -495, -135},
}

// rankRows returns the ranking figure's bars and means of rows given best
// first (the first drawn at the top, row n−1).
func rankRows(rows []struct{ lo, mean, hi float64 }) ([]interval, plotter.XYs) {
	n := len(rows)
	var bars []interval
	var means plotter.XYs
	for k, r := range rows {
		y := float64(n - 1 - k)
		bars = append(bars, interval{y: y, lo: r.lo * 1e6, hi: r.hi * 1e6})
		means = append(means, plotter.XY{X: r.mean * 1e6, Y: y})
	}
	return bars, means
}

// TestRankAxisTail checks the ranking figure's axis on the default run's
// ranking: it is cut so that the top controls (the recommendation, N4 and
// R-C1, among them) are whole and the top one spans most of it, and every
// cut bar is written with its true values.
func TestRankAxisTail(t *testing.T) {
	bars, means := rankRows(defaultRanking)
	n := len(bars)
	matter := []int{n - 1, n - 2, n - 3}
	lo, cut := rankAxisMin(bars, matter)
	if !cut {
		t.Fatalf("the axis starts at %v, uncut; want the tail cut", lo)
	}
	hi := 184e6 // the highest end of all, R-C1's
	for _, y := range matter {
		b := bars[slices.IndexFunc(bars, func(b interval) bool { return int(b.y) == y })]
		if b.lo < lo {
			t.Errorf("row %d (%v to %v) is cut at %v; the controls that matter must be whole", y, b.lo, b.hi, lo)
		}
	}
	// The top control's bar alone takes more than half the axis; before
	// the cut it took a fifth (−£1.11bn to £184m).
	if share := (184e6 + 135e6) / (hi - lo); share < 0.5 {
		t.Errorf("R-C1's interval spans %.2f of the axis (%v to %v); want at least half", share, lo, hi)
	}
	rows := clippedRows(bars, means, lo, currency("£").text)
	var cut5 []string
	for _, r := range defaultRanking {
		if r.lo*1e6 < lo {
			cut5 = append(cut5, currency("£").text(r.lo*1e6))
		}
	}
	if len(rows) != len(cut5) || len(rows) == 0 {
		t.Fatalf("%d rows written as cut; want %d", len(rows), len(cut5))
	}
	for i, r := range rows {
		if !strings.Contains(r.text, "5%: "+cut5[i]) {
			t.Errorf("cut row %v reads %q; want its 5th percentile %s", r.y, r.text, cut5[i])
		}
		k := n - 1 - int(r.y)
		if m := defaultRanking[k].mean * 1e6; m < lo != strings.Contains(r.text, "mean "+currency("£").text(m)) {
			t.Errorf("cut row %v reads %q: its mean %v is written if and only if it is cut (axis from %v)", r.y, r.text, m, lo)
		}
	}
	if !strings.Contains(rows[len(rows)-1].text, "mean −£495m, 5%: −£1.11bn") {
		t.Errorf("R-C3 reads %q; want its mean and 5th percentile", rows[len(rows)-1].text)
	}
}

// TestRankAxisNoTail checks that a ranking without a long tail is drawn
// whole, from its lowest end.
func TestRankAxisNoTail(t *testing.T) {
	bars, _ := rankRows(defaultRanking[:6])
	lo, cut := rankAxisMin(bars, []int{5, 4, 3, 2, 1})
	if cut || lo != -193e6 {
		t.Errorf("axis from %v (cut %v); want the lowest end, −£193m, uncut", lo, cut)
	}
}

// TestRankingFigureCut draws the ranking figure of the default run's
// ranking (defaultRanking) with N4 and R-C1 recommended: the axis starts
// within reach of the top controls, with labelled ticks either side of
// zero, and the label explains the break mark.
func TestRankingFigureCut(t *testing.T) {
	t.Parallel()
	r := new(*report(t, typical))
	an := *r.Analysis
	n := len(defaultRanking)
	an.Results = make([]model.Result, n)
	an.Recommended = &model.Result{Controls: []string{"N4", "R-C1"}}
	r.Analysis = &an
	opts := []option{{name: "Baseline"}}
	for k, x := range defaultRanking {
		an.Results[k] = model.Result{Controls: []string{fmt.Sprint("C", k)}, DecisionNPV: model.Interval{Mean: x.mean * 1e6, Lo: x.lo * 1e6, Hi: x.hi * 1e6}}
		opts = append(opts, option{name: fmt.Sprint("Control ", k), result: &an.Results[k]})
	}
	fig, ok, err := rankingFigure(r, opts)
	if err != nil || !ok {
		t.Fatalf("rankingFigure: %v, %v", ok, err)
	}
	ax := fig.plot.X
	if ax.Min < -400e6 || ax.Min > -135e6 {
		t.Errorf("the axis starts at %v; want the tail (to −£1.11bn) cut, the top controls (from −£135m) whole", ax.Min)
	}
	if share := (184e6 + 135e6) / (ax.Max - ax.Min); share < 0.5 {
		t.Errorf("the top control's interval spans %.2f of the axis (%v to %v); want at least half", share, ax.Min, ax.Max)
	}
	var neg, pos bool
	for _, tk := range ax.Tick.Marker.Ticks(ax.Min, ax.Max) {
		if tk.Label != "" {
			neg, pos = neg || tk.Value < 0, pos || tk.Value > 0
		}
	}
	if !neg || !pos {
		t.Errorf("ticks %v: want labelled ticks either side of zero", ax.Tick.Marker.Ticks(ax.Min, ax.Max))
	}
	if !strings.Contains(ax.Label.Text, "≈") {
		t.Errorf("x label %q does not explain the break mark", ax.Label.Text)
	}
}

// TestHTMLCommand checks report.html's command: one word an argument,
// each kept whole on a line (white-space: nowrap) and joined by plain
// spaces, quoted where a shell would split or expand it, so that the text
// copied from the page splits back into the arguments.
func TestHTMLCommand(t *testing.T) {
	t.Parallel()
	r := new(*report(t, typical))
	args := []string{"--seed=1", "--discount=3.5% to year 30", "--scope=", "--budget=it's", "--view=financial"}
	r.Reproduce = &Reproduction{Digest: "ab", Args: args}
	r.Dataset = "my inputs.xlsx" // the dataset, last
	full := slices.Concat([]string{"cybercba", "run"}, args, []string{r.Dataset})
	doc, page := writePage(t, r)
	var code *html.Node
	walk(doc, func(n *html.Node) {
		if n.Data == "code" && attr(n, "class") == "command" {
			code = n
		}
	})
	if code == nil {
		t.Fatal("report.html has no command (code.command)")
	}
	var words []string
	var text strings.Builder
	for c := code.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && c.Data == "span" && attr(c, "class") == "arg":
			words = append(words, c.FirstChild.Data)
			text.WriteString(c.FirstChild.Data)
		case c.Type == html.TextNode && c.Data == " ":
			text.WriteString(" ")
		default:
			t.Fatalf("the command holds %q (%v); want argument spans joined by plain spaces", c.Data, c.Type)
		}
	}
	if want := commandWords(full); !slices.Equal(words, want) {
		t.Errorf("the command's words are %q; want %q", words, want)
	}
	if got := shellSplit(t, text.String()); !slices.Equal(got, full) {
		t.Errorf("the command %q splits into %q; want %q", text.String(), got, full)
	}
	if !regexp.MustCompile(`code\.command \.arg \{[^}]*white-space: nowrap`).MatchString(page) {
		t.Error("report.html's style does not keep an argument whole (code.command .arg { white-space: nowrap })")
	}
}

// shellSplit splits a command line as a POSIX shell does, for words
// quoted as commandWords quotes them: plain words and single quotes.
func shellSplit(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	var w strings.Builder
	in, quoted := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			w.WriteByte(c)
		case c == '\'':
			quoted, in = true, true
		case c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
		case c == ' ':
			if in {
				out = append(out, w.String())
				w.Reset()
			}
			in = false
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if quoted {
		t.Fatalf("%q: unclosed quote", s)
	}
	if in {
		out = append(out, w.String())
	}
	return out
}
