package reports

import (
	"fmt"
	"strings"
	"testing"
)

// TestLiveDrawsSaySo checks that the live model's uncertainty, on 1,000
// unmatched draws, says plainly which draws it is across and sets the
// decision's own figures beside it (issue 22): the What-if sheet's run
// column gives the decision's draw count, its note and the Draws sheet
// say which of those draws the sheet holds, and report.html's what-if
// caption gives the decision's interval and P(NPV > 0) with its count.
func TestLiveDrawsSaySo(t *testing.T) {
	t.Parallel()
	eachView(t, func(t *testing.T, r *Report) {
		rec := r.Analysis.Recommended
		if rec == nil {
			t.Fatal("the report recommends nothing: the test needs a recommendation")
		}
		n, D := liveDraws(r), rec.DecisionDraws
		which := fmt.Sprintf("the first %s of the run's %s decision draws", thousands(n), thousands(D))
		if n >= D {
			t.Fatalf("live draws %d, decision draws %d: the test wants fewer live draws than the decision's", n, D)
		}
		f, _ := openBook(t, r)
		row := whatIfRows(t, f)["Outer draws"]
		if len(row) < 5 || row[3] != fmt.Sprint(D) || !strings.Contains(row[4], which) || !strings.Contains(row[4], "moment matched") {
			t.Errorf("What-if's Outer draws row %q; want the decision's %d draws in the run's column and a note naming %q", row, D, which)
		}
		if intro := rows(t, f, SheetDraws)[1][0]; !strings.Contains(intro, which) {
			t.Errorf("the Draws sheet's introduction does not say its rows are %q: %q", which, intro)
		}
		w, err := whatIfPanel(r)
		if err != nil {
			t.Fatal(err)
		}
		cur := currencyOf(r)
		for _, want := range []string{which, cur.interval(rec.DecisionNPV.Lo, rec.DecisionNPV.Hi),
			pctText(rec.InView(r.Analysis.Appraisal.View).PNPVPositive), "across all its " + thousands(D) + " draws"} {
			if !strings.Contains(w.DrawsNote, want) {
				t.Errorf("the what-if panel's caption %q lacks %q", w.DrawsNote, want)
			}
		}
	})
}
