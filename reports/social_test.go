package reports

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/model"
)

// TestSocialFigure checks the side-by-side ranking: present when the
// results have the social view, after the ranking, in every format; both
// views in the key; controls in financial rank order, best at the top, a
// control whose rank differs naming its social rank.
func TestSocialFigure(t *testing.T) {
	t.Parallel()
	r := report(t, social)
	figs, err := Figures(r)
	if err != nil {
		t.Fatalf("Figures: %v", err)
	}
	i := slices.IndexFunc(figs, func(f Figure) bool { return f.Name == "ranking-social" })
	if i < 0 || figs[i-1].Name != "ranking" {
		t.Fatalf("Figures has no ranking-social after the ranking")
	}
	f := figs[i]
	if want := "NPV in the financial and social views: Test trusts"; f.Title != want {
		t.Errorf("ranking-social title = %q; want %q", f.Title, want)
	}
	var keys []string
	for _, e := range f.key {
		keys = append(keys, e.name)
	}
	for _, want := range []string{"Financial view", "Social view"} {
		if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, want) }) {
			t.Errorf("key %q has no entry for the %s", keys, want)
		}
	}
	// NominalY lists the names bottom to top.
	var names []string
	for _, tk := range f.plot.Y.Tick.Marker.Ticks(f.plot.Y.Min, f.plot.Y.Max) {
		names = append(names, tk.Label)
	}
	slices.Reverse(names)
	fin := model.RankIn(r.Analysis.Results, model.ByNPV, model.Financial)
	soc := model.RankIn(r.Analysis.Results, model.ByNPV, model.Social)
	if len(names) != len(fin.Order) {
		t.Fatalf("ranking-social rows %q; want %d", names, len(fin.Order))
	}
	for k, i := range fin.Order {
		id := r.Analysis.Results[i].Controls[0]
		if !strings.HasPrefix(names[k], id+" ") {
			t.Errorf("ranking-social row %d = %q; want control %s, financial rank %d", k+1, names[k], id, k+1)
		}
		sr := slices.Index(soc.Order, i) + 1
		if note := "(social view: rank " + strconv.Itoa(sr) + ")"; strings.Contains(names[k], note) != (sr != k+1) {
			t.Errorf("ranking-social row %q: social rank %d, financial %d", names[k], sr, k+1)
		}
	}
	for _, format := range formats {
		var buf bytes.Buffer
		if err := f.Write(&buf, format); err != nil {
			t.Fatalf("ranking-social.Write(%s): %v", format, err)
		}
		checkImage(t, f, format, buf.Bytes())
	}
}

// TestWorkbookSocial checks every row of the Social sheet against the
// control's result, the ranks against model.RankIn in each view, the
// "Differs" column against the ranks and signs, and the baseline harm
// under the table.
func TestWorkbookSocial(t *testing.T) {
	t.Parallel()
	r := report(t, social)
	an := r.Analysis
	f, _ := openBook(t, r)
	rs := rows(t, f, sheetSocial)
	head := rs[0]
	col := func(name string) int { return headerIndex(t, sheetSocial, head, name) }
	fin := model.RankIn(an.Results, model.ByNPV, model.Financial)
	soc := model.RankIn(an.Results, model.ByNPV, model.Social)
	var differ int
	for k, i := range fin.Order {
		res := an.Results[i]
		sr := res.Social
		row := rs[k+1]
		id := res.Controls[0]
		if row[col("ID")] != id {
			t.Fatalf("Social row %d = %s; want %s, in financial rank order", k+2, row[col("ID")], id)
		}
		socRank := slices.Index(soc.Order, i) + 1
		for name, want := range map[string]float64{
			"Financial NPV (£)":   res.DecisionNPV.Mean,
			"Financial NPV 5%":    res.DecisionNPV.Lo,
			"Financial NPV 95%":   res.DecisionNPV.Hi,
			"Harm avoided (£/yr)": sr.DeltaHarm.Mean,
			"Harm avoided SE":     sr.DeltaHarmSE,
			"PV harm avoided (£)": sr.PVHarm.Mean,
			"Social NPV (£)":      sr.NPV.Mean,
			"Social NPV 5%":       sr.NPV.Lo,
			"Social NPV 95%":      sr.NPV.Hi,
			"P(social NPV>0)":     sr.PNPVPositive,
			"Financial rank":      float64(k + 1),
			"Social rank":         float64(socRank),
		} {
			if x := number(t, id+" "+name, row[col(name)]); !same(x, want) {
				t.Errorf("Social %s %s = %v; want %v", id, name, x, want)
			}
		}
		if cell := row[col("Social BCR")]; finite(sr.BCR.Mean) {
			if x := number(t, id+" social BCR", cell); !same(x, sr.BCR.Mean) {
				t.Errorf("Social %s social BCR = %v; want %v", id, x, sr.BCR.Mean)
			}
		} else if cell != "n/a" {
			t.Errorf("Social %s social BCR = %q; want n/a for %v", id, cell, sr.BCR.Mean)
		}
		want := "no"
		if socRank != k+1 || (res.DecisionNPV.Mean > 0) != (sr.NPV.Mean > 0) {
			want = "yes"
			differ++
		}
		if got := row[col("Differs")]; !strings.HasPrefix(got, want) {
			t.Errorf("Social %s differs = %q; want %s…", id, got, want)
		}
	}
	if differ == 0 {
		t.Errorf("no control differs between the views: the test model no longer tests the column")
	}
	for label, want := range map[string]float64{
		"Baseline patient harm, valued (£/yr)": an.BaselineHarm,
		"Its standard error":                   an.BaselineHarmSE,
	} {
		// The label runs on over column B; its value is in column C.
		var cell string
		for _, row := range rs {
			if len(row) > 2 && row[0] == label {
				cell = row[2]
			}
		}
		if x := number(t, "Social "+label, cell); !same(x, want) || want <= 0 {
			t.Errorf("Social %q = %v; want %v, positive", label, x, want)
		}
	}
}

// TestDiffers checks the "Differs" column on hand-made rows, among them a
// control whose NPV is negative on money and positive with harm counted.
func TestDiffers(t *testing.T) {
	t.Parallel()
	row := func(fin, soc int, npv, socialNPV float64) socialRow {
		return socialRow{finRank: fin, socRnk: soc, res: &model.Result{
			MoneyNPV: model.Interval{Mean: npv}, Social: &model.SocialResult{Figures: model.Figures{NPV: model.Interval{Mean: socialNPV}}},
		}}
	}
	for _, tt := range []struct {
		name string
		row  socialRow
		want string
	}{
		{"same", row(1, 1, 5, 9), "no"},
		{"both negative", row(3, 3, -5, -1), "no"},
		{"rank", row(2, 1, 5, 9), "yes: rank"},
		{"pays only with harm", row(3, 3, -2e6, 4e6), "yes: NPV sign"},
		{"rank and sign", row(3, 1, -2e6, 4e6), "yes: rank and NPV sign"},
		{"zero is not positive", row(1, 1, 0, 1), "yes: NPV sign"},
	} {
		if got := tt.row.differs(); got != tt.want {
			t.Errorf("%s: differs() = %q; want %q", tt.name, got, tt.want)
		}
	}
}

// TestSocialAbsent checks that without harm there is no social view: no
// Social sheet, no ranking-social figure, no harm on the Summary.
func TestSocialAbsent(t *testing.T) {
	t.Parallel()
	r := report(t, typical)
	figs, err := Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(figs, func(f Figure) bool { return f.Name == "ranking-social" }) {
		t.Error("Figures has ranking-social without harm")
	}
	f, _ := openBook(t, r)
	if slices.Contains(f.GetSheetList(), sheetSocial) {
		t.Error("the workbook has a Social sheet without harm")
	}
	if _, ok := labelled(t, f)["Patient harm, valued (£/yr)"]; ok {
		t.Error("the Summary shows patient harm without harm")
	}
}

// TestSummarySocial checks the baseline harm on the Summary of a run with
// harm.
func TestSummarySocial(t *testing.T) {
	t.Parallel()
	r := report(t, social)
	f, _ := openBook(t, r)
	got := labelled(t, f)
	if x := number(t, "Summary harm SE", labelledSE(t, f)["Patient harm, valued (£/yr)"]); !same(x, r.Analysis.BaselineHarmSE) {
		t.Errorf("Summary patient harm's standard error = %v; want %v", x, r.Analysis.BaselineHarmSE)
	}
	for label, want := range map[string]float64{
		"Patient harm, valued (£/yr)": r.Analysis.BaselineHarm,
	} {
		if x := number(t, "Summary "+label, got[label]); !same(x, want) || math.IsNaN(x) {
			t.Errorf("Summary %q = %v; want %v", label, x, want)
		}
	}
}
