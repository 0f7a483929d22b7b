package reports

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/cybercba/cybercba/model"
)

// socialView is the harm model's report in the social view, where a
// result's NPV counts harm and its Money field holds the money-only
// figures.
var socialView = sync.OnceValues(func() (*Report, error) {
	base, err := social()
	if err != nil {
		return nil, err
	}
	r := *base
	a := base.Analysis.Appraisal
	a.View = model.Social
	if r.Analysis, err = model.Analyse(context.Background(), r.Model, smallRun, a, model.ByNPV); err != nil {
		return nil, err
	}
	r.Settings.View = "social"
	return &r, nil
})

// TestSocialViewMoneyOnly checks that, when the social view decides, the
// columns that say financial or money only hold the money-only NPV, in the
// Social sheet, report.html's financial-versus-social table and the
// ranking-social figure's data, not the NPV with harm (issue 22, item 2:
// R-C1 showed £98.1m, its social NPV, as its financial NPV of £30.5m).
func TestSocialViewMoneyOnly(t *testing.T) {
	t.Parallel()
	r := report(t, socialView)
	an := r.Analysis
	money := map[string]model.Interval{}
	differ := 0
	for _, res := range an.Results {
		if res.Social == nil {
			t.Fatalf("%s: a social-view result without its social figures", res.Controls[0])
		}
		if res.MoneyNPV.Mean != res.Social.NPV.Mean {
			differ++
		}
		money[res.Controls[0]] = res.MoneyNPV
	}
	if differ == 0 {
		t.Fatal("money-only and social NPV are equal for every control: the test cannot tell them apart")
	}
	f, _ := openBook(t, r)
	rs := rows(t, f, sheetSocial)
	col := func(name string) int { return headerIndex(t, sheetSocial, rs[0], name) }
	for _, row := range rs[1 : len(an.Results)+1] {
		id := row[col("ID")]
		for name, want := range map[string]float64{
			"Financial NPV (£)": money[id].Mean, "Financial NPV 5%": money[id].Lo, "Financial NPV 95%": money[id].Hi,
		} {
			if x := number(t, id+" "+name, row[col(name)]); !same(x, want) {
				t.Errorf("Social sheet %s %s = %v; want the money-only %v", id, name, x, want)
			}
		}
	}
	cur := currencyOf(r)
	page := socialOf(r, nil)
	fin := slices.Index(page.Table.Head, "Financial NPV")
	for _, row := range page.Table.Rows {
		id := row[0][:2]
		if want := cur.text(money[id].Mean); row[fin] != want {
			t.Errorf("report.html social table %s financial NPV = %s; want the money-only %s", id, row[fin], want)
		}
	}
	figs, err := Figures(r)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(figs, func(f Figure) bool { return f.Name == "ranking-social" })
	if i < 0 {
		t.Fatal("no ranking-social figure")
	}
	d := figs[i].data
	k := slices.Index(d[0], "Financial NPV P5")
	for _, row := range d[1:] {
		id := row[2][:2]
		if x, _ := strconv.ParseFloat(row[k], 64); !same(x, money[id].Lo) {
			t.Errorf("ranking-social.csv %s financial NPV P5 = %s; want the money-only %v", id, row[k], money[id].Lo)
		}
	}
}
